import type { Check, CheckOutcome, Finding } from "../diagnosis/check.js";
import type { Endpoint, Snapshot } from "../diagnosis/snapshot.js";
import { skip, unknownIfGaps } from "./gaps.js";
import { findingFor, NACL_DOCS, passSummary } from "./network-acls-findings.js";
import { type FlowContext, gatewayFlows, interfaceFlows } from "./network-acls-flows.js";
import { applyPortPolicy, softenApproximate } from "./network-acls-ports.js";
import { walk } from "./network-acls-walk.js";
import { type Client, isOutcome, notCollected, resolveClient } from "./peers.js";
import { type ServicePorts, servicePortsOf } from "./service-port.js";

// Network ACLs on the path between the client and the endpoint: the request on the service's real ports, the
// reply on the client's ephemeral ports, at the endpoint's subnets and the mirror image at the source's subnet.
// The walk over the entries is in network-acls-walk.ts, the hops in network-acls-flows.ts, the port policy in
// network-acls-ports.ts, who a narrowed reply range leaves out in network-acls-ephemeral.ts, and the findings in
// network-acls-findings.ts.

/** Network ACLs: the endpoint's and the source's subnets let the request in and the reply out, both ways. */
export const networkAcls: Check = {
  id: "network-acls",
  title: "Network ACLs allow the request on the service port and the reply on ephemeral ports",
  appliesTo: ["Interface", "Gateway"],
  notApplicable: "it carries all protocols, not one service port, so no NACL rule can be judged for it",
  needs: ["networkAcls"],
  docs: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
  run(snapshot) {
    const endpoint = snapshot.endpoint!;
    const gateway = endpoint.type.toLowerCase() === "gateway";
    if (gateway && !snapshot.source) {
      return skip(
        `${endpoint.id} is a gateway endpoint with no subnet of its own; give a source to check its subnet's NACL.`,
      );
    }
    if (!gateway && endpoint.subnetIds.length === 0) {
      return skip(`${endpoint.id} has no subnet, so no NACL sits in front of it.`);
    }
    if (!snapshot.networkAcls) return notCollected("network ACLs");
    const client = resolveClient(snapshot, endpoint);
    if (isOutcome(client)) return client;
    if (gateway && !client.subnetId) {
      return skip(
        `the subnet of ${client.description} is unknown, so its NACL (the only one a gateway endpoint meets) was not checked.`,
      );
    }
    return judge(snapshot, endpoint, client, gateway);
  },
};

function judge(snapshot: Snapshot, endpoint: Endpoint, client: Client, gateway: boolean): CheckOutcome {
  const ports = servicePortsOf(snapshot);
  const context: FlowContext = { notes: [`client: ${client.description}`, ...client.notes], unknowns: [] };
  const flows = (gateway ? gatewayFlows : interfaceFlows)(snapshot, endpoint, client, ports, context);
  const evaluations = flows.map(walk);
  softenApproximate(evaluations);
  const portNotes = applyPortPolicy(evaluations, ports);
  const taken = new Set<string>();
  const failing = evaluations
    .filter((e) => e.status !== "pass" && !e.hidden)
    .sort((a, b) => (a.status === b.status ? 0 : a.status === "fail" ? -1 : 1));
  const findings = failing.map((e) => findingFor(snapshot, e, context.notes, taken));
  if (failing.length > 0) {
    if (context.unknowns.length > 0) findings.push(partlyUnchecked(context.unknowns));
    return {
      status: failing[0]!.status,
      summary: findings[0]!.summary,
      findings: [...findings, ...portNotes],
    };
  }
  if (context.unknowns.length > 0) return unchecked(snapshot, endpoint, client, context);
  if (evaluations.length === 0) {
    return skip(
      `every NACL hop between ${client.description} and ${endpoint.id} stays inside one subnet, where NACLs do not apply.`,
    );
  }
  const passing = evaluations.filter((e) => e.status === "pass");
  return { status: "pass", summary: passSummary(passing), findings: [...portNotes, ...portFindings(ports)] };
}

function partlyUnchecked(unknowns: string[]): Finding {
  return {
    severity: "medium",
    summary: `Part of the NACL path could not be checked: ${unknowns[0]}.`,
    evidence: unknowns,
  };
}

function unchecked(
  snapshot: Snapshot,
  endpoint: Endpoint,
  client: Client,
  context: FlowContext,
): CheckOutcome {
  const summary = `Part of the NACL path could not be checked: ${context.unknowns[0]}.`;
  const subnetGap = unknownIfGaps(snapshot, "subnets", "networkInterfaces");
  const subnets = [...endpoint.subnetIds, ...(client.subnetId ? [client.subnetId] : [])];
  return {
    status: "unknown",
    summary,
    findings: [
      {
        severity: "medium",
        summary,
        evidence: [...context.unknowns, ...(subnetGap ? [subnetGap.summary] : []), ...context.notes],
        remediation: {
          text: "Look up the NACL associated with the subnet and rerun once it can be read.",
          command: `aws ec2 describe-network-acls --region ${snapshot.region} --filters Name=association.subnet-id,Values=${subnets.join(",")}`,
          docs: NACL_DOCS,
        },
      },
    ],
  };
}

/** When the ports checked are only a hypothesis, a pass says so. */
function portFindings(ports: ServicePorts): Finding[] {
  if (ports.basis !== "assumed") return [];
  return [
    {
      severity: "info",
      summary: `${ports.label} was checked as a hypothesis: the endpoint service's listener ports are not known.`,
      evidence: ports.note ? [ports.note] : [],
    },
  ];
}
