import type { RecordedCall } from "./fake-slack.js";
import { slackLimitProblems } from "./slack-limits.js";

// Scans what the bot sent to Slack for live control sequences it did not mean to send: Slack turns
// `<!...>` (special mentions, dates), `<@...>` (users), `<#...>` (channels) and `<http...|...>` (links) into
// something live in any text field, `text` fallbacks included.

/** The live sequences the bot itself writes: its date tokens, the test user's mention, its documentation links. */
const OWN = [
  /^!date\^-?\d+\^\{date_short_pretty\} \{time\}\|[0-9T:.Z-]+$/,
  /^@U0456$/,
  /^https:\/\/(docs|health)\.aws\.amazon\.com\/[^|\s]*\|Documentation$/,
];

/** Every string inside a value (objects and arrays walked). */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

/** The live `<...>` sequences in a call's arguments that are not the bot's own. */
export function foreignLiveSequences(call: RecordedCall): string[] {
  const found: string[] = [];
  for (const text of strings(call.args)) {
    for (const match of text.matchAll(/<([^<>]*)>/g)) {
      const inner = match[1]!;
      if (!/^[!@#]|^(https?|mailto):/i.test(inner)) continue;
      if (!OWN.some((own) => own.test(inner))) found.push(match[0]);
    }
  }
  return found;
}

/** The Slack limits a posted or updated message breaks (none for other methods). */
export function callLimitProblems(call: RecordedCall): string[] {
  if (call.method !== "chat.postMessage" && call.method !== "chat.update") return [];
  const blocks = (call.args.blocks ?? []) as never[];
  return slackLimitProblems({ text: String(call.args.text ?? ""), blocks });
}
