import type { CheckResult, CheckStatus, Finding } from "../diagnosis/check.js";
import type { Report, VerdictStatus } from "../diagnosis/report.js";

// Report -> text for a terminal. Pure: colour is a parameter, the caller decides (TTY, NO_COLOR).

const CODES = { red: 31, yellow: 33, green: 32, grey: 90, bold: 1, cyan: 36 } as const;
type Colour = keyof typeof CODES;

const STATUS_COLOUR: Record<CheckStatus, Colour> = {
  fail: "red",
  warn: "yellow",
  unknown: "cyan",
  pass: "green",
  skip: "grey",
};
const VERDICT: Record<VerdictStatus, { mark: string; colour: Colour }> = {
  broken: { mark: "✖ BROKEN", colour: "red" },
  degraded: { mark: "▲ DEGRADED", colour: "yellow" },
  unknown: { mark: "? UNKNOWN", colour: "cyan" },
  healthy: { mark: "✔ HEALTHY", colour: "green" },
};
const ORDER: CheckStatus[] = ["fail", "warn", "unknown", "pass", "skip"];

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * Removes terminal control characters (C0 but tab and newline, DEL, C1: so no escape sequence, carriage return
 * or bell) and the Unicode controls that reorder or split what is shown (bidi overrides, line separators).
 */
export function clean(text: string): string {
  return text.replace(CONTROLS, "?");
}

/** `clean` for a field shown on one line: a newline in it cannot start a line of its own. */
function one(text: string | number): string {
  return clean(String(text)).replace(/[\t\n]/g, " ");
}

type Paint = (colour: Colour, text: string) => string;

/** Renders a report as plain text, most severe checks first, with evidence and fixes for the failing ones. */
export function renderTerminal(report: Report, options: { color: boolean }): string {
  const paint: Paint = (colour, text) => (options.color ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text);
  const lines = headerLines(report, paint);
  const sorted = [...report.checks].sort((a, b) => rank(a) - rank(b));
  for (const check of sorted) lines.push(...renderCheck(check, paint));
  if (report.gaps.length > 0) {
    lines.push("", paint("bold", "Could not read:"));
    for (const gap of report.gaps)
      lines.push(`  - ${one(gap.iamAction)}: ${one(gap.error)}: ${one(gap.message)}`);
  }
  const { awsCalls, durationMs } = report.stats;
  lines.push(
    "",
    paint(
      "grey",
      `Collected ${one(report.collectedAt)}, window ${one(report.window.hours)} h, ${one(awsCalls)} AWS calls, ${one(durationMs)} ms`,
    ),
  );
  return `${lines.join("\n")}\n`;
}

/** The verdict line (endpoint, service, region, account), the cause and the next steps; every field cleaned. */
function headerLines(report: Report, paint: Paint): string[] {
  const verdict = VERDICT[report.verdict.status];
  const { alias, id } = report.account;
  const account = alias ? `${one(alias)}${id ? ` (${one(id)})` : ""}` : id ? one(id) : "ambient credentials";
  const type = report.endpointType ? ` (${one(report.endpointType)})` : "";
  const service = report.serviceName ? ` ${one(report.serviceName)}${type}` : "";
  const summary = one(report.verdict.summary);
  return [
    `${paint(verdict.colour, paint("bold", verdict.mark))}  ${one(report.endpointId)}${service} in ${one(report.region)}, account ${account}`,
    report.verdict.cause && report.verdict.status !== "healthy"
      ? `Cause: ${paint("bold", one(report.verdict.cause))}: ${summary}`
      : summary.charAt(0).toUpperCase() + summary.slice(1),
    ...report.verdict.nextSteps.map((step) => `  next: ${one(step)}`),
    "",
  ];
}

// Muted results sort after the live problems, before the passes.
function rank(check: CheckResult): number {
  return check.muted ? ORDER.indexOf("unknown") + 0.5 : ORDER.indexOf(check.status);
}

function renderCheck(check: CheckResult, paint: Paint): string[] {
  const label = check.muted
    ? paint("grey", "MUTED".padEnd(7))
    : paint(STATUS_COLOUR[check.status], check.status.toUpperCase().padEnd(7));
  const lines = [`${label} ${one(check.id).padEnd(21)} ${one(check.summary)}`];
  if (check.muted) lines.push(`        muted until ${one(check.muted.expires)}: ${one(check.muted.reason)}`);
  if (check.status === "skip") return lines;
  if (check.status === "pass") {
    for (const note of check.findings) lines.push(`        note: ${one(note.summary)}`);
    return lines;
  }
  for (const finding of check.findings) lines.push(...renderFinding(finding, paint));
  return lines;
}

function renderFinding(finding: Finding, paint: Paint): string[] {
  const muted = finding.muted
    ? ` (muted until ${one(finding.muted.expires)}: ${one(finding.muted.reason)})`
    : "";
  const lines = [`        ${paint("bold", `[${one(finding.severity)}]`)} ${one(finding.summary)}${muted}`];
  for (const line of finding.evidence) lines.push(`          - ${one(line)}`);
  if (finding.remediation) {
    lines.push(`          fix: ${one(finding.remediation.text)}`);
    if (finding.remediation.command) {
      for (const commandLine of clean(finding.remediation.command).split("\n"))
        lines.push(`            $ ${commandLine}`);
    }
    if (finding.remediation.docs) lines.push(`          docs: ${one(finding.remediation.docs)}`);
  }
  return lines;
}
