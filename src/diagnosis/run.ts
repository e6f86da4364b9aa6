import { CHECKS } from "../checks/registry.js";
import type { Check } from "./check.js";
import {
  DEFAULT_DEADLINES,
  type Deadline,
  type DeadlineSettings,
  formatSeconds,
  startDeadline,
  waitingOn,
  withDeadline,
} from "./deadline.js";
import { evaluate } from "./evaluate.js";
import type { Report } from "./report.js";
import type { DiagnosisRequest } from "./request.js";
import { SNAPSHOT_VERSION, type Snapshot } from "./snapshot.js";
import type { Suppression } from "./suppress.js";

/** What the config adds to every diagnosis: accepted findings, and the ports of custom services. */
export interface DiagnosisSettings {
  suppressions?: readonly Suppression[];
  services?: readonly { name: string; ports: number[] }[];
}

/** What the pipeline needs from the outside world: a way to collect a snapshot, and a clock. */
export interface DiagnosisDeps {
  collect: (request: DiagnosisRequest) => Promise<Snapshot>;
  checks?: readonly Check[];
  clock?: () => number;
  settings?: DiagnosisSettings;
  /** The AWS time limits (default: 10 s a call, 25 s in all, the slow notice at 8 s). */
  deadlines?: Partial<DeadlineSettings>;
  /** Told once, when the diagnosis is still running after `slowNoticeMs`, which AWS calls it waits on. */
  onSlow?: (waitingOn: string[]) => void;
}

/** How long after the deadline a collection may take to hand back what it has, before it is given up. */
const GRACE_MS = 2_000;

/** The extra time a probe diagnosis gets: the command's 10 s budget, its delivery and the polls. */
export const PROBE_EXTRA_MS = 20_000;

/** The one diagnosis path every trigger uses: request -> snapshot -> checks -> report. */
export async function runDiagnosis(
  request: DiagnosisRequest,
  deps: DiagnosisDeps,
): Promise<{ report: Report; snapshot: Snapshot }> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const collected = await collectInTime(request, deps);
  const snapshot = withPortHint(collected, request.ports, deps.settings);
  const report = evaluate(snapshot, deps.checks ?? CHECKS, { suppressions: deps.settings?.suppressions });
  report.stats = { durationMs: Math.round(clock() - started), awsCalls: snapshot.stats.awsCalls };
  return { report, snapshot };
}

/**
 * The collection under the diagnosis's deadline: calls that do not answer become gaps, and a collection that
 * cannot even hand back what it has (stuck before its first read, e.g. assuming the role) is given up after a
 * short grace, as a snapshot whose endpoint is a gap naming what did not answer.
 */
async function collectInTime(request: DiagnosisRequest, deps: DiagnosisDeps): Promise<Snapshot> {
  const base = { ...DEFAULT_DEADLINES, ...deps.deadlines };
  const settings = request.probe ? { ...base, totalMs: base.totalMs + PROBE_EXTRA_MS } : base;
  const deadline = startDeadline(settings);
  const collecting = withDeadline(deadline, () => deps.collect(request));
  const slow = setTimeout(() => deps.onSlow?.(waitingOn(deadline)), settings.slowNoticeMs);
  let giveUp: NodeJS.Timeout | undefined;
  const givenUp = new Promise<Snapshot>((resolve) => {
    giveUp = setTimeout(() => resolve(abandoned(request, deadline)), settings.totalMs + GRACE_MS);
  });
  try {
    return await Promise.race([collecting, givenUp]);
  } finally {
    clearTimeout(slow);
    clearTimeout(giveUp);
  }
}

function abandoned(request: DiagnosisRequest, deadline: Deadline): Snapshot {
  const now = new Date(deadline.now());
  const pending = waitingOn(deadline);
  const action = pending.length > 0 ? pending.join(", ") : "sts:AssumeRole";
  const hours = request.windowHours;
  return {
    schemaVersion: SNAPSHOT_VERSION,
    collectedAt: now.toISOString(),
    endpointId: request.endpointId,
    region: request.region,
    ...(request.account ? { accountAlias: request.account } : {}),
    window: {
      start: new Date(now.getTime() - hours * 3_600_000).toISOString(),
      end: now.toISOString(),
      hours,
    },
    endpoint: null,
    gaps: [
      {
        source: "endpoint",
        iamAction: action,
        error: "DidNotAnswer",
        message: `${action} did not answer within ${formatSeconds(deadline.totalMs)}`,
      },
    ],
    stats: { awsCalls: 0, durationMs: deadline.totalMs + GRACE_MS },
  };
}

/** Diagnoses a saved snapshot offline: same checks, same report, no AWS. */
export function diagnoseSnapshot(
  snapshot: Snapshot,
  checks: readonly Check[] = CHECKS,
  settings: DiagnosisSettings = {},
): Report {
  return evaluate(withPortHint(snapshot, undefined, settings), checks, {
    suppressions: settings.suppressions,
  });
}

/**
 * The snapshot with the ports the requester named (--port), else the config's ports for its service, as its
 * port hint; a hint already in the snapshot (a saved one) is kept unless the request names ports.
 */
export function withPortHint(
  snapshot: Snapshot,
  requested: readonly number[] | undefined,
  settings: DiagnosisSettings | undefined,
): Snapshot {
  if (requested && requested.length > 0) {
    return { ...snapshot, portHint: { ports: [...requested], origin: "request" } };
  }
  if (snapshot.portHint) return snapshot;
  const name = snapshot.endpoint?.serviceName.toLowerCase();
  const service = name ? settings?.services?.find((s) => s.name.toLowerCase() === name) : undefined;
  return service ? { ...snapshot, portHint: { ports: [...service.ports], origin: "config" } } : snapshot;
}
