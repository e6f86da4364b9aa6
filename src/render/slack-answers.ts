import type { CheckResult } from "../diagnosis/check.js";
import type { Report } from "../diagnosis/report.js";
import { ACTION_IDS, gapSentences } from "./slack.js";
import {
  budgetAfter,
  button,
  context,
  formatDuration,
  line,
  listWithMore,
  oneLine,
  packLines,
  SLACK_LIMITS,
  section,
  truncate,
} from "./slack-text.js";
import type { Block, SlackMessage } from "./slack-types.js";

// The answers only the requester sees (ephemeral, or through response_url): the full list of checks, an endpoint
// that is missing, elsewhere or unreadable, a diagnosis still waiting on AWS, a post that could not be made.

const NOTIFICATION_MAX = 500;
const LIST_LINE_MAX = 300;
const REGIONS_MAX = 5;

/** True when the report is about an endpoint that could not be found or read: nothing for the channel. */
export function endpointMissing(report: Report): boolean {
  const exists = report.checks.find((check) => check.id === "endpoint-exists");
  return exists !== undefined && exists.status !== "pass";
}

/** Show all checks: every check with its status and summary (the thread shows only problems), muted ones too. */
export function renderAllChecks(report: Report, extra: readonly string[] = []): SlackMessage {
  const item = (check: CheckResult) =>
    `${emoji(check)} *${oneLine(check.id)}* — ${line(check.summary, LIST_LINE_MAX)}${mutedText(check)}`;
  const lines = [
    `*All ${report.checks.length} checks on ${oneLine(report.endpointId)}*`,
    ...extra,
    ...report.checks.map(item),
  ];
  const text = `All checks on ${oneLine(report.endpointId)}`;
  return { text, blocks: packLines(lines, budgetAfter([])) };
}

function emoji(check: CheckResult): string {
  if (check.muted) return "🔇";
  return { fail: "🔴", warn: check.advisory ? "🧹" : "⚠️", unknown: "❔", pass: "✅", skip: "➖" }[
    check.status
  ];
}

function mutedText(check: CheckResult): string {
  if (!check.muted) return "";
  return ` (muted until ${oneLine(check.muted.expires)}: ${line(check.muted.reason, LIST_LINE_MAX)})`;
}

/** Where the requester may look instead, with a "Rerun in <region>" button for each region the id exists in. */
export interface NotFoundContext {
  /** The block id of the original request, so a click rebuilds it and only changes the region. */
  requestKey: string;
  accountLabel?: string;
  foundInRegions?: readonly string[];
}

/**
 * The private answer to a command whose endpoint does not exist here, is in another region, or cannot be read:
 * the id, why, what to do, and a Rerun in <region> button for each other region that has it.
 */
export function renderEndpointMissing(report: Report, ctx: NotFoundContext): SlackMessage {
  const exists = report.checks.find((check) => check.id === "endpoint-exists");
  const id = oneLine(report.endpointId);
  const where = `${ctx.accountLabel ? `account ${oneLine(ctx.accountLabel)}, ` : ""}${oneLine(report.region)}`;
  const regions = listWithMore((ctx.foundInRegions ?? []).map(oneLine), REGIONS_MAX);
  const body =
    exists?.status === "unknown"
      ? unreadableText(report, id, where)
      : notFoundText(exists, id, where, regions);
  const blocks: Block[] = [section(truncate(body, SLACK_LIMITS.sectionText))];
  const buttons = (ctx.foundInRegions ?? [])
    .slice(0, REGIONS_MAX)
    .map((region) => button(`Rerun in ${region}`, `${ACTION_IDS.rerunIn}:${region}`, region));
  if (buttons.length > 0)
    blocks.push({
      type: "actions",
      block_id: ctx.requestKey.slice(0, SLACK_LIMITS.blockId),
      elements: buttons,
    });
  return { text: truncate(body.split("\n")[0]!, NOTIFICATION_MAX), blocks };
}

function notFoundText(exists: CheckResult | undefined, id: string, where: string, regions: string[]): string {
  const why = exists ? line(exists.summary, 600) : `${id} was not found`;
  const elsewhere = regions.length > 0 ? `\nIt exists in ${regions.join(", ")}: rerun it there.` : "";
  return `🔎 vpce-doctor: ${id} is not in ${where}. ${why}${elsewhere}\nCheck the id, the region and --account, then run \`/vpce diagnose\` again. Nothing was posted in the channel.`;
}

function unreadableText(report: Report, id: string, where: string): string {
  const reasons = gapSentences(report.gaps.filter((gap) => gap.source === "endpoint"));
  const said = reasons.length > 0 ? reasons.join("; ") : "the endpoint could not be read";
  return `🔒 vpce-doctor could not read ${id} in ${where}: ${said}.\nGrant the role the read actions of deploy/target-account-role.yaml (or try again if AWS did not answer). Nothing was posted in the channel.`;
}

/** "Still waiting on <calls>": told once, to the requester, when AWS is slow. */
export function renderSlowNotice(
  endpointId: string,
  waitingOn: readonly string[],
  afterMs: number,
  deadlineMs: number,
): SlackMessage {
  const calls =
    waitingOn.length > 0
      ? listWithMore(waitingOn.map(oneLine), 8).join(", ")
      : "AWS credentials (sts:AssumeRole)";
  const text = `⏳ ${oneLine(endpointId)}: still waiting on ${calls} after ${formatDuration(afterMs)}; the report comes within ${formatDuration(deadlineMs)}, with whatever does not answer listed as not read.`;
  return { text: truncate(text, NOTIFICATION_MAX * 2), blocks: [context(text)] };
}

/** The requester's answer when the diagnosis failed, or its report could not be posted in the channel. */
export function renderFailure(endpointId: string, reason: string, what: "diagnose" | "post"): SlackMessage {
  const id = oneLine(endpointId);
  const text =
    what === "post"
      ? `vpce-doctor diagnosed ${id} but could not post the report: ${line(reason, 500)}`
      : `vpce-doctor could not diagnose ${id}: ${line(reason, 500)}`;
  return { text, blocks: [section(text)] };
}
