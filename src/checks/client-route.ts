import type { Check, CheckOutcome, Finding, Remediation } from "../diagnosis/check.js";
import type { Endpoint, OutsidePath, ResolvedSource, RouteTable, Snapshot } from "../diagnosis/snapshot.js";
import { canonicalCidr } from "./address-set.js";
import { type Hop, type HopContext, judgeHop, ROUTE_DOCS, tableFor } from "./client-route-hops.js";
import { skip, unknownIfGaps } from "./gaps.js";
import { cidrContains } from "./net.js";
import { endpointTargets, notCollected } from "./peers.js";
import { servicePortsOf } from "./service-port.js";

// Routes between a client outside the endpoint's VPC and the endpoint: the client subnet's table toward each
// endpoint ENI, each endpoint subnet's table back toward the client, followed into peering connections and
// transit gateway route tables. It runs before security-groups: without a route no rule is ever consulted.
// An on-premises client's far side (VPN tunnels, Direct Connect, its routers and DNS) cannot be read, so a
// path that checks out on the AWS side is a warning listing what remains, never a pass.

const SEVERITY: Record<Hop["level"], Finding["severity"]> = {
  fail: "critical",
  unknown: "medium",
  warn: "medium",
  pass: "info",
};
const RANK: Record<Hop["level"], number> = { fail: 3, unknown: 2, warn: 1, pass: 0 };

/** Checks that an outside client's subnet routes to the endpoint and the endpoint's subnets route back. */
export const clientRoute: Check = {
  id: "client-route",
  title:
    "A client outside the endpoint's VPC has a route to the endpoint, and the endpoint's subnets a route back",
  appliesTo: ["Interface"],
  notApplicable:
    "a gateway endpoint serves only its own VPC (gateway-routes judges it), and a Gateway Load Balancer endpoint is a route target, not a destination",
  needs: [],
  docs: ROUTE_DOCS.tables,
  run(snapshot) {
    const endpoint = snapshot.endpoint!;
    const source = snapshot.source;
    if (!source) {
      return skip(
        "no client was given (--from): clients inside the VPC reach the endpoint over its local route",
      );
    }
    const gap = unknownIfGaps(snapshot, "source");
    if (gap) return gap;
    const path = snapshot.outsidePath;
    if (!path) return inside(snapshot, endpoint, source);
    if (!path.routeTables) {
      return (
        unknownIfGaps(snapshot, "outsidePath.routeTables") ??
        notCollected("route tables of the client's path")
      );
    }
    const blocks = clientBlocks(source);
    const hops = path.clientVpcId
      ? vpcHops(snapshot, endpoint, path, path.routeTables, { source, blocks, vpcId: path.clientVpcId })
      : returnHops(snapshot, endpoint, path, path.routeTables, blocks, undefined);
    return conclude(snapshot, endpoint, path, blocks, hops);
  },
};

function inside(snapshot: Snapshot, endpoint: Endpoint, source: ResolvedSource): CheckOutcome {
  const who = `${source.given.kind} ${source.given.value}`;
  const local: CheckOutcome = {
    status: "pass",
    summary: `the client ${who} is in ${endpoint.vpcId}: the VPC's local route carries its traffic to ${endpoint.id}`,
    findings: [],
  };
  if (source.vpcId === endpoint.vpcId) return local;
  if (source.given.kind === "security-group") {
    return skip(
      `the client ${who} is a security group, which has no route table: give an address, instance or subnet`,
    );
  }
  if (source.given.kind === "cidr" && source.vpcId === undefined) {
    if (!snapshot.vpc) return unknownIfGaps(snapshot, "vpc") ?? notCollected("VPC CIDRs");
    const cidrs = [...snapshot.vpc.cidrsIpv4, ...snapshot.vpc.cidrsIpv6];
    const within = clientBlocks(source).every((b) => cidrs.some((c) => cidrContains(c, b)));
    return within ? local : notCollected("path of the client outside the VPC");
  }
  if (source.vpcId) return notCollected("path of the client outside the VPC");
  return skip(`the client ${who} was not placed in a subnet, so no route table could be followed`);
}

function clientBlocks(source: ResolvedSource): string[] {
  const raw = source.addresses.length > 0 ? source.addresses : [source.given.value];
  return [...new Set(raw.map((a) => canonicalCidr(a)).filter((c): c is string => c !== undefined))];
}

/** The client as the VPC-side hops need it. */
interface VpcClient {
  source: ResolvedSource;
  blocks: string[];
  vpcId: string;
}

