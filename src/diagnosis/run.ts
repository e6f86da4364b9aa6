import { CHECKS } from "../checks/registry.js";
import type { Check } from "./check.js";
import { evaluate } from "./evaluate.js";
import type { Report } from "./report.js";
import type { DiagnosisRequest } from "./request.js";
import type { Snapshot } from "./snapshot.js";

/** What the pipeline needs from the outside world: a way to collect a snapshot, and a clock. */
export interface DiagnosisDeps {
  collect: (request: DiagnosisRequest) => Promise<Snapshot>;
  checks?: readonly Check[];
  clock?: () => number;
}

/** The one diagnosis path every trigger uses: request -> snapshot -> checks -> report. */
export async function runDiagnosis(
  request: DiagnosisRequest,
  deps: DiagnosisDeps,
): Promise<{ report: Report; snapshot: Snapshot }> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const snapshot = await deps.collect(request);
  const report = evaluate(snapshot, deps.checks ?? CHECKS);
  report.stats = { durationMs: Math.round(clock() - started), awsCalls: snapshot.stats.awsCalls };
  return { report, snapshot };
}

/** Diagnoses a saved snapshot offline: same checks, same report, no AWS. */
export function diagnoseSnapshot(snapshot: Snapshot, checks: readonly Check[] = CHECKS): Report {
  return evaluate(snapshot, checks);
}
