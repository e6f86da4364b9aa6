import type { Finding, Severity } from "../diagnosis/check.js";
import type { CloudTrail, Snapshot, TrailEvent } from "../diagnosis/snapshot.js";
import { describeGap, gapsFor } from "./gaps.js";

// CloudTrail's word on the endpoint policy: requests denied through this endpoint in the window. A denial
// that names the VPC endpoint policy is proof; another AccessDenied through it is proof only when the
// policy does not grant everything (otherwise an identity or resource policy refused it).

const DOCS = "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html";
const EVENTS_CAP = 10;

/** Findings by weight, as the check's outcome sorts them. */
export interface Findings {
  failures: Finding[];
  warnings: Finding[];
  notes: Finding[];
}

/** Builds a finding about this endpoint with a remediation. */
export function policyFinding(
  endpointId: string,
  severity: Severity,
  summary: string,
  evidence: string[],
  remediation: { text: string; command?: string },
): Finding {
  return {
    severity,
    summary,
    evidence,
    remediation: { ...remediation, docs: DOCS },
    resourceIds: [endpointId],
  };
}

function eventLines(events: TrailEvent[]): string[] {
  const lines = events.slice(0, EVENTS_CAP).map((e) => {
    const who = e.principalArn ?? e.username ?? "unknown principal";
    const what = `${e.eventSource ? `${e.eventSource} ` : ""}${e.eventName}`;
    const from = e.sourceIp ? ` from ${e.sourceIp}` : "";
    return `${e.eventTime} ${who}${from}: ${what} -> ${e.errorCode ?? "error"}${e.errorMessage ? `: ${e.errorMessage}` : ""}`;
  });
  if (events.length > EVENTS_CAP) lines.push(`...and ${events.length - EVENTS_CAP} more`);
  return lines;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** What CloudTrail saw, or undefined with a note when it could not be read. */
export function trailOf(snapshot: Snapshot, endpointId: string): { trail?: CloudTrail; note?: Finding } {
  const gaps = gapsFor(snapshot, "cloudTrail");
  if (gaps.length === 0 && snapshot.cloudTrail) return { trail: snapshot.cloudTrail };
  return {
    note: {
      severity: "info",
      summary: `CloudTrail denials for ${endpointId} could not be read: requests denied by the policy would not show here`,
      evidence: gaps.length > 0 ? gaps.map(describeGap) : ["CloudTrail events were not collected"],
      resourceIds: [endpointId],
    },
  };
}

/** Requests denied through this endpoint: by its policy (fail), otherwise (fail, or warn when it grants all). */
export function trailFindings(
  snapshot: Snapshot,
  trail: CloudTrail,
  command: string,
  grantsAll: string | undefined,
): Findings {
  const endpoint = snapshot.endpoint!;
  const out: Findings = { failures: [], warnings: [], notes: [] };
  const window = `${snapshot.window.hours} h`;
  const through = trail.accessDenied.filter(
    (e) => e.vpcEndpointId?.toLowerCase() === endpoint.id.toLowerCase(),
  );
  const byPolicy = through.filter((e) => /vpc endpoint policy|vpce policy/i.test(e.errorMessage ?? ""));
  const other = through.filter(
    (e) => !byPolicy.includes(e) && /^accessdenied|unauthorizedoperation$/i.test(e.errorCode ?? ""),
  );
  const truncated = trail.truncated
    ? [`CloudTrail reader stopped early after ${trail.scannedEvents} events: there may be more`]
    : [];
  if (byPolicy.length > 0) {
    out.failures.push(
      policyFinding(
        endpoint.id,
        "high",
        `CloudTrail shows ${plural(byPolicy.length, "request")} denied by the endpoint policy of ${endpoint.id} in the last ${window}`,
        [...eventLines(byPolicy), ...truncated],
        {
          text: "Allow these principals and actions in the endpoint policy (or remove the Deny that matches them), then apply it.",
          command,
        },
      ),
    );
  }
  if (other.length > 0)
    out[grantsAll && byPolicy.length === 0 ? "warnings" : "failures"].push(
      otherDenials(snapshot, other, truncated, command, byPolicy.length === 0 ? grantsAll : undefined),
    );
  if (through.length === 0 && trail.truncated) {
    out.notes.push({
      severity: "info",
      summary: `the CloudTrail reader stopped early: denials through ${endpoint.id} may have been missed`,
      evidence: truncated,
      resourceIds: [endpoint.id],
    });
  }
  return out;
}

function otherDenials(
  snapshot: Snapshot,
  events: TrailEvent[],
  truncated: string[],
  command: string,
  grantsAll: string | undefined,
): Finding {
  const endpoint = snapshot.endpoint!;
  const summary = `CloudTrail shows ${plural(events.length, "AccessDenied request")} through ${endpoint.id} in the last ${snapshot.window.hours} h`;
  if (grantsAll) {
    return policyFinding(
      endpoint.id,
      "medium",
      `${summary}, but its endpoint policy allows everything: the denial comes from an identity or resource policy`,
      [...eventLines(events), grantsAll, ...truncated],
      {
        text: `Look at the caller's IAM policies and the resource policy (for example a bucket policy conditioned on aws:SourceVpce or aws:SourceVpc: through this endpoint they are ${endpoint.id} and ${endpoint.vpcId}).`,
      },
    );
  }
  return policyFinding(endpoint.id, "high", summary, [...eventLines(events), ...truncated], {
    text: "Compare each denied request with the endpoint policy's Allow statements; allow what clients need, then apply the policy.",
    command,
  });
}
