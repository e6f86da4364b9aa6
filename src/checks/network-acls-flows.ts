import type { Endpoint, NetworkAcl, Snapshot } from "../diagnosis/snapshot.js";
import { EPHEMERAL, type Flow } from "./network-acls-walk.js";
import { type Client, endpointTargets } from "./peers.js";
import type { ServicePorts } from "./service-port.js";

// The hops a conversation between the client and the endpoint crosses, each against the NACL that judges it:
// the request on every service port and the reply on the client's ephemeral ports, at the endpoint's subnets
// and (when the source's subnet is known) the mirror image at the source's subnet.

/** What building the flows learnt besides the flows: evidence notes and hops that could not be checked. */
export interface FlowContext {
  notes: string[];
  unknowns: string[];
}

const EPHEMERAL_LABEL = `tcp/${EPHEMERAL[0]}-${EPHEMERAL[1]}`;

/** The NACL associated with a subnet, when collected. */
export function naclOf(snapshot: Snapshot, subnetId: string): NetworkAcl | undefined {
  return snapshot.networkAcls?.find((acl) => acl.subnetIds.includes(subnetId));
}

/** Adds a flow, or merges its subnet into an identical flow on the same NACL (subnets sharing one NACL). */
function addFlow(flows: Flow[], flow: Flow) {
  const same = flows.find(
    (f) =>
      f.nacl.id === flow.nacl.id &&
      f.side === flow.side &&
      f.path === flow.path &&
      f.egress === flow.egress &&
      f.peer === flow.peer &&
      f.ports[0] === flow.ports[0] &&
      f.ports[1] === flow.ports[1],
  );
  if (!same) flows.push(flow);
  else for (const id of flow.subnetIds) if (!same.subnetIds.includes(id)) same.subnetIds.push(id);
}

type Hop = Omit<Flow, "path" | "egress" | "ports" | "story" | "consequence">;

/** The request on each service port and the reply on ephemeral ports, for one hop. */
function conversation(
  flows: Flow[],
  hop: Hop,
  ports: ServicePorts,
  inbound: boolean,
  text: { request: (port: number) => string; reply: string; timeout: string; hang: string },
) {
  for (const port of ports.ports) {
    addFlow(flows, {
      ...hop,
      subnetIds: [...hop.subnetIds],
      path: "request",
      egress: !inbound,
      ports: [port, port],
      story: text.request(port),
      consequence: text.timeout,
    });
  }
  addFlow(flows, {
    ...hop,
    subnetIds: [...hop.subnetIds],
    path: "reply",
    egress: inbound,
    ports: EPHEMERAL,
    story: text.reply,
    consequence: text.hang,
  });
}

/** The hops of an interface endpoint: its subnets' NACLs, then the source subnet's NACL toward each of them. */
export function interfaceFlows(
  snapshot: Snapshot,
  endpoint: Endpoint,
  client: Client,
  ports: ServicePorts,
  context: FlowContext,
): Flow[] {
  const flows: Flow[] = [];
  const judge = client.precise ? "precise" : "approximate";
  for (const subnetId of endpoint.subnetIds) {
    if (client.subnetId === subnetId) {
      context.notes.push(
        `the source is in ${subnetId}: traffic between it and the endpoint's interface there stays inside the subnet, where NACLs do not apply`,
      );
      continue;
    }
    const nacl = naclOf(snapshot, subnetId);
    if (!nacl) {
      context.unknowns.push(`no NACL in the snapshot is associated with endpoint subnet ${subnetId}`);
      continue;
    }
    for (const block of client.blocks) {
      const hop: Hop = { nacl, subnetIds: [subnetId], side: "endpoint", peer: block, judge };
      conversation(flows, hop, ports, true, {
        request: (port) => `client ${block} -> ${endpoint.id} on tcp/${port}`,
        reply: `${endpoint.id} -> client ${block} on its ephemeral ports ${EPHEMERAL_LABEL}`,
        timeout: `connections from ${block} to ${endpoint.id} time out`,
        hang: `replies from ${endpoint.id} to ${block} are lost and connections hang`,
      });
    }
  }
  return [...flows, ...sourceFlows(snapshot, endpoint, client, ports, context)];
}

