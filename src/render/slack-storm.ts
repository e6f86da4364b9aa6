import {
  causesByCount,
  type StormCause,
  type StormState,
  statusCounts,
  uncaused,
} from "../alarms/storm-state.js";
import type { VerdictStatus } from "../diagnosis/report.js";
import {
  budgetAfter,
  button,
  commandLines,
  context,
  header,
  jsonCost,
  line,
  moreBlock,
  oneLine,
  SLACK_LIMITS,
  section,
  slackDate,
  truncate,
} from "./slack-text.js";
import type { Block, SlackMessage } from "./slack-types.js";

// An alarm storm's thread: the root is a table of causes (count, shared resource, the change CloudTrail ties to
// it, the fix once) edited as diagnoses finish; one reply per cause lists its endpoints, one reply the healthy and
// unknown ones. Every string from AWS or an alarm goes through line()/oneLine() (fromAws), and every message is
// cut or split to Slack's limits here.

/** The action id of the storm root's "Export all" button; its value is the storm id. */
export const STORM_EXPORT_ACTION = "vpce_storm_export";

/** One storm message and the key its ts is stored under ("root", cause:<key>:<part>, others:<part>). */
export interface StormMessage {
  key: string;
  message: SlackMessage;
}

const EMOJI: Record<VerdictStatus, string> = { broken: "🔴", degraded: "⚠️", healthy: "✅", unknown: "❔" };
/** Endpoint ids per reply: ~24 characters each, 300 fill ~7.5 KB of the 12 KB a message may carry. */
const IDS_PER_REPLY = 300;
/** Endpoint ids per section: 110 × 24 characters stay under a section's 3,000. */
const IDS_PER_SECTION = 110;
const ID_MAX = 64;
const FIX_COMMAND_MAX = 600;
const NOTIFICATION_MAX = 300;

/** Every message of the storm thread, the root first, then the cause replies (most endpoints first), then the rest. */
export function renderStorm(state: StormState): StormMessage[] {
  const replies = causesByCount(state).flatMap(({ cause, endpoints }) =>
    chunks(endpoints, IDS_PER_REPLY).map((ids, part) => ({
      key: `cause:${cause.key}:${part}`,
      message: causeReply(state, cause, ids, part, endpoints.length),
    })),
  );
  const rest = chunks(uncaused(state), IDS_PER_REPLY).map((items, part) => ({
    key: `others:${part}`,
    message: othersReply(state, items, part),
  }));
  return [{ key: "root", message: renderStormTable(state) }, ...replies, ...rest];
}

/** The root: how many endpoints alarm where, the verdict counts, one row per cause, and "Export all". */
export function renderStormTable(state: StormState): SlackMessage {
  const total = Object.keys(state.entries).length;
  const where = `${line(state.region, 50)} / ${line(state.accountAlias, 50)}`;
  const title = `🌩️ ${total} endpoint${total === 1 ? "" : "s"} alarming in ${where}`;
  const counts = statusCounts(state);
  const tally = (["broken", "degraded", "healthy", "unknown"] as const)
    .filter((status) => counts[status] > 0)
    .map((status) => `${EMOJI[status]} ${counts[status]} ${status}`)
    .join(" · ");
  const rows = causesByCount(state);
  const top: Block[] = [header(truncate(title, SLACK_LIMITS.headerText)), section(tally || "Diagnosing…")];
  const tail: Block[] = [
    context(
      "One reply per cause lists its endpoints; healthy and unknown endpoints share one reply. Updated as diagnoses finish.",
    ),
    { type: "actions", elements: [button("Export all", STORM_EXPORT_ACTION, state.id)] },
  ];
  const budget = budgetAfter([...top, ...tail, moreBlock(rows.length)]);
  const table: Block[] = [];
  for (const [index, row] of rows.entries()) {
    const block = section(
      truncate(causeRow(state, row.cause, row.endpoints.length), SLACK_LIMITS.sectionText),
    );
    if (table.length + 1 > budget.blocks || jsonCost(block) > budget.json) {
      table.push(moreBlock(rows.length - index));
      break;
    }
    budget.blocks -= 1;
    budget.json -= jsonCost(block);
    table.push(block);
  }
  const text = `${title}: ${rows.length} cause${rows.length === 1 ? "" : "s"}${tally ? ` (${tally})` : ""}`;
  return { text: truncate(text, NOTIFICATION_MAX), blocks: [...top, ...table, ...tail] };
}

