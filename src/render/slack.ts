import { isNoTrafficYet } from "../diagnosis/advisory.js";
import type { CheckResult, CheckStatus, Finding, Remediation } from "../diagnosis/check.js";
import type { Report, VerdictStatus } from "../diagnosis/report.js";
import type { Gap } from "../diagnosis/snapshot.js";
import {
  bold,
  budgetAfter,
  button,
  capitalise,
  commandLines,
  context,
  docsLink,
  escapeMrkdwn,
  formatDuration,
  formatHours,
  header,
  line,
  listWithMore,
  mrkdwn,
  oneLine,
  packLines,
  SLACK_LIMITS,
  section,
  slackDate,
  truncate,
} from "./slack-text.js";
import type { Block, ButtonElement, SlackMessage } from "./slack-types.js";

// Report -> the Slack thread. Pure: no I/O and no clock (times come in as arguments). The root message is the
// answer (verdict, cause, fix, the change behind it); one reply per failing check; warnings and unknowns folded
// into one "Also noticed" reply; the passed list only on demand. Every string that came from AWS is escaped.

export {
  type AlarmFacts,
  alarmInsufficientNote,
  alarmLead,
  alarmReasonDetails,
  alarmTrigger,
  renderAlarmNoEndpoint,
} from "./slack-alarms.js";
export { escapeMrkdwn, listWithMore, SLACK_LIMITS, truncate } from "./slack-text.js";

/** The action_id of every button the bot renders; the listeners register on these (toggle and rerunIn as prefixes). */
export const ACTION_IDS = {
  rerun: "vpce_rerun",
  extend: "vpce_extend",
  export: "vpce_export",
  allChecks: "vpce_all_checks",
  toggle: "vpce_toggle",
  rerunIn: "vpce_rerun_in",
  probe: "vpce_probe",
} as const;

/** What the root message needs besides the report: the ids its buttons carry, who or what triggered it, when. */
export interface RootContext {
  reportId: string;
  requestKey: string;
  /** Already-formatted mrkdwn, e.g. "<@U123> via /vpce" or an alarm's trigger line; not escaped. */
  trigger: string;
  /** Unix seconds. */
  startedAt: number;
  accountAlias?: string;
  busy?: "rerunning";
  /** The instance a "Test from i-..." button probes from: only where the channel allows probes. */
  probeFrom?: string;
}

/**
 * What a finding reply needs besides the report and the check: the report id, whether it shows its details, and
 * the request key (its block id), so a click after the report left the store can still rebuild the request.
 */
export interface FindingReplyContext {
  reportId: string;
  requestKey: string;
  expanded: boolean;
}

/** What a Show details / Hide button asks for: the intent travels in the action id, so a click is idempotent. */
export interface ToggleIntent {
  show: boolean;
  checkId: string;
}

/** The toggle's action id for one check: the prefix routes the click, then the intent, then the check. */
export function toggleActionId(checkId: string, show: boolean): string {
  return `${ACTION_IDS.toggle}:${show ? "show" : "hide"}:${checkId}`.slice(0, SLACK_LIMITS.actionId);
}

/** Reads a toggle's action id back; undefined for anything else. */
export function parseToggleActionId(actionId: string): ToggleIntent | undefined {
  const match = /^vpce_toggle:(show|hide):([a-z0-9-]{1,100})$/.exec(actionId);
  return match ? { show: match[1] === "show", checkId: match[2]! } : undefined;
}

/** Who asked for a new run, and why it ran: a Rerun click, an Extend click, an old report, or an alarm. */
export interface RerunContext {
  userId: string;
  kind: "rerun" | "extend" | "expired" | "alarm";
  /** For kind "alarm": what happened, already-formatted mrkdwn (e.g. "Alarm *x* fired again at …"). */
  lead?: string;
}

/** Which failing checks a rerun fixed, which still fail, and which are new (check ids). */
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
const PROBLEM_STATUSES: readonly CheckStatus[] = ["fail", "warn", "unknown"];

const NOTIFICATION_MAX = 500;
const LIST_LINE_MAX = 300;
const FIX_MAX = 1_000;
const TRIGGER_MAX = 1_000;
const EVIDENCE_MAX = 25;
const GAPS_MAX = 5;
const IDS_IN_COUNTS = 5;
const IDS_IN_CHANGES = 10;
const NOTICED_MAX = 20;

/** The live (not muted) checks with a status among `statuses`, in that order, registry order within a status. */
function checksWith(report: Report, statuses: readonly CheckStatus[]): CheckResult[] {
  return statuses.flatMap((status) => report.checks.filter((c) => c.status === status && !c.muted));
}

/** Fail, then warn, then unknown; registry order within a status; muted ones never. */
export function problemChecks(report: Report): CheckResult[] {
  return checksWith(report, PROBLEM_STATUSES);
}

