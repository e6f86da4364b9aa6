import type { Remediation } from "../diagnosis/check.js";
import type { OutsidePath, RouteTable, Snapshot, TransitGatewayRouteSearch } from "../diagnosis/snapshot.js";
import { describeGap, gapsFor } from "./gaps.js";
import { cidrContains } from "./net.js";

// One hop of an outside client's path: what a VPC route table does with a destination (the endpoint's ENI from
// the client's table, the client from an endpoint subnet's table), followed into the peering connection or the
// transit gateway route table it names. Facts only; client-route.ts turns them into the check's findings.

/** Where the VPC routing guide explains route tables, targets and blackholes. */
export const ROUTE_DOCS = {
  tables: "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html",
  peering: "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html",
  tgw: "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html",
  vpn: "https://docs.aws.amazon.com/vpn/latest/s2svpn/SetUpVPNConnections.html",
} as const;

type Route = RouteTable["routes"][number];
type Level = "pass" | "warn" | "unknown" | "fail";

/** What one table does with one destination, judged. */
export interface Hop {
  level: Level;
  summary: string;
  evidence: string[];
  resourceIds: string[];
  fix?: Remediation;
  /** The gateway through which the route leaves AWS (VGW, or a TGW's VPN / Direct Connect attachment). */
  leaves?: string;
  /** Set when the table has no route at all for `cidr`: the check proposes one. */
  noRoute?: { tableId: string; cidr: string };
}

/** Everything a hop is judged against. */
export interface HopContext {
  snapshot: Snapshot;
  path: OutsidePath;
  /** The VPC the destination lives in; undefined for an on-premises client. */
  towardVpcId?: string;
  /** How the destination is named in sentences: "the client 10.1.1.5/32", "vpce-... at 10.0.1.10/32". */
  label: string;
}

/** The table that routes a subnet: its explicit association, else its VPC's main table. */
export function tableFor(tables: RouteTable[], vpcId: string, subnetId: string): RouteTable | undefined {
  return (
    tables.find((t) => t.subnetIds.includes(subnetId)) ??
    tables.find((t) => t.main && (t.vpcId === undefined || t.vpcId === vpcId))
  );
}

/** The route a table uses for `cidr`: the longest prefix whose destination covers all of it. */
export function bestRoute(table: RouteTable, cidr: string): Route | undefined {
  const covering = table.routes.filter((r) => {
    const destination = r.destinationCidr ?? r.destinationIpv6Cidr;
    return destination !== undefined && cidrContains(destination, cidr);
  });
  return covering.sort((a, b) => prefixOf(b) - prefixOf(a))[0];
}

function prefixOf(route: Route): number {
  return Number((route.destinationCidr ?? route.destinationIpv6Cidr ?? "/0").split("/")[1]);
}

/** "rtb-0abc (associated with subnet-0def)" or "rtb-0abc (the main table of vpc-0123)". */
export function tableLabel(table: RouteTable, subnetId: string): string {
  return table.subnetIds.includes(subnetId)
    ? `${table.id} (associated with ${subnetId})`
    : `${table.id} (the main table of ${table.vpcId ?? "the VPC"}, used by ${subnetId})`;
}

function routeLine(route: Route): string {
  const target = route.gatewayId ?? route.target ?? "no target";
  const origin = route.origin === "EnableVgwRoutePropagation" ? ", propagated" : "";
  return `${route.destinationCidr ?? route.destinationIpv6Cidr} -> ${target} (${route.state ?? "active"}${origin})`;
}

/** What `table` (routing `subnetId`) does with `cidr`, followed into the peering or TGW it names. */
export function judgeHop(ctx: HopContext, table: RouteTable, subnetId: string, cidr: string): Hop {
  const where = tableLabel(table, subnetId);
  const route = bestRoute(table, cidr);
  const ids = [table.id, subnetId];
  if (!route) {
    const hop = fail(`${where} has no route to ${ctx.label}`, [`${table.id}: no route covers ${cidr}`], ids);
    return { ...hop, noRoute: { tableId: table.id, cidr } };
  }
  const line = `${table.id}: ${cidr} matches ${routeLine(route)}`;
  if (route.state?.toLowerCase() === "blackhole") {
    const target = route.gatewayId ?? route.target ?? "its target";
    return fail(
      `the route to ${ctx.label} in ${where} is a blackhole: ${target} no longer exists or is stopped`,
      [line, "a blackhole route drops the packets it matches"],
      [...ids, target],
    );
  }
  return judgeTarget(ctx, { table, where, route, line, ids, cidr });
}

