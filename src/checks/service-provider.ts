import type { Check, CheckOutcome, Finding } from "../diagnosis/check.js";
import type { Endpoint, LoadBalancer, Snapshot } from "../diagnosis/snapshot.js";
import { skip, unknownIfGaps } from "./gaps.js";
import { isAwsService, servicePortsOf } from "./service-port.js";
import { connectionNotes, securityGroupJudgements } from "./service-provider-access.js";
import { endpointZones, lbLabel, servingLoadBalancers } from "./service-provider-facts.js";
import {
  type Judgement,
  listenerJudgements,
  reachJudgements,
  servedGroups,
  unreadJudgement,
} from "./service-provider-findings.js";

// Runbook: "verify the endpoint service provider configuration". A refused connection is very often the
// provider's load balancer: no listener on the port, no healthy target in the endpoint's AZ with cross-zone
// off, or its security group. Judged only when the provider's account was readable; otherwise skipped with
// what the provider should check.

const DOCS = "https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html";

/** Fails when the provider's NLB/GWLB refuses the client: no listener on its port, no healthy target for its AZ, its security group. */
export const serviceProvider: Check = {
  id: "service-provider",
  title:
    "The service provider's load balancer listens on the client's port with healthy targets in every endpoint AZ",
  appliesTo: ["Interface", "GatewayLoadBalancer"],
  notApplicable: "gateway endpoints route to AWS services, with no provider load balancer behind them",
  needs: [],
  docs: DOCS,
  run(snapshot) {
    const endpoint = snapshot.endpoint!;
    const early = notReadable(snapshot, endpoint);
    if (early) return early;
    if (!snapshot.loadBalancers)
      return (
        unknownIfGaps(snapshot, "loadBalancers") ??
        outcomeOf([unreadJudgement(snapshot, "the load balancers")], [], "")
      );
    const lbs = servingLoadBalancers(snapshot);
    if (lbs.length === 0) {
      return skip(
        `the configuration of ${snapshot.serviceConfiguration!.serviceId} names no load balancer that could be read`,
      );
    }
    const judgements = isGateway(endpoint, lbs)
      ? gatewayJudgements(snapshot, endpoint, lbs)
      : networkJudgements(snapshot, endpoint, lbs);
    return outcomeOf(
      judgements,
      connectionNotes(snapshot, endpoint),
      lbs.map((lb) => lb.name ?? lb.arn).join(", "),
    );
  },
};

function isGateway(endpoint: Endpoint, lbs: LoadBalancer[]): boolean {
  return endpoint.type.toLowerCase() === "gatewayloadbalancer" || lbs.every((lb) => lb.type === "gateway");
}

function networkJudgements(snapshot: Snapshot, endpoint: Endpoint, lbs: LoadBalancer[]): Judgement[] {
  const ports = servicePortsOf(snapshot);
  const listeners = listenerJudgements(snapshot, lbs, ports);
  const served = servedGroups(lbs, ports.ports);
  return [
    ...listeners,
    ...reachJudgements(snapshot, lbs, served, endpointZones(snapshot, endpoint)),
    ...securityGroupJudgements(snapshot, endpoint, lbs, ports.ports),
  ];
}

// A GWLB has one listener for all traffic (GENEVE 6081 to the appliances): judge its presence and the targets.
function gatewayJudgements(snapshot: Snapshot, endpoint: Endpoint, lbs: LoadBalancer[]): Judgement[] {
  if (lbs.some((lb) => lb.listeners === undefined)) return [unreadJudgement(snapshot, "the listeners")];
  const bare = lbs.filter((lb) => (lb.listeners ?? []).length === 0);
  const missing: Judgement[] = bare.map((lb) => ({
    status: "fail",
    finding: {
      severity: "critical",
      summary: `${lb.name ?? lb.arn} has no listener: it forwards no traffic to its appliances`,
      evidence: [`load balancer ${lbLabel(lb)}: no listener`],
      remediation: {
        text: "Add the Gateway Load Balancer's listener, forwarding to its GENEVE target group.",
        command: `aws elbv2 create-listener --region ${snapshot.region} --load-balancer-arn ${lb.arn} --default-actions Type=forward,TargetGroupArn=${lb.targetGroups?.[0]?.arn ?? "<target-group-arn>"}`,
        docs: "https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/gateway-listeners.html",
      },
      resourceIds: [lb.arn],
    },
  }));
  return [
    ...missing,
    ...reachJudgements(snapshot, lbs, servedGroups(lbs, "all"), endpointZones(snapshot, endpoint)),
  ];
}

/** skip (AWS-operated, or another account's service nobody may read) or unknown (the reads failed); else undefined. */
function notReadable(snapshot: Snapshot, endpoint: Endpoint): CheckOutcome | undefined {
  if (snapshot.serviceConfiguration) return undefined;
  const service = snapshot.service;
  if (service === undefined) return unknownIfGaps(snapshot, "service");
  if (isAwsService(endpoint.serviceName) || service?.owner === "amazon") {
    return skip(
      `AWS operates the service side of ${endpoint.serviceName}: there is no provider load balancer to check`,
    );
  }
  const gaps = unknownIfGaps(snapshot, "serviceConfiguration");
  if (gaps) return gaps;
  if (endpoint.serviceRegion && endpoint.serviceRegion !== snapshot.region) {
    return providerSkip(
      snapshot,
      endpoint,
      `${endpoint.serviceName} is in ${endpoint.serviceRegion}; its provider side is not read across regions`,
    );
  }
  const owner = service?.owner ?? "an unknown account";
  return providerSkip(
    snapshot,
    endpoint,
    `the provider of ${endpoint.serviceName} (account ${owner}) is not readable: add provides: [${endpoint.serviceName}] to that account in the config (with its role) to check it`,
  );
}

function providerSkip(snapshot: Snapshot, endpoint: Endpoint, why: string): CheckOutcome {
  const ports = servicePortsOf(snapshot);
  const checklist: Finding = {
    severity: "info",
    summary: `what the provider of ${endpoint.serviceName} should check`,
    evidence: [
      `a listener on ${ports.label}${ports.basis === "assumed" ? " (assumed: give --port)" : ""} on the service's load balancer`,
      `a healthy target in each endpoint AZ (AZ ids: ${
        endpointZones(snapshot, endpoint)
          .map((z) => z.id ?? z.name)
          .join(", ") || "unknown"
      }), or cross-zone load balancing on`,
      "the NLB's security groups admit the clients' private addresses on that port (when they filter PrivateLink traffic)",
      `the endpoint ${endpoint.id} is accepted and its account is an allowed principal`,
    ],
  };
  return { status: "skip", summary: why, findings: [checklist] };
}

const ORDER = ["fail", "warn", "unknown", "pass"] as const;

function outcomeOf(judgements: Judgement[], notes: Finding[], lbNames: string): CheckOutcome {
  const status = ORDER.find((s) => judgements.some((j) => j.status === s)) ?? "pass";
  const findings = [...judgements.flatMap((j) => (j.finding ? [j.finding] : [])), ...notes];
  if (status === "pass") {
    const said = [...new Set(judgements.flatMap((j) => (j.note ? [j.note] : [])))];
    return { status, summary: `${lbNames}: ${said.join("; ") || "nothing to judge"}`, findings };
  }
  const deciding = judgements.find((j) => j.status === status)?.finding;
  return { status, summary: deciding?.summary ?? `${status}`, findings };
}
