import type { Finding } from "../diagnosis/check.js";
import type { Endpoint, FlowRecord, FlowRecords, Snapshot } from "../diagnosis/snapshot.js";
import { portsLabel, type ServicePorts } from "./service-port.js";

// REJECT records sorted by whether they are the service's traffic, and the findings about each kind.

const DOCS_RECORDS = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html";
const TOP = 5;
const SAMPLES = 3;

/** The endpoint's REJECTs: on the service's ports (or replies from them), on other ports, or with no ports logged. */
export interface RejectSplit {
  service: FlowRecord[];
  other: FlowRecord[];
  /** The log format records no ports, so these cannot be attributed. */
  unattributed: FlowRecord[];
}

/** The endpoint ENIs' addresses, as the flow-log records write them. */
export function endpointAddresses(snapshot: Snapshot, endpoint: Endpoint): Set<string> {
  return new Set(
    (snapshot.networkInterfaces ?? [])
      .filter((eni) => endpoint.networkInterfaceIds.includes(eni.id))
      .flatMap((eni) => [...eni.privateIpAddresses, ...eni.ipv6Addresses]),
  );
}

function isEni(address: string | undefined, addresses: Set<string>): boolean {
  return addresses.size === 0 || address === undefined || addresses.has(address);
}

/**
 * Requests towards the ENI addresses on a service port, and replies from them off a service port, are the
 * service's traffic; `ports` "all" (a Gateway Load Balancer endpoint carries every port) takes every REJECT.
 */
export function splitRejects(
  rejects: FlowRecord[],
  addresses: Set<string>,
  ports: number[] | "all",
): RejectSplit {
  const split: RejectSplit = { service: [], other: [], unattributed: [] };
  for (const r of rejects) {
    if (ports === "all") {
      split.service.push(r);
      continue;
    }
    const request = r.dstPort !== undefined && ports.includes(r.dstPort) && isEni(r.dstAddr, addresses);
    const reply = r.srcPort !== undefined && ports.includes(r.srcPort) && isEni(r.srcAddr, addresses);
    if (request || reply) split.service.push(r);
    else if (r.dstPort === undefined && r.srcPort === undefined) split.unattributed.push(r);
    else split.other.push(r);
  }
  return split;
}

/** "value (count), ..." for the most frequent values, most frequent first. */
export function top(records: FlowRecord[], key: (r: FlowRecord) => string | undefined, limit = TOP): string {
  const counts = new Map<string, number>();
  for (const r of records) {
    const value = key(r) ?? "?";
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([value, count]) => `${value} (${count})`)
    .join(", ");
}

const dstPortOf = (r: FlowRecord) => (r.dstPort === undefined ? undefined : String(r.dstPort));

/** A few distinct raw lines, one per source first, so the samples show the spread. */
function samples(rejects: FlowRecord[]): FlowRecord[] {
  const picked: FlowRecord[] = [];
  const sources = new Set<string | undefined>();
  for (const r of rejects) {
    if (picked.length < SAMPLES && !sources.has(r.srcAddr)) {
      picked.push(r);
      sources.add(r.srcAddr);
    }
  }
  for (const r of rejects) {
    if (picked.length < SAMPLES && !picked.some((p) => p.raw === r.raw)) picked.push(r);
  }
  return picked;
}

function iso(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}

/** What one set of REJECTs looks like: counts, top sources and ports, time span, samples. */
function rejectEvidence(
  snapshot: Snapshot,
  endpoint: Endpoint,
  rejects: FlowRecord[],
  hours: string,
): string[] {
  const addresses = endpointAddresses(snapshot, endpoint);
  const inbound = rejects.filter((r) => r.dstAddr !== undefined && addresses.has(r.dstAddr)).length;
  const outbound = rejects.filter((r) => r.srcAddr !== undefined && addresses.has(r.srcAddr)).length;
  const starts = rejects.flatMap((r) => (r.start === undefined ? [] : [r.start])).sort((a, b) => a - b);
  const enis = [...new Set(rejects.flatMap((r) => (r.interfaceId ? [r.interfaceId] : [])))];
  const evidence = [
    `observed: ${rejects.length} REJECT record(s) for ${endpoint.networkInterfaceIds.join(", ") || endpoint.id} in the last ${hours}; expected: none`,
    `top sources: ${top(rejects, (r) => r.srcAddr)}`,
    `top destination ports: ${top(rejects, dstPortOf)}`,
  ];
  if (enis.length > 0) evidence.push(`per ENI: ${top(rejects, (r) => r.interfaceId, enis.length)}`);
  if (addresses.size > 0) {
    evidence.push(
      `${inbound} towards the endpoint addresses (${[...addresses].join(", ")}): security group or inbound NACL; ${outbound} from them: outbound NACL (replies on ephemeral ports)`,
    );
  }
  if (starts.length > 0)
    evidence.push(`first at ${iso(starts[0]!)}, last at ${iso(starts[starts.length - 1]!)}`);
  for (const r of samples(rejects)) evidence.push(`sample: ${r.raw}`);
  return evidence;
}

