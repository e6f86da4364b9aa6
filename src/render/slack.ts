import type { CheckResult, CheckStatus, Finding, Remediation } from "../diagnosis/check.js";
import type { Report, VerdictStatus } from "../diagnosis/report.js";
import type { Block, ButtonElement, SlackMessage, TextObject } from "./slack-types.js";

// Report -> Slack Block Kit messages. Pure: no I/O and no clock (times come in as arguments).
// Every string that came from AWS is escaped before it reaches a text field, and every message
// keeps Slack's limits by cutting with "...and N more" instead of failing.

/** Slack's limits on one message, as this renderer keeps them (Block Kit reference). */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksJson: 12_000,
  sectionText: 3_000,
  fieldText: 2_000,
  fieldsPerSection: 10,
  headerText: 150,
  buttonLabel: 75,
  buttonValue: 2_000,
  actionId: 255,
  blockId: 255,
  contextElements: 10,
  contextText: 3_000,
  actionsElements: 25,
  messageText: 4_000,
} as const;

/** The action_id of every button the bot renders; the listeners register on these. */
export const ACTION_IDS = {
  rerun: "vpce_rerun",
  extend: "vpce_extend",
  export: "vpce_export",
  toggle: "vpce_toggle",
} as const;

/** What the root message needs besides the report: the ids its buttons carry, who or what triggered it, when. */
export interface RootContext {
  reportId: string;
  requestKey: string;
  /** Already-formatted mrkdwn, e.g. "<@U123> via /vpce" or "alarm vpce-drops"; not escaped. */
  trigger: string;
  /** Unix seconds. */
  startedAt: number;
  accountAlias?: string;
  busy?: "rerunning";
}

/**
 * What a finding reply needs besides the report and the check: the report id, the toggle state, and the
 * request key (its block id), so a click after the report left the store can still rebuild the request.
 */
export interface FindingReplyContext {
  reportId: string;
  requestKey: string;
  expanded: boolean;
}

/** The toggle's action id for one check: the prefix routes the click, the rest names the check. */
export function toggleActionId(checkId: string): string {
  return `${ACTION_IDS.toggle}:${checkId}`.slice(0, SLACK_LIMITS.actionId);
}

/** Who asked for a new run, and why it ran: a Rerun click, an Extend click, or an expired report. */
export interface RerunContext {
  userId: string;
  kind: "rerun" | "extend" | "expired" | "alarm";
  /** For kind "alarm": what happened, already-formatted mrkdwn (e.g. "Alarm *x* fired again at …"). */
  lead?: string;
}

/** Which problem checks a rerun fixed, which are still problems, and which are new (check ids). */
export interface ReportChanges {
  fixed: string[];
  still: string[];
  added: string[];
}

const VERDICT_EMOJI: Record<VerdictStatus, string> = {
  healthy: "✅",
  degraded: "⚠️",
  broken: "🔴",
  unknown: "❔",
};
const CHECK_EMOJI: Record<CheckStatus, string> = {
  fail: "🔴",
  warn: "⚠️",
  unknown: "❔",
  pass: "✅",
  skip: "➖",
};
const STATUS_ORDER: readonly CheckStatus[] = ["fail", "warn", "unknown", "pass", "skip"];
const PROBLEM_STATUSES: readonly CheckStatus[] = ["fail", "warn", "unknown"];

const NOTIFICATION_MAX = 500;
const LINE_MAX = 500;
const LIST_LINE_MAX = 300;
const FIX_MAX = 1_000;
const COMMAND_MAX = 2_000;
const TRIGGER_MAX = 1_000;
const EVIDENCE_MAX = 25;
const GAPS_MAX = 5;
const IDS_IN_COUNTS = 5;
const IDS_IN_CHANGES = 10;

/** Escapes Slack's three control characters (&, <, >) so text can never form a link, mention or entity. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Cuts text to at most `max` characters, ending with "…", never inside an entity, a `<…>` token or an emoji. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return "";
  const cut = text
    .slice(0, max - 1)
    .replace(/[\uD800-\uDBFF]$/, "")
    .replace(/&[a-z]{0,3}$/, "")
    .replace(/<[^<>]*$/, "");
  return `${cut}…`;
}

/** The first `max` items, followed by "...and N more" when some were left out. */
export function listWithMore(items: readonly string[], max: number): string[] {
  if (items.length <= max) return [...items];
  const shown = items.slice(0, Math.max(0, max));
  return [...shown, `...and ${items.length - shown.length} more`];
}