/** One matched route, ready to be followed. */
interface Matched {
  table: RouteTable;
  where: string;
  route: Route;
  line: string;
  ids: string[];
  cidr: string;
}

function judgeTarget(ctx: HopContext, m: Matched): Hop {
  const target = m.route.gatewayId ?? m.route.target ?? "";
  if (target === "local") {
    return fail(
      `${m.where} keeps ${ctx.label} inside ${m.table.vpcId ?? "its VPC"}: the two VPCs' CIDRs overlap`,
      [m.line, "the local route wins, so the traffic never leaves the VPC"],
      m.ids,
    );
  }
  if (/^(igw|nat|eigw)-/.test(target)) {
    return fail(
      `${m.where} sends ${ctx.label} to ${target}, which cannot carry traffic to a private address`,
      [m.line, "internet and NAT gateways do not route to private addresses of other networks"],
      [...m.ids, target],
    );
  }
  if (target.startsWith("pcx-")) return judgePeering(ctx, m, target);
  if (target.startsWith("tgw-")) return judgeTransit(ctx, m, target);
  if (target.startsWith("vgw-")) {
    const level = ctx.towardVpcId ? "warn" : "pass";
    return {
      level,
      summary: `${m.where} sends ${ctx.label} to ${target}`,
      evidence: [m.line],
      resourceIds: [...m.ids, target],
      leaves: target,
    };
  }
  return {
    level: "warn",
    summary: `${m.where} sends ${ctx.label} to ${target}, which vpce-doctor cannot follow (an appliance or another gateway)`,
    evidence: [m.line, "whether that target forwards the traffic is not in the snapshot"],
    resourceIds: [...m.ids, target],
  };
}

function judgePeering(ctx: HopContext, m: Matched, id: string): Hop {
  if (!ctx.path.peerings) return unread(ctx, "outsidePath.peerings", `peering connection ${id}`, m);
  const peering = ctx.path.peerings.find((p) => p.id === id);
  if (!peering) return unread(ctx, "outsidePath.peerings", `peering connection ${id}`, m);
  const ends = [peering.requester.vpcId, peering.accepter.vpcId];
  const evidence = [m.line, `${id}: ${peering.status}, between ${ends.join(" and ")}`];
  if (peering.status.toLowerCase() !== "active") {
    return fail(
      `peering connection ${id} used by ${m.table.id} is ${peering.status}, not active`,
      evidence,
      [...m.ids, id],
      {
        text: `Have the owner of ${peering.accepter.vpcId} accept ${id} if it is pending, or create a new peering connection and point the routes at it.`,
        command: `aws ec2 describe-vpc-peering-connections --region ${ctx.snapshot.region} --vpc-peering-connection-ids ${id}`,
        docs: ROUTE_DOCS.peering,
      },
    );
  }
  if (!ctx.towardVpcId) {
    return fail(
      `${m.where} sends ${ctx.label} into peering connection ${id}, which never carries traffic on to another network`,
      [
        ...evidence,
        "VPC peering does not support edge-to-edge routing (VPN, Direct Connect, internet gateway of the peer)",
      ],
      [...m.ids, id],
    );
  }
  if (!ends.includes(ctx.towardVpcId)) {
    return fail(
      `${m.where} sends ${ctx.label} into ${id}, which does not lead to ${ctx.towardVpcId}`,
      [...evidence, "peering is not transitive"],
      [...m.ids, id],
    );
  }
  return {
    level: "pass",
    summary: `${m.table.id} routes ${ctx.label} over active ${id}`,
    evidence,
    resourceIds: [...m.ids, id],
  };
}

