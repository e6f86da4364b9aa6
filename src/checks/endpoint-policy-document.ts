// An endpoint policy document read into statements: effect, principal, actions, resources and conditions in
// one normalised shape, plus the problems that make a document invalid and a one-line description of each.

const LIST_CAP = 8;

/** One condition: an operator (as written, e.g. "StringNotEqualsIfExists"), a key and the values it lists. */
export interface Condition {
  operator: string;
  key: string;
  values: string[];
}

/** A list element that may be negated: Action / NotAction, Resource / NotResource. */
export interface Scope {
  not: boolean;
  items: string[];
}

/** Principal or NotPrincipal: whether it names everyone, and how to show it. */
export interface Principals {
  not: boolean;
  any: boolean;
  text: string;
}

/** One statement of the document, normalised; `raw` is kept to rebuild a corrected statement. */
export interface PolicyStatement {
  index: number;
  label: string;
  effect: "allow" | "deny" | undefined;
  action: Scope | undefined;
  resource: Scope | undefined;
  principal: Principals | undefined;
  conditions: Condition[];
  raw: Record<string, unknown>;
}

/** A parsed document, or why it could not be read. */
export type ParsedPolicy = { ok: true; statements: PolicyStatement[] } | { ok: false; error: string };

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A policy element as a list of strings: "x" -> ["x"], ["x", 1] -> ["x", "1"], absent -> []. */
export function values(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
}

function parseJson(document: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(document) };
  } catch (error) {
    // Some APIs return policies URL-encoded; accept that form too.
    try {
      if (document.trim().startsWith("%7B"))
        return { ok: true, value: JSON.parse(decodeURIComponent(document)) };
    } catch {
      // fall through to the original error
    }
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Reads a policy document: invalid JSON or a missing/empty Statement is an error, else its statements. */
export function parsePolicy(document: string): ParsedPolicy {
  const json = parseJson(document);
  if (!json.ok) return { ok: false, error: `not valid JSON: ${json.error}` };
  if (!isObject(json.value)) return { ok: false, error: "the document is not a JSON object" };
  const raw = json.value.Statement;
  const list = Array.isArray(raw) ? raw : isObject(raw) ? [raw] : undefined;
  if (!list?.every(isObject)) {
    return { ok: false, error: "no Statement element (an object or an array of objects)" };
  }
  return { ok: true, statements: list.map(statementOf) };
}

function statementOf(raw: Record<string, unknown>, index: number): PolicyStatement {
  const effect = typeof raw.Effect === "string" ? raw.Effect.toLowerCase() : undefined;
  return {
    index,
    label: typeof raw.Sid === "string" && raw.Sid !== "" ? `statement ${raw.Sid}` : `statement #${index + 1}`,
    effect: effect === "allow" || effect === "deny" ? effect : undefined,
    action: scopeOf(raw.Action, raw.NotAction),
    resource: scopeOf(raw.Resource, raw.NotResource),
    principal: principalsOf(raw),
    conditions: conditionsOf(raw.Condition),
    raw,
  };
}

function scopeOf(plain: unknown, negated: unknown): Scope | undefined {
  if (negated !== undefined) return { not: true, items: values(negated) };
  if (plain !== undefined) return { not: false, items: values(plain) };
  return undefined;
}

function isAnyPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  if (!isObject(principal)) return false;
  const keys = Object.keys(principal);
  return keys.length === 1 && keys[0] === "AWS" && values(principal.AWS).includes("*");
}

function principalText(principal: unknown): string {
  if (isAnyPrincipal(principal)) return "*";
  if (!isObject(principal)) return list(values(principal));
  return Object.entries(principal)
    .map(([kind, v]) => `${kind} ${list(values(v))}`)
    .join("; ");
}

function principalsOf(raw: Record<string, unknown>): Principals | undefined {
  if (raw.NotPrincipal !== undefined) {
    return { not: true, any: false, text: principalText(raw.NotPrincipal) };
  }
  if (raw.Principal === undefined) return undefined;
  return { not: false, any: isAnyPrincipal(raw.Principal), text: principalText(raw.Principal) };
}

function conditionsOf(block: unknown): Condition[] {
  if (!isObject(block)) return [];
  return Object.entries(block).flatMap(([operator, keys]) =>
    isObject(keys)
      ? Object.entries(keys).map(([key, v]) => ({ operator, key, values: values(v) }))
      : [{ operator, key: "(malformed)", values: values(keys) }],
  );
}

/** What makes a statement invalid in an endpoint policy: no Effect, no Principal, no Action. */
export function problemsOf(s: PolicyStatement): string[] {
  const problems: string[] = [];
  if (!s.effect)
    problems.push(`Effect must be Allow or Deny (found ${JSON.stringify(s.raw.Effect ?? null)})`);
  if (!s.principal) problems.push("names no Principal (an endpoint policy must name one)");
  if (!s.action) problems.push("names no Action");
  return problems;
}

/** Up to eight items joined with commas, then "...and N more". */
export function list(items: string[]): string {
  if (items.length === 0) return "(none)";
  const shown = items.slice(0, LIST_CAP).join(", ");
  return items.length > LIST_CAP ? `${shown} ...and ${items.length - LIST_CAP} more` : shown;
}

/** "StringNotEquals aws:SourceVpce = vpce-1 | vpce-2". */
export function describeCondition(c: Condition): string {
  return `${c.operator} ${c.key} = ${c.values.join(" | ")}`;
}

function describeScope(scope: Scope | undefined, every: string, missing: string): string {
  if (!scope) return missing;
  return scope.not ? `every ${every} except ${list(scope.items)}` : list(scope.items);
}

/** "Allow s3:GetObject on arn:aws:s3:::my-bucket/* for * when StringEquals aws:SourceVpc = vpc-1". */
export function describeStatement(s: PolicyStatement): string {
  const effect = typeof s.raw.Effect === "string" ? s.raw.Effect : "(no Effect)";
  const action = describeScope(s.action, "action", "(no Action)");
  const resource = describeScope(s.resource, "resource", "(no Resource)");
  const principal = !s.principal
    ? "(no Principal)"
    : s.principal.not
      ? `everyone except ${s.principal.text}`
      : s.principal.text;
  const when = s.conditions.map(describeCondition).join("; ");
  return `${effect} ${action} on ${resource} for ${principal}${when ? ` when ${when}` : ""}`;
}

/** The statement's description without its effect word: "s3:GetObject on ... for *". */
export function describeGrant(s: PolicyStatement): string {
  return describeStatement(s).replace(/^(Allow|Deny)\s+/i, "");
}
