import type { Block, ButtonElement, TextObject } from "./slack-types.js";

// The pieces every Slack message is built from: escaping of text that came from AWS, cutting to Slack's limits,
// Block Kit blocks, and packing long lists into as few sections as fit. Pure.

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

/** Longest line of AWS text shown in a list or a sentence. */
export const LINE_MAX = 500;
const COMMAND_MAX = 2_000;

// --- text from AWS ---

/** Text from AWS made safe for mrkdwn: newlines normalised, control characters replaced, &, < and > escaped. */
export function fromAws(text: string): string {
  const normalised = text.replace(/\r\n?/g, "\n");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return escapeMrkdwn(normalised.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "?"));
}

/** Text from AWS on one line, whitespace collapsed, escaped. */
export function oneLine(text: string): string {
  return fromAws(text.replace(/\s+/g, " ").trim());
}

/** Text from AWS on one line, escaped and cut to `max` characters. */
export function line(text: string, max = LINE_MAX): string {
  return truncate(oneLine(text), max);
}

/** mrkdwn bold. */
export function bold(text: string): string {
  return `*${text}*`;
}

/** The text with its first letter upper-cased. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "30 min", "1 h", "24 h". */
export function formatHours(hours: number): string {
  return hours < 1 ? `${Math.round(hours * 60)} min` : `${hours} h`;
}

// --- blocks ---

/** A mrkdwn text object. */
export function mrkdwn(text: string): TextObject {
  return { type: "mrkdwn", text };
}

/** A plain_text text object (emoji on). */
export function plain(text: string): TextObject {
  return { type: "plain_text", text, emoji: true };
}

/** A header block. */
export function header(text: string): Block {
  return { type: "header", text: plain(text) };
}

/** A section block of mrkdwn text. */
export function section(text: string): Block {
  return { type: "section", text: mrkdwn(text) };
}

/** A context block of one mrkdwn element, cut to its limit. */
export function context(text: string): Block {
  return { type: "context", elements: [mrkdwn(truncate(text, SLACK_LIMITS.contextText))] };
}

/** A button, its label and value cut to their limits. */
export function button(label: string, actionId: string, value: string, style?: "primary"): ButtonElement {
  return {
    type: "button",
    action_id: actionId,
    text: plain(truncate(label, SLACK_LIMITS.buttonLabel)),
    value: value.slice(0, SLACK_LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

/** A date Slack shows in the reader's time zone, with an ISO fallback; "at an unknown time" for nonsense. */
export function slackDate(unixSeconds: number): string {
  const seconds = Math.floor(unixSeconds);
  if (!Number.isFinite(seconds) || Math.abs(seconds) > 8.64e9) return "at an unknown time";
  const fallback = new Date(seconds * 1000).toISOString().replace(/\.000Z$/, "Z");
  return `<!date^${seconds}^{date_short_pretty} {time}|${fallback}>`;
}

/** "0.9 s", "12 s". */
export function formatDuration(ms: number): string {
  const tenths = Math.round(ms / 100);
  return tenths < 100 ? `${(tenths / 10).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** A command from AWS ids in a code block, escaped; cut with a warning not to run it as shown. */
export function commandLines(command: string): string[] {
  const { shown, rest } = cutEscaped(command, COMMAND_MAX);
  const block = `\`\`\`${shown}\`\`\``;
  if (rest === 0) return [block];
  return [block, `⚠️ _...and ${rest} more characters: the command is cut, do not run it as shown_`];
}

/** The escaped text that fits in `max` characters, and how many raw characters were left out. */
export function cutEscaped(raw: string, max: number): { shown: string; rest: number } {
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

/** A documentation link when the URL is a plain https URL, else the escaped text. */
export function docsLink(url: string): string {
  if (/^https:\/\/[^\s<>|]+$/.test(url) && url.length <= LINE_MAX)
    return `<${escapeMrkdwn(url)}|Documentation>`;
  return `Docs: ${line(url)}`;
}

// --- fitting content into one message ---

/** What is left of a message for more blocks: how many, and how many characters of JSON. */
export interface Budget {
  blocks: number;
  json: number;
}

/** What one block costs of a message's JSON budget. */
export function jsonCost(block: Block): number {
  return JSON.stringify(block).length + 1;
}

/** The budget left once `fixed` blocks are in the message. */
export function budgetAfter(fixed: readonly Block[]): Budget {
  const used = fixed.reduce((total, block) => total + jsonCost(block), 0);
  return { blocks: SLACK_LIMITS.blocksPerMessage - fixed.length, json: SLACK_LIMITS.blocksJson - 2 - used };
}

/** The "...and N more" block that ends a cut list. */
export function moreBlock(count: number): Block {
  return context(`_...and ${count} more_`);
}

/** Packs lines into sections of at most 3,000 characters, ending with "...and N more" when the budget runs out. */
export function packLines(lines: readonly string[], budget: Budget): Block[] {
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
