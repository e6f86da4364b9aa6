import {
  type TransitGatewayAttachment as AwsAttachment,
  type RouteTable as AwsRouteTable,
  DescribeVpcPeeringConnectionsCommand,
  paginateDescribeRouteTables,
  paginateDescribeTransitGatewayAttachments,
  SearchTransitGatewayRoutesCommand,
  type VpcPeeringConnection,
} from "@aws-sdk/client-ec2";
import { ListResolverEndpointsCommand } from "@aws-sdk/client-route53resolver";
import { cidrContains } from "../../checks/net.js";
import type {
  Endpoint,
  NetworkInterface,
  OutsidePath,
  Peering,
  ResolvedSource,
  RouteTable,
  Subnet,
  TransitGatewayAttachment,
  TransitGatewayRouteSearch,
  Vpc,
} from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext } from "../context.js";
import { collectHostedZones } from "./hosted-zones.js";
import { toRouteTable } from "./network.js";
import { completeSource } from "./source.js";

// The path of a client outside the endpoint's VPC (issue 10), read only for such a client: first the route
// tables of both VPCs, their transit gateway attachments, and what serves DNS outside the VPC; then the peering
// connections the tables name and the TGW routes that cover each side's addresses. Virtual private gateways are
// read off the tables (route targets and propagation), so an on-premises path costs no DescribeVpnGateways.

const PAGE_SIZE = 100;
/** Addresses searched for per TGW route table: enough for one endpoint ENI per zone. */
const MAX_SEARCHES = 4;

/** Where a client outside the endpoint's VPC sits: another VPC of the account, or none (on premises). */
export interface OutsideClient {
  /** Absent: the address is in no VPC of the account. */
  vpcId?: string;
  subnetId?: string;
  /** The client's addresses or CIDRs, the destinations of the return routes. */
  blocks: string[];
}

/**
 * Where the looked-up source sits against the endpoint's VPC: an OutsideClient when it is in another VPC, or when
 * an address or range lies outside the VPC's CIDRs with no ENI of the account holding it (on premises); undefined
 * when it is inside, or cannot be placed (a security group, an instance or subnet not found, no VPC CIDRs).
 */
export function outsideClient(
  source: ResolvedSource | undefined,
  endpointVpcId: string,
  vpc: Vpc | undefined,
): OutsideClient | undefined {
  if (!source || source.given.kind === "security-group") return undefined;
  const blocks = (source.addresses.length > 0 ? source.addresses : [source.given.value]).map(asCidr);
  if (source.vpcId) {
    if (source.vpcId === endpointVpcId) return undefined;
    return { vpcId: source.vpcId, subnetId: source.subnetId, blocks };
  }
  if (source.given.kind !== "cidr" || !vpc) return undefined;
  const cidrs = [...vpc.cidrsIpv4, ...vpc.cidrsIpv6];
  const inside = blocks.every((block) => cidrs.some((cidr) => cidrContains(cidr, block)));
  return inside ? undefined : { blocks };
}

function asCidr(address: string): string {
  if (address.includes("/")) return address;
  return address.includes(":") ? `${address}/128` : `${address}/32`;
}

/** The endpoint side's addresses, as round 2 delivers them: the ENIs when known, else the VPC's CIDRs. */
export interface EndpointSide {
  endpoint: Endpoint;
  enis: Promise<NetworkInterface[] | undefined>;
  vpc: Promise<Vpc | undefined>;
}

/**
 * Places the provisional source as soon as what it needs is in: at once when round 1 found its VPC, after the
 * subnet batch for a subnet, after the VPC's CIDRs for an address no ENI holds. Undefined: inside, or unplaceable.
 */
export async function placeClient(
  ctx: CollectContext,
  provisional: ResolvedSource | undefined,
  side: EndpointSide,
  subnets: Promise<Subnet[] | undefined>,
): Promise<OutsideClient | undefined> {
  if (!provisional) return undefined;
  const vpcId = side.endpoint.vpcId;
  if (provisional.vpcId) return outsideClient(provisional, vpcId, undefined);
  if (provisional.given.kind === "subnet") {
    const batch = { subnets: await subnets, securityGroups: undefined };
    return outsideClient(completeSource({ ...ctx, gaps: [] }, provisional, batch), vpcId, undefined);
  }
  if (provisional.given.kind === "cidr") return outsideClient(provisional, vpcId, await side.vpc);
  return undefined;
}

