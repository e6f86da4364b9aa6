import { skip, unknownIfGaps } from "../checks/gaps.js";
import { classifyAdvisory } from "./advisory.js";
import type { Check, CheckOutcome, CheckResult } from "./check.js";
import { type Report, reportHeader, type Verdict, type VerdictChange } from "./report.js";
import type { Snapshot } from "./snapshot.js";
import { applySuppressions, type Suppression } from "./suppress.js";

/** What evaluate() applies besides the checks: the config's suppressions. */
export interface EvaluateOptions {
  suppressions?: readonly Suppression[];
}

/** Runs every check over one snapshot, in order, and derives the verdict: pure, no I/O, no clock. */
export function evaluate(
  snapshot: Snapshot,
  checks: readonly Check[],
  options: EvaluateOptions = {},
): Report {
  const results = new Map<string, CheckResult>();
  for (const check of checks) {
    const outcome = runCheck(check, snapshot, results);
    const result = { id: check.id, title: check.title, ...outcome };
    results.set(check.id, classifyAdvisory(applySuppressions(result, snapshot, options.suppressions ?? [])));
  }
  const ordered = [...results.values()];
  const verdict = verdictOf(ordered, snapshot.window.hours, namesOf(snapshot));
  const change = causeChange(
    snapshot,
    ordered.find((r) => r.id === verdict.cause),
  );
  return {
    ...reportHeader(snapshot),
    verdict: verdict.status === "broken" && change ? { ...verdict, change } : verdict,
    checks: ordered,
    gaps: snapshot.gaps,
    stats: snapshot.stats,
  };
}

/**
 * One check with the preamble its declaration asks for: no endpoint -> unknown (its gap) or skip; a type it
 * does not examine -> skip; a gap in what it needs -> unknown naming the gap; a crash -> unknown. Then `run`.
 */
export function runCheck(
  check: Check,
  snapshot: Snapshot,
  earlier: ReadonlyMap<string, CheckResult> = new Map(),
): CheckOutcome {
  const preamble = preambleOf(check, snapshot);
  if (preamble) return preamble;
  return runSafely(check, snapshot, earlier);
}

function preambleOf(check: Check, snapshot: Snapshot): CheckOutcome | undefined {
  if (check.appliesTo !== "any") {
    const endpoint = snapshot.endpoint;
    if (!endpoint) return unknownIfGaps(snapshot, "endpoint") ?? skip("no endpoint to examine");
    const type = endpoint.type.toLowerCase();
    if (!check.appliesTo.some((kind) => kind.toLowerCase() === type)) {
      const why = check.notApplicable ? `: ${check.notApplicable}` : `: ${check.id} does not apply to it`;
      return skip(`${endpoint.id} is ${article(endpoint.type)} ${endpoint.type} endpoint${why}`);
    }
  }
  return unknownIfGaps(snapshot, ...check.needs);
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
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

/** The newest successful CloudTrail change to a resource the cause's findings implicate. */
function causeChange(snapshot: Snapshot, cause: CheckResult | undefined): VerdictChange | undefined {
  if (cause?.status !== "fail") return undefined;
  const implicated = new Set(
    cause.findings
      .filter((f) => f.severity !== "info")
      .flatMap((f) => f.resourceIds ?? [])
      .map((id) => id.toLowerCase()),
  );
  const changes = (snapshot.cloudTrail?.changes ?? [])
    .filter((c) => !c.errorCode)
    .sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
  for (const change of changes) {
    const resourceId = change.resourceIds.find((id) => implicated.has(id.toLowerCase()));
    if (!resourceId) continue;
    const by = change.username ?? change.principalArn ?? "an unknown principal";
    return { by, at: change.eventTime, event: change.eventName, resourceId };
  }
  return undefined;
}

/** The real names the next steps quote: the name clients resolve, and whether the service is a custom one. */
export interface VerdictNames {
  dnsName?: string;
  customService?: boolean;
}

function namesOf(snapshot: Snapshot): VerdictNames {
  const endpoint = snapshot.endpoint;
  const dnsName = snapshot.service?.privateDnsName ?? endpoint?.dnsEntries[0]?.dnsName;
  const serviceName = endpoint?.serviceName ?? "";
  const owner = snapshot.service?.owner;
  const customService = /\.vpce-svc-/.test(serviceName) || (owner !== undefined && owner !== "amazon");
  return { ...(dnsName ? { dnsName } : {}), ...(endpoint ? { customService } : {}) };
}

/**
 * The first failing check in registry order names the cause; warnings degrade (hygiene never does); gaps leave it
 * unknown. A result muted by a suppression never sets the verdict.
 */
export function verdictOf(
  results: readonly CheckResult[],
  windowHours: number,
  names: VerdictNames = {},
): Verdict {
  const live = results.filter((r) => !r.muted);
  const failing = live.find((r) => r.status === "fail");
  if (failing) {
    return { status: "broken", cause: failing.id, summary: failing.summary, nextSteps: [] };
  }
  const warning = live.find((r) => r.status === "warn" && !r.advisory);
  if (warning) {
    return { status: "degraded", cause: warning.id, summary: warning.summary, nextSteps: [] };
  }
  const unknown = live.filter((r) => r.status === "unknown");
  const window = windowHours === 1 ? "1 h" : `${windowHours} h`;
  const nextSteps = nextStepsOf(windowHours, names);
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

function nextStepsOf(windowHours: number, names: VerdictNames): string[] {
  const name = names.dnsName ?? "<the service's DNS name>";
  return [
    ...(windowHours < 24 ? ["Extend the window to 24 h (--window 24h): the fault may be older."] : []),
    `Resolve the service name from the failing client (dig +short ${name}): it must return the endpoint's private IPs.`,
    names.customService === false
      ? "Check the client itself: its proxy settings (NO_PROXY must include the service's name), its SDK's endpoint and region, and the error it reports."
      : "Check the provider side: NLB listeners and healthy targets in every endpoint AZ, cross-zone load balancing, the NLB security group.",
  ];
}
