import type { Finding } from "../diagnosis/check.js";
import { type ConditionResult, ipCoverage, parseOperator } from "./endpoint-policy-conditions.js";
import {
  describeCondition,
  describeGrant,
  describeStatement,
  list,
  type PolicyStatement,
} from "./endpoint-policy-document.js";
import type { PolicyFacts, StatementFacts } from "./endpoint-policy-facts.js";
import {
  applyCommand,
  correctedDocument,
  correctedStatement,
  type FixInputs,
} from "./endpoint-policy-fix.js";
import { type Findings, policyFinding } from "./endpoint-policy-trail.js";

// "Facts to findings": the wording, evidence and fix for what each statement does to the client's requests.

/** What the wording needs besides the facts: ids, the modify command, the whole document for fixes. */
export interface Wording {
  endpointId: string;
  /** `aws ec2 modify-vpc-endpoint --region ... --vpc-endpoint-id ...`. */
  base: string;
  statements: PolicyStatement[];
  version: unknown;
  vpcCidrs: string[];
}

const PERIMETER_WORDS: Record<string, string> = {
  "aws:principalorgid": "callers outside organisation",
  "aws:principalorgpaths": "callers outside the organisation paths",
  "aws:principalaccount": "callers from accounts other than",
  "aws:resourceorgid": "requests for resources outside organisation",
  "aws:resourceorgpaths": "requests for resources outside the organisation paths",
  "aws:resourceaccount": "requests for resources of accounts other than",
  "aws:sourceorgid": "service requests on behalf of sources outside organisation",
  "aws:sourceorgpaths": "service requests on behalf of sources outside the organisation paths",
  "aws:sourceaccount": "service requests on behalf of accounts other than",
};

function line(f: StatementFacts): string {
  return `${f.statement.label}: ${describeStatement(f.statement)}`;
}

function whys(results: ConditionResult[]): string[] {
  return results.map((r) => r.why);
}

function whom(open: ConditionResult[]): string {
  return open
    .map((r) => {
      const words = PERIMETER_WORDS[r.condition.key.toLowerCase()];
      return words
        ? `${words} ${r.condition.values.join(" | ")}`
        : `requests where ${describeCondition(r.condition)}`;
    })
    .join(" and ");
}

function fixWith(
  refusing: StatementFacts[],
  w: Wording,
  inputs: FixInputs,
): { text: string; command: string } {
  const replacements = new Map<number, Record<string, unknown> | null>();
  const changes: string[] = [];
  for (const f of refusing) {
    const fixed = correctedStatement(f, inputs);
    if (fixed === undefined) continue;
    replacements.set(f.statement.index, fixed);
    changes.push(
      fixed ? `${f.statement.label} becomes ${JSON.stringify(fixed)}` : `remove ${f.statement.label}`,
    );
  }
  const document = correctedDocument(w.statements, replacements, w.version);
  const text = changes.length > 0 ? `Correct the policy: ${changes.join("; ")}; then apply it.` : "";
  return { text, command: applyCommand(w.base, document) };
}

/** The fix for statements that refuse every request: their corrected versions in the whole document. */
export function correction(refusing: StatementFacts[], facts: PolicyFacts, w: Wording) {
  return fixWith(refusing, w, { context: facts.context, vpcCidrs: w.vpcCidrs });
}

function sourceIpAdvice(f: StatementFacts): string {
  const uses = f.results.some((r) => r.condition.key.toLowerCase() === "aws:sourceip");
  return uses
    ? " aws:SourceIp is absent from requests through a VPC endpoint; aws:VpcSourceIp carries the client's private address (the corrected statement keeps the private ranges it named, else lists the VPC's CIDRs: narrow it to your clients)."
    : "";
}

function deniesAll(f: StatementFacts, facts: PolicyFacts, w: Wording): Finding {
  const fix = correction([f], facts, w);
  const first = f.results.find((r) => r.truth === true);
  const because = first ? `: ${first.why}` : " unconditionally";
  return policyFinding(
    w.endpointId,
    "critical",
    `the endpoint policy of ${w.endpointId} denies every request through it: ${f.statement.label} denies everything${because}`,
    [
      line(f),
      ...whys(f.results),
      "an explicit Deny refuses matching requests whatever identity or resource policies allow",
    ],
    { text: `${fix.text}${sourceIpAdvice(f)}`.trim(), command: fix.command },
  );
}

