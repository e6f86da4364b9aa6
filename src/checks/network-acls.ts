import type { Check, Finding } from "../diagnosis/check.js";
import type { Endpoint, NaclEntry, NetworkAcl, Snapshot } from "../diagnosis/snapshot.js";
import {
  type AddressSet,
  cidrSet,
  covers,
  emptySet,
  formatPorts,
  formatSet,
  intersect,
  intersectRanges,
  isEmptySet,
  portRange,
  type Ranges,
  subtract,
  subtractRanges,
  toCidrs,
  union,
} from "./address-set.js";
import { skip, skipWithoutEndpoint, unknownIfGaps } from "./gaps.js";
import { type Client, endpointTargets, isOutcome, notCollected, resolveClient } from "./peers.js";
import { type ServicePort, servicePort } from "./service-port.js";

// NACLs are stateless and ordered: for every hop of the request and of the reply, walk the entries lowest
// number first, first match wins, and whatever no entry matches falls to the implicit deny. Traffic is
// evaluated as a set of (address, port) pairs, so a deny that covers part of the clients or part of the
// ephemeral range before an allow is reported with exactly the part it drops.

const DOCS = "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html";
const EPHEMERAL: [number, number] = [1024, 65535];
const IMPLICIT_RULE = 32767;

const PRIVATE_IPV4 = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/3",
].reduce((set, cidr) => union(set, cidrSet(cidr)!), emptySet(4));

/** One hop of one direction of the conversation, checked against one NACL. */
interface Flow {
  nacl: NetworkAcl;
  subnetIds: string[];
  side: "endpoint" | "source";
  path: "request" | "reply";
  egress: boolean;
  /** The far end of the hop, as one CIDR. */
  peer: string;
  ports: [number, number];
  /** precise: every address of `peer` must pass; approximate: `peer` stands in for the client; internet: AWS public ranges. */
  judge: "precise" | "approximate" | "internet";
  /** "client 10.0.0.0/16 -> endpoint vpce-... on tcp/443". */
  story: string;
  /** What breaks when this hop drops traffic. */
  consequence: string;
}

interface Denial {
  /** The denying entry's number; undefined for the implicit deny. */
  rule?: number;
  addrs: AddressSet;
  ports: Ranges;
}

interface Evaluation {
  flow: Flow;
  denials: Denial[];
  allowedBy: number[];
  status: "pass" | "fail" | "warn";
}

interface Rect {
  addrs: AddressSet;
  ports: Ranges;
}

function entryPorts(entry: NaclEntry): Ranges | undefined {
  const protocol = entry.protocol.toLowerCase();
  if (protocol === "-1" || protocol === "all") return portRange(0, 65535);
  if (protocol !== "6" && protocol !== "tcp") return undefined;
  if (entry.fromPort === undefined || entry.toPort === undefined) return portRange(0, 65535);
  return portRange(entry.fromPort, entry.toPort);
}

function describeEntry(entry: NaclEntry): string {
  const protocol = entry.protocol.toLowerCase();
  const number = entry.ruleNumber === IMPLICIT_RULE ? "*" : `${entry.ruleNumber}`;
  let traffic: string;
  if (protocol === "-1" || protocol === "all") traffic = "all";
  else {
    const name =
      protocol === "6"
        ? "tcp"
        : protocol === "17"
          ? "udp"
          : protocol === "1"
            ? "icmp"
            : `protocol ${protocol}`;
    const ports =
      entry.fromPort === undefined || entry.toPort === undefined
        ? ""
        : entry.fromPort === entry.toPort
          ? ` ${entry.fromPort}`
          : ` ${entry.fromPort}-${entry.toPort}`;
    traffic = `${name}${ports}`;
  }
  return `${number} ${entry.action} ${traffic} ${entry.cidrIpv4 ?? entry.cidrIpv6 ?? "(no CIDR)"}`;
}