function vpcHops(
  snapshot: Snapshot,
  endpoint: Endpoint,
  path: OutsidePath,
  tables: RouteTable[],
  client: VpcClient,
): Hop[] {
  const subnetId = client.source.subnetId;
  const table = subnetId ? tableFor(tables, client.vpcId, subnetId) : undefined;
  if (!subnetId || !table) {
    return [missingTable(`the client's subnet ${subnetId ?? "(unknown)"} in ${client.vpcId}`)];
  }
  const { targets } = endpointTargets(snapshot, endpoint);
  const forward = targets.flatMap((target) =>
    target.blocks.map((block) => {
      const ctx: HopContext = {
        snapshot,
        path,
        towardVpcId: endpoint.vpcId,
        label: `${endpoint.id} at ${block}`,
      };
      return judgeHop(ctx, table, subnetId, block);
    }),
  );
  return [...forward, ...returnHops(snapshot, endpoint, path, tables, client.blocks, client.vpcId)];
}

function returnHops(
  snapshot: Snapshot,
  endpoint: Endpoint,
  path: OutsidePath,
  tables: RouteTable[],
  blocks: string[],
  clientVpcId: string | undefined,
): Hop[] {
  return endpoint.subnetIds.flatMap((subnetId) => {
    const table = tableFor(tables, endpoint.vpcId, subnetId);
    if (!table) return [missingTable(`endpoint subnet ${subnetId}`)];
    return blocks.map((block) => {
      const ctx: HopContext = { snapshot, path, towardVpcId: clientVpcId, label: `the client ${block}` };
      return judgeHop(ctx, table, subnetId, block);
    });
  });
}

function missingTable(what: string): Hop {
  return {
    level: "unknown",
    summary: `no route table for ${what} is in the snapshot (no explicit association and no main table)`,
    evidence: [`the route tables read do not cover ${what}`],
    resourceIds: [],
  };
}

function conclude(
  snapshot: Snapshot,
  endpoint: Endpoint,
  path: OutsidePath,
  blocks: string[],
  hops: Hop[],
): CheckOutcome {
  const unique = hops.filter((hop, i) => hops.findIndex((h) => h.summary === hop.summary) === i);
  const worst = unique.reduce<Hop["level"]>((a, h) => (RANK[h.level] > RANK[a] ? h.level : a), "pass");
  const problems = unique.filter((h) => h.level !== "pass").sort((a, b) => RANK[b.level] - RANK[a.level]);
  const findings = problems.map((hop) => findingOf(snapshot, endpoint, path, hop));
  const passed = unique.filter((h) => h.level === "pass");
  if (worst === "pass" && !path.clientVpcId) {
    const far = farSide(snapshot, endpoint, path, blocks, passed);
    return { status: "warn", summary: far.summary, findings: [far, ...findings] };
  }
  if (passed.length > 0) findings.push(pathNote(passed));
  if (worst === "pass") {
    return { status: "pass", summary: `${passed.map((h) => h.summary).join("; ")}`, findings };
  }
  return { status: worst, summary: problems[0]!.summary, findings };
}

function findingOf(snapshot: Snapshot, endpoint: Endpoint, path: OutsidePath, hop: Hop): Finding {
  return {
    severity: SEVERITY[hop.level],
    summary: hop.summary,
    evidence: hop.evidence,
    remediation:
      hop.fix ?? (hop.noRoute ? routeFix(snapshot, endpoint, path, hop.noRoute) : lookFix(snapshot, hop)),
    resourceIds: hop.resourceIds,
  };
}

function pathNote(passed: Hop[]): Finding {
  return {
    severity: "info",
    summary: `what routes correctly: ${passed.map((h) => h.summary).join("; ")}`,
    evidence: passed.flatMap((h) => h.evidence),
    resourceIds: [...new Set(passed.flatMap((h) => h.resourceIds))],
  };
}

function lookFix(snapshot: Snapshot, hop: Hop): Remediation {
  const table = hop.resourceIds.find((id) => id.startsWith("rtb-"));
  return {
    text: "Look at the route and what it points to; rerun once it can be read or is fixed.",
    command: table
      ? `aws ec2 describe-route-tables --region ${snapshot.region} --route-table-ids ${table}`
      : `aws ec2 describe-route-tables --region ${snapshot.region} --filters Name=vpc-id,Values=${snapshot.endpoint?.vpcId}`,
    docs: ROUTE_DOCS.tables,
  };
}