/**
 * The checks that get a reply of their own: the failing ones, except recent-changes when the root already says
 * "changed by" (its correlation is the root's line, not a second cause).
 */
export function failingChecks(report: Report): CheckResult[] {
  const failing = checksWith(report, ["fail"]);
  if (!report.verdict.change || report.verdict.cause === "recent-changes") return failing;
  return failing.filter((check) => check.id !== "recent-changes");
}

/** Warnings (evidence first, hygiene after) and unknowns: what the "Also noticed" reply lists. */
export function noticedChecks(report: Report): CheckResult[] {
  const warnings = checksWith(report, ["warn"]);
  return [
    ...warnings.filter((c) => !c.advisory),
    ...warnings.filter((c) => c.advisory),
    ...checksWith(report, ["unknown"]),
  ];
}

/** The short name of a service: what follows the region ("ssm", "ecr.dkr", "vpce-svc-…"), else the last part. */
export function serviceShortName(serviceName: string | undefined, region?: string): string | undefined {
  if (!serviceName) return undefined;
  const parts = serviceName.split(".");
  const at = region ? parts.lastIndexOf(region) : -1;
  const afterRegion = at >= 0 ? parts.slice(at + 1).join(".") : "";
  return afterRegion || parts.at(-1) || serviceName;
}

/** The failing checks a rerun fixed, that still fail, and that are new; warnings are reported apart. */
export function changesBetween(before: Report, after: Report): ReportChanges {
  const was = new Set(checksWith(before, ["fail"]).map((check) => check.id));
  const now = checksWith(after, ["fail"]).map((check) => check.id);
  const is = new Set(now);
  return {
    fixed: [...was].filter((id) => !is.has(id)),
    still: now.filter((id) => was.has(id)),
    added: now.filter((id) => !was.has(id)),
  };
}

/**
 * One sentence for a failed read, never the SDK's own text: "the role lacks ec2:DescribeX", "ec2:DescribeX did not
 * answer within 10 s", "AWS answered an error for ec2:DescribeX (InternalError, request id …)".
 */
export function gapSentence(gap: Gap): string {
  const action = oneLine(gap.iamAction);
  if (gap.error === "AccessDenied") return `the role lacks ${action}`;
  if (gap.error === "DidNotAnswer") {
    const within = /did not answer within ([\d.]+ m?s)/.exec(gap.message)?.[1];
    return `${action} did not answer${within ? ` within ${within}` : " in time"}`;
  }
  if (gap.error === "Throttling") return `AWS throttled ${action}: rerun in a minute`;
  const requestId = gap.requestId ?? /request[ -]?id[:=\s]+([A-Za-z0-9-]{8,64})/i.exec(gap.message)?.[1];
  const name = /^[A-Za-z][\w.]{0,63}$/.test(gap.error) ? gap.error : "an error";
  return `AWS answered an error for ${action} (${name}${requestId ? `, request id ${requestId}` : ""})`;
}

/** Each failed read once, as a sentence: the same action refused twice is said once. */
export function gapSentences(gaps: readonly Gap[]): string[] {
  return [...new Set(gaps.map(gapSentence))];
}

/** The thread's root message: the verdict, the cause, the fix and the change behind it, counts, and the buttons. */
export function renderRoot(report: Report, ctx: RootContext): SlackMessage {
  const blocks: Block[] = [
    header(rootHeader(report, ctx)),
    section(truncate(rootVerdict(report), SLACK_LIMITS.sectionText)),
    ...fixBlocks(report, ctx),
    context(countsLine(report)),
    context(metaLine(report, ctx)),
    ...(ctx.busy === "rerunning" ? [context("⏳ Rerunning…")] : []),
    rootActions(report, ctx),
  ];
  return { text: rootNotification(report, ctx), blocks };
}

/** One reply per failing check: its summary and a Show details / Hide toggle; expanded, its findings. */
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

/**
 * The one "Also noticed" reply: warnings (hygiene marked as such), unknowns with what they could not read, and the
 * failed reads once, unless the root said them. Undefined when there is nothing to notice.
 */
export function renderAlsoNoticed(
  report: Report,
  options: { afterFix?: boolean; requestKey?: string } = {},
): SlackMessage | undefined {
  const noticed = noticedChecks(report);
  if (noticed.length === 0) return undefined;
  const lines = listWithMore(
    noticed.map((check) => noticedLine(report, check, options.afterFix === true)),
    NOTICED_MAX,
  );
  const gaps = report.verdict.status === "unknown" ? [] : gapSentences(report.gaps);
  const all = [
    `*Also noticed on ${oneLine(report.endpointId)}* (not the cause)`,
    ...lines,
    ...(gaps.length > 0
      ? ["", "*Could not read*", ...listWithMore(gaps, GAPS_MAX).map((g) => `• ${g}`)]
      : []),
  ];
  const blocks = packLines(all, budgetAfter([]));
  if (options.requestKey && blocks[0]?.type === "section")
    blocks[0] = { ...blocks[0], block_id: options.requestKey };
  const text = `Also noticed on ${oneLine(report.endpointId)}: ${noticed.map((c) => oneLine(c.id)).join(", ")}`;
  return { text: truncate(text, NOTIFICATION_MAX), blocks };
}

