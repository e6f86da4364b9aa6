import {
  type NetworkAcl as AwsNetworkAcl,
  type NetworkInterface as AwsNetworkInterface,
  type RouteTable as AwsRouteTable,
  type SecurityGroup as AwsSecurityGroup,
  type Subnet as AwsSubnet,
  type Filter,
  type IpPermission,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
} from "@aws-sdk/client-ec2";
import type {
  NetworkAcl,
  NetworkInterface,
  RouteTable,
  SecurityGroup,
  SgRule,
  SnapshotField,
  Subnet,
} from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext, sharedCopy, sharedRead } from "../context.js";

// Lookups by id use filters rather than the *Ids parameters: one deleted id then drops out of the answer
// instead of failing the whole batch with *.NotFound, and paging stays allowed.

const PAGE_SIZE = 1000;
// DescribeNetworkAcls and DescribeRouteTables accept at most 100 per page.
const SMALL_PAGE_SIZE = 100;
const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  "1": "icmp",
  "6": "tcp",
  "17": "udp",
  "58": "icmpv6",
};

/** AWS protocol as a lower-case name for tcp, udp, icmp and icmpv6 ("6" -> "tcp"); "-1" (all) and others as is. */
export function normaliseProtocol(protocol: string | undefined): string {
  const value = (protocol ?? "-1").toLowerCase();
  return PROTOCOL_NAMES[value] ?? value;
}

/** The security groups with these ids (one call for all of them), each rule flattened to one peer; a failure is a `field` gap. */
export async function collectSecurityGroups(
  ctx: CollectContext,
  groupIds: readonly string[],
  field: SnapshotField = "securityGroups",
): Promise<SecurityGroup[] | undefined> {
  const ids = unique(groupIds);
  if (ids.length === 0) return [];
  const key = `ec2:DescribeSecurityGroups:${[...ids].sort().join(",")}`;
  return attempt(ctx, field, "ec2:DescribeSecurityGroups", () =>
    sharedCopy(ctx, key, async () => {
      const groups: SecurityGroup[] = [];
      const pager = paginateDescribeSecurityGroups(
        { client: ctx.clients.ec2, pageSize: PAGE_SIZE },
        { Filters: [filter("group-id", ids)] },
      );
      for await (const page of pager) groups.push(...(page.SecurityGroups ?? []).map(toSecurityGroup));
      return groups;
    }),
  );
}

function toSecurityGroup(raw: AwsSecurityGroup): SecurityGroup {
  return {
    id: raw.GroupId ?? "",
    name: raw.GroupName,
    vpcId: raw.VpcId,
    ingress: (raw.IpPermissions ?? []).flatMap(flattenPermission),
    egress: (raw.IpPermissionsEgress ?? []).flatMap(flattenPermission),
  };
}

// One rule per peer: an IpPermission may carry several CIDRs, prefix lists and group references.
function flattenPermission(permission: IpPermission): SgRule[] {
  const base = {
    protocol: normaliseProtocol(permission.IpProtocol),
    fromPort: permission.FromPort,
    toPort: permission.ToPort,
  };
  return [
    ...(permission.IpRanges ?? []).map((r) => ({ ...base, cidrIpv4: r.CidrIp, description: r.Description })),
    ...(permission.Ipv6Ranges ?? []).map((r) => ({
      ...base,
      cidrIpv6: r.CidrIpv6,
      description: r.Description,
    })),
    ...(permission.PrefixListIds ?? []).map((p) => ({
      ...base,
      prefixListId: p.PrefixListId,
      description: p.Description,
    })),
    ...(permission.UserIdGroupPairs ?? []).map((g) => ({
      ...base,
      referencedGroupId: g.GroupId,
      description: g.Description,
    })),
  ];
}

/** The subnets with these ids, in one call. */
export async function collectSubnets(
  ctx: CollectContext,
  subnetIds: readonly string[],
): Promise<Subnet[] | undefined> {
  const ids = unique(subnetIds);
  if (ids.length === 0) return [];
  const key = `ec2:DescribeSubnets:${[...ids].sort().join(",")}`;
  return attempt(ctx, "subnets", "ec2:DescribeSubnets", () =>
    sharedCopy(ctx, key, async () => {
      const subnets: Subnet[] = [];
      const pager = paginateDescribeSubnets(
        { client: ctx.clients.ec2, pageSize: PAGE_SIZE },
        { Filters: [filter("subnet-id", ids)] },
      );
      for await (const page of pager) subnets.push(...(page.Subnets ?? []).map(toSubnet));
      return subnets;
    }),
  );
}

function toSubnet(raw: AwsSubnet): Subnet {
  return {
    id: raw.SubnetId ?? "",
    vpcId: raw.VpcId ?? "",
    availabilityZone: raw.AvailabilityZone ?? "",
    availabilityZoneId: raw.AvailabilityZoneId,
    cidrIpv4: raw.CidrBlock,
    cidrsIpv6: (raw.Ipv6CidrBlockAssociationSet ?? [])
      .filter((a) => a.Ipv6CidrBlock && (a.Ipv6CidrBlockState?.State ?? "associated") === "associated")
      .map((a) => a.Ipv6CidrBlock!),
    ipv6Native: raw.Ipv6Native,
  };
}

