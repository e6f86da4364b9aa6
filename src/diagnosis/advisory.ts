import type { CheckResult } from "./check.js";

// Hygiene: findings worth fixing that say nothing about whether the endpoint works (flow logs off, no metrics
// because no client sent traffic). They are shown apart ("Also noticed") and never set the verdict.

/** True when a result is hygiene: its check marked its warning `advisory` (flow logs off, no traffic while idle). */
export function isAdvisory(result: CheckResult): boolean {
  return result.status === "warn" && result.advisory === true;
}

/** The result with `advisory` kept only on a warning: a failure or an unknown is never hygiene. */
export function classifyAdvisory(result: CheckResult): CheckResult {
  if (!result.advisory || result.status === "warn") return result;
  const { advisory: _ignored, ...rest } = result;
  return rest;
}

/** True when traffic-metrics' only complaint is that no datapoints arrived (an idle endpoint, or one just fixed). */
export function isNoTrafficYet(result: CheckResult): boolean {
  return result.id === "traffic-metrics" && result.status === "warn" && isAdvisory(result);
}
