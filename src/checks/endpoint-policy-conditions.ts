import { type AddressSet, cidrSet, covers, emptySet, intersect, isEmptySet, union } from "./address-set.js";
import type { Condition } from "./endpoint-policy-document.js";

// Condition evaluation for the client's requests through one endpoint, in three values: true, false, or
// "unknown" when the snapshot cannot see the key's value. IAM's rules, from the IAM User Guide:
// - a key absent from the request makes a positive operator false and a negated one (StringNotEquals,
//   NotIpAddress, ArnNotLike...) true; ...IfExists is true; Null {key: true} is true; ForAllValues is true
//   (reference_policies_elements_condition_operators.html, reference_policies_condition-single-vs-multi-valued-context-keys.html);
// - operators AND, keys in one operator AND, values of one key OR, values of a negated operator NOR
//   (reference_policies_multi-value-conditions.html).

/** True, false, or not decidable from the snapshot. */
export type Truth = boolean | "unknown";

/** What the request context holds for one key: present with values (undefined: value unknown), or absent. */
export type KeyValue = { present: "yes"; values?: string[] } | { present: "no" } | { present: "unknown" };

/** The request context of the client's requests through this endpoint, as far as the snapshot knows it. */
export interface RequestContext {
  endpointId: string;
  vpcId: string;
  /** The client's addresses or CIDRs from --from; undefined when no client was given or it has no address. */
  clientAddresses?: string[];
}

/** One condition judged: its truth for the client's requests and why, in one sentence. */
export interface ConditionResult {
  condition: Condition;
  truth: Truth;
  why: string;
}

/** The operator taken apart: set prefix, base (lower case), IfExists, negation. */
export interface Operator {
  set?: "any" | "all";
  base: string;
  ifExists: boolean;
  negated: boolean;
}

const NEGATED = new Set([
  "stringnotequals",
  "stringnotequalsignorecase",
  "stringnotlike",
  "arnnotequals",
  "arnnotlike",
  "notipaddress",
  "numericnotequals",
  "datenotequals",
]);

/** Splits "ForAnyValue:StringNotEqualsIfExists" into its parts. */
export function parseOperator(operator: string): Operator {
  let rest = operator.trim();
  let set: Operator["set"];
  const prefix = /^(ForAnyValue|ForAllValues):/i.exec(rest);
  if (prefix) {
    set = prefix[1]!.toLowerCase() === "foranyvalue" ? "any" : "all";
    rest = rest.slice(prefix[0].length);
  }
  const ifExists = /IfExists$/i.test(rest) && rest.toLowerCase() !== "null";
  const base = (ifExists ? rest.slice(0, -"IfExists".length) : rest).toLowerCase();
  return { set, base, ifExists, negated: NEGATED.has(base) };
}

/** The keys whose value for requests through this endpoint the snapshot knows (lower-case names). */
export function keyValue(key: string, context: RequestContext): KeyValue {
  switch (key.toLowerCase()) {
    case "aws:sourcevpc":
      return { present: "yes", values: [context.vpcId] };
    case "aws:sourcevpce":
      return { present: "yes", values: [context.endpointId] };
    case "aws:sourceip":
      return { present: "no" };
    case "aws:vpcsourceip":
      return { present: "yes", values: context.clientAddresses };
    case "aws:viaawsservice":
    case "aws:principalisawsservice":
      // The client signs its own requests: it is neither an AWS service principal nor a forward access session.
      return { present: "yes", values: ["false"] };
    default:
      return { present: "unknown" };
  }
}

function and(truths: Truth[]): Truth {
  if (truths.includes(false)) return false;
  return truths.every((t) => t === true) ? true : "unknown";
}

function or(truths: Truth[]): Truth {
  if (truths.includes(true)) return true;
  return truths.every((t) => t === false) ? false : "unknown";
}

function not(truth: Truth): Truth {
  return truth === "unknown" ? truth : !truth;
}

/** All true -> true, all false -> false, mixed -> unknown: one answer over several requests. */
function same(truths: Truth[]): Truth {
  if (truths.length > 0 && truths.every((t) => t === true)) return true;
  if (truths.length > 0 && truths.every((t) => t === false)) return false;
  return "unknown";
}

function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, ignoreCase ? "is" : "s").test(value);
}

function setOf(cidrs: readonly string[], family: 4 | 6): AddressSet | undefined {
  let set = emptySet(family);
  for (const cidr of cidrs) {
    const one = cidrSet(cidr);
    if (!one) return undefined;
    set = union(set, one);
  }
  return set;
}

