import type { CheckOutcome } from "../diagnosis/check.js";
import type { Endpoint, Gap, Snapshot, SnapshotField } from "../diagnosis/snapshot.js";

export type { SnapshotField };

/** The gaps that left any of these fields empty. */
export function gapsFor(snapshot: Snapshot, ...fields: SnapshotField[]): Gap[] {
  return snapshot.gaps.filter((gap) => (fields as string[]).includes(gap.source));
}

/** One line naming what could not be read and which IAM action was refused or failed. */
export function describeGap(gap: Gap): string {
  return `could not read ${gap.source}: ${gap.iamAction} ${gap.error === "AccessDenied" ? "denied" : `failed (${gap.error})`}: ${gap.message}`;
}

/** An `unknown` outcome that names each gap, or undefined when none of these fields has one. */
export function unknownIfGaps(snapshot: Snapshot, ...fields: SnapshotField[]): CheckOutcome | undefined {
  const gaps = gapsFor(snapshot, ...fields);
  if (gaps.length === 0) return undefined;
  return {
    status: "unknown",
    summary: describeGap(gaps[0]!),
    findings: gaps.map((gap) => ({
      severity: "medium",
      summary: describeGap(gap),
      evidence: [`${gap.iamAction}: ${gap.error}: ${gap.message}`],
      remediation: {
        text:
          gap.error === "AccessDenied"
            ? `Grant ${gap.iamAction} to the vpce-doctor role in this account (see deploy/iam-policy.json), then rerun.`
            : `Rerun the diagnosis; if ${gap.iamAction} keeps failing, check the AWS service status.`,
      },
    })),
  };
}

/** A check that does not apply here, with the sentence saying why. */
export function skip(summary: string): CheckOutcome {
  return { status: "skip", summary, findings: [] };
}

/** The outcome every endpoint-dependent check returns when there is no endpoint to examine. */
export function skipWithoutEndpoint(snapshot: Snapshot): CheckOutcome | undefined {
  if (snapshot.endpoint) return undefined;
  return unknownIfGaps(snapshot, "endpoint") ?? skip("no endpoint to examine");
}

/**
 * The interface-style endpoint a check examines, or the outcome to return instead: unknown or skip when there
 * is no endpoint, skip for a gateway endpoint with `gatewayReason` saying why the check does not apply to it.
 */
export function interfaceEndpoint(
  snapshot: Snapshot,
  gatewayReason: string,
): { endpoint: Endpoint; outcome?: undefined } | { outcome: CheckOutcome } {
  const skipped = skipWithoutEndpoint(snapshot);
  if (skipped) return { outcome: skipped };
  const endpoint = snapshot.endpoint!;
  if (endpoint.type.toLowerCase() === "gateway") {
    return {
      outcome: {
        status: "skip",
        summary: `${endpoint.id} is a gateway endpoint: ${gatewayReason}`,
        findings: [],
      },
    };
  }
  return { endpoint };
}
