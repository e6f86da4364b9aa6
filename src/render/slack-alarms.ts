import { bold, line, oneLine, SLACK_LIMITS, section, slackDate, truncate } from "./slack-text.js";
import type { SlackMessage } from "./slack-types.js";

// Every message an alarm path builds (trigger, fired again, recovered, insufficient data, no endpoint), escaped and
// cut here; a storm's thread is slack-storm.ts. CloudWatch's reason can run to paragraphs: the trigger line keeps its first line, cut short,
// and the full text is shown on demand (Show all checks).

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

const NOTIFICATION_MAX = 500;
const ALARM_NAME_MAX = 300;
const REASON_LINE_MAX = 160;
const REASON_FULL_MAX = 2_500;

function alarmName(facts: AlarmFacts): string {
  return bold(line(facts.name, ALARM_NAME_MAX));
}

function alarmWhen(facts: AlarmFacts): string {
  return slackDate(Date.parse(facts.changedAt) / 1000);
}

/** The reason's first sentence or line, on one line and short: a phone shows it whole. */
function shortReason(facts: AlarmFacts): string {
  const first = facts.reason.split(/\r?\n|(?<=\.)\s+(?=\[|\()/)[0] ?? "";
  return line(first, REASON_LINE_MAX);
}

/** The root's trigger line for a diagnosis an alarm started: "triggered by alarm *name* at <date>: reason". */
export function alarmTrigger(facts: AlarmFacts): string {
  return `triggered by alarm ${alarmName(facts)} at ${alarmWhen(facts)}: ${shortReason(facts)}`;
}

/** The alarm's full reason, escaped, for the on-demand details. */
export function alarmReasonDetails(facts: AlarmFacts): string {
  return `*Alarm ${line(facts.name, ALARM_NAME_MAX)}*: ${truncate(oneLine(facts.reason), REASON_FULL_MAX)}`;
}

/** The lead of the rerun reply when an alarm fires again or recovers in an existing thread. */
export function alarmLead(facts: AlarmFacts, kind: "again" | "recovered"): string {
  return kind === "again"
    ? `🔁 Alarm ${alarmName(facts)} fired again at ${alarmWhen(facts)}`
    : `✅ Alarm ${alarmName(facts)} recovered at ${alarmWhen(facts)}; confirming diagnosis`;
}

/** The thread note for an alarm with insufficient data (mrkdwn, escaped, within a section's limit). */
export function alarmInsufficientNote(facts: AlarmFacts): string {
  return `ℹ️ Alarm ${alarmName(facts)} has insufficient data since ${alarmWhen(facts)}: ${shortReason(facts)}`;
}

/** The message for an alarm whose endpoint could not be told: what fired, and the command to run by hand. */
export function renderAlarmNoEndpoint(facts: AlarmFacts): SlackMessage {
  const region = oneLine(facts.region);
  const alias = oneLine(facts.accountAlias);
  const state = oneLine(facts.state);
  const body =
    `⚠️ Alarm ${alarmName(facts)} is *${state}* in ${region} / ${alias} (${alarmWhen(facts)}): ${shortReason(facts)}\n` +
    "vpce-doctor could not tell which endpoint it watches (no `VPC Endpoint Id` dimension, no vpce- id in its " +
    `description, no matching rule). Run \`/vpce diagnose <vpce-id> ${region} --account ${alias}\`.`;
  const text = `Alarm ${line(facts.name, ALARM_NAME_MAX)} is ${state}, but vpce-doctor could not tell which endpoint it watches`;
  return {
    text: truncate(text, NOTIFICATION_MAX),
    blocks: [section(truncate(body, SLACK_LIMITS.sectionText))],
  };
}