function sourceFlows(
  snapshot: Snapshot,
  endpoint: Endpoint,
  client: Client,
  ports: ServicePorts,
  context: FlowContext,
): Flow[] {
  const sourceSubnet = client.subnetId;
  const others = endpoint.subnetIds.filter((id) => id !== sourceSubnet);
  if (!sourceSubnet || others.length === 0) return [];
  const nacl = naclOf(snapshot, sourceSubnet);
  if (!nacl) {
    context.unknowns.push(`no NACL in the snapshot is associated with source subnet ${sourceSubnet}`);
    return [];
  }
  const { targets, unresolved } = endpointTargets(snapshot, { ...endpoint, subnetIds: others });
  for (const id of unresolved) {
    context.unknowns.push(
      `the addresses of ${endpoint.id} in ${id} are unknown (neither its ENI nor the subnet was collected)`,
    );
  }
  const flows: Flow[] = [];
  for (const target of targets) {
    for (const block of target.blocks) {
      const judge = target.via === "eni" ? "precise" : "approximate";
      const hop: Hop = { nacl, subnetIds: [sourceSubnet], side: "source", peer: block, judge };
      conversation(flows, hop, ports, false, {
        request: (port) => `${client.description} -> ${endpoint.id} at ${target.description} on tcp/${port}`,
        reply: `${endpoint.id} at ${target.description} -> ${client.description} on ephemeral ports ${EPHEMERAL_LABEL}`,
        timeout: `connections from the source to ${endpoint.id} in ${target.subnetId} time out`,
        hang: `replies from ${endpoint.id} in ${target.subnetId} never reach the source and connections hang`,
      });
    }
  }
  return flows;
}

/** The hops of a gateway endpoint: only the source subnet's NACL, toward the service's public addresses. */
export function gatewayFlows(
  snapshot: Snapshot,
  endpoint: Endpoint,
  client: Client,
  ports: ServicePorts,
  context: FlowContext,
): Flow[] {
  const subnetId = client.subnetId!;
  const nacl = naclOf(snapshot, subnetId);
  if (!nacl) {
    context.unknowns.push(`no NACL in the snapshot is associated with source subnet ${subnetId}`);
    return [];
  }
  const prefixLists = [
    ...new Set(
      (snapshot.routeTables ?? []).flatMap((rt) =>
        rt.routes
          .filter((r) => r.gatewayId === endpoint.id && r.destinationPrefixListId)
          .map((r) => r.destinationPrefixListId!),
      ),
    ),
  ];
  context.notes.push(
    `NACLs cannot reference prefix lists: traffic to ${endpoint.serviceName} through ${endpoint.id}${
      prefixLists.length ? ` (prefix list ${prefixLists.join(", ")})` : ""
    } goes to the service's public addresses, so outbound ${ports.label} to 0.0.0.0/0 (or to all of the service's published ranges) must be allowed`,
  );
  const flows: Flow[] = [];
  const hop: Hop = { nacl, subnetIds: [subnetId], side: "source", peer: "0.0.0.0/0", judge: "internet" };
  conversation(flows, hop, ports, false, {
    request: (port) =>
      `${client.description} -> ${endpoint.serviceName} via gateway endpoint ${endpoint.id} on tcp/${port}`,
    reply: `${endpoint.serviceName} -> ${client.description} on ephemeral ports ${EPHEMERAL_LABEL}`,
    timeout: `requests to ${endpoint.serviceName} never leave ${subnetId}`,
    hang: `replies from ${endpoint.serviceName} never reach ${subnetId} and connections hang`,
  });
  return flows;
}
