import type { CheckResult } from "./check.js";
import type { Gap, Snapshot } from "./snapshot.js";

/** Overall answer: nothing wrong, something weakened, something blocking, or not enough data. */
export type VerdictStatus = "healthy" | "degraded" | "broken" | "unknown";

/** The top line of a report: its status, the check that explains it, and one sentence. */
export interface Verdict {
  status: VerdictStatus;
  cause: string | null;
  summary: string;
  nextSteps: string[];
  /** The newest CloudTrail change to a resource the cause implicates, when there is one. */
  change?: VerdictChange;
}

/** "changed by <who> at <when> (<event>)": the change CloudTrail ties to the verdict's cause. */
export interface VerdictChange {
  by: string;
  at: string;
  event: string;
  resourceId: string;
}

/** Everything one diagnosis concluded; the stable JSON document the CLI prints with --json. */
export interface Report {
  endpointId: string;
  region: string;
  account: { id?: string; alias?: string };
  collectedAt: string;
  window: { start: string; end: string; hours: number };
  serviceName?: string;
  endpointType?: string;
  verdict: Verdict;
  checks: CheckResult[];
  gaps: Gap[];
  stats: { durationMs: number; awsCalls: number };
}

/** The snapshot fields a report repeats, so renderers never need the snapshot itself. */
export function reportHeader(
  snapshot: Snapshot,
): Pick<
  Report,
  "endpointId" | "region" | "account" | "collectedAt" | "window" | "serviceName" | "endpointType"
> {
  return {
    endpointId: snapshot.endpointId,
    region: snapshot.region,
    account: { id: snapshot.accountId, alias: snapshot.accountAlias },
    collectedAt: snapshot.collectedAt,
    window: snapshot.window,
    serviceName: snapshot.endpoint?.serviceName,
    endpointType: snapshot.endpoint?.type,
  };
}
