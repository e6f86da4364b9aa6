import type { Snapshot } from "../diagnosis/snapshot.js";
import {
  type ConditionResult,
  evaluateConditions,
  parseOperator,
  type RequestContext,
  type Truth,
} from "./endpoint-policy-conditions.js";
import type { PolicyStatement } from "./endpoint-policy-document.js";

// "Evaluate to facts": what each statement does to the client's requests through this endpoint, decided
// from the snapshot where the keys allow it, left open (and named) where they do not.

/** What one statement does to the client's requests through the endpoint. */
export type StatementKind =
  /** Allow of every action on every resource for everyone, conditions true. */
  | "grants-all"
  /** Allow, conditions true, narrower than everything (named actions, resources or principals). */
  | "allows-some"
  /** Allow whose conditions the snapshot cannot decide (caller, resource or client address). */
  | "allows-if"
  /** Allow whose conditions are false for every request through this endpoint. */
  | "allow-dead"
  /** Deny of every action for everyone, conditions true for every request: the proof of an outage. */
  | "denies-all"
  /** Deny, conditions true, of named actions, resources or principals: a guardrail. */
  | "denies-some"
  /** Deny, conditions true, of everything except what NotAction/NotResource/NotPrincipal names. */
  | "denies-most"
  /** Deny whose conditions are false for every request through this endpoint. */
  | "deny-dead"
  /** Deny whose open conditions are organisation/account perimeter keys: AWS's data-perimeter guardrail. */
  | "perimeter"
  /** Deny whose only open condition is aws:VpcSourceIp, the client address, unknown without --from. */
  | "denies-clients"
  /** Deny whose open conditions are other caller or resource keys. */
  | "denies-if";

/** One statement with its conditions judged and its kind. */
export interface StatementFacts {
  statement: PolicyStatement;
  kind: StatementKind;
  truth: Truth;
  results: ConditionResult[];
  /** The conditions the snapshot cannot decide. */
  open: ConditionResult[];
  /** Every action, resource and principal (for a Deny, also "<service>:*" as every action). */
  fullScope: boolean;
}

/** Every statement's facts and what they add up to for the client's requests. */
export interface PolicyFacts {
  context: RequestContext;
  statements: StatementFacts[];
  /** No Allow statement at all: every request is implicitly denied. */
  noAllow: boolean;
  /** There are Allow statements, and every one is false for requests through this endpoint. */
  allAllowsDead: boolean;
  /** The Allow that grants everything, when one does. */
  grantsAll?: StatementFacts;
}

const PERIMETER_KEYS = new Set([
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:principalaccount",
  "aws:resourceorgid",
  "aws:resourceorgpaths",
  "aws:resourceaccount",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
  "aws:sourceaccount",
]);

/** The request context of the client's requests through this snapshot's endpoint. */
export function requestContext(snapshot: Snapshot): RequestContext {
  const endpoint = snapshot.endpoint!;
  const addresses = snapshot.source?.addresses ?? [];
  return {
    endpointId: endpoint.id,
    vpcId: endpoint.vpcId,
    clientAddresses: addresses.length > 0 ? addresses : undefined,
  };
}

/** The IAM action prefix of an AWS service endpoint ("com.amazonaws.us-east-1.ecr.api" -> "ecr"), if plain. */
export function actionPrefix(serviceName: string): string | undefined {
  const match = /^com\.amazonaws\.[a-z0-9-]+\.([a-z0-9-]+)/i.exec(serviceName);
  return match && !/^vpce$/i.test(match[1]!) ? match[1]!.toLowerCase() : undefined;
}

function everyAction(s: PolicyStatement, prefix: string | undefined): boolean {
  if (!s.action || s.action.not) return false;
  return s.action.items.some((a) => a === "*" || (prefix !== undefined && a.toLowerCase() === `${prefix}:*`));
}

function fullScope(s: PolicyStatement, prefix: string | undefined): boolean {
  const resource = s.resource === undefined || (!s.resource.not && s.resource.items.includes("*"));
  return everyAction(s, prefix) && resource && !!s.principal?.any;
}

function negatedScope(s: PolicyStatement): boolean {
  return !!(s.action?.not || s.resource?.not || s.principal?.not);
}

function isPerimeter(open: ConditionResult[]): boolean {
  return open.every(
    (r) => PERIMETER_KEYS.has(r.condition.key.toLowerCase()) && parseOperator(r.condition.operator).negated,
  );
}

function allowKind(s: PolicyStatement, truth: Truth, full: boolean): StatementKind {
  if (truth === false) return "allow-dead";
  if (truth === "unknown") return "allows-if";
  return full && !negatedScope(s) ? "grants-all" : "allows-some";
}

function denyKind(s: PolicyStatement, truth: Truth, full: boolean, open: ConditionResult[]): StatementKind {
  if (truth === false) return "deny-dead";
  if (truth === true) return full ? "denies-all" : negatedScope(s) ? "denies-most" : "denies-some";
  if (isPerimeter(open)) return "perimeter";
  if (open.every((r) => r.condition.key.toLowerCase() === "aws:vpcsourceip")) return "denies-clients";
  return "denies-if";
}

/** One statement judged for the client's requests through the endpoint. */
export function statementFacts(
  s: PolicyStatement,
  context: RequestContext,
  prefix: string | undefined,
): StatementFacts {
  const { truth, results } = evaluateConditions(s.conditions, context);
  const open = results.filter((r) => r.truth === "unknown");
  const full = fullScope(s, prefix);
  const kind = s.effect === "deny" ? denyKind(s, truth, full, open) : allowKind(s, truth, full);
  return { statement: s, kind, truth, results, open, fullScope: full };
}

/** Every valid statement judged, and what they add up to. */
export function policyFacts(statements: PolicyStatement[], snapshot: Snapshot): PolicyFacts {
  const context = requestContext(snapshot);
  const prefix = actionPrefix(snapshot.endpoint!.serviceName);
  const facts = statements.filter((s) => s.effect).map((s) => statementFacts(s, context, prefix));
  const allows = facts.filter((f) => f.statement.effect === "allow");
  return {
    context,
    statements: facts,
    noAllow: allows.length === 0,
    allAllowsDead: allows.length > 0 && allows.every((f) => f.kind === "allow-dead"),
    grantsAll: allows.find((f) => f.kind === "grants-all"),
  };
}