/** Whether the client's block lies in the policy's blocks: all of it true, none of it false, part unknown. */
export function ipCoverage(policyCidrs: readonly string[], client: string): Truth {
  const inner = cidrSet(client);
  const outer = inner && setOf(policyCidrs, inner.family);
  if (!inner || !outer) return "unknown";
  if (covers(outer, inner)) return true;
  return isEmptySet(intersect(outer, inner)) ? false : "unknown";
}

/** Whether one context value matches one policy value under the operator's base (without negation). */
function matches(base: string, policyValue: string, value: string): Truth {
  if (policyValue.includes("${")) return "unknown"; // a policy variable: its value is the caller's
  if (base === "stringequals" || base === "stringnotequals") return policyValue === value;
  if (base.startsWith("string") && base.endsWith("ignorecase")) {
    return policyValue.toLowerCase() === value.toLowerCase();
  }
  if (base === "stringlike" || base === "stringnotlike" || base.startsWith("arn")) {
    return glob(policyValue, value, false);
  }
  if (base === "bool") return policyValue.toLowerCase() === value.toLowerCase();
  return "unknown"; // Numeric*, Date*, BinaryEquals: no key the snapshot knows takes them
}

function absentTruth(op: Operator): boolean {
  if (op.ifExists || op.set === "all") return true;
  if (op.set === "any") return false;
  return op.negated;
}

function nullTruth(condition: Condition, value: KeyValue): Truth {
  if (value.present === "unknown") return "unknown";
  const wantsAbsent = condition.values.some((v) => v.toLowerCase() === "true");
  return wantsAbsent === (value.present === "no");
}

/** The truth of one condition for the client's requests, without the reason. */
export function conditionTruth(condition: Condition, context: RequestContext): Truth {
  const op = parseOperator(condition.operator);
  const value = keyValue(condition.key, context);
  if (op.base === "null") return nullTruth(condition, value);
  if (value.present === "no") return absentTruth(op);
  if (value.present === "unknown" || value.values === undefined || value.values.length === 0)
    return "unknown";
  // Each context value is one request (a client with several addresses sends from each of them).
  const ip = op.base === "ipaddress" || op.base === "notipaddress";
  const perRequest = value.values.map((v) => {
    const any = ip
      ? ipCoverage(condition.values, v)
      : or(condition.values.map((p) => matches(op.base, p, v)));
    return op.negated ? not(any) : any;
  });
  return same(perRequest);
}

/** The truth of one condition and why, in a sentence that names the key's value through this endpoint. */
export function evaluateCondition(condition: Condition, context: RequestContext): ConditionResult {
  const truth = conditionTruth(condition, context);
  return { condition, truth, why: reason(condition, context, truth) };
}

/** Every condition of a statement judged, and their AND (no condition at all: true). */
export function evaluateConditions(
  conditions: readonly Condition[],
  context: RequestContext,
): { truth: Truth; results: ConditionResult[] } {
  const results = conditions.map((c) => evaluateCondition(c, context));
  return { truth: and(results.map((r) => r.truth)), results };
}

function reason(condition: Condition, context: RequestContext, truth: Truth): string {
  const key = condition.key;
  const verdict = truth === "unknown" ? "cannot be decided" : `is ${truth}`;
  switch (key.toLowerCase()) {
    case "aws:sourceip":
      return `${key} is absent from requests through a VPC endpoint, so ${condition.operator} ${verdict}`;
    case "aws:sourcevpc":
      return `${key} is ${context.vpcId} (the endpoint's VPC) for requests through ${context.endpointId}, so ${condition.operator} ${verdict}`;
    case "aws:sourcevpce":
      return `${key} is ${context.endpointId} for requests through it, so ${condition.operator} ${verdict}`;
    case "aws:vpcsourceip":
      return context.clientAddresses?.length
        ? `${key} is the client's address (${context.clientAddresses.join(", ")}), so ${condition.operator} ${verdict}`
        : `${key} is the client's private address, unknown without --from, so ${condition.operator} cannot be decided`;
    case "aws:viaawsservice":
    case "aws:principalisawsservice":
      return `${key} is false for requests the client signs itself, so ${condition.operator} ${verdict}`;
    default:
      return `${key} depends on the caller or the resource, which the snapshot does not show`;
  }
}