/** The checks that get their own reply: fail, then warn, then unknown; registry order within a status; muted ones never. */
export function problemChecks(report: Report): CheckResult[] {
  return PROBLEM_STATUSES.flatMap((status) =>
    report.checks.filter((check) => check.status === status && !check.muted),
  );
}

/** The short name of a service: what follows the region ("ssm", "ecr.dkr", "vpce-svc-…"), else the last part. */
export function serviceShortName(serviceName: string | undefined, region?: string): string | undefined {
  if (!serviceName) return undefined;
  const parts = serviceName.split(".");
  const at = region ? parts.lastIndexOf(region) : -1;
  const afterRegion = at >= 0 ? parts.slice(at + 1).join(".") : "";
  return afterRegion || parts.at(-1) || serviceName;
}

/** The checks that were problems before and are not now, that still are, and that are new. */
export function changesBetween(before: Report, after: Report): ReportChanges {
  const wasProblem = new Set(problemChecks(before).map((check) => check.id));
  const isProblem = new Set(problemChecks(after).map((check) => check.id));
  const nowIds = [...isProblem];
  return {
    fixed: [...wasProblem].filter((id) => !isProblem.has(id)),
    still: nowIds.filter((id) => wasProblem.has(id)),
    added: nowIds.filter((id) => !wasProblem.has(id)),
  };
}

/** The thread's root message: header, verdict, counts, who and when, and the Rerun / Extend / Export buttons. */
export function renderRoot(report: Report, ctx: RootContext): SlackMessage {
  const blocks: Block[] = [
    header(rootHeader(report, ctx)),
    section(truncate(rootVerdict(report), SLACK_LIMITS.sectionText)),
    context(countsLine(report)),
    context(metaLine(report, ctx)),
    ...(ctx.busy === "rerunning" ? [context("⏳ Rerunning…")] : []),
    rootActions(report, ctx),
  ];
  return { text: rootNotification(report, ctx), blocks };
}

/** One reply per problem check: its summary and a Show details / Hide toggle; expanded, its findings. */
export function renderFindingReply(
  report: Report,
  check: CheckResult,
  ctx: FindingReplyContext,
): SlackMessage {
  const head = checkSection(check, ctx);
  const body = ctx.expanded ? packLines(detailLines(check), budgetAfter([head])) : [];
  const text = `${CHECK_EMOJI[check.status]} ${oneLine(check.id)} on ${oneLine(report.endpointId)}: ${oneLine(check.summary)}`;
  return { text: truncate(text, NOTIFICATION_MAX), blocks: [head, ...body] };
}

/** The reply that lists what passed (✅ id — summary), what was skipped (➖ id — why) and what is muted (🔇). */
export function renderPassedReply(report: Report): SlackMessage {
  const passed = report.checks.filter((check) => check.status === "pass");
  const skipped = report.checks.filter((check) => check.status === "skip");
  const muted = report.checks.filter((check) => check.muted);
  const text = `✅ ${passed.length} passed, ➖ ${skipped.length} skipped on ${oneLine(report.endpointId)}`;
  return {
    text: truncate(text, NOTIFICATION_MAX),
    blocks: packLines([...passedLines(passed, skipped), ...mutedLines(muted)], budgetAfter([])),
  };
}

/** The reply after a rerun, an extension to 24 h or a rerun of an expired report: what changed, then the verdict. */
export function renderRerunReply(before: Report | undefined, after: Report, ctx: RerunContext): SlackMessage {
  const sentence = `${rerunLead(after, ctx)}: ${changesText(before, after)}`;
  const verdict = `Now ${VERDICT_EMOJI[after.verdict.status]} *${after.verdict.status}* — ${verdictSentence(after, bold)}`;
  const text = `${VERDICT_EMOJI[after.verdict.status]} ${oneLine(after.endpointId)} — ${sentence}`;
  return {
    text: truncate(text, NOTIFICATION_MAX),
    blocks: [
      section(truncate(sentence, SLACK_LIMITS.sectionText)),
      section(truncate(verdict, SLACK_LIMITS.sectionText)),
    ],
  };
}