/** The network interfaces with these ids, in one call. */
export async function collectNetworkInterfaces(
  ctx: CollectContext,
  eniIds: readonly string[],
): Promise<NetworkInterface[] | undefined> {
  const ids = unique(eniIds);
  if (ids.length === 0) return [];
  return attempt(ctx, "networkInterfaces", "ec2:DescribeNetworkInterfaces", async () => {
    const enis: NetworkInterface[] = [];
    const pager = paginateDescribeNetworkInterfaces(
      { client: ctx.clients.ec2, pageSize: PAGE_SIZE },
      { Filters: [filter("network-interface-id", ids)] },
    );
    for await (const page of pager) enis.push(...(page.NetworkInterfaces ?? []).map(toNetworkInterface));
    return enis;
  });
}

function toNetworkInterface(raw: AwsNetworkInterface): NetworkInterface {
  const privateIps = (raw.PrivateIpAddresses ?? []).map((p) => p.PrivateIpAddress).filter(isString);
  return {
    id: raw.NetworkInterfaceId ?? "",
    subnetId: raw.SubnetId,
    availabilityZone: raw.AvailabilityZone,
    status: raw.Status,
    privateIpAddresses: unique(raw.PrivateIpAddress ? [raw.PrivateIpAddress, ...privateIps] : privateIps),
    ipv6Addresses: (raw.Ipv6Addresses ?? []).map((a) => a.Ipv6Address).filter(isString),
    securityGroupIds: (raw.Groups ?? []).map((g) => g.GroupId).filter(isString),
  };
}

/** The network ACLs associated with any of these subnets, in one call. */
export async function collectNetworkAcls(
  ctx: CollectContext,
  subnetIds: readonly string[],
): Promise<NetworkAcl[] | undefined> {
  const ids = unique(subnetIds);
  if (ids.length === 0) return [];
  const key = `ec2:DescribeNetworkAcls:${[...ids].sort().join(",")}`;
  return attempt(ctx, "networkAcls", "ec2:DescribeNetworkAcls", () =>
    sharedCopy(ctx, key, async () => {
      const acls: NetworkAcl[] = [];
      const pager = paginateDescribeNetworkAcls(
        { client: ctx.clients.ec2, pageSize: SMALL_PAGE_SIZE },
        { Filters: [filter("association.subnet-id", ids)] },
      );
      for await (const page of pager) acls.push(...(page.NetworkAcls ?? []).map(toNetworkAcl));
      return acls;
    }),
  );
}

function toNetworkAcl(raw: AwsNetworkAcl): NetworkAcl {
  return {
    id: raw.NetworkAclId ?? "",
    vpcId: raw.VpcId,
    isDefault: raw.IsDefault ?? false,
    subnetIds: (raw.Associations ?? []).map((a) => a.SubnetId).filter(isString),
    entries: (raw.Entries ?? []).map((e) => ({
      ruleNumber: e.RuleNumber ?? 32767,
      egress: e.Egress ?? false,
      protocol: normaliseProtocol(e.Protocol),
      action: e.RuleAction === "allow" ? ("allow" as const) : ("deny" as const),
      cidrIpv4: e.CidrBlock,
      cidrIpv6: e.Ipv6CidrBlock,
      fromPort: e.PortRange?.From,
      toPort: e.PortRange?.To,
    })),
  };
}

/** Every route table of the VPC (gateway endpoints): the main table decides for subnets without an association. */
export async function collectRouteTables(
  ctx: CollectContext,
  vpcId: string,
): Promise<RouteTable[] | undefined> {
  return attempt(ctx, "routeTables", "ec2:DescribeRouteTables", async () => {
    const raw = await sharedRead(ctx, `ec2:DescribeRouteTables:${vpcId}`, async () => {
      const tables: AwsRouteTable[] = [];
      const pager = paginateDescribeRouteTables(
        { client: ctx.clients.ec2, pageSize: SMALL_PAGE_SIZE },
        { Filters: [filter("vpc-id", [vpcId])] },
      );
      for await (const page of pager) tables.push(...(page.RouteTables ?? []));
      return tables;
    });
    return raw.map(toRouteTable);
  });
}

/** A route table as the snapshot keeps it: associations, routes with their target and origin, propagating VGWs. */
export function toRouteTable(raw: AwsRouteTable): RouteTable {
  const associations = raw.Associations ?? [];
  return {
    id: raw.RouteTableId ?? "",
    vpcId: raw.VpcId,
    main: associations.some((a) => a.Main === true),
    subnetIds: associations.map((a) => a.SubnetId).filter(isString),
    routes: (raw.Routes ?? []).map((r) => ({
      destinationCidr: r.DestinationCidrBlock,
      destinationIpv6Cidr: r.DestinationIpv6CidrBlock,
      destinationPrefixListId: r.DestinationPrefixListId,
      gatewayId: r.GatewayId,
      target:
        r.NatGatewayId ??
        r.TransitGatewayId ??
        r.VpcPeeringConnectionId ??
        r.NetworkInterfaceId ??
        r.InstanceId ??
        r.LocalGatewayId ??
        r.CarrierGatewayId ??
        r.EgressOnlyInternetGatewayId ??
        r.CoreNetworkArn,
      state: r.State,
      origin: r.Origin,
    })),
    ...(raw.PropagatingVgws?.length
      ? { propagatingGateways: raw.PropagatingVgws.map((p) => p.GatewayId).filter(isString) }
      : {}),
  };
}

function filter(name: string, values: string[]): Filter {
  return { Name: name, Values: values };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter((v) => v.length > 0))];
}

function isString(value: string | undefined): value is string {
  return typeof value === "string";
}