function sortedEntries(nacl: NetworkAcl, egress: boolean): NaclEntry[] {
  return nacl.entries.filter((e) => e.egress === egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
}

/** Walks the entries of one direction over the (address, port) space of the flow. */
function evaluate(flow: Flow): Evaluation {
  const peer = cidrSet(flow.peer)!;
  let remaining: Rect[] = [{ addrs: peer, ports: portRange(flow.ports[0], flow.ports[1]) }];
  const denials: Denial[] = [];
  const allowedBy: number[] = [];
  for (const entry of sortedEntries(flow.nacl, flow.egress)) {
    if (remaining.length === 0) break;
    const cidr = peer.family === 4 ? entry.cidrIpv4 : entry.cidrIpv6;
    const entryAddrs = cidr ? cidrSet(cidr) : undefined;
    const ports = entryPorts(entry);
    if (!entryAddrs || entryAddrs.family !== peer.family || !ports) continue;
    const next: Rect[] = [];
    for (const rect of remaining) {
      const addrs = intersect(rect.addrs, entryAddrs);
      const matchedPorts = intersectRanges(rect.ports, ports);
      if (isEmptySet(addrs) || matchedPorts.length === 0) {
        next.push(rect);
        continue;
      }
      if (entry.action === "deny") {
        // The "*" entry (32767) is the implicit deny itself.
        const rule = entry.ruleNumber >= IMPLICIT_RULE ? undefined : entry.ruleNumber;
        denials.push({ ...(rule === undefined ? {} : { rule }), addrs, ports: matchedPorts });
      } else if (!allowedBy.includes(entry.ruleNumber)) allowedBy.push(entry.ruleNumber);
      const outside = subtract(rect.addrs, entryAddrs);
      if (!isEmptySet(outside)) next.push({ addrs: outside, ports: rect.ports });
      const otherPorts = subtractRanges(rect.ports, ports);
      if (otherPorts.length > 0) next.push({ addrs, ports: otherPorts });
    }
    remaining = next;
  }
  for (const rect of remaining) denials.push({ addrs: rect.addrs, ports: rect.ports });
  return { flow, denials: mergeDenials(denials), allowedBy, status: judge(flow, peer, denials) };
}

function mergeDenials(denials: Denial[]): Denial[] {
  const merged: Denial[] = [];
  for (const d of denials) {
    const same = merged.find((m) => m.rule === d.rule && formatPorts(m.ports) === formatPorts(d.ports));
    if (same) same.addrs = union(same.addrs, d.addrs);
    else merged.push({ ...d });
  }
  return merged.sort((a, b) => (a.rule ?? IMPLICIT_RULE) - (b.rule ?? IMPLICIT_RULE));
}

function judge(flow: Flow, peer: AddressSet, denials: Denial[]): Evaluation["status"] {
  if (denials.length === 0) return "pass";
  const denied = denials.reduce((set, d) => union(set, d.addrs), emptySet(peer.family));
  if (flow.judge === "internet") {
    // Only addresses that pass on every port count; if none of them is public, AWS's ranges are all dropped.
    const open = subtract(peer, denied);
    return isEmptySet(open) || covers(PRIVATE_IPV4, open) ? "fail" : "warn";
  }
  if (flow.judge === "approximate" && !covers(denied, peer)) return "warn";
  return "fail";
}

function direction(flow: Flow): { dir: string; prep: string; flag: string } {
  return flow.egress
    ? { dir: "outbound", prep: "to", flag: "--egress" }
    : { dir: "inbound", prep: "from", flag: "--ingress" };
}

/** The addresses, or "<peer> except <the rest>" when that is shorter (most of 0.0.0.0/0, say). */
function describeAddrs(flow: Flow, addrs: AddressSet): string {
  const rest = subtract(cidrSet(flow.peer)!, addrs);
  if (toCidrs(addrs).length > 4 && toCidrs(rest).length < toCidrs(addrs).length) {
    return `${flow.peer} except ${formatSet(rest, 4)}`;
  }
  return formatSet(addrs, 4);
}

function describeDenial(flow: Flow, denial: Denial): string {
  const { dir, prep } = direction(flow);
  const whole = flow.ports[0] === flow.ports[1] ? `${flow.ports[0]}` : `${flow.ports[0]}-${flow.ports[1]}`;
  const ports = formatPorts(denial.ports);
  const portText = ports === whole ? `tcp/${ports}` : `tcp/${ports} (of ${whole})`;
  const by = denial.rule === undefined ? "the implicit deny (no rule matches)" : `rule ${denial.rule} (deny)`;
  return `${dir} ${portText} ${prep} ${describeAddrs(flow, denial.addrs)} is dropped by ${by}`;
}

/** Picks free rule numbers just below the denying rule (or after the last rule for the implicit deny). */
function allocateRuleNumber(
  nacl: NetworkAcl,
  egress: boolean,
  below: number | undefined,
  taken: Set<string>,
) {
  const used = (n: number) =>
    taken.has(`${nacl.id}/${egress}/${n}`) ||
    nacl.entries.some((e) => e.egress === egress && e.ruleNumber === n);
  const claim = (n: number) => {
    taken.add(`${nacl.id}/${egress}/${n}`);
    return n;
  };
  if (below === undefined) {
    const numbers = nacl.entries.filter((e) => e.egress === egress && e.ruleNumber < IMPLICIT_RULE);
    const max = Math.max(0, ...numbers.map((e) => e.ruleNumber));
    for (let n = max === 0 ? 100 : max + 10 - (max % 10); n < IMPLICIT_RULE; n++)
      if (!used(n)) return claim(n);
  }
  for (let n = (below ?? IMPLICIT_RULE) - 1; n >= 1; n--) if (!used(n)) return claim(n);
  return undefined;
}

/**
 * One entry fixes the hop: an allow for the whole peer on the whole port range, numbered just below the first
 * (lowest) denying rule; nothing before that rule denied any of this traffic, so it changes nothing else.
 */
function commandFor(snapshot: Snapshot, evaluation: Evaluation, taken: Set<string>): string | undefined {
  const { flow, denials } = evaluation;
  const number = allocateRuleNumber(flow.nacl, flow.egress, denials[0]?.rule, taken);
  if (number === undefined) return undefined;
  const block = cidrSet(flow.peer)!.family === 4 ? "--cidr-block" : "--ipv6-cidr-block";
  return `aws ec2 create-network-acl-entry --region ${snapshot.region} --network-acl-id ${flow.nacl.id} ${direction(flow).flag} --rule-number ${number} --protocol tcp --port-range From=${flow.ports[0]},To=${flow.ports[1]} ${block} ${flow.peer} --rule-action allow`;
}

function findingFor(
  snapshot: Snapshot,
  evaluation: Evaluation,
  notes: string[],
  port: ServicePort,
  taken: Set<string>,
): Finding {
  const { flow, denials } = evaluation;
  const { dir, prep } = direction(flow);
  const first = denials[0]!;
  const more =
    denials.length > 1 ? ` (and ${denials.length - 1} more drop${denials.length > 2 ? "s" : ""})` : "";
  const summary =
    evaluation.status === "warn"
      ? `NACL ${flow.nacl.id} on ${where(flow)} drops part of the ${flow.path} path: ${describeDenial(flow, first)}${more}; ${flow.consequence} for the addresses concerned.`
      : `NACL ${flow.nacl.id} on ${where(flow)} drops the ${flow.path} path: ${describeDenial(flow, first)}${more}, so ${flow.consequence}.`;
  const whole = flow.ports[0] === flow.ports[1] ? `${flow.ports[0]}` : `${flow.ports[0]}-${flow.ports[1]}`;
  const evidence = [
    `${flow.path} path: ${flow.story}, checked on ${flow.nacl.id} ${dir} (${where(flow)})`,
    `expected: ${dir} tcp/${whole} ${prep} ${flow.peer} allowed`,
    `observed ${flow.nacl.id} ${dir} entries, lowest first: ${sortedEntries(flow.nacl, flow.egress).map(describeEntry).join("; ") || "(none)"}`,
    ...denials.map((d) => `dropped: ${describeDenial(flow, d)}`),
    ...notes,
  ];
  if (port.note && flow.ports[0] === port.port) evidence.push(port.note);
  if (flow.judge === "internet" && evaluation.status === "warn") {
    evidence.push(
      `only part of ${flow.peer} is allowed; whether it holds every address range of the service is not known (AWS publishes them in https://ip-ranges.amazonaws.com/ip-ranges.json)`,
    );
  }
  const command = commandFor(snapshot, evaluation, taken);
  const text = command
    ? `Add an allow entry to ${flow.nacl.id} for ${dir} tcp/${whole} ${prep} ${flow.peer}${
        first.rule === undefined
          ? ": no entry matches that traffic now, so the implicit deny drops it"
          : `, numbered below rule ${first.rule} (or narrow rule ${first.rule})`
      }.`
    : `${flow.nacl.id} has no free rule number below rule ${first.rule}: replace or renumber that rule so that ${dir} tcp/${whole} ${prep} ${flow.peer} is allowed.`;
  return {
    severity: evaluation.status === "fail" ? "critical" : "medium",
    summary,
    evidence,
    remediation: { text, ...(command ? { command } : {}), docs: DOCS },
    resourceIds: [flow.nacl.id, ...flow.subnetIds],
  };
}

function where(flow: Flow): string {
  return `${flow.side} subnet${flow.subnetIds.length > 1 ? "s" : ""} ${flow.subnetIds.join(", ")}`;
}

function naclOf(snapshot: Snapshot, subnetId: string): NetworkAcl | undefined {
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

function interfaceFlows(
  snapshot: Snapshot,
  endpoint: Endpoint,
  client: Client,
  port: ServicePort,
  notes: string[],
  unknowns: string[],
): Flow[] {
  const flows: Flow[] = [];
  const judgeClient = client.precise ? "precise" : "approximate";
  for (const subnetId of endpoint.subnetIds) {
    if (client.subnetId === subnetId) {
      notes.push(
        `the source is in ${subnetId}: traffic between it and the endpoint's interface there stays inside the subnet, where NACLs do not apply`,
      );
      continue;
    }
    const nacl = naclOf(snapshot, subnetId);
    if (!nacl) {
      unknowns.push(`no NACL in the snapshot is associated with endpoint subnet ${subnetId}`);
      continue;
    }
    for (const block of client.blocks) {
      addFlow(flows, {
        nacl,
        subnetIds: [subnetId],
        side: "endpoint",
        path: "request",
        egress: false,
        peer: block,
        ports: [port.port, port.port],
        judge: judgeClient,
        story: `client ${block} -> ${endpoint.id} on ${port.label}`,
        consequence: `connections from ${block} to ${endpoint.id} time out`,
      });
      addFlow(flows, {
        nacl,
        subnetIds: [subnetId],
        side: "endpoint",
        path: "reply",
        egress: true,
        peer: block,
        ports: EPHEMERAL,
        judge: judgeClient,
        story: `${endpoint.id} -> client ${block} on its ephemeral ports tcp/${EPHEMERAL[0]}-${EPHEMERAL[1]}`,
        consequence: `replies from ${endpoint.id} to ${block} are lost and connections hang`,
      });
    }
  }

  if (!client.subnetId) return flows;
  const sourceSubnet = client.subnetId;
  const others = endpoint.subnetIds.filter((id) => id !== sourceSubnet);
  if (others.length === 0) return flows;
  const sourceNacl = naclOf(snapshot, sourceSubnet);
  if (!sourceNacl) {
    unknowns.push(`no NACL in the snapshot is associated with source subnet ${sourceSubnet}`);
    return flows;
  }
  const { targets, unresolved } = endpointTargets(snapshot, { ...endpoint, subnetIds: others });
  for (const id of unresolved) {
    unknowns.push(
      `the addresses of ${endpoint.id} in ${id} are unknown (neither its ENI nor the subnet was collected)`,
    );
  }
  for (const target of targets) {
    for (const block of target.blocks) {
      const judgeTarget = target.via === "eni" ? "precise" : "approximate";
      addFlow(flows, {
        nacl: sourceNacl,
        subnetIds: [sourceSubnet],
        side: "source",
        path: "request",
        egress: true,
        peer: block,
        ports: [port.port, port.port],
        judge: judgeTarget,
        story: `${client.description} -> ${endpoint.id} at ${target.description} on ${port.label}`,
        consequence: `connections from the source to ${endpoint.id} in ${target.subnetId} time out`,
      });
      addFlow(flows, {
        nacl: sourceNacl,
        subnetIds: [sourceSubnet],
        side: "source",
        path: "reply",
        egress: false,
        peer: block,
        ports: EPHEMERAL,
        judge: judgeTarget,
        story: `${endpoint.id} at ${target.description} -> ${client.description} on ephemeral ports tcp/${EPHEMERAL[0]}-${EPHEMERAL[1]}`,
        consequence: `replies from ${endpoint.id} in ${target.subnetId} never reach the source and connections hang`,
      });
    }
  }
  return flows;
}

function gatewayFlows(
  snapshot: Snapshot,
  endpoint: Endpoint,
  client: Client,
  notes: string[],
  unknowns: string[],
) {
  const subnetId = client.subnetId!;
  const nacl = naclOf(snapshot, subnetId);
  if (!nacl) {
    unknowns.push(`no NACL in the snapshot is associated with source subnet ${subnetId}`);
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
  notes.push(
    `NACLs cannot reference prefix lists: traffic to ${endpoint.serviceName} through ${endpoint.id}${
      prefixLists.length ? ` (prefix list ${prefixLists.join(", ")})` : ""
    } goes to the service's public addresses, so outbound tcp/443 to 0.0.0.0/0 (or to all of the service's published ranges) must be allowed`,
  );
  const base = {
    nacl,
    subnetIds: [subnetId],
    side: "source" as const,
    peer: "0.0.0.0/0",
    judge: "internet" as const,
  };
  return [
    {
      ...base,
      path: "request" as const,
      egress: true,
      ports: [443, 443] as [number, number],
      story: `${client.description} -> ${endpoint.serviceName} via gateway endpoint ${endpoint.id} on tcp/443`,
      consequence: `requests to ${endpoint.serviceName} never leave ${subnetId}`,
    },
    {
      ...base,
      path: "reply" as const,
      egress: false,
      ports: EPHEMERAL,
      story: `${endpoint.serviceName} -> ${client.description} on ephemeral ports tcp/${EPHEMERAL[0]}-${EPHEMERAL[1]}`,
      consequence: `replies from ${endpoint.serviceName} never reach ${subnetId} and connections hang`,
    },
  ];
}

function passSummary(evaluations: Evaluation[]): string {
  // acl + subnets -> "outbound tcp/443 to" + "(rule 100)" -> peers
  const groups = new Map<string, Map<string, string[]>>();
  for (const { flow, allowedBy } of evaluations) {
    const { dir, prep } = direction(flow);
    const ports = flow.ports[0] === flow.ports[1] ? `${flow.ports[0]}` : `${flow.ports[0]}-${flow.ports[1]}`;
    const rules = allowedBy.length === 1 ? `rule ${allowedBy[0]}` : `rules ${allowedBy.join(", ")}`;
    const key = `${flow.nacl.id} on ${where(flow)}`;
    const hops = groups.get(key) ?? new Map<string, string[]>();
    const hop = `${dir} tcp/${ports} ${prep}|(${rules})`;
    hops.set(hop, [...(hops.get(hop) ?? []), flow.peer]);
    groups.set(key, hops);
  }
  const parts = [...groups].map(([key, hops]) => {
    const allowed = [...hops].map(([hop, peers]) => {
      const [what, rules] = hop.split("|");
      return `${what} ${peers.join(", ")} ${rules}`;
    });
    return `${key} allows ${allowed.join(", ")}`;
  });
  return `NACLs allow the request and the reply: ${parts.join("; ")}.`;
}

/** Network ACLs: the endpoint's and the source's subnets let the request in and the reply out, both ways. */
export const networkAcls: Check = {
  id: "network-acls",
  title: "Network ACLs allow the request on the service port and the reply on ephemeral ports",
  appliesTo: "any",
  needs: [],
  docs: "https://docs.aws.amazon.com/vpc/latest/privatelink/",
  run(snapshot) {
    const noEndpoint = skipWithoutEndpoint(snapshot);
    if (noEndpoint) return noEndpoint;
    const endpoint = snapshot.endpoint!;
    const type = endpoint.type.toLowerCase();
    const gateway = type === "gateway";
    if (gateway && !snapshot.source) {
      return skip(
        `${endpoint.id} is a gateway endpoint with no subnet of its own; give a source to check its subnet's NACL.`,
      );
    }
    if (type === "gatewayloadbalancer") {
      return skip(
        `${endpoint.id} is a Gateway Load Balancer endpoint: it carries all protocols, not one service port.`,
      );
    }
    if (!gateway && endpoint.subnetIds.length === 0) {
      return skip(`${endpoint.id} has no subnet, so no NACL sits in front of it.`);
    }
    const gap = unknownIfGaps(snapshot, "networkAcls");
    if (gap) return gap;
    if (!snapshot.networkAcls) return notCollected("network ACLs");

    const port = servicePort(endpoint.serviceName);
    const client = resolveClient(snapshot, endpoint);
    if (isOutcome(client)) return client;
    if (gateway && !client.subnetId) {
      return skip(
        `the subnet of ${client.description} is unknown, so its NACL (the only one a gateway endpoint meets) was not checked.`,
      );
    }

    const notes = [`client: ${client.description}`, ...client.notes];
    const unknowns: string[] = [];
    const flows = gateway
      ? gatewayFlows(snapshot, endpoint, client, notes, unknowns)
      : interfaceFlows(snapshot, endpoint, client, port, notes, unknowns);
    const evaluations = flows.map(evaluate);
    // Without a source the VPC CIDRs stand in for the client: when some of them get through the same hop,
    // a block that is dropped entirely is a warning about those clients, not proof that the client is cut off.
    for (const e of evaluations) {
      if (e.flow.judge !== "approximate" || e.status !== "fail") continue;
      const sameHop = evaluations.filter(
        (o) =>
          o !== e &&
          o.flow.judge === "approximate" &&
          o.flow.nacl.id === e.flow.nacl.id &&
          o.flow.side === e.flow.side &&
          o.flow.path === e.flow.path,
      );
      if (sameHop.some((o) => o.denials.length === 0 || o.status === "warn")) e.status = "warn";
    }
    const taken = new Set<string>();
    const failing = evaluations
      .filter((e) => e.status !== "pass")
      .sort((a, b) => (a.status === b.status ? 0 : a.status === "fail" ? -1 : 1));
    const findings = failing.map((e) => findingFor(snapshot, e, notes, port, taken));

    if (failing.length > 0) {
      const worst = failing[0]!;
      if (unknowns.length > 0) {
        findings.push({
          severity: "medium",
          summary: `Part of the NACL path could not be checked: ${unknowns[0]}.`,
          evidence: unknowns,
        });
      }
      return { status: worst.status, summary: findings[0]!.summary, findings };
    }
    if (unknowns.length > 0) {
      const summary = `Part of the NACL path could not be checked: ${unknowns[0]}.`;
      const subnetGap = unknownIfGaps(snapshot, "subnets", "networkInterfaces");
      return {
        status: "unknown",
        summary,
        findings: [
          {
            severity: "medium",
            summary,
            evidence: [...unknowns, ...(subnetGap ? [subnetGap.summary] : []), ...notes],
            remediation: {
              text: "Look up the NACL associated with the subnet and rerun once it can be read.",
              command: `aws ec2 describe-network-acls --region ${snapshot.region} --filters Name=association.subnet-id,Values=${[
                ...endpoint.subnetIds,
                ...(client.subnetId ? [client.subnetId] : []),
              ].join(",")}`,
              docs: DOCS,
            },
          },
        ],
      };
    }
    if (evaluations.length === 0) {
      return skip(
        `every NACL hop between ${client.description} and ${endpoint.id} stays inside one subnet, where NACLs do not apply.`,
      );
    }
    if (port.note) {
      findings.push({
        severity: "info",
        summary: `${endpoint.id} serves a custom endpoint service: tcp/${port.port} was checked, the provider's listener ports were not.`,
        evidence: [port.note],
      });
    }
    return { status: "pass", summary: passSummary(evaluations), findings };
  },
};