/** A live mention of a Slack user id (U…/W…); anything else is shown as escaped text, never as a mention. */
export function userMention(userId: string): string {
  return /^[UW][A-Z0-9]{2,30}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/** The strings an alarm message shows, raw as the alarm gave them: every one is escaped and cut here. */
export interface AlarmFacts {
  name: string;
  state: string;
  region: string;
  accountAlias: string;
  reason: string;
  /** ISO 8601 time of the state change. */
  changedAt: string;
}

const ALARM_NAME_MAX = 300;
const ALARM_REASON_MAX = 1_000;

/** The alarm's name for mrkdwn: one line, escaped, cut, bold. */
function alarmName(facts: AlarmFacts): string {
  return bold(line(facts.name, ALARM_NAME_MAX));
}

function alarmWhen(facts: AlarmFacts): string {
  return slackDate(Date.parse(facts.changedAt) / 1000);
}

function alarmReason(facts: AlarmFacts): string {
  return line(facts.reason, ALARM_REASON_MAX);
}

/** The root's trigger line for a diagnosis an alarm started: "triggered by alarm *name* at <date>: reason". */
export function alarmTrigger(facts: AlarmFacts): string {
  return `triggered by alarm ${alarmName(facts)} at ${alarmWhen(facts)}: ${alarmReason(facts)}`;
}

/** The lead of the rerun reply when an alarm fires again or recovers in an existing thread. */
export function alarmLead(facts: AlarmFacts, kind: "again" | "recovered"): string {
  return kind === "again"
    ? `🔁 Alarm ${alarmName(facts)} fired again at ${alarmWhen(facts)}`
    : `✅ Alarm ${alarmName(facts)} recovered at ${alarmWhen(facts)}; confirming diagnosis`;
}

/** The thread note for an alarm with insufficient data (mrkdwn, escaped, within a section's limit). */
export function alarmInsufficientNote(facts: AlarmFacts): string {
  return `ℹ️ Alarm ${alarmName(facts)} has insufficient data since ${alarmWhen(facts)}: ${alarmReason(facts)}`;
}

/** The message for an alarm whose endpoint could not be told: what fired, and the command to run by hand. */
export function renderAlarmNoEndpoint(facts: AlarmFacts): SlackMessage {
  const region = oneLine(facts.region);
  const alias = oneLine(facts.accountAlias);
  const state = oneLine(facts.state);
  const body =
    `⚠️ Alarm ${alarmName(facts)} is *${state}* in ${region} / ${alias} (${alarmWhen(facts)}): ${alarmReason(facts)}\n` +
    "vpce-doctor could not tell which endpoint it watches (no `VPC Endpoint Id` dimension, no vpce- id in its " +
    `description, no matching rule). Run \`/vpce diagnose <vpce-id> ${region} --account ${alias}\`.`;
  const text = `Alarm ${line(facts.name, ALARM_NAME_MAX)} is ${state}, but vpce-doctor could not tell which endpoint it watches`;
  return {
    text: truncate(text, NOTIFICATION_MAX),
    blocks: [section(truncate(body, SLACK_LIMITS.sectionText))],
  };
}

/** The shared root of an alarm storm: a header naming how many endpoints alarm, and where. */
export function renderStormRoot(count: number, region: string, accountAlias: string): SlackMessage {
  const where = `${line(region, 50)} / ${line(accountAlias, 50)}`;
  const text = `🌩️ ${count} endpoints alarming in ${where}: one reply per endpoint below`;
  return { text, blocks: [header(truncate(text, SLACK_LIMITS.headerText))] };
}

// --- text from AWS ---

function fromAws(text: string): string {
  const normalised = text.replace(/\r\n?/g, "\n");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return escapeMrkdwn(normalised.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "?"));
}

function oneLine(text: string): string {
  return fromAws(text.replace(/\s+/g, " ").trim());
}

function line(text: string, max = LINE_MAX): string {
  return truncate(oneLine(text), max);
}

