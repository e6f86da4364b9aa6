import type { Check, CheckOutcome, Finding } from "../diagnosis/check.js";
import type { Endpoint, Snapshot } from "../diagnosis/snapshot.js";
import { isOutcome, notCollected, resolveClient } from "./peers.js";
import { evaluateEgress } from "./security-groups-egress.js";
import { type DirectionVerdict, evaluateIngress, INGRESS_DOCS } from "./security-groups-ingress.js";
import { type ServicePorts, servicePortsOf } from "./service-port.js";

// Security groups are stateful: the endpoint's groups must admit the client inbound on the service's ports and,
// when the client's own groups are known, those must let it out towards the endpoint.

const RANK: Record<DirectionVerdict["status"], number> = { fail: 4, warn: 3, unknown: 2, pass: 1 };

function noGroups(snapshot: Snapshot, endpoint: Endpoint): CheckOutcome {
  const summary = `${endpoint.id} lists no security group, so what it admits could not be checked.`;
  const finding: Finding = {
    severity: "medium",
    summary,
    evidence: [`${endpoint.id} Groups: (none); interface endpoints always have at least one`],
    remediation: {
      text: "Look at the endpoint's groups directly.",
      command: `aws ec2 describe-vpc-endpoints --region ${snapshot.region} --vpc-endpoint-ids ${endpoint.id} --query 'VpcEndpoints[].Groups'`,
      docs: INGRESS_DOCS,
    },
    resourceIds: [endpoint.id],
  };
  return { status: "unknown", summary, findings: [finding] };
}

function assumedNote(endpoint: Endpoint, ports: ServicePorts): Finding[] {
  if (!ports.note) return [];
  return [
    {
      severity: "info",
      summary: `${endpoint.id} serves a custom endpoint service: ${ports.label} was checked as a hypothesis, the provider's listener ports were not.`,
      evidence: [ports.note],
      resourceIds: endpoint.securityGroups.map((g) => g.id),
    },
  ];
}

/** The worst direction sets the status; a pass carries both summaries and the notes. */
function combine(verdicts: DirectionVerdict[], endpoint: Endpoint, ports: ServicePorts): CheckOutcome {
  const worst = verdicts.reduce((a, b) => (RANK[b.status] > RANK[a.status] ? b : a));
  const findings = verdicts
    .filter((v) => v.finding)
    .sort((a, b) => RANK[b.status] - RANK[a.status])
    .map((v) => v.finding!);
  if (worst.status !== "pass") return { status: worst.status, summary: worst.summary, findings };
  const notes = [...verdicts.flatMap((v) => v.notes), ...assumedNote(endpoint, ports)];
  return { status: "pass", summary: `${verdicts.map((v) => v.summary).join("; ")}.`, findings: notes };
}

/** Security groups: the endpoint's groups admit the client on the service's ports, and the client's groups let it out. */
export const securityGroups: Check = {
  id: "security-groups",
  title: "Endpoint security groups admit the client on the service port",
  appliesTo: ["Interface"],
  notApplicable:
    "it has no security group to check (a gateway endpoint has no network interface; a Gateway Load Balancer endpoint does not use security groups).",
  needs: ["securityGroups"],
  docs: INGRESS_DOCS,
  run(snapshot) {
    const endpoint = snapshot.endpoint!;
    if (!snapshot.securityGroups) return notCollected("security groups");
    if (endpoint.securityGroups.length === 0) return noGroups(snapshot, endpoint);
    const ports = servicePortsOf(snapshot);
    const client = resolveClient(snapshot, endpoint);
    if (isOutcome(client)) return client;
    const groups = snapshot.securityGroups;
    const verdicts = [evaluateIngress(snapshot, endpoint, groups, ports, client)];
    if (client.securityGroupIds) {
      verdicts.push(evaluateEgress(snapshot, endpoint, groups, ports, client, client.securityGroupIds));
    }
    return combine(verdicts, endpoint, ports);
  },
};
