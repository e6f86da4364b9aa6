import { formatPorts, intersectRanges, portRange, type Ranges, subtractRanges } from "./address-set.js";
import { deniedPorts, EPHEMERAL, type Evaluation } from "./network-acls-walk.js";

// Who a narrowed reply range leaves out. The client picks its source port, so the reply must reach it there;
// the ranges are AWS's list (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html), with
// the Linux default of current kernels (net.ipv4.ip_local_port_range = 32768 60999).

/** AWS's page on choosing the ephemeral range of a NACL. */
export const EPHEMERAL_DOCS = "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html";

/** One kind of client and the source ports it picks from. */
export interface ClientKind {
  who: string;
  from: number;
  to: number;
}

/** The kinds of clients a reply range is judged against. */
export const CLIENT_KINDS: readonly ClientKind[] = [
  { who: "NAT gateways, Elastic Load Balancing and Lambda functions", from: 1024, to: 65535 },
  { who: "Linux (most kernels, Amazon Linux included)", from: 32768, to: 60999 },
  { who: "Windows Server 2008 and later", from: 49152, to: 65535 },
  { who: "Windows through Server 2003", from: 1025, to: 5000 },
];

/** Which kinds of clients a reply hop fails (some of their ports dropped) and which it serves entirely. */
export interface ReplyImpact {
  allowed: Ranges;
  affected: ClientKind[];
  served: ClientKind[];
}

/** The impact of a reply hop's drops on each kind of client. */
export function replyImpact(evaluation: Evaluation): ReplyImpact {
  const denied = deniedPorts(evaluation);
  const allowed = subtractRanges(portRange(EPHEMERAL[0], EPHEMERAL[1]), denied);
  const hit = (kind: ClientKind) => intersectRanges(portRange(kind.from, kind.to), denied).length > 0;
  return {
    allowed,
    affected: CLIENT_KINDS.filter(hit),
    served: CLIENT_KINDS.filter((kind) => !hit(kind)),
  };
}

/** "NAT gateways, ... (1024-65535), Windows through Server 2003 (1025-5000)". */
export function describeKinds(kinds: readonly ClientKind[]): string {
  return kinds.map((k) => `${k.who} (${k.from}-${k.to})`).join("; ");
}

/** Evidence lines naming who a narrowed reply range cuts off and who it serves. */
export function impactLines(impact: ReplyImpact): string[] {
  const lines = [
    `reply ports allowed for every client address: ${formatPorts(impact.allowed) || "none"} (AWS advises 1024-65535 to cover every client: ${EPHEMERAL_DOCS})`,
  ];
  if (impact.affected.length > 0) {
    lines.push(
      `clients whose source ports can fall in the dropped part get no reply (connections hang): ${describeKinds(impact.affected)}`,
    );
  }
  if (impact.served.length > 0) lines.push(`clients served entirely: ${describeKinds(impact.served)}`);
  return lines;
}