function inspectCommands(snapshot: Snapshot, endpoint: Endpoint, sgs: string[]): string[] {
  return [
    ...(sgs.length > 0
      ? [
          `aws ec2 describe-security-group-rules --region ${snapshot.region} --filters Name=group-id,Values=${sgs.join(",")}`,
        ]
      : []),
    ...(endpoint.subnetIds.length > 0
      ? [
          `aws ec2 describe-network-acls --region ${snapshot.region} --filters Name=association.subnet-id,Values=${endpoint.subnetIds.join(",")}`,
        ]
      : []),
  ];
}

/** The finding for REJECTs of the service's own traffic: a security group or NACL dropped it. */
export function serviceRejectFinding(
  snapshot: Snapshot,
  endpoint: Endpoint,
  records: FlowRecords[],
  rejects: FlowRecord[],
  portText: string,
): Finding {
  const hours = `${snapshot.window.hours} h`;
  const evidence = rejectEvidence(snapshot, endpoint, rejects, hours);
  for (const r of records.filter((g) => g.truncated)) {
    evidence.push(
      `log group ${r.logGroupName}: truncated after ${r.scannedEvents} events: the counts are a lower bound`,
    );
  }
  const sgs = endpoint.securityGroups.map((g) => g.id);
  const nacls = (snapshot.networkAcls ?? [])
    .filter((acl) => acl.subnetIds.some((s) => endpoint.subnetIds.includes(s)))
    .map((acl) => acl.id);
  const enis = [...new Set(rejects.flatMap((r) => (r.interfaceId ? [r.interfaceId] : [])))];
  const commands = inspectCommands(snapshot, endpoint, sgs);
  return {
    severity: "high",
    summary: `${rejects.length} packet flow(s)${portText ? ` ${portText}` : ""} to or from the ENIs of ${endpoint.id} were REJECTed in the last ${hours}`,
    evidence,
    remediation: {
      text: `A REJECT towards the endpoint's addresses means a security group or network ACL dropped it: see the security-groups and network-acls checks, admit the top sources${portText ? ` ${portText}` : ""} in ${sgs.join(", ") || "the endpoint security groups"}, and let the subnet NACLs pass the request inbound and the replies (ports 1024-65535) outbound.`,
      ...(commands.length > 0 ? { command: commands.join(" && ") } : {}),
      docs: DOCS_RECORDS,
    },
    resourceIds: [...new Set([endpoint.id, ...enis, ...sgs, ...nacls])],
  };
}

/** An info note for REJECTs on other ports (scanners and the like): never a fix that opens them. */
export function otherPortsNote(endpoint: Endpoint, other: FlowRecord[], ports: ServicePorts): Finding {
  return {
    severity: "info",
    summary: `${other.length} REJECT${other.length === 1 ? "" : "s"} on other ports than ${ports.label} towards ${endpoint.id}, e.g. from a scanner; not the service's traffic, and refusing them is the security groups doing their job`,
    evidence: [
      `top destination ports: ${top(other, dstPortOf)}`,
      `top sources: ${top(other, (r) => r.srcAddr)}`,
      `the service's ports: ${ports.label}; only REJECTs on them (or replies from them) bear on the verdict`,
    ],
    resourceIds: [endpoint.id],
  };
}

/** A warning for REJECTs that cannot be tied to the service: ports not logged, or the service's port only assumed. */
export function unprovenRejectFinding(
  snapshot: Snapshot,
  endpoint: Endpoint,
  rejects: FlowRecord[],
  ports: ServicePorts,
  why: "assumed" | "no-ports",
): Finding {
  const evidence = rejectEvidence(snapshot, endpoint, rejects, `${snapshot.window.hours} h`);
  if (why === "assumed" && ports.note) evidence.push(ports.note);
  const summary =
    why === "assumed"
      ? `${rejects.length} REJECT record(s) towards the ENIs of ${endpoint.id} on ${portsLabel([...new Set(rejects.flatMap((r) => (r.dstPort === undefined ? [] : [r.dstPort])))])}, but the service's port is only assumed (${ports.label}): if one of those is its listener port, a security group or NACL is dropping its traffic`
      : `${rejects.length} REJECT record(s) for the ENIs of ${endpoint.id} whose log format records no ports: whether they are the service's traffic (${ports.label}) is unknown`;
  return {
    severity: "medium",
    summary,
    evidence,
    remediation: {
      text:
        why === "assumed"
          ? "Rerun with --port <listener port> (or list the service's ports in the config) so the REJECTs can be judged on the service's real port."
          : "Add the srcport and dstport fields to the flow log's format (flow logs cannot be modified: create a new one) so REJECTs can be tied to the service's port.",
      docs: DOCS_RECORDS,
    },
    resourceIds: [endpoint.id],
  };
}
