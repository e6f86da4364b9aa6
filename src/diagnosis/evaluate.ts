import type { Check, CheckResult } from "./check.js";
import { type Report, reportHeader, type Verdict } from "./report.js";
import type { Snapshot } from "./snapshot.js";

/** Runs every check over one snapshot, in order, and derives the verdict: pure, no I/O, no clock. */
export function evaluate(snapshot: Snapshot, checks: readonly Check[]): Report {
  const results = new Map<string, CheckResult>();
  for (const check of checks) {
    const outcome = runSafely(check, snapshot, results);
    results.set(check.id, { id: check.id, title: check.title, ...outcome });
  }
  const ordered = [...results.values()];
  return {
    ...reportHeader(snapshot),
    verdict: verdictOf(ordered, snapshot.window.hours),
    checks: ordered,
    gaps: snapshot.gaps,
    stats: snapshot.stats,
  };
}

function runSafely(check: Check, snapshot: Snapshot, earlier: ReadonlyMap<string, CheckResult>) {
  try {
    return check.run(snapshot, earlier);
  } catch (error) {
    // A bug in one check must not hide the others; it shows as unknown, never as a pass.
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: "unknown" as const,
      summary: `check crashed: ${message}`,
      findings: [
        { severity: "medium" as const, summary: `internal error in ${check.id}: ${message}`, evidence: [] },
      ],
    };
  }
}

/** The first failing check in registry order names the cause; warnings degrade; gaps leave it unknown. */
export function verdictOf(results: readonly CheckResult[], windowHours: number): Verdict {
  const failing = results.find((r) => r.status === "fail");
  if (failing) {
    return { status: "broken", cause: failing.id, summary: failing.summary, nextSteps: [] };
  }
  const warning = results.find((r) => r.status === "warn");
  if (warning) {
    return { status: "degraded", cause: warning.id, summary: warning.summary, nextSteps: [] };
  }
  const unknown = results.filter((r) => r.status === "unknown");
  const window = windowHours === 1 ? "1 h" : `${windowHours} h`;
  const nextSteps = [
    ...(windowHours < 24 ? ["Extend the window to 24 h (--window 24h): the fault may be older."] : []),
    "Check the provider side: NLB listeners and healthy targets in every endpoint AZ, cross-zone load balancing, the NLB security group.",
    "Resolve the service name from the failing client (dig +short <name>): it must return the endpoint's private IPs.",
  ];
  if (unknown.length > 0) {
    return {
      status: "unknown",
      cause: unknown[0]!.id,
      summary: `no cause found in the last ${window}, but ${unknown.length} check${unknown.length === 1 ? "" : "s"} could not run: ${unknown.map((u) => u.id).join(", ")}`,
      nextSteps,
    };
  }
  return { status: "healthy", cause: null, summary: `no cause found in the last ${window}`, nextSteps };
}
