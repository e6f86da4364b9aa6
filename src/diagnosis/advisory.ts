import type { CheckResult } from "./check.js";

// Hygiene: findings worth fixing that say nothing about whether the endpoint works (flow logs off, no metrics
// because no client sent traffic). They are shown apart ("Also noticed") and never set the verdict.

/**
 * Results that are hygiene rather than evidence, by check id, until the checks mark them themselves with
 * `advisory: true` on their outcome (flow-logs' "no usable flow log" and traffic-metrics' "no traffic" warnings).
 */
const HYGIENE: Readonly<Record<string, (result: CheckResult) => boolean>> = {
  "flow-logs": (result) => result.status === "warn" && /^no flow log\b/i.test(result.summary),
  "traffic-metrics": (result) => result.status === "warn" && /^no traffic reached\b/i.test(result.summary),
};

/** True when a result is hygiene: its check marked it so, or it is one of the known hygiene warnings. */
export function isAdvisory(result: CheckResult): boolean {
  if (result.advisory) return true;
  return HYGIENE[result.id]?.(result) ?? false;
}

/** The result with `advisory: true` set when it is hygiene (only warnings can be). */
export function classifyAdvisory(result: CheckResult): CheckResult {
  if (result.status !== "warn" || result.advisory || !isAdvisory(result)) return result;
  return { ...result, advisory: true };
}

/** True when traffic-metrics' only complaint is that no datapoints arrived (an idle endpoint, or one just fixed). */
export function isNoTrafficYet(result: CheckResult): boolean {
  return result.id === "traffic-metrics" && result.status === "warn" && isAdvisory(result);
}