/** Reads the outside client's path: two rounds, every part with its own gap. */
export async function collectOutsidePath(
  ctx: CollectContext,
  side: EndpointSide,
  client: OutsideClient,
): Promise<OutsidePath> {
  const vpcIds = [side.endpoint.vpcId, ...(client.vpcId ? [client.vpcId] : [])];
  const [routeTables, attachments, inboundResolvers, clientZones] = await Promise.all([
    readRouteTables(ctx, vpcIds),
    readAttachments(ctx, vpcIds),
    client.vpcId ? Promise.resolve(undefined) : readInboundResolvers(ctx, side.endpoint.vpcId),
    client.vpcId ? readClientZones(ctx, client.vpcId) : Promise.resolve(undefined),
  ]);
  const [peerings, transitGatewayRoutes] = await Promise.all([
    routeTables ? readPeerings(ctx, routeTables) : Promise.resolve(undefined),
    routeTables && attachments
      ? searchTransitRoutes(ctx, routeTables, attachments, side, client)
      : Promise.resolve(undefined),
  ]);
  return {
    clientVpcId: client.vpcId,
    routeTables,
    peerings,
    transitGatewayAttachments: attachments,
    transitGatewayRoutes,
    vpnGateways: routeTables && !client.vpcId ? gatewaysOf(routeTables, side.endpoint.vpcId) : undefined,
    inboundResolvers,
    clientZones,
  };
}

async function readRouteTables(ctx: CollectContext, vpcIds: string[]): Promise<RouteTable[] | undefined> {
  return attempt(ctx, "outsidePath.routeTables", "ec2:DescribeRouteTables", async () => {
    const tables: AwsRouteTable[] = [];
    const pager = paginateDescribeRouteTables(
      { client: ctx.clients.ec2, pageSize: PAGE_SIZE },
      { Filters: [{ Name: "vpc-id", Values: vpcIds }] },
    );
    for await (const page of pager) tables.push(...(page.RouteTables ?? []));
    return tables.map(toRouteTable);
  });
}

async function readAttachments(
  ctx: CollectContext,
  vpcIds: string[],
): Promise<TransitGatewayAttachment[] | undefined> {
  return attempt(ctx, "outsidePath.transitGateways", "ec2:DescribeTransitGatewayAttachments", async () => {
    const raw: AwsAttachment[] = [];
    const pager = paginateDescribeTransitGatewayAttachments(
      { client: ctx.clients.ec2, pageSize: PAGE_SIZE },
      { Filters: [{ Name: "resource-id", Values: vpcIds }] },
    );
    for await (const page of pager) raw.push(...(page.TransitGatewayAttachments ?? []));
    return raw.filter((a) => a.TransitGatewayAttachmentId && a.TransitGatewayId).map(toAttachment);
  });
}

function toAttachment(raw: AwsAttachment): TransitGatewayAttachment {
  return {
    id: raw.TransitGatewayAttachmentId!,
    transitGatewayId: raw.TransitGatewayId!,
    resourceType: raw.ResourceType,
    resourceId: raw.ResourceId,
    state: raw.State,
    routeTableId: raw.Association?.TransitGatewayRouteTableId,
  };
}

/** The VPC's virtual private gateways as its tables show them (route targets, propagation): no call needed. */
function gatewaysOf(tables: RouteTable[], vpcId: string): OutsidePath["vpnGateways"] {
  const ids = tables
    .filter((t) => t.vpcId === vpcId)
    .flatMap((t) => [...(t.propagatingGateways ?? []), ...t.routes.map((r) => r.gatewayId ?? "")])
    .filter((id) => id.startsWith("vgw-"));
  return [...new Set(ids)].map((id) => ({ id }));
}

async function readInboundResolvers(
  ctx: CollectContext,
  vpcId: string,
): Promise<OutsidePath["inboundResolvers"]> {
  return attempt(ctx, "outsidePath.dns", "route53resolver:ListResolverEndpoints", async () => {
    const out = await ctx.clients.route53resolver.send(
      new ListResolverEndpointsCommand({
        Filters: [
          { Name: "Direction", Values: ["INBOUND"] },
          { Name: "HostVPCId", Values: [vpcId] },
        ],
        MaxResults: PAGE_SIZE,
      }),
    );
    return (out.ResolverEndpoints ?? [])
      .filter((e) => e.Id && e.HostVPCId === vpcId && e.Direction !== "OUTBOUND")
      .map((e) => ({ id: e.Id!, name: e.Name, status: e.Status, ips: [] }));
  });
}

// The client VPC's zones are read like the endpoint VPC's, but a failure is a gap of this part alone.
async function readClientZones(ctx: CollectContext, vpcId: string): Promise<OutsidePath["clientZones"]> {
  const gaps: CollectContext["gaps"] = [];
  const zones = await collectHostedZones({ ...ctx, gaps, shared: undefined }, vpcId);
  for (const gap of gaps) ctx.gaps.push({ ...gap, source: "outsidePath.dns" });
  return zones?.map((zone) => ({ id: zone.id, name: zone.name }));
}

