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

/** Removes terminal control characters from text that came from AWS, so it cannot drive the terminal. */
export function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "?");
}

/** Renders a report as plain text, most severe checks first, with evidence and fixes for the failing ones. */
export function renderTerminal(report: Report, options: { color: boolean }): string {
  const paint = (colour: Colour, text: string) =>
    options.color ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text;
  const lines: string[] = [];
  const verdict = VERDICT[report.verdict.status];
  const account = report.account.alias
    ? `${report.account.alias}${report.account.id ? ` (${report.account.id})` : ""}`
    : (report.account.id ?? "ambient credentials");
  const service = report.serviceName
    ? ` ${clean(report.serviceName)}${report.endpointType ? ` (${report.endpointType})` : ""}`
    : "";
  lines.push(
    `${paint(verdict.colour, paint("bold", verdict.mark))}  ${report.endpointId}${service} in ${report.region}, account ${account}`,
  );
  lines.push(
    report.verdict.cause && report.verdict.status !== "healthy"
      ? `Cause: ${paint("bold", report.verdict.cause)}: ${clean(report.verdict.summary)}`
      : clean(report.verdict.summary.charAt(0).toUpperCase() + report.verdict.summary.slice(1)),
  );
  for (const step of report.verdict.nextSteps) lines.push(`  next: ${step}`);
  lines.push("");

  const sorted = [...report.checks].sort((a, b) => rank(a) - rank(b));
  for (const check of sorted) lines.push(...renderCheck(check, paint));

  if (report.gaps.length > 0) {
    lines.push("", paint("bold", "Could not read:"));
    for (const gap of report.gaps) lines.push(`  - ${gap.iamAction}: ${gap.error}: ${clean(gap.message)}`);
  }
  lines.push(
    "",
    paint(
      "grey",
      `Collected ${report.collectedAt}, window ${report.window.hours} h, ${report.stats.awsCalls} AWS calls, ${report.stats.durationMs} ms`,
    ),
  );
  return `${lines.join("\n")}\n`;
}

// Muted results sort after the live problems, before the passes.
function rank(check: CheckResult): number {
  return check.muted ? ORDER.indexOf("unknown") + 0.5 : ORDER.indexOf(check.status);
}

function renderCheck(check: CheckResult, paint: (c: Colour, t: string) => string): string[] {
  const label = check.muted
    ? paint("grey", "MUTED".padEnd(7))
    : paint(STATUS_COLOUR[check.status], check.status.toUpperCase().padEnd(7));
  const lines = [`${label} ${check.id.padEnd(21)} ${clean(check.summary)}`];
  if (check.muted) lines.push(`        muted until ${check.muted.expires}: ${clean(check.muted.reason)}`);
  if (check.status === "skip") return lines;
  if (check.status === "pass") {
    for (const note of check.findings) lines.push(`        note: ${clean(note.summary)}`);
    return lines;
  }
  for (const finding of check.findings) lines.push(...renderFinding(finding, paint));
  return lines;
}

function renderFinding(finding: Finding, paint: (c: Colour, t: string) => string): string[] {
  const muted = finding.muted ? ` (muted until ${finding.muted.expires}: ${clean(finding.muted.reason)})` : "";
  const lines = [`        ${paint("bold", `[${finding.severity}]`)} ${clean(finding.summary)}${muted}`];
  for (const line of finding.evidence) lines.push(`          - ${clean(line)}`);
  if (finding.remediation) {
    lines.push(`          fix: ${clean(finding.remediation.text)}`);
    if (finding.remediation.command) {
      for (const commandLine of clean(finding.remediation.command).split("\n"))
        lines.push(`            $ ${commandLine}`);
    }
    if (finding.remediation.docs) lines.push(`          docs: ${finding.remediation.docs}`);
  }
  return lines;
}
