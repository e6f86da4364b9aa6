import type { NaclEntry, NetworkAcl } from "../diagnosis/snapshot.js";
import {
  type AddressSet,
  cidrSet,
  covers,
  emptySet,
  formatPorts,
  intersect,
  intersectRanges,
  isEmptySet,
  portRange,
  type Ranges,
  subtract,
  subtractRanges,
  union,
  unionRanges,
} from "./address-set.js";

// Evaluate to facts: NACLs are stateless and ordered. For one hop of the request or the reply, walk the entries
// lowest number first, first match wins, and whatever no entry matches falls to the implicit deny. Traffic is a
// set of (address, port) pairs, so a deny that covers part of the peer or part of the port range is reported
// with exactly the part it drops.

/** The client source ports every kind of client is covered by (AWS's NACL advice: allow 1024-65535). */
export const EPHEMERAL: [number, number] = [1024, 65535];

/** The rule number of the "*" entry, the implicit deny. */
export const IMPLICIT_RULE = 32767;

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
export interface Flow {
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

/** A part of the hop's (address, port) space that an entry (or the implicit deny) drops. */
export interface Denial {
  /** The denying entry's number; undefined for the implicit deny. */
  rule?: number;
  addrs: AddressSet;
  ports: Ranges;
}

/** The facts of one hop: what is dropped, by which rules, what is allowed, and the status they prove. */
export interface Evaluation {
  flow: Flow;
  denials: Denial[];
  allowedBy: number[];
  /** Addresses of the peer for which at least one port of the hop is allowed. */
  reachable: AddressSet;
  status: "pass" | "fail" | "warn";
  /** Request hops on other ports of the same service folded into this one (they share its finding). */
  folded?: Evaluation[];
  /** Evidence lines the port policy adds. */
  notes?: string[];
  /** Set when another evaluation of the same hop speaks for this one: no finding of its own. */
  hidden?: boolean;
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

const PROTOCOL_NAMES: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp" };

/** "90 deny tcp 443 10.0.0.0/8", "* deny all 0.0.0.0/0". */
export function describeEntry(entry: NaclEntry): string {
  const protocol = entry.protocol.toLowerCase();
  const number = entry.ruleNumber === IMPLICIT_RULE ? "*" : `${entry.ruleNumber}`;
  let traffic = "all";
  if (protocol !== "-1" && protocol !== "all") {
    const name = PROTOCOL_NAMES[protocol] ?? `protocol ${protocol}`;
    const { fromPort: from, toPort: to } = entry;
    const ports = from === undefined || to === undefined ? "" : from === to ? ` ${from}` : ` ${from}-${to}`;
    traffic = `${name}${ports}`;
  }
  return `${number} ${entry.action} ${traffic} ${entry.cidrIpv4 ?? entry.cidrIpv6 ?? "(no CIDR)"}`;
}

/** The entries of one direction, lowest rule number first. */
export function sortedEntries(nacl: NetworkAcl, egress: boolean): NaclEntry[] {
  return nacl.entries.filter((e) => e.egress === egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
}

/** Walks the entries of one direction over the (address, port) space of the flow. */
export function walk(flow: Flow): Evaluation {
  const peer = cidrSet(flow.peer)!;
  let remaining: Rect[] = [{ addrs: peer, ports: portRange(flow.ports[0], flow.ports[1]) }];
  const denials: Denial[] = [];
  const allowedBy: number[] = [];
  let reachable = emptySet(peer.family);
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
      } else {
        reachable = union(reachable, addrs);
        if (!allowedBy.includes(entry.ruleNumber)) allowedBy.push(entry.ruleNumber);
      }
      const outside = subtract(rect.addrs, entryAddrs);
      if (!isEmptySet(outside)) next.push({ addrs: outside, ports: rect.ports });
      const otherPorts = subtractRanges(rect.ports, ports);
      if (otherPorts.length > 0) next.push({ addrs, ports: otherPorts });
    }
    remaining = next;
  }
  for (const rect of remaining) denials.push({ addrs: rect.addrs, ports: rect.ports });
  const merged = mergeDenials(denials);
  const status =
    flow.path === "reply" ? judgeReply(flow, peer, merged, reachable) : judgeRequest(flow, peer, merged);
  return { flow, denials: merged, allowedBy, reachable, status };
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

/** The request on one service port: any dropped client address is proof, unless the peer only stands in. */
function judgeRequest(flow: Flow, peer: AddressSet, denials: Denial[]): Evaluation["status"] {
  if (denials.length === 0) return "pass";
  const denied = denials.reduce((set, d) => union(set, d.addrs), emptySet(peer.family));
  if (flow.judge === "internet") return internetStatus(subtract(peer, denied));
  if (flow.judge === "approximate" && !covers(denied, peer)) return "warn";
  return "fail";
}

/**
 * The reply on ephemeral ports: which source port a client picks is not in the snapshot, so a narrowed range
 * is a warning about the clients it leaves out; only addresses that get no reply port at all are proof.
 */
function judgeReply(
  flow: Flow,
  peer: AddressSet,
  denials: Denial[],
  reachable: AddressSet,
): Evaluation["status"] {
  if (denials.length === 0) return "pass";
  if (flow.judge === "internet") return internetStatus(intersect(peer, reachable));
  const silent = subtract(peer, reachable);
  if (isEmptySet(silent)) return "warn";
  if (flow.judge === "approximate" && !covers(silent, peer)) return "warn";
  return "fail";
}

/** Toward the service's public ranges: fail when no public address gets through, else warn (ranges unknown). */
function internetStatus(open: AddressSet): Evaluation["status"] {
  return isEmptySet(open) || covers(PRIVATE_IPV4, open) ? "fail" : "warn";
}

/** The ports a hop drops for some address of its peer. */
export function deniedPorts(evaluation: Evaluation): Ranges {
  return evaluation.denials.reduce<Ranges>((all, d) => unionRanges(all, d.ports), []);
}
