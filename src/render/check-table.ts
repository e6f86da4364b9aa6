import type { Check } from "../diagnosis/check.js";

// The README's table of checks, written from the registry so it cannot drift from the code.

/** Where the generated table starts and ends in README.md. */
export const CHECK_TABLE_MARKERS = {
  begin: "<!-- BEGIN generated from the check registry: npm run docs:checks -->",
  end: "<!-- END generated from the check registry -->",
} as const;

/** A Markdown table: one row per check in registry order, with its desired state, scope, inputs and docs. */
export function checkTable(checks: readonly Check[]): string {
  const rows = checks.map((check) =>
    [
      `\`${check.id}\``,
      `[${cell(check.title)}](${check.docs})`,
      check.appliesTo === "any" ? "any request" : check.appliesTo.map(kindLabel).join(", "),
      check.needs.length > 0 ? check.needs.map((field) => `\`${field}\``).join(", ") : "—",
    ].join(" | "),
  );
  return [
    "| id | passes when (docs) | examines | unknown without |",
    "|---|---|---|---|",
    ...rows.map((row) => `| ${row} |`),
  ].join("\n");
}

/** README text with the lines between the markers replaced by the table. */
export function withCheckTable(readme: string, checks: readonly Check[]): string {
  const begin = readme.indexOf(CHECK_TABLE_MARKERS.begin);
  const end = readme.indexOf(CHECK_TABLE_MARKERS.end);
  if (begin < 0 || end < begin) throw new Error("README.md lacks the check table markers");
  const head = readme.slice(0, begin + CHECK_TABLE_MARKERS.begin.length);
  return `${head}\n${checkTable(checks)}\n${readme.slice(end)}`;
}

function kindLabel(kind: string): string {
  return kind === "GatewayLoadBalancer" ? "GWLB" : kind.toLowerCase();
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}