async function readPeerings(ctx: CollectContext, tables: RouteTable[]): Promise<Peering[] | undefined> {
  const ids = [
    ...new Set(
      tables.flatMap((t) => t.routes.map((r) => r.target ?? "").filter((id) => id.startsWith("pcx-"))),
    ),
  ];
  if (ids.length === 0) return [];
  return attempt(ctx, "outsidePath.peerings", "ec2:DescribeVpcPeeringConnections", async () => {
    const out = await ctx.clients.ec2.send(
      new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: ids }),
    );
    return (out.VpcPeeringConnections ?? []).filter((p) => p.VpcPeeringConnectionId).map(toPeering);
  });
}

function toPeering(raw: VpcPeeringConnection): Peering {
  const side = (info: VpcPeeringConnection["RequesterVpcInfo"]) => ({
    vpcId: info?.VpcId,
    region: info?.Region,
    ownerId: info?.OwnerId,
  });
  return {
    id: raw.VpcPeeringConnectionId!,
    status: raw.Status?.Code ?? "unknown",
    requester: side(raw.RequesterVpcInfo),
    accepter: side(raw.AccepterVpcInfo),
  };
}

/**
 * For each transit gateway a route of the tables names: the client attachment's TGW route table searched for the
 * endpoint's addresses, and the endpoint attachment's table searched for the client's (routes covering each).
 */
async function searchTransitRoutes(
  ctx: CollectContext,
  tables: RouteTable[],
  attachments: TransitGatewayAttachment[],
  side: EndpointSide,
  client: OutsideClient,
): Promise<TransitGatewayRouteSearch[] | undefined> {
  const named = new Set(
    tables.flatMap((t) => t.routes.map((r) => r.target ?? "").filter((id) => id.startsWith("tgw-"))),
  );
  const wanted = new Map<string, Set<string>>();
  const want = (routeTableId: string | undefined, cidrs: string[]) => {
    if (!routeTableId) return;
    const set = wanted.get(routeTableId) ?? new Set<string>();
    for (const cidr of cidrs) set.add(cidr);
    wanted.set(routeTableId, set);
  };
  const relevant = attachments.filter((a) => named.has(a.transitGatewayId));
  if (relevant.length === 0) return [];
  const targets = endpointTargets(side.endpoint, ...(await Promise.all([side.enis, side.vpc])));
  for (const attachment of relevant) {
    if (attachment.resourceId === side.endpoint.vpcId) want(attachment.routeTableId, client.blocks);
    else if (client.vpcId && attachment.resourceId === client.vpcId) want(attachment.routeTableId, targets);
  }
  if (wanted.size === 0) return [];
  const searches = [...wanted].map(([routeTableId, cidrs]) =>
    searchTable(ctx, routeTableId, [...cidrs].slice(0, MAX_SEARCHES)),
  );
  const results = await Promise.all(searches);
  return results.some((r) => r === undefined) ? undefined : (results as TransitGatewayRouteSearch[]);
}

/** The endpoint's addresses as /32s (its ENIs), else its VPC's CIDRs. */
function endpointTargets(
  endpoint: Endpoint,
  enis: NetworkInterface[] | undefined,
  vpc: Vpc | undefined,
): string[] {
  const ids = new Set(endpoint.networkInterfaceIds);
  const addresses = (enis ?? []).filter((e) => ids.has(e.id)).flatMap((e) => e.privateIpAddresses);
  if (addresses.length > 0) return addresses.map((a) => `${a}/32`);
  return vpc?.cidrsIpv4 ?? [];
}

async function searchTable(
  ctx: CollectContext,
  routeTableId: string,
  cidrs: string[],
): Promise<TransitGatewayRouteSearch | undefined> {
  return attempt(ctx, "outsidePath.transitGateways", "ec2:SearchTransitGatewayRoutes", async () => {
    const routes: TransitGatewayRouteSearch["routes"] = [];
    const answers = await Promise.all(
      cidrs.map((cidr) =>
        ctx.clients.ec2.send(
          new SearchTransitGatewayRoutesCommand({
            TransitGatewayRouteTableId: routeTableId,
            Filters: [{ Name: "route-search.supernet-of-match", Values: [cidr] }],
          }),
        ),
      ),
    );
    for (const out of answers) {
      for (const route of out.Routes ?? []) {
        if (routes.some((r) => r.destinationCidr === route.DestinationCidrBlock)) continue;
        routes.push({
          destinationCidr: route.DestinationCidrBlock,
          state: route.State,
          type: route.Type,
          attachments: (route.TransitGatewayAttachments ?? []).map((a) => ({
            id: a.TransitGatewayAttachmentId,
            resourceId: a.ResourceId,
            resourceType: a.ResourceType,
          })),
        });
      }
    }
    return { routeTableId, searched: cidrs, routes };
  });
}
