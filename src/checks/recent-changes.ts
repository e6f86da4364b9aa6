import type { Check, CheckResult, Finding } from "../diagnosis/check.js";
import type { TrailEvent } from "../diagnosis/snapshot.js";

// Recent changes: who changed the endpoint or what guards it, and did that touch what is broken now?

const DOCS = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events-cli.html";

/** How many changes are listed one by one before "...and N more". */
const MAX_LISTED = 20;

/** Resources implicated by checks that failed or warned, with the checks that name each one. */
type Implicated = Map<string, { id: string; status: "fail" | "warn" }[]>;

/** Correlates recent write events on the endpoint and what guards it with what earlier checks found. */
export const recentChanges: Check = {
  id: "recent-changes",
  title: "No recent change touched a resource that a failing check implicates",
  appliesTo: ["Interface", "Gateway", "GatewayLoadBalancer"],
  needs: ["cloudTrail"],
  docs: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events.html",
  run(snapshot, earlier) {
    const endpoint = snapshot.endpoint!;
    const trail = snapshot.cloudTrail;
    if (!trail) {
      return {
        status: "unknown",
        summary: `CloudTrail events for ${endpoint.id} were not collected`,
        findings: [],
      };
    }
    const hours = `${snapshot.window.hours} h`;
    const scope = `${endpoint.id}, its security groups, NACLs or route tables`;
    const truncated = trail.truncated ? ` (the scan read only the newest ${trail.scannedEvents} events)` : "";
    const changes = [...trail.changes].sort((a, b) => timeOf(b) - timeOf(a));
    if (changes.length === 0) {
      return {
        status: "pass",
        summary: `no changes to ${scope} in the last ${hours}${truncated}`,
        findings: [],
      };
    }

    const implicated = implicatedResources(earlier);
    const correlated: { finding: Finding; status: "fail" | "warn" }[] = [];
    const others: TrailEvent[] = [];
    for (const change of changes) {
      const match = change.errorCode ? undefined : correlate(change, implicated);
      if (!match) {
        others.push(change);
        continue;
      }
      correlated.push({ status: match.status, finding: correlatedFinding(change, match, snapshot.region) });
    }

    const room = Math.max(0, MAX_LISTED - correlated.length);
    const listed = others.slice(0, room).map(infoFinding);
    const rest = others.length - listed.length;
    const findings = [
      ...correlated.map((c) => c.finding),
      ...listed,
      ...(rest > 0
        ? [
            {
              severity: "info" as const,
              summary: `...and ${rest} more change${rest === 1 ? "" : "s"}`,
              evidence: [],
            },
          ]
        : []),
    ];
    const failing = correlated.find((c) => c.status === "fail");
    if (failing) return { status: "fail", summary: failing.finding.summary, findings };
    const warning = correlated.find((c) => c.status === "warn");
    if (warning) return { status: "warn", summary: warning.finding.summary, findings };
    const count = `${changes.length} change${changes.length === 1 ? "" : "s"}`;
    return {
      status: "pass",
      summary: `${count} to ${scope} in the last ${hours}, none to a resource a failing or warning check names${truncated}`,
      findings,
    };
  },
};

/** Every resource id named by a non-informational finding of a check that failed or warned. */
function implicatedResources(earlier: ReadonlyMap<string, CheckResult>): Implicated {
  const out: Implicated = new Map();
  for (const result of earlier.values()) {
    if (result.status !== "fail" && result.status !== "warn") continue;
    for (const finding of result.findings) {
      if (finding.severity === "info") continue;
      for (const resourceId of finding.resourceIds ?? []) {
        const key = resourceId.toLowerCase();
        const checks = out.get(key) ?? [];
        if (!checks.some((check) => check.id === result.id))
          checks.push({ id: result.id, status: result.status });
        out.set(key, checks);
      }
    }
  }
  return out;
}

interface Match {
  resourceId: string;
  checks: string[];
  status: "fail" | "warn";
}

/** The first resource of the change that a check implicates, preferring failing checks over warning ones. */
function correlate(change: TrailEvent, implicated: Implicated): Match | undefined {
  let best: Match | undefined;
  for (const resourceId of change.resourceIds) {
    const checks = implicated.get(resourceId.toLowerCase());
    if (!checks) continue;
    const failing = checks.filter((check) => check.status === "fail").map((check) => check.id);
    if (failing.length > 0) return { resourceId, checks: failing, status: "fail" };
    best ??= { resourceId, checks: checks.map((check) => check.id), status: "warn" };
  }
  return best;
}

function correlatedFinding(change: TrailEvent, match: Match, region: string): Finding {
  const verb =
    match.status === "fail"
      ? match.checks.length === 1
        ? "fails"
        : "fail"
      : match.checks.length === 1
        ? "warns"
        : "warn";
  return {
    severity: match.status === "fail" ? "high" : "medium",
    summary: `${match.resourceId} was changed by ${who(change)} at ${change.eventTime} (${change.eventName}), and ${match.checks.join(" and ")} ${verb} on it`,
    evidence: [
      describe(change),
      `resources: ${change.resourceIds.join(", ")}`,
      `${match.checks.join(", ")} implicate${match.checks.length === 1 ? "s" : ""} ${match.resourceId}`,
    ],
    remediation: {
      text: `Review this change in CloudTrail and revert it if it was not intended (CloudTrail event ${change.eventId}).`,
      command: `aws cloudtrail lookup-events --region ${region} --lookup-attributes AttributeKey=ResourceName,AttributeValue=${match.resourceId}`,
      docs: DOCS,
    },
    resourceIds: change.resourceIds,
  };
}

function infoFinding(change: TrailEvent): Finding {
  const target = change.resourceIds.length > 0 ? change.resourceIds.join(", ") : "a watched resource";
  const failed = change.errorCode ? ` (failed with ${change.errorCode}, so it changed nothing)` : "";
  return {
    severity: "info",
    summary: `${who(change)} ran ${change.eventName} on ${target} at ${change.eventTime}${failed}`,
    evidence: [describe(change)],
    resourceIds: change.resourceIds,
  };
}

function describe(change: TrailEvent): string {
  const from = change.sourceIp ? ` from ${change.sourceIp}` : "";
  const error = change.errorCode
    ? `, error ${change.errorCode}${change.errorMessage ? `: ${change.errorMessage}` : ""}`
    : "";
  return `${change.eventTime} ${change.eventName} by ${who(change)}${from} (event ${change.eventId}${error})`;
}

function who(change: TrailEvent): string {
  return change.username ?? change.principalArn ?? "an unknown principal";
}

function timeOf(change: TrailEvent): number {
  const time = Date.parse(change.eventTime);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}