function deniesMost(f: StatementFacts, w: Wording): Finding {
  return policyFinding(
    w.endpointId,
    "medium",
    `the endpoint policy of ${w.endpointId} denies ${describeGrant(f.statement)}`,
    [
      line(f),
      ...whys(f.results),
      "every request outside the exception is refused, whatever identity or resource policies allow",
    ],
    {
      text: `Check that the requests clients make fall within the exception of ${f.statement.label}; widen it if not.`,
    },
  );
}

function note(w: Wording, summary: string, evidence: string[]): Finding {
  return { severity: "info", summary, evidence, resourceIds: [w.endpointId] };
}

function perimeter(f: StatementFacts, w: Wording): Finding {
  return note(
    w,
    `${f.statement.label} is a data-perimeter guardrail: it denies ${whom(f.open)}; callers and resources inside the perimeter pass`,
    [
      line(f),
      ...whys(f.results),
      "AWS's data-perimeter pattern: https://github.com/aws-samples/data-perimeter-policy-examples",
    ],
  );
}

function coversVpc(values: string[], w: Wording): boolean {
  return w.vpcCidrs.length > 0 && w.vpcCidrs.every((cidr) => ipCoverage(values, cidr) === true);
}

/** A Deny or Allow that turns on aws:VpcSourceIp without --from: which clients it refuses. */
function clientRule(f: StatementFacts, w: Wording): Finding {
  const c = f.open[0]!.condition;
  const outside = parseOperator(c.operator).negated === (f.statement.effect === "deny");
  const refused = `clients whose private address is ${outside ? "outside" : "in"} ${list(c.values)}`;
  const evidence = [line(f), ...whys(f.results)];
  if (outside && coversVpc(c.values, w)) {
    return note(
      w,
      `${f.statement.label} refuses ${refused}: every address of the VPC (${w.vpcCidrs.join(", ")}) passes`,
      evidence,
    );
  }
  return policyFinding(
    w.endpointId,
    "medium",
    `${f.statement.label} of the endpoint policy of ${w.endpointId} refuses ${refused}`,
    evidence,
    {
      text: "Rerun with --from <client address, instance or subnet> to decide whether the failing client is among them; widen the condition if it is.",
    },
  );
}

function deniesIf(f: StatementFacts, w: Wording): Finding {
  const summary = `${f.statement.label} could deny ${f.fullScope ? "every request" : describeGrant(f.statement).split(" when ")[0]} for ${whom(f.open)}`;
  const evidence = [
    line(f),
    ...whys(f.results),
    "the snapshot cannot tell whether the failing client's requests meet these conditions",
  ];
  if (!f.fullScope) return note(w, summary, evidence);
  return policyFinding(w.endpointId, "medium", summary, evidence, {
    text: "Compare the failing client's principal and the resource it calls with these conditions; narrow the Deny if they match.",
  });
}

function denyDead(f: StatementFacts, w: Wording): Finding {
  const sourceIp = f.results.some(
    (r) => r.truth === false && r.condition.key.toLowerCase() === "aws:sourceip",
  );
  const advice = sourceIp ? "; to deny by client address through an endpoint, use aws:VpcSourceIp" : "";
  return note(
    w,
    `${f.statement.label} never matches a request through ${w.endpointId}: it denies nothing${advice}`,
    [line(f), ...whys(f.results.filter((r) => r.truth === false))],
  );
}

function deniesSome(f: StatementFacts, w: Wording): Finding {
  return note(
    w,
    `${f.statement.label} denies ${describeGrant(f.statement)}: a guardrail on those requests only`,
    [
      line(f),
      ...whys(f.results),
      "requests for other actions, resources or principals are not affected by it",
    ],
  );
}

/** The findings one Deny statement produces, by weight. */
export function denyFindings(f: StatementFacts, facts: PolicyFacts, w: Wording): Findings {
  const out: Findings = { failures: [], warnings: [], notes: [] };
  const put = (finding: Finding) => out[finding.severity === "info" ? "notes" : "warnings"].push(finding);
  if (f.kind === "denies-all") out.failures.push(deniesAll(f, facts, w));
  else if (f.kind === "denies-most") out.warnings.push(deniesMost(f, w));
  else if (f.kind === "perimeter") out.notes.push(perimeter(f, w));
  else if (f.kind === "denies-clients") put(clientRule(f, w));
  else if (f.kind === "denies-if") put(deniesIf(f, w));
  else if (f.kind === "deny-dead") out.notes.push(denyDead(f, w));
  else if (f.kind === "denies-some") out.notes.push(deniesSome(f, w));
  return out;
}