/** The reply after a rerun, an extension or an alarm: fixed / still failing / new for failing checks; warnings apart. */
export function renderRerunReply(before: Report | undefined, after: Report, ctx: RerunContext): SlackMessage {
  const sentence = `${rerunLead(after, ctx)}: ${changesText(before, after)}`;
  const verdict = `Now ${VERDICT_EMOJI[after.verdict.status]} *${after.verdict.status}* — ${verdictSentence(after, bold)}`;
  const text = `${VERDICT_EMOJI[after.verdict.status]} ${oneLine(after.endpointId)} — ${sentence}`;
  const apart = warningsApart(before, after);
  return {
    text: truncate(text, NOTIFICATION_MAX),
    blocks: [
      section(truncate(sentence, SLACK_LIMITS.sectionText)),
      section(truncate(verdict, SLACK_LIMITS.sectionText)),
      ...(apart ? [context(apart)] : []),
    ],
  };
}

/** A short note in a thread (mrkdwn the caller escaped), as one section. */
export function renderNote(text: string): SlackMessage {
  const body = truncate(text, SLACK_LIMITS.sectionText);
  return { text: truncate(body, NOTIFICATION_MAX), blocks: [section(body)] };
}

/** A live mention of a Slack user id (U…/W…); anything else is shown as escaped text, never as a mention. */
export function userMention(userId: string): string {
  return /^[UW][A-Z0-9]{2,30}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/** The thread's note after a probe: who ran it on which instance, and what the instance observed. */
export function renderProbeNote(userId: string, instanceId: string, check: CheckResult | undefined): string {
  const what = check ? `${CHECK_EMOJI[check.status]} ${oneLine(check.summary)}` : "no client-probe result";
  return truncate(
    `${userMention(userId)} ran the client probe on ${oneLine(instanceId)}: ${what}`,
    SLACK_LIMITS.sectionText,
  );
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
  const lines = [`*${capitalise(report.verdict.status)}* — ${verdictSentence(report, bold)}`];
  const change = report.verdict.change;
  if (change) {
    const when = slackDate(Date.parse(change.at) / 1000);
    lines.push(
      `_${oneLine(change.resourceId)} changed by ${line(change.by, 200)} at ${when} (${line(change.event, 100)})_`,
    );
  }
  if (report.verdict.status === "unknown" && report.gaps.length > 0) {
    const gaps = listWithMore(gapSentences(report.gaps), GAPS_MAX);
    lines.push("*Could not read*", ...gaps.map((gap) => `• ${gap}`));
  }
  const ruledOut = ruledOutLine(report);
  if (ruledOut) lines.push(ruledOut);
  if (report.verdict.nextSteps.length > 0) {
    lines.push("*Next steps*", ...report.verdict.nextSteps.map((step) => `• ${line(step, LIST_LINE_MAX)}`));
  }
  return lines.join("\n");
}

function ruledOutLine(report: Report): string | undefined {
  if (report.verdict.status === "broken" || report.verdict.status === "degraded") return undefined;
  const passed = checksWith(report, ["pass"]).map((check) => check.id);
  if (passed.length === 0) return undefined;
  return `*Ruled out:* ${idList(passed, 20)}`;
}

/** The cause's fix: what to do, and its command in a code block with the account and region it must run in. */
function fixBlocks(report: Report, ctx: RootContext): Block[] {
  if (report.verdict.status !== "broken" && report.verdict.status !== "degraded") return [];
  const cause = report.checks.find((check) => check.id === report.verdict.cause);
  const remediation = fixOf(cause);
  if (!remediation) return [];
  const id = report.account.id;
  const alias = accountLabel(report, ctx.accountAlias);
  const where = [
    alias && alias !== id ? `account ${alias}${id ? ` (${id})` : ""}` : id ? `account ${id}` : "",
    report.region,
  ]
    .filter(Boolean)
    .map(oneLine)
    .join(", ");
  const lines = [
    `*Fix*${remediation.command ? ` — run in ${where}` : ""}: ${line(remediation.text, FIX_MAX)}`,
    ...(remediation.command ? commandLines(remediation.command) : []),
  ];
  return [section(truncate(lines.join("\n"), SLACK_LIMITS.sectionText))];
}

function fixOf(cause: CheckResult | undefined): Remediation | undefined {
  const findings = (cause?.findings ?? []).filter((f) => f.remediation && !f.muted);
  return (findings.find((f) => f.remediation?.command) ?? findings[0])?.remediation;
}

function countsLine(report: Report): string {
  const failing = checksWith(report, ["fail"]);
  const warnings = checksWith(report, ["warn"]);
  const unknown = checksWith(report, ["unknown"]);
  const muted = report.checks.filter((check) => check.muted).length;
  const parts = [
    failing.length > 0 ? `🔴 ${failing.length} failing: ${idList(ids(failing), IDS_IN_COUNTS)}` : "",
    warnings.length > 0
      ? `⚠️ ${warnings.length} ${warnings.length === 1 ? "warning" : "warnings"}: ${idList(ids(warnings), IDS_IN_COUNTS)}`
      : "",
    unknown.length > 0 ? `❔ ${unknown.length} unknown: ${idList(ids(unknown), IDS_IN_COUNTS)}` : "",
    countOf(report, "pass", "✅", "passed"),
    countOf(report, "skip", "➖", "skipped"),
    muted > 0 ? `🔇 ${muted} muted` : "",
  ].filter(Boolean);
  return parts.join(" · ") || "No checks ran";
}

function countOf(report: Report, status: CheckStatus, emoji: string, label: string): string {
  const count = checksWith(report, [status]).length;
  return count > 0 ? `${emoji} ${count} ${label}` : "";
}

function ids(checks: readonly CheckResult[]): string[] {
  return checks.map((check) => check.id);
}

function idList(list: readonly string[], max: number): string {
  return listWithMore(list.map(oneLine), max).join(", ");
}

function metaLine(report: Report, ctx: RootContext): string {
  const calls = report.stats.awsCalls;
  // An alarm's trigger line carries its own time: the timestamp is said once.
  const dated = ctx.trigger.includes("<!date^");
  return [
    truncate(ctx.trigger, TRIGGER_MAX),
    ...(dated ? [] : [slackDate(ctx.startedAt)]),
    `took ${formatDuration(report.stats.durationMs)}`,
    `${calls} AWS call${calls === 1 ? "" : "s"}`,
    `window ${formatHours(report.window.hours)}`,
  ].join(" · ");
}

function rootActions(report: Report, ctx: RootContext): Block {
  const elements: ButtonElement[] = [
    button("Rerun", ACTION_IDS.rerun, ctx.reportId, "primary"),
    ...(report.window.hours < 24 ? [button("Extend to 24 h", ACTION_IDS.extend, ctx.reportId)] : []),
    button("Export snapshot", ACTION_IDS.export, ctx.reportId),
    button("Show all checks", ACTION_IDS.allChecks, ctx.reportId),
    ...(ctx.probeFrom ? [button(`Test from ${oneLine(ctx.probeFrom)}`, ACTION_IDS.probe, ctx.reportId)] : []),
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
    accessory: button(
      ctx.expanded ? "Hide" : "Show details",
      toggleActionId(check.id, !ctx.expanded),
      ctx.reportId,
    ),
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

// --- also noticed ---

function noticedLine(report: Report, check: CheckResult, afterFix: boolean): string {
  const id = `*${oneLine(check.id)}*`;
  if (check.status === "unknown") return `❔ ${id} could not run: ${unknownReason(report, check)}`;
  if (afterFix && isNoTrafficYet(check))
    return `⏳ ${id} — waiting for CloudWatch (datapoints arrive within about 5 minutes)`;
  const hygiene = check.advisory ? " _(hygiene: does not change the verdict)_" : "";
  return `${check.advisory ? "🧹" : "⚠️"} ${id} — ${line(check.summary, LIST_LINE_MAX)}${hygiene}`;
}

/** Why an unknown check could not run, in our words: the failed read it needed, or its own summary. */
function unknownReason(report: Report, check: CheckResult): string {
  const gap = report.gaps.find((g) => check.summary.includes(g.iamAction));
  return gap ? gapSentence(gap) : line(check.summary, LIST_LINE_MAX);
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
    const now = checksWith(after, ["fail"]).map((check) => check.id);
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

/** Warnings said apart from the failing checks; "no traffic yet" right after a fix reads as waiting. */
function warningsApart(before: Report | undefined, after: Report): string | undefined {
  const afterFix = before !== undefined && changesBetween(before, after).fixed.length > 0;
  const warnings = checksWith(after, ["warn"]);
  if (warnings.length === 0) return undefined;
  const waiting = afterFix && warnings.some(isNoTrafficYet);
  const others = warnings.filter((check) => !(waiting && isNoTrafficYet(check)));
  return [
    ...(waiting
      ? ["⏳ traffic-metrics: waiting for CloudWatch (datapoints arrive within about 5 minutes)"]
      : []),
    ...(others.length > 0 ? [`Also noticed: ⚠️ ${idList(ids(others), IDS_IN_CHANGES)}`] : []),
  ].join(" · ");
}