/** A route to add where a table has none: over the peering or TGW both VPCs share, the VGW, or a stated choice. */
function routeFix(
  snapshot: Snapshot,
  endpoint: Endpoint,
  path: OutsidePath,
  missing: { tableId: string; cidr: string },
): Remediation {
  const towardEndpoint = snapshot.vpc?.cidrsIpv4.find((c) => cidrContains(c, missing.cidr));
  const destination = towardEndpoint ?? missing.cidr;
  const target = sharedTarget(endpoint, path);
  const base = `aws ec2 create-route --region ${snapshot.region} --route-table-id ${missing.tableId} --destination-cidr-block ${destination}`;
  if (!target) {
    return {
      text: `Add a route for ${destination} to ${missing.tableId} over the peering connection, transit gateway or virtual private gateway that links the two networks (none linking both was found).`,
      command: `${base} --transit-gateway-id <tgw-id>`,
      docs: ROUTE_DOCS.tables,
    };
  }
  return {
    text: `Add a route for ${destination} to ${missing.tableId} through ${target.id}; it only adds a path, existing routes are unchanged.`,
    command: `${base} ${target.flag} ${target.id}`,
    docs: target.flag === "--vpc-peering-connection-id" ? ROUTE_DOCS.peering : ROUTE_DOCS.tables,
  };
}

function sharedTarget(endpoint: Endpoint, path: OutsidePath): { id: string; flag: string } | undefined {
  const client = path.clientVpcId;
  const peering = (path.peerings ?? []).find(
    (p) =>
      p.status === "active" &&
      [p.requester.vpcId, p.accepter.vpcId].includes(endpoint.vpcId) &&
      (!client || [p.requester.vpcId, p.accepter.vpcId].includes(client)),
  );
  if (client && peering) return { id: peering.id, flag: "--vpc-peering-connection-id" };
  const attachments = path.transitGatewayAttachments ?? [];
  const mine = attachments.filter((a) => a.resourceId === endpoint.vpcId);
  const tgw = mine.find(
    (a) =>
      !client ||
      attachments.some((b) => b.resourceId === client && b.transitGatewayId === a.transitGatewayId),
  );
  if (tgw) return { id: tgw.transitGatewayId, flag: "--transit-gateway-id" };
  const vgw = client ? undefined : (path.vpnGateways ?? [])[0];
  return vgw ? { id: vgw.id, flag: "--gateway-id" } : undefined;
}

/** On premises: the AWS side routes back; what only the network team can check. */
function farSide(
  snapshot: Snapshot,
  endpoint: Endpoint,
  path: OutsidePath,
  blocks: string[],
  passed: Hop[],
): Finding {
  const leaves = [...new Set(passed.map((h) => h.leaves).filter((id): id is string => id !== undefined))];
  const ports = servicePortsOf(snapshot).label;
  const client = blocks.join(", ");
  const enis = endpointTargets(snapshot, endpoint)
    .targets.flatMap((t) => t.blocks)
    .join(", ");
  const propagating = (path.routeTables ?? [])
    .filter((t) => t.propagatingGateways?.length)
    .map((t) => `${t.id} propagates routes from ${t.propagatingGateways!.join(", ")}`);
  const vgw = leaves.find((id) => id.startsWith("vgw-"));
  return {
    severity: "medium",
    summary: `${endpoint.id}'s subnets route back to the on-premises client ${client} through ${leaves.join(", ") || "the path found"}; the VPN / Direct Connect side cannot be read from AWS`,
    evidence: [
      ...passed.flatMap((h) => h.evidence),
      ...(propagating.length > 0 ? propagating : ["no endpoint subnet table has VGW route propagation on"]),
      `${client} is in no VPC of the account (no ENI holds it)`,
    ],
    remediation: {
      text:
        `For the network team: (1) the VPN tunnels or Direct Connect virtual interface are UP and BGP advertises ${client} to AWS; ` +
        `(2) on-premises routers send ${enis || endpoint.vpcId} into the VPN / Direct Connect; ` +
        `(3) on-premises firewalls allow ${ports} to ${enis || "the endpoint's ENIs"} and the replies; ` +
        "(4) on-premises DNS forwards the service's name to a Route 53 Resolver inbound endpoint, or clients use the endpoint's regional DNS name (see private-dns).",
      command: vgw
        ? `aws ec2 describe-vpn-connections --region ${snapshot.region} --filters Name=vpn-gateway-id,Values=${vgw} --query 'VpnConnections[].VgwTelemetry[].[OutsideIpAddress,Status,StatusMessage]'`
        : `aws ec2 describe-vpn-connections --region ${snapshot.region} --query 'VpnConnections[].[VpnConnectionId,TransitGatewayId,VgwTelemetry[].Status]'`,
      docs: ROUTE_DOCS.vpn,
    },
    resourceIds: [...leaves, ...passed.flatMap((h) => h.resourceIds)].filter(
      (id, i, all) => all.indexOf(id) === i,
    ),
  };
}
