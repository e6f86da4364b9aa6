import type { Check, CheckOutcome, Finding } from "../diagnosis/check.js";
import type { Endpoint, Snapshot } from "../diagnosis/snapshot.js";
import { allowFindings } from "./endpoint-policy-allows.js";
import {
  describeStatement,
  isObject,
  type PolicyStatement,
  parsePolicy,
  problemsOf,
} from "./endpoint-policy-document.js";
import { type PolicyFacts, policyFacts } from "./endpoint-policy-facts.js";
import { denyFindings, type Wording } from "./endpoint-policy-findings.js";
import { type Findings, policyFinding, trailFindings, trailOf } from "./endpoint-policy-trail.js";
import { skip } from "./gaps.js";

// The endpoint policy: valid, within the size limit, and what each statement does to the client's requests
// through this endpoint (conditions decided where the snapshot knows the key); plus the requests CloudTrail
// saw denied through it. A Deny fails only when it provably refuses every request; the rest is explained.

const MAX_CHARS = 20_480;

/** The endpoint policy is valid and lets the client's requests through (the full-access default passes). */
export const endpointPolicy: Check = {
  id: "endpoint-policy",
  title: "Endpoint policy allows the requests clients make",
  appliesTo: ["Interface", "Gateway", "GatewayLoadBalancer"],
  needs: [],
  docs: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
  run(snapshot) {
    const endpoint = snapshot.endpoint!;
    if (snapshot.service?.policySupported === false) {
      return skip(
        `${endpoint.serviceName} does not support endpoint policies: ${endpoint.id} allows full access`,
      );
    }
    const document = endpoint.policyDocument;
    if (document === undefined || document.trim() === "") {
      return skip(`${endpoint.id} has no endpoint policy document`);
    }
    return outcomeOf(snapshot, examine(snapshot, document));
  },
};

interface Examined extends Findings {
  facts?: PolicyFacts;
  trailRead: boolean;
}

function merge(into: Findings, more: Findings): void {
  into.failures.push(...more.failures);
  into.warnings.push(...more.warnings);
  into.notes.push(...more.notes);
}

function wordingFor(snapshot: Snapshot, statements: PolicyStatement[], version: unknown): Wording {
  const endpoint = snapshot.endpoint!;
  return {
    endpointId: endpoint.id,
    base: `aws ec2 modify-vpc-endpoint --region ${snapshot.region} --vpc-endpoint-id ${endpoint.id}`,
    statements,
    version,
    vpcCidrs: snapshot.vpc?.cidrsIpv4 ?? [],
  };
}

function versionOf(document: string): unknown {
  try {
    const parsed: unknown = JSON.parse(document);
    return isObject(parsed) ? parsed.Version : undefined;
  } catch {
    return undefined;
  }
}

/** Evaluate to facts, then facts to findings, for the document and for CloudTrail. */
function examine(snapshot: Snapshot, document: string): Examined {
  const endpoint = snapshot.endpoint!;
  const out: Examined = { failures: [], warnings: [], notes: [], trailRead: false };
  const base = wordingFor(snapshot, [], undefined).base;
  const tooLong = sizeFinding(endpoint, document, base);
  if (tooLong) out.failures.push(tooLong);
  const parsed = parsePolicy(document);
  if (!parsed.ok) out.failures.push(unreadable(endpoint, document, parsed.error, base));
  else {
    const invalid = invalidFinding(endpoint, parsed.statements, base);
    if (invalid) out.failures.push(invalid);
    out.facts = policyFacts(parsed.statements, snapshot);
    const w = wordingFor(snapshot, parsed.statements, versionOf(document));
    for (const f of out.facts.statements) merge(out, denyFindings(f, out.facts, w));
    merge(out, allowFindings(out.facts, w));
  }
  const { trail, note } = trailOf(snapshot, endpoint.id);
  if (note) out.notes.push(note);
  if (trail) {
    out.trailRead = true;
    const grantsAll = out.facts?.grantsAll;
    const described = grantsAll
      ? `${grantsAll.statement.label}: ${describeStatement(grantsAll.statement)}`
      : undefined;
    merge(out, trailFindings(snapshot, trail, `${base} --policy-document file://policy.json`, described));
  }
  return out;
}

function sizeFinding(endpoint: Endpoint, document: string, base: string): Finding | undefined {
  const length = [...document].length;
  if (length <= MAX_CHARS) return undefined;
  return policyFinding(
    endpoint.id,
    "high",
    `the endpoint policy of ${endpoint.id} is ${length} characters long, over the ${MAX_CHARS}-character limit`,
    [`observed: ${length} characters including white space; expected: at most ${MAX_CHARS} (not adjustable)`],
    {
      text: "Shorten the policy (merge statements, use wildcards in actions, drop white space) and apply it again.",
      command: `${base} --policy-document file://policy.json`,
    },
  );
}

function unreadable(endpoint: Endpoint, document: string, error: string, base: string): Finding {
  const json = error.startsWith("not valid JSON");
  return policyFinding(
    endpoint.id,
    "critical",
    json
      ? `the endpoint policy of ${endpoint.id} is not valid JSON`
      : `the endpoint policy of ${endpoint.id} has no Statement`,
    [`${json ? "parse error" : "observed"}: ${error}`, `document starts: ${document.slice(0, 120)}`],
    {
      text: "Write a valid policy document with at least one Allow statement that names a Principal (or reset it to the full-access default with --reset-policy) and apply it.",
      command: `${base} --reset-policy`,
    },
  );
}

function invalidFinding(
  endpoint: Endpoint,
  statements: PolicyStatement[],
  base: string,
): Finding | undefined {
  const invalid = statements.flatMap((s) => problemsOf(s).map((p) => `${s.label}: ${p}`));
  if (invalid.length === 0) return undefined;
  return policyFinding(
    endpoint.id,
    "critical",
    `the endpoint policy of ${endpoint.id} is invalid: ${invalid[0]}`,
    [...invalid, `statements: ${statements.map((s) => `${s.label}: ${describeStatement(s)}`).join(" | ")}`],
    {
      text: 'Every statement needs Effect Allow or Deny, a Principal (use "*" and narrow with aws:PrincipalArn conditions) and an Action; fix the document and apply it.',
      command: `${base} --policy-document file://policy.json`,
    },
  );
}

function passSummary(snapshot: Snapshot, examined: Examined): string {
  const id = snapshot.endpoint!.id;
  const trailNote = examined.trailRead
    ? `, and CloudTrail shows no request denied through it in the last ${snapshot.window.hours} h`
    : " (CloudTrail denials could not be read)";
  const grantsAll = examined.facts?.grantsAll;
  const quiet = examined.notes.filter((n) => !/CloudTrail/.test(n.summary)).length === 0;
  if (grantsAll && quiet)
    return `the endpoint policy of ${id} grants full access (${describeStatement(grantsAll.statement)})${trailNote}`;
  return `the endpoint policy of ${id} refuses no request the snapshot can show${trailNote}`;
}

function outcomeOf(snapshot: Snapshot, examined: Examined): CheckOutcome {
  const { failures, warnings, notes } = examined;
  if (failures.length > 0)
    return { status: "fail", summary: failures[0]!.summary, findings: [...failures, ...warnings, ...notes] };
  if (warnings.length > 0)
    return { status: "warn", summary: warnings[0]!.summary, findings: [...warnings, ...notes] };
  return { status: "pass", summary: passSummary(snapshot, examined), findings: notes };
}