/** One row of the cause table: count, check and sentence, the shared resource, the change, and the fix once. */
function causeRow(state: StormState, cause: StormCause, count: number): string {
  const check = cause.check ? `*${line(cause.check, 100)}*: ` : "";
  const lines = [
    `${EMOJI[cause.status]} *${count} endpoint${count === 1 ? "" : "s"}* — ${check}${line(cause.summary, 400)}`,
  ];
  if (cause.resources.length > 0) lines.push(`Shared resource: ${resourceList(cause.resources)}`);
  if (cause.change) {
    const { change } = cause;
    const when = slackDate(Date.parse(change.at) / 1000);
    lines.push(
      `_${line(change.resourceId, 100)} changed by ${line(change.by, 200)} at ${when} (${line(change.event, 100)})_`,
    );
  }
  if (cause.fix) {
    lines.push(
      `*Fix* — run in ${line(state.accountAlias, 50)}, ${line(state.region, 50)}: ${line(cause.fix.text, 300)}`,
    );
    if (cause.fix.command) lines.push(...commandLines(cause.fix.command.slice(0, FIX_COMMAND_MAX)));
  }
  return lines.join("\n");
}

function resourceList(ids: readonly string[]): string {
  const shown = ids.slice(0, 5).map((id) => `\`${line(id, ID_MAX)}\``);
  return ids.length > 5 ? `${shown.join(", ")} and ${ids.length - 5} more` : shown.join(", ");
}

/** A cause's reply (or one part of it, when its endpoints do not fit in one message). */
function causeReply(
  state: StormState,
  cause: StormCause,
  ids: string[],
  part: number,
  total: number,
): SlackMessage {
  const resources = cause.resources.length > 0 ? ` on ${resourceList(cause.resources)}` : "";
  const name = cause.check ? line(cause.check, 100) : cause.status;
  const range =
    part === 0 ? "" : ` (continued: ${part * IDS_PER_REPLY + 1}–${part * IDS_PER_REPLY + ids.length})`;
  const lead = `${EMOJI[cause.status]} *${name}*${resources}: ${total} endpoint${total === 1 ? "" : "s"}${range}`;
  const blocks = [section(truncate(lead, SLACK_LIMITS.sectionText)), ...idSections(ids)];
  const text = `${name}${resources}: ${total} endpoint${total === 1 ? "" : "s"} in ${line(state.region, 50)} / ${line(state.accountAlias, 50)}`;
  return { text: truncate(oneLine(text), NOTIFICATION_MAX), blocks };
}

/** The healthy and unknown endpoints (or one part of them). */
function othersReply(
  state: StormState,
  items: Array<{ endpointId: string; status: VerdictStatus }>,
  part: number,
): SlackMessage {
  const all = uncaused(state);
  const healthy = all.filter((i) => i.status === "healthy").length;
  const lead = `✅ *${healthy} healthy* · ❔ *${all.length - healthy} unknown*${part === 0 ? "" : " (continued)"}`;
  const blocks = [section(lead)];
  for (const status of ["healthy", "unknown", "broken", "degraded"] as const) {
    const ids = items.filter((i) => i.status === status).map((i) => i.endpointId);
    if (ids.length > 0) blocks.push(...idSections(ids, `${EMOJI[status]} `));
  }
  return {
    text: truncate(`${healthy} healthy, ${all.length - healthy} unknown endpoints`, NOTIFICATION_MAX),
    blocks,
  };
}

function idSections(ids: readonly string[], prefix = ""): Block[] {
  return chunks(ids, IDS_PER_SECTION).map((group) =>
    section(
      truncate(prefix + group.map((id) => `\`${line(id, ID_MAX)}\``).join(" "), SLACK_LIMITS.sectionText),
    ),
  );
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The "Export all" files: every endpoint with its verdict, cause, shared resource, change and fix. */
export function renderStormExport(state: StormState): { csv: string; json: string } {
  const rows = Object.entries(state.entries).map(([endpointId, entry]) => {
    const cause = entry.cause ? state.causes[entry.cause] : undefined;
    return {
      endpointId,
      verdict: entry.status,
      cause: cause?.check ?? "",
      summary: cause?.summary ?? "",
      resources: cause?.resources ?? [],
      change: cause?.change ? `${cause.change.event} by ${cause.change.by} at ${cause.change.at}` : "",
      fix: cause?.fix?.command ?? cause?.fix?.text ?? "",
    };
  });
  const header = "endpoint,verdict,cause,summary,resources,change,fix";
  const csv = rows.map((r) =>
    [r.endpointId, r.verdict, r.cause, r.summary, r.resources.join(" "), r.change, r.fix]
      .map(csvCell)
      .join(","),
  );
  const json = { storm: state.id, region: state.region, account: state.accountAlias, endpoints: rows };
  return { csv: `${[header, ...csv].join("\n")}\n`, json: `${JSON.stringify(json, null, 2)}\n` };
}

/** A CSV cell: quoted, quotes doubled; a leading =, +, - or @ is defused so a spreadsheet never runs it. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The comment the export is uploaded with: how many endpoints, and where. */
export function stormExportNote(state: StormState): string {
  const total = Object.keys(state.entries).length;
  return `Every endpoint of this storm (${total}) with its verdict, cause and fix, in ${line(state.region, 50)} / ${line(state.accountAlias, 50)}: CSV and JSON.`;
}
