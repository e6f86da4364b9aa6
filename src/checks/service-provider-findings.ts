import type { CheckStatus, Finding } from "../diagnosis/check.js";
import type { LoadBalancer, Snapshot, TargetGroup } from "../diagnosis/snapshot.js";
import { describeGap, gapsFor } from "./gaps.js";
import type { ServicePorts } from "./service-port.js";
import {
  type EndpointZone,
  type GroupReach,
  groupLabel,
  groupReach,
  label,
  lbLabel,
  listenersOn,
  sameAccountProvider,
  targetLines,
} from "./service-provider-facts.js";

// Facts to findings for the service-provider check: listeners on the client's ports, healthy targets per
// endpoint AZ. Every fix adds (a listener, a target, cross-zone): none removes or narrows what works today.

/** One judgement of the check: its status, and the finding that explains anything short of a pass. */
export interface Judgement {
  status: Exclude<CheckStatus, "skip">;
  /** Pass: a phrase for the summary. */
  note?: string;
  finding?: Finding;
}

const DOCS_LISTENERS =
  "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html";
const DOCS_CROSS_ZONE =
  "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-cross-zone.html";
const DOCS_HEALTH =
  "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html";

const PORT_ORIGIN: Record<ServicePorts["basis"], string> = {
  request: "named with --port",
  config: "from the config's services list",
  listener: "a listener port",
  "aws-service": "the service's port",
  assumed: "assumed: no port was given",
};

/** Who runs the commands: "in this account" or "in the provider's account 444455556666 (alias)". */
export function whereToRun(snapshot: Snapshot): string {
  const provider = snapshot.serviceConfiguration?.provider;
  if (!provider || provider.accountId === snapshot.accountId) return "in this account";
  return `in the provider's account ${provider.accountId}${provider.alias ? ` (${provider.alias})` : ""}`;
}

/** An `unknown` judgement naming the load-balancer reads that failed. */
export function unreadJudgement(snapshot: Snapshot, what: string): Judgement {
  const gaps = gapsFor(snapshot, "loadBalancers");
  const why = gaps.length > 0 ? gaps.map(describeGap).join("; ") : `${what} not collected`;
  return {
    status: "unknown",
    finding: {
      severity: "medium",
      summary: `${what} could not be read, so this part is not judged`,
      evidence: [why],
    },
  };
}

/** Per client port: a listener on every serving NLB, else "connection refused". */
export function listenerJudgements(
  snapshot: Snapshot,
  lbs: LoadBalancer[],
  ports: ServicePorts,
): Judgement[] {
  if (lbs.some((lb) => lb.listeners === undefined)) return [unreadJudgement(snapshot, "the listeners")];
  return ports.ports.map((port) => {
    const missing = lbs.filter((lb) => listenersOn(lb, port).length === 0);
    if (missing.length === 0) return { status: "pass" as const, note: `a listener on tcp/${port}` };
    return { status: "fail" as const, finding: noListener(snapshot, missing[0]!, port, ports) };
  });
}

function noListener(snapshot: Snapshot, lb: LoadBalancer, port: number, ports: ServicePorts): Finding {
  const listening = (lb.listeners ?? []).map((l) => `${l.protocol ?? "?"}/${l.port ?? "?"}`);
  const group = (lb.targetGroups ?? []).find((g) => g.port === port) ?? lb.targetGroups?.[0];
  const command = `aws elbv2 create-listener --region ${snapshot.region} --load-balancer-arn ${lb.arn} --protocol TCP --port ${port} --default-actions Type=forward,TargetGroupArn=${group?.arn ?? "<target-group-arn>"}`;
  return {
    severity: "critical",
    summary:
      listening.length === 0
        ? `${lb.name ?? lb.arn} has no listener at all: every connection to the endpoint is refused`
        : `${lb.name ?? lb.arn} has no listener on tcp/${port}: connections to the endpoint on ${port} are refused`,
    evidence: [
      `load balancer ${lbLabel(lb)} listens on: ${listening.length > 0 ? listening.join(", ") : "(nothing)"}`,
      `the client's port: tcp/${port} (${PORT_ORIGIN[ports.basis]})`,
    ],
    remediation: {
      text: `Add a TCP listener on ${port} ${whereToRun(snapshot)}${group ? `, forwarding to ${group.name ?? group.arn}` : " (create the target group first)"}; or point the client at a port the load balancer listens on.`,
      command,
      docs: DOCS_LISTENERS,
    },
    resourceIds: [lb.arn],
  };
}

/** The target groups the listeners on the client's ports forward to (all of a GWLB's listeners). */
export function servedGroups(
  lbs: LoadBalancer[],
  ports: number[] | "all",
): { lb: LoadBalancer; group: TargetGroup }[] {
  return lbs.flatMap((lb) => {
    const listeners = ports === "all" ? (lb.listeners ?? []) : ports.flatMap((p) => listenersOn(lb, p));
    const arns = new Set(listeners.flatMap((l) => l.targetGroupArns));
    return (lb.targetGroups ?? []).filter((g) => arns.has(g.arn)).map((group) => ({ lb, group }));
  });
}

