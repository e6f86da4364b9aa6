import {
  type ConditionResult,
  evaluateConditions,
  parseOperator,
  type RequestContext,
} from "./endpoint-policy-conditions.js";
import type { Condition, PolicyStatement } from "./endpoint-policy-document.js";
import type { StatementFacts } from "./endpoint-policy-facts.js";

// Corrected statements for the statements that refuse the client's requests: the smallest change that lets
// them through and keeps the statement's intent (aws:SourceIp -> aws:VpcSourceIp, this endpoint or VPC added
// to an allow-list); a statement that cannot be corrected that way is removed. Only ever shown for a policy
// that already refuses every request, so the fix cannot break a working setup.

const INLINE_LIMIT = 1_500;

const PRIVATE = [
  /^10\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^192\.168\./,
  /^f[cd]/i,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
];

/** The client-side addresses a corrected aws:VpcSourceIp condition lists: private values kept, else the VPC's. */
export function vpcSourceValues(original: readonly string[], vpcCidrs: readonly string[]): string[] {
  const kept = original.filter((v) => PRIVATE.some((p) => p.test(v)));
  return kept.length > 0 ? kept : [...vpcCidrs];
}

/** What the correction of one condition needs besides the request context. */
export interface FixInputs {
  context: RequestContext;
  vpcCidrs: readonly string[];
}

function withValues(c: Condition, added: readonly string[] | undefined): Condition | null {
  if (!added || added.length === 0) return null;
  return { ...c, values: [...c.values, ...added.filter((v) => !c.values.includes(v))] };
}

/** The condition rewritten so the client's requests pass it the other way, or null when it cannot be. */
function flip(c: Condition, inputs: FixInputs): Condition | null {
  const key = c.key.toLowerCase();
  const op = parseOperator(c.operator);
  if (op.base === "null") return null;
  if (key === "aws:sourceip") {
    const values = op.negated ? vpcSourceValues(c.values, inputs.vpcCidrs) : c.values;
    return values.length > 0 ? { ...c, key: "aws:VpcSourceIp", values } : null;
  }
  if (key === "aws:sourcevpce") return withValues(c, [inputs.context.endpointId]);
  if (key === "aws:sourcevpc") return withValues(c, [inputs.context.vpcId]);
  if (key === "aws:vpcsourceip") return withValues(c, inputs.context.clientAddresses);
  return null;
}

function rebuild(raw: Record<string, unknown>, conditions: Condition[]): Record<string, unknown> {
  const { Condition: _old, ...rest } = raw;
  if (conditions.length === 0) return rest;
  const block: Record<string, Record<string, string | string[]>> = {};
  for (const c of conditions) {
    block[c.operator] ??= {};
    block[c.operator]![c.key] = c.values.length === 1 ? c.values[0]! : c.values;
  }
  return { ...rest, Condition: block };
}

function correctedConditions(results: ConditionResult[], bad: boolean, inputs: FixInputs): Condition[] {
  return results.map((r) => (r.truth === bad ? (flip(r.condition, inputs) ?? r.condition) : r.condition));
}

/**
 * The corrected raw statement for one that refuses the client's requests: a Deny whose conditions are true
 * for them, or an Allow whose conditions are false. Null: remove the statement (a Deny no edit can narrow);
 * undefined: an Allow no edit of a known key can open (left as it is).
 */
export function correctedStatement(
  facts: StatementFacts,
  inputs: FixInputs,
): Record<string, unknown> | null | undefined {
  const deny = facts.statement.effect === "deny";
  const conditions = correctedConditions(facts.results, deny, inputs);
  const after = evaluateConditions(conditions, inputs.context).truth;
  if (deny) return after === true ? null : rebuild(facts.statement.raw, conditions);
  return after === false ? undefined : rebuild(facts.statement.raw, conditions);
}

/** The document with some statements replaced (null removes one), as compact JSON. */
export function correctedDocument(
  statements: readonly PolicyStatement[],
  replacements: ReadonlyMap<number, Record<string, unknown> | null>,
  version: unknown,
): string {
  const out = statements.flatMap((s) => {
    if (!replacements.has(s.index)) return [s.raw];
    const replaced = replacements.get(s.index);
    return replaced ? [replaced] : [];
  });
  return JSON.stringify({ ...(version ? { Version: version } : {}), Statement: out });
}

/** The modify-vpc-endpoint command applying a document: inline when short, else from policy.json. */
export function applyCommand(base: string, document: string): string {
  if (document.length > INLINE_LIMIT) return `${base} --policy-document file://policy.json`;
  return `${base} --policy-document '${document.replace(/'/g, "'\\''")}'`;
}
