import type { Finding } from "../diagnosis/check.js";
import { describeGrant, describeStatement } from "./endpoint-policy-document.js";
import type { PolicyFacts, StatementFacts } from "./endpoint-policy-facts.js";
import { correction, denyFindings, type Wording } from "./endpoint-policy-findings.js";
import { type Findings, policyFinding } from "./endpoint-policy-trail.js";

// "Facts to findings" for the Allow side: no Allow at all or none that can match is proof of an outage; a
// restrictive Allow list is a deliberate design, said in a note; an Allow that turns on the client's address
// without --from is a warning naming which clients it leaves out.

const PERIMETER_ALLOW = /^aws:(principal|resource)(orgid|orgpaths|account)$/i;

function line(f: StatementFacts): string {
  return `${f.statement.label}: ${describeStatement(f.statement)}`;
}

function noAllow(facts: PolicyFacts, w: Wording): Finding {
  return policyFinding(
    w.endpointId,
    "critical",
    `the endpoint policy of ${w.endpointId} has no Allow statement: every request through it is denied`,
    [`statements: ${facts.statements.map(line).join(" | ") || "(none)"}`],
    {
      text: "Add an Allow statement for what clients need, or reset the policy to the full-access default with --reset-policy.",
      command: `${w.base} --reset-policy`,
    },
  );
}

function allAllowsDead(facts: PolicyFacts, w: Wording): Finding {
  const allows = facts.statements.filter((f) => f.kind === "allow-dead");
  const fix = correction(allows, facts, w);
  return policyFinding(
    w.endpointId,
    "critical",
    `no Allow statement of the endpoint policy of ${w.endpointId} matches a request through it: every request is denied`,
    [
      ...allows.flatMap((f) => [line(f), ...f.results.filter((r) => r.truth === false).map((r) => r.why)]),
      "a request no Allow statement matches is denied by the endpoint policy (implicit deny)",
    ],
    {
      text:
        fix.text ||
        "Widen an Allow statement so that requests through this endpoint match it, then apply the policy.",
      command: fix.command,
    },
  );
}

function clientAllow(f: StatementFacts): boolean {
  return f.open.length > 0 && f.open.every((r) => r.condition.key.toLowerCase() === "aws:vpcsourceip");
}

function allowedLine(f: StatementFacts): string {
  const perimeter = f.open.length > 0 && f.open.every((r) => PERIMETER_ALLOW.test(r.condition.key));
  const who = perimeter ? " (the data-perimeter pattern: callers and resources outside it are refused)" : "";
  return `${line(f)}${who}`;
}

function restrictive(facts: PolicyFacts, w: Wording): Finding {
  const live = facts.statements.filter((f) => f.kind === "allows-some" || f.kind === "allows-if");
  return {
    severity: "info",
    summary: `the endpoint policy of ${w.endpointId} allows only ${live.map((f) => describeGrant(f.statement)).join("; ")}`,
    evidence: [
      ...live.map(allowedLine),
      ...live.flatMap((f) => f.results.map((r) => r.why)),
      "a request outside these statements is denied by the endpoint policy (implicit deny); a deliberate design, not a fault, unless CloudTrail shows such denials",
    ],
    resourceIds: [w.endpointId],
  };
}

function deadAllow(f: StatementFacts, w: Wording): Finding {
  return {
    severity: "info",
    summary: `${f.statement.label} never matches a request through ${w.endpointId}: it allows nothing here`,
    evidence: [line(f), ...f.results.filter((r) => r.truth === false).map((r) => r.why)],
    resourceIds: [w.endpointId],
  };
}

/** The Allow side as findings: outage proofs, client warnings, and the notes that explain the design. */
export function allowFindings(facts: PolicyFacts, w: Wording): Findings {
  const out: Findings = { failures: [], warnings: [], notes: [] };
  if (facts.noAllow) out.failures.push(noAllow(facts, w));
  else if (facts.allAllowsDead) out.failures.push(allAllowsDead(facts, w));
  else if (!facts.grantsAll) {
    out.notes.push(restrictive(facts, w));
    for (const f of facts.statements.filter(clientAllowOf)) {
      const found = denyFindings({ ...f, kind: "denies-clients" }, facts, w);
      out.warnings.push(...found.warnings);
      out.notes.push(...found.notes);
    }
  }
  if (!facts.allAllowsDead)
    out.notes.push(...facts.statements.filter((f) => f.kind === "allow-dead").map((f) => deadAllow(f, w)));
  return out;
}

function clientAllowOf(f: StatementFacts): boolean {
  return f.kind === "allows-if" && clientAllow(f);
}