/** Per target group: a healthy target reachable from each endpoint AZ. */
export function reachJudgements(
  snapshot: Snapshot,
  lbs: LoadBalancer[],
  served: { lb: LoadBalancer; group: TargetGroup }[],
  zones: EndpointZone[],
): Judgement[] {
  if (lbs.some((lb) => lb.targetGroups === undefined))
    return [unreadJudgement(snapshot, "the target groups")];
  const same = sameAccountProvider(snapshot);
  return served.map(({ lb, group }) => {
    if (group.targets === undefined)
      return unreadJudgement(snapshot, `the target health of ${group.name ?? group.arn}`);
    return reachJudgement(snapshot, groupReach(lb, group, zones, same));
  });
}

function reachJudgement(snapshot: Snapshot, reach: GroupReach): Judgement {
  const blocked = reach.zones.filter((z) => z.status === "none");
  const unsure = reach.zones.filter((z) => z.status === "unknown");
  if (blocked.length > 0)
    return {
      status: "fail",
      finding: unreachable(
        snapshot,
        reach,
        blocked.map((z) => z.zone),
      ),
    };
  if (unsure.length > 0) {
    return {
      status: "warn",
      finding: {
        severity: "medium",
        summary: `whether ${reach.group.name ?? reach.group.arn} has a healthy target for ${unsure.map((z) => label(z.zone)).join(", ")} could not be proven`,
        evidence: [...unsure.map((z) => z.why), ...targetLines(reach.group)],
        remediation: {
          text: "Check the targets' health and AZs with the command below.",
          command: healthCommand(snapshot, reach.group),
          docs: DOCS_HEALTH,
        },
        resourceIds: [reach.group.arn],
      },
    };
  }
  const sick = (reach.group.targets ?? []).filter((t) => t.state.toLowerCase() === "unhealthy");
  const note = `${reach.group.name ?? reach.group.arn} has a healthy target for every endpoint AZ`;
  if (sick.length === 0) return { status: "pass", note };
  return {
    status: "pass",
    note,
    finding: {
      severity: "info",
      summary: `${sick.length} target(s) of ${reach.group.name ?? reach.group.arn} are unhealthy; the healthy ones still serve every endpoint AZ`,
      evidence: targetLines(reach.group),
      remediation: {
        text: "Unhealthy targets get no traffic; fix them to restore capacity.",
        command: healthCommand(snapshot, reach.group),
        docs: DOCS_HEALTH,
      },
      resourceIds: [reach.group.arn],
    },
  };
}

function unreachable(snapshot: Snapshot, reach: GroupReach, zones: EndpointZone[]): Finding {
  const { group, lb } = reach;
  const name = group.name ?? group.arn;
  const everywhere = reach.healthy.length === 0;
  const summary = everywhere
    ? `${name} has no healthy target: connections through ${lb.name ?? lb.arn} are refused or time out`
    : `${name} has no healthy target in ${zones.map(label).join(", ")} and cross-zone load balancing is off: clients using the endpoint ENI there (${zones.flatMap((z) => z.eniIds).join(", ") || "its ENI"}) are refused`;
  return {
    severity: "critical",
    summary,
    evidence: [
      `target group ${groupLabel(group)} on ${lb.name ?? lb.arn}; cross-zone load balancing: ${crossZoneText(reach)}`,
      ...targetLines(group),
      `endpoint AZs: ${reach.zones.map((z) => `${label(z.zone)}: ${z.why}`).join("; ")}`,
    ],
    remediation: everywhere ? healthyAgain(snapshot, group) : crossZoneFix(snapshot, group, zones),
    resourceIds: [group.arn, lb.arn],
  };
}

function crossZoneText(reach: GroupReach): string {
  const own = reach.group.crossZone ?? "not read";
  const value = reach.crossZone === undefined ? "unknown" : reach.crossZone ? "on" : "off";
  return `${value} (target group: ${own}; load balancer: ${reach.lb.crossZone ?? "not read"})`;
}

function crossZoneFix(snapshot: Snapshot, group: TargetGroup, zones: EndpointZone[]) {
  return {
    text: `Register a healthy target in ${zones.map(label).join(", ")} (aws elbv2 register-targets --target-group-arn ${group.arn} --targets Id=<target in that AZ>), or turn cross-zone load balancing on for the target group (the command below; cross-AZ data charges apply) ${whereToRun(snapshot)}.`,
    command: `aws elbv2 modify-target-group-attributes --region ${snapshot.region} --target-group-arn ${group.arn} --attributes Key=load_balancing.cross_zone.enabled,Value=true`,
    docs: DOCS_CROSS_ZONE,
  };
}

function healthyAgain(snapshot: Snapshot, group: TargetGroup) {
  const hc = group.healthCheck;
  return {
    text: `Make the targets pass their health check (${hc.protocol ?? "?"} on port ${hc.port ?? "?"}${hc.path ? ` ${hc.path}` : ""}) or register healthy ones ${whereToRun(snapshot)}; the command below shows why each target fails.`,
    command: healthCommand(snapshot, group),
    docs: DOCS_HEALTH,
  };
}

function healthCommand(snapshot: Snapshot, group: TargetGroup): string {
  return `aws elbv2 describe-target-health --region ${snapshot.region} --target-group-arn ${group.arn}`;
}
