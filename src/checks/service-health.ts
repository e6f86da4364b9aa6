import type { Check, CheckOutcome, Finding } from "../diagnosis/check.js";
import type { HealthEvent, Snapshot } from "../diagnosis/snapshot.js";

// Runbook step 1: "verify AWS service health for VPC in region is normal", from the AWS Health API events.

const DOCS_HEALTH_API = "https://docs.aws.amazon.com/health/latest/ug/health-api.html";
const STATUS_PAGE = "https://health.aws.amazon.com/health/status";

/** Health service codes whose events can break an endpoint's traffic. */
const RELEVANT_SERVICES = new Set(["ec2", "vpc", "privatelink"]);

/** Fails on an open AWS Health event for EC2, VPC or PrivateLink in this region; warns on an upcoming one. */
export const serviceHealth: Check = {
  id: "service-health",
  title: "AWS reports no open EC2, VPC or PrivateLink issue in this region",
  appliesTo: "any",
  needs: ["health"],
  docs: "https://docs.aws.amazon.com/health/latest/ug/health-api.html",
  run(snapshot) {
    const health = snapshot.health;
    if (!health) return { status: "unknown", summary: "AWS Health events were not collected", findings: [] };
    if (health.status === "subscription-required") {
      return {
        status: "skip",
        summary: `the AWS Health API needs a Business, Enterprise On-Ramp or Enterprise Support plan; check ${STATUS_PAGE} for EC2, VPC and PrivateLink in ${snapshot.region}`,
        findings: [],
      };
    }
    return judge(
      snapshot,
      health.events.filter((event) => affects(event, snapshot.region)),
    );
  },
};

function judge(snapshot: Snapshot, events: HealthEvent[]): CheckOutcome {
  const region = snapshot.region;
  const open = events.filter((event) => status(event) === "open");
  const upcoming = events.filter((event) => status(event) === "upcoming");
  const closed = events.filter((event) => status(event) === "closed" && endedInWindow(snapshot, event));

  const findings: Finding[] = [
    ...open.map((event) => eventFinding(snapshot, event, "high", "is open")),
    ...upcoming.map((event) => eventFinding(snapshot, event, "medium", "is scheduled")),
    ...closed.map((event) =>
      eventFinding(snapshot, event, "info", `closed at ${event.endTime}, within the window`),
    ),
  ];

  if (open.length > 0) {
    const first = open[0]!;
    const more = open.length > 1 ? ` (and ${open.length - 1} more)` : "";
    return {
      status: "fail",
      summary: `AWS Health reports an open ${first.service} issue in ${scope(first, region)}: ${first.eventTypeCode}${first.startTime ? ` since ${first.startTime}` : ""}${more}`,
      findings,
    };
  }
  if (upcoming.length > 0) {
    const first = upcoming[0]!;
    const more = upcoming.length > 1 ? ` (and ${upcoming.length - 1} more)` : "";
    return {
      status: "warn",
      summary: `AWS Health reports upcoming ${first.service} event ${first.eventTypeCode} in ${scope(first, region)}${first.startTime ? ` starting ${first.startTime}` : ""}${more}`,
      findings,
    };
  }
  const recently = closed.length > 0 ? `; ${closed.length} closed during the window` : "";
  return {
    status: "pass",
    summary: `AWS Health reports no open EC2, VPC or PrivateLink event in ${region}${recently}`,
    findings,
  };
}

function eventFinding(
  snapshot: Snapshot,
  event: HealthEvent,
  severity: Finding["severity"],
  what: string,
): Finding {
  const evidence = [
    `event ${event.arn}`,
    `service ${event.service}, type ${event.eventTypeCode}, status ${event.statusCode}, region ${event.region ?? "global"}`,
  ];
  const times = [
    event.startTime ? `start ${event.startTime}` : undefined,
    event.endTime ? `end ${event.endTime}` : undefined,
    event.lastUpdatedTime ? `last updated ${event.lastUpdatedTime}` : undefined,
  ].filter((part): part is string => part !== undefined);
  if (times.length > 0) evidence.push(times.join(", "));
  const text =
    severity === "high"
      ? `AWS is working on it: follow the event's updates, fail over to another region or AZ if you can, and rerun the diagnosis once it closes.`
      : severity === "medium"
        ? "Read the event details and plan for the scheduled change before it starts."
        : "The event may explain symptoms seen earlier in the window; compare its times with the incident.";
  return {
    severity,
    summary: `AWS Health event ${event.eventTypeCode} for ${event.service} in ${scope(event, snapshot.region)} ${what}`,
    evidence,
    remediation: {
      text,
      command: `aws health describe-event-details --region ${healthApiRegion(snapshot.region)} --event-arns ${event.arn}`,
      docs: DOCS_HEALTH_API,
    },
    resourceIds: [event.arn],
  };
}

function affects(event: HealthEvent, region: string): boolean {
  if (!RELEVANT_SERVICES.has(event.service.toLowerCase())) return false;
  const eventRegion = event.region?.toLowerCase();
  return (
    eventRegion === undefined || eventRegion === "" || eventRegion === "global" || eventRegion === region
  );
}

function status(event: HealthEvent): string {
  return event.statusCode.toLowerCase();
}

function scope(event: HealthEvent, region: string): string {
  const eventRegion = event.region?.toLowerCase();
  return eventRegion && eventRegion !== "global" ? region : "all regions (global)";
}

function endedInWindow(snapshot: Snapshot, event: HealthEvent): boolean {
  if (!event.endTime) return false;
  const end = Date.parse(event.endTime);
  const start = Date.parse(snapshot.window.start);
  const collected = Date.parse(snapshot.collectedAt);
  if (Number.isNaN(end) || Number.isNaN(start)) return false;
  return end >= start && (Number.isNaN(collected) || end <= collected);
}

/** The Health API answers from its partition's global region. */
function healthApiRegion(region: string): string {
  if (region.startsWith("cn-")) return "cn-northwest-1";
  if (region.startsWith("us-gov-")) return "us-gov-west-1";
  return "us-east-1";
}