function bold(text: string): string {
  return `*${text}*`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function formatHours(hours: number): string {
  return hours < 1 ? `${Math.round(hours * 60)} min` : `${hours} h`;
}

// --- blocks ---

function mrkdwn(text: string): TextObject {
  return { type: "mrkdwn", text };
}

function plain(text: string): TextObject {
  return { type: "plain_text", text, emoji: true };
}

function header(text: string): Block {
  return { type: "header", text: plain(text) };
}

function section(text: string): Block {
  return { type: "section", text: mrkdwn(text) };
}

function context(text: string): Block {
  return { type: "context", elements: [mrkdwn(truncate(text, SLACK_LIMITS.contextText))] };
}

function button(label: string, actionId: string, value: string, style?: "primary"): ButtonElement {
  return {
    type: "button",
    action_id: actionId,
    text: plain(truncate(label, SLACK_LIMITS.buttonLabel)),
    value: value.slice(0, SLACK_LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

// --- root ---

function accountLabel(report: Report, alias: string | undefined): string | undefined {
  return alias ?? report.account.alias ?? report.account.id;
}

function rootHeader(report: Report, ctx: RootContext): string {
  const parts = [
    report.endpointId,
    serviceShortName(report.serviceName, report.region),
    report.region,
    accountLabel(report, ctx.accountAlias),
  ].filter((part): part is string => Boolean(part));
  const text = `${VERDICT_EMOJI[report.verdict.status]} ${parts.map(oneLine).join(" · ")}`;
  return truncate(text, SLACK_LIMITS.headerText);
}

function rootNotification(report: Report, ctx: RootContext): string {
  const where = [
    serviceShortName(report.serviceName, report.region),
    report.region,
    accountLabel(report, ctx.accountAlias),
  ].filter((part): part is string => Boolean(part));
  const verdict = `${report.verdict.status} — ${verdictSentence(report, (text) => text)}`;
  const text = `${VERDICT_EMOJI[report.verdict.status]} ${oneLine(report.endpointId)} (${where.map(oneLine).join(", ")}): ${verdict}`;
  return truncate(text, NOTIFICATION_MAX);
}

function hasCause(report: Report): boolean {
  const { status, cause } = report.verdict;
  return cause !== null && (status === "broken" || status === "degraded");
}

function verdictSentence(report: Report, mark: (text: string) => string): string {
  const summary = oneLine(report.verdict.summary);
  if (hasCause(report)) return `${mark(oneLine(report.verdict.cause ?? ""))}: ${summary}`;
  return capitalise(summary);
}

function rootVerdict(report: Report): string {
  const lines = [verdictSentence(report, bold)];
  if (report.verdict.status === "unknown" && report.gaps.length > 0) {
    const gaps = report.gaps.map((gap) =>
      line(`${gap.iamAction} (${gap.error}): ${gap.message}`, LIST_LINE_MAX),
    );
    lines.push("*Could not read*", ...listWithMore(gaps, GAPS_MAX).map((gap) => `• ${gap}`));
  }
  if (report.verdict.nextSteps.length > 0) {
    lines.push("*Next steps*", ...report.verdict.nextSteps.map((step) => `• ${line(step, LIST_LINE_MAX)}`));
  }
  return lines.join("\n");
}

function countsLine(report: Report): string {
  const muted = report.checks.filter((check) => check.muted).length;
  const parts = STATUS_ORDER.flatMap((status) => {
    const checks = report.checks.filter((check) => check.status === status && !check.muted);
    if (checks.length === 0) return [];
    const ids = PROBLEM_STATUSES.includes(status)
      ? `: ${idList(
          checks.map((c) => c.id),
          IDS_IN_COUNTS,
        )}`
      : "";
    return [`${CHECK_EMOJI[status]} ${checks.length} ${countLabel(status, checks.length)}${ids}`];
  });
  if (muted > 0) parts.push(`🔇 ${muted} muted`);
  return parts.join(" · ") || "No checks ran";
}

function countLabel(status: CheckStatus, count: number): string {
  const labels: Record<CheckStatus, string> = {
    fail: "failing",
    warn: count === 1 ? "warning" : "warnings",
    unknown: "unknown",
    pass: "passed",
    skip: "skipped",
  };
  return labels[status];
}

function idList(ids: readonly string[], max: number): string {
  return listWithMore(ids.map(oneLine), max).join(", ");
}

function metaLine(report: Report, ctx: RootContext): string {
  const calls = report.stats.awsCalls;
  return [
    truncate(ctx.trigger, TRIGGER_MAX),
    slackDate(ctx.startedAt),
    `took ${formatDuration(report.stats.durationMs)}`,
    `${calls} AWS call${calls === 1 ? "" : "s"}`,
    `window ${formatHours(report.window.hours)}`,
  ].join(" · ");
}

function slackDate(unixSeconds: number): string {
  const seconds = Math.floor(unixSeconds);
  if (!Number.isFinite(seconds) || Math.abs(seconds) > 8.64e9) return "at an unknown time";
  const fallback = new Date(seconds * 1000).toISOString().replace(/\.000Z$/, "Z");
  return `<!date^${seconds}^{date_short_pretty} {time}|${fallback}>`;
}

function formatDuration(ms: number): string {
  const tenths = Math.round(ms / 100);
  return tenths < 100 ? `${(tenths / 10).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function rootActions(report: Report, ctx: RootContext): Block {
  const elements = [
    button("Rerun", ACTION_IDS.rerun, ctx.reportId, "primary"),
    ...(report.window.hours < 24 ? [button("Extend to 24 h", ACTION_IDS.extend, ctx.reportId)] : []),
    button("Export snapshot", ACTION_IDS.export, ctx.reportId),
  ];
  return { type: "actions", block_id: ctx.requestKey.slice(0, SLACK_LIMITS.blockId), elements };
}

// --- finding replies ---

function checkSection(check: CheckResult, ctx: FindingReplyContext): Block {
  const text = `${CHECK_EMOJI[check.status]} *${oneLine(check.id)}* — ${oneLine(check.summary)}`;
  return {
    type: "section",
    block_id: ctx.requestKey.slice(0, SLACK_LIMITS.blockId),
    text: mrkdwn(truncate(text, SLACK_LIMITS.sectionText)),
    accessory: button(ctx.expanded ? "Hide" : "Show details", toggleActionId(check.id), ctx.reportId),
  };
}

function detailLines(check: CheckResult): string[] {
  const lines = [`_${line(check.title)}_`];
  if (check.findings.length === 0) return [...lines, "No further details."];
  for (const finding of check.findings) lines.push("", ...findingLines(finding));
  return lines;
}

function findingLines(finding: Finding): string[] {
  const evidence = listWithMore(
    finding.evidence.map((item) => line(item)),
    EVIDENCE_MAX,
  );
  return [
    `*[${oneLine(finding.severity)}]* ${line(finding.summary)}`,
    ...evidence.map((item) => `• ${item}`),
    ...remediationLines(finding.remediation),
  ];
}

function remediationLines(remediation: Remediation | undefined): string[] {
  if (!remediation) return [];
  return [
    ...(remediation.text.trim() ? [`*Fix:* ${line(remediation.text, FIX_MAX)}`] : []),
    ...(remediation.command ? commandLines(remediation.command) : []),
    ...(remediation.docs ? [docsLink(remediation.docs)] : []),
  ];
}

function commandLines(command: string): string[] {
  const { shown, rest } = cutEscaped(command, COMMAND_MAX);
  const block = `\`\`\`${shown}\`\`\``;
  if (rest === 0) return [block];
  return [block, `⚠️ _...and ${rest} more characters: the command is cut, do not run it as shown_`];
}

function cutEscaped(raw: string, max: number): { shown: string; rest: number } {
  const text = raw.replace(/\r\n?/g, "\n");
  let shown = "";
  let used = 0;
  for (const char of text) {
    const escaped = fromAws(char);
    if (shown.length + escaped.length > max) break;
    shown += escaped;
    used += char.length;
  }
  return { shown, rest: text.length - used };
}

function docsLink(url: string): string {
  if (/^https:\/\/[^\s<>|]+$/.test(url) && url.length <= LINE_MAX)
    return `<${escapeMrkdwn(url)}|Documentation>`;
  return `Docs: ${line(url)}`;
}

// --- passed reply ---

function passedLines(passed: readonly CheckResult[], skipped: readonly CheckResult[]): string[] {
  if (passed.length === 0 && skipped.length === 0) return ["Nothing passed and nothing was skipped."];
  const item = (check: CheckResult) =>
    `${CHECK_EMOJI[check.status]} *${oneLine(check.id)}* — ${line(check.summary, LIST_LINE_MAX)}`;
  return [
    ...(passed.length > 0 ? [`*Passed (${passed.length})*`, ...passed.map(item)] : []),
    ...(passed.length > 0 && skipped.length > 0 ? [""] : []),
    ...(skipped.length > 0 ? [`*Skipped (${skipped.length})*`, ...skipped.map(item)] : []),
  ];
}

function mutedLines(muted: readonly CheckResult[]): string[] {
  if (muted.length === 0) return [];
  const item = (check: CheckResult) =>
    `🔇 *${oneLine(check.id)}* — ${line(check.summary, LIST_LINE_MAX)} (muted until ${check.muted!.expires}: ${line(check.muted!.reason, LIST_LINE_MAX)})`;
  return ["", `*Muted by the config (${muted.length})*`, ...muted.map(item)];
}

// --- rerun reply ---

function rerunLead(after: Report, ctx: RerunContext): string {
  const user = userMention(ctx.userId);
  if (ctx.kind === "extend") return `Extended to ${formatHours(after.window.hours)} by ${user}`;
  if (ctx.kind === "expired") return "This report was no longer in memory, so it was run again";
  if (ctx.kind === "alarm") return truncate(ctx.lead ?? "An alarm ran it again", TRIGGER_MAX);
  return `Rerun by ${user}`;
}

function changesText(before: Report | undefined, after: Report): string {
  if (!before) {
    const now = problemChecks(after).map((check) => check.id);
    return now.length > 0 ? `now failing ${idList(now, IDS_IN_CHANGES)}` : "nothing failing";
  }
  const { fixed, still, added } = changesBetween(before, after);
  const parts = [
    fixed.length > 0 ? `fixed ${idList(fixed, IDS_IN_CHANGES)}` : "",
    still.length > 0 ? `still failing ${idList(still, IDS_IN_CHANGES)}` : "",
    added.length > 0 ? `new ${idList(added, IDS_IN_CHANGES)}` : "",
  ].filter(Boolean);
  return parts.length > 0 ? parts.join("; ") : "nothing changed";
}

// --- fitting content into one message ---

interface Budget {
  blocks: number;
  json: number;
}

function jsonCost(block: Block): number {
  return JSON.stringify(block).length + 1;
}

function budgetAfter(fixed: readonly Block[]): Budget {
  const used = fixed.reduce((total, block) => total + jsonCost(block), 0);
  return { blocks: SLACK_LIMITS.blocksPerMessage - fixed.length, json: SLACK_LIMITS.blocksJson - 2 - used };
}

function moreBlock(count: number): Block {
  return context(`_...and ${count} more_`);
}

/** Packs lines into sections of at most 3,000 characters, ending with "...and N more" when the budget runs out. */
function packLines(lines: readonly string[], budget: Budget): Block[] {
  const reserve = jsonCost(moreBlock(Number.MAX_SAFE_INTEGER));
  const fits = (closedCost: number, open: string, sections: number) =>
    sections + 1 <= budget.blocks && closedCost + jsonCost(section(open)) + reserve <= budget.json;
  const texts: string[] = [];
  let closedCost = 0;
  for (const [index, raw] of lines.entries()) {
    const next = truncate(raw, SLACK_LIMITS.sectionText);
    const open = texts.at(-1);
    const joined = open === undefined ? undefined : `${open}\n${next}`;
    if (
      joined !== undefined &&
      joined.length <= SLACK_LIMITS.sectionText &&
      fits(closedCost, joined, texts.length)
    ) {
      texts[texts.length - 1] = joined;
      continue;
    }
    if (next === "") continue;
    const openCost = open === undefined ? 0 : jsonCost(section(open));
    if (!fits(closedCost + openCost, next, texts.length + 1)) {
      return [...texts.map(section), moreBlock(lines.slice(index).filter((l) => l !== "").length)];
    }
    closedCost += openCost;
    texts.push(next);
  }
  return texts.map(section);
}