function judgeTransit(ctx: HopContext, m: Matched, tgwId: string): Hop {
  const attachments = ctx.path.transitGatewayAttachments;
  if (!attachments) return unread(ctx, "outsidePath.transitGateways", `the attachments of ${tgwId}`, m);
  const mine = attachments.find((a) => a.transitGatewayId === tgwId && a.resourceId === m.table.vpcId);
  if (!mine) {
    return fail(
      `${m.where} sends ${ctx.label} to ${tgwId}, but ${m.table.vpcId} has no attachment to it`,
      [m.line],
      [...m.ids, tgwId],
    );
  }
  const evidence = [
    m.line,
    `${mine.id}: ${mine.state ?? "state unknown"}, associated with ${mine.routeTableId ?? "no TGW route table"}`,
  ];
  if (mine.state && mine.state.toLowerCase() !== "available") {
    return fail(
      `transit gateway attachment ${mine.id} of ${m.table.vpcId} is ${mine.state}, not available`,
      evidence,
      [...m.ids, mine.id],
    );
  }
  if (!mine.routeTableId) {
    return fail(
      `attachment ${mine.id} of ${m.table.vpcId} is associated with no TGW route table, so ${tgwId} drops its traffic`,
      evidence,
      [...m.ids, mine.id],
    );
  }
  const search = ctx.path.transitGatewayRoutes?.find((s) => s.routeTableId === mine.routeTableId);
  if (!search) return unread(ctx, "outsidePath.transitGateways", `TGW route table ${mine.routeTableId}`, m);
  return judgeTgwRoute(ctx, m, search, evidence);
}

function judgeTgwRoute(
  ctx: HopContext,
  m: Matched,
  search: TransitGatewayRouteSearch,
  evidence: string[],
): Hop {
  const rtb = search.routeTableId;
  const ids = [...m.ids, rtb];
  const best = search.routes
    .filter((r) => r.destinationCidr && cidrContains(r.destinationCidr, m.cidr))
    .sort((a, b) => Number(b.destinationCidr!.split("/")[1]) - Number(a.destinationCidr!.split("/")[1]))[0];
  if (!best) {
    return fail(
      `TGW route table ${rtb} has no route to ${ctx.label}`,
      [...evidence, `${rtb}: no route covers ${m.cidr}`],
      ids,
      {
        text: `Propagate the destination's attachment into ${rtb}, or add a static route for it.`,
        command: `aws ec2 search-transit-gateway-routes --region ${ctx.snapshot.region} --transit-gateway-route-table-id ${rtb} --filters Name=route-search.supernet-of-match,Values=${m.cidr}`,
        docs: ROUTE_DOCS.tgw,
      },
    );
  }
  const via =
    best.attachments
      .map((a) => `${a.id ?? "?"} (${a.resourceType ?? "?"} ${a.resourceId ?? "?"})`)
      .join(", ") || "no attachment";
  const lines = [
    ...evidence,
    `${rtb}: ${m.cidr} matches ${best.destinationCidr} -> ${via} (${best.state ?? "active"}, ${best.type ?? "static"})`,
  ];
  if (best.state?.toLowerCase() === "blackhole") {
    return fail(`the route to ${ctx.label} in TGW route table ${rtb} is a blackhole`, lines, ids);
  }
  if (best.attachments.length === 0) {
    return {
      level: "warn",
      summary: `TGW route table ${rtb} has an active route for ${ctx.label} that names no attachment, so where it leads is unknown`,
      evidence: lines,
      resourceIds: ids,
    };
  }
  const toward = ctx.towardVpcId;
  if (toward && best.attachments.some((a) => a.resourceId === toward)) {
    return {
      level: "pass",
      summary: `TGW route table ${rtb} routes ${ctx.label} to ${toward}`,
      evidence: lines,
      resourceIds: ids,
    };
  }
  const external = best.attachments.find((a) => /vpn|direct-connect/i.test(a.resourceType ?? ""));
  if (!toward && external) {
    return {
      level: "pass",
      summary: `TGW route table ${rtb} routes ${ctx.label} to ${external.resourceType} ${external.resourceId ?? external.id}`,
      evidence: lines,
      resourceIds: ids,
      leaves: external.id,
    };
  }
  return {
    level: "warn",
    summary: `TGW route table ${rtb} sends ${ctx.label} to ${via}, not straight to its network; vpce-doctor cannot follow it further`,
    evidence: lines,
    resourceIds: ids,
  };
}

function unread(
  ctx: HopContext,
  field: "outsidePath.peerings" | "outsidePath.transitGateways",
  what: string,
  m: Matched,
): Hop {
  const gap = gapsFor(ctx.snapshot, field)[0];
  const why = gap ? describeGap(gap) : `${what} was not collected`;
  return {
    level: "unknown",
    summary: `${m.table.id} sends ${ctx.label} through ${what}, which could not be read: ${why}`,
    evidence: [m.line, why],
    resourceIds: m.ids,
  };
}

function fail(summary: string, evidence: string[], resourceIds: string[], fix?: Remediation): Hop {
  return { level: "fail", summary, evidence, resourceIds, fix };
}
