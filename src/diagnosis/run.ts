import { CHECKS } from "../checks/registry.js";
import type { Check } from "./check.js";
import { evaluate } from "./evaluate.js";
import type { Report } from "./report.js";
import type { DiagnosisRequest } from "./request.js";
import type { Snapshot } from "./snapshot.js";
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
}

/** The one diagnosis path every trigger uses: request -> snapshot -> checks -> report. */
export async function runDiagnosis(
  request: DiagnosisRequest,
  deps: DiagnosisDeps,
): Promise<{ report: Report; snapshot: Snapshot }> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const collected = await deps.collect(request);
  const snapshot = withPortHint(collected, request.ports, deps.settings);
  const report = evaluate(snapshot, deps.checks ?? CHECKS, { suppressions: deps.settings?.suppressions });
  report.stats = { durationMs: Math.round(clock() - started), awsCalls: snapshot.stats.awsCalls };
  return { report, snapshot };
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
