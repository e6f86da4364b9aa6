import {
  type NetworkInterface as AwsNetworkInterface,
  type Instance,
  paginateDescribeInstances,
  paginateDescribeNetworkInterfaces,
} from "@aws-sdk/client-ec2";
import type { ResolvedSource, SecurityGroup, Source, Subnet } from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext } from "../context.js";

// Sources resolve in two steps: instances, ENIs and single IPs are looked up in round 1 (in parallel with the
// endpoint); subnets and security groups come from round 2's batched reads, which include them anyway.

const PAGE_SIZE = 1000;

/**
 * Round 1: what the source could be. Instances, ENIs and single IPs are looked up (an IP may sit on ENIs in
 * several VPCs with overlapping CIDRs, hence a list); other kinds need no call, and a CIDR range is its own
 * answer. Undefined when the lookup failed.
 */
export async function lookupSource(
  ctx: CollectContext,
  source: Source,
): Promise<ResolvedSource[] | undefined> {
  switch (source.kind) {
    case "instance":
      return attempt(ctx, "source", "ec2:DescribeInstances", async () => {
        const found: ResolvedSource[] = [];
        const pager = paginateDescribeInstances(
          { client: ctx.clients.ec2, pageSize: PAGE_SIZE },
          { Filters: [{ Name: "instance-id", Values: [source.value] }] },
        );
        for await (const page of pager) {
          for (const reservation of page.Reservations ?? []) {
            for (const instance of reservation.Instances ?? []) found.push(fromInstance(source, instance));
          }
        }
        return found;
      });
    case "eni":
      return findInterfaces(ctx, source, "network-interface-id", source.value);
    case "cidr": {
      const ip = singleAddress(source);
      if (!ip) return [{ given: source, addresses: [source.value], securityGroupIds: [], found: true }];
      const filterName =
        source.ipVersion === 4 ? "addresses.private-ip-address" : "ipv6-addresses.ipv6-address";
      return findInterfaces(ctx, source, filterName, ip);
    }
    case "subnet":
      return [{ given: source, addresses: [], subnetId: source.value, securityGroupIds: [], found: true }];
    case "security-group":
      return [{ given: source, addresses: [], securityGroupIds: [source.value], found: true }];
  }
}

/**
 * The source to diagnose among round 1's candidates: the one in the endpoint's VPC, else the first. With no
 * candidate it is "not found" (for a single address: no ENI in the region holds it, e.g. on premises).
 */
export function chooseSource(
  source: Source,
  candidates: readonly ResolvedSource[],
  endpointVpcId: string | undefined,
): ResolvedSource {
  const chosen = candidates.find((c) => endpointVpcId && c.vpcId === endpointVpcId) ?? candidates[0];
  if (chosen) return chosen;
  const addresses = source.kind === "cidr" ? [singleAddress(source) ?? source.value] : [];
  return { given: source, addresses, securityGroupIds: [], found: false };
}

/**
 * After round 2: completes subnet and security-group sources from the batched reads (which included their ids).
 * If the batch it needs failed, the source is unknown: undefined, with a "source" gap naming the same action.
 */
export function completeSource(
  ctx: CollectContext,
  resolved: ResolvedSource,
  batches: { subnets: Subnet[] | undefined; securityGroups: SecurityGroup[] | undefined },
): ResolvedSource | undefined {
  const given = resolved.given;
  if (given.kind === "subnet") {
    if (!batches.subnets) return unknownFrom(ctx, "subnets");
    const subnet = batches.subnets.find((s) => s.id === given.value);
    if (!subnet) return { ...resolved, found: false };
    const addresses = [...(subnet.cidrIpv4 ? [subnet.cidrIpv4] : []), ...subnet.cidrsIpv6];
    return { ...resolved, addresses, vpcId: subnet.vpcId, found: true };
  }
  if (given.kind === "security-group") {
    if (!batches.securityGroups) return unknownFrom(ctx, "securityGroups");
    const group = batches.securityGroups.find((g) => g.id === given.value);
    if (!group) return { ...resolved, found: false };
    return { ...resolved, vpcId: group.vpcId, found: true };
  }
  return resolved;
}

function unknownFrom(ctx: CollectContext, field: string): undefined {
  const cause = ctx.gaps.find((gap) => gap.source === field);
  if (cause) ctx.gaps.push({ ...cause, source: "source" });
  return undefined;
}

/** The address of a /32 or /128 source, undefined for a wider range. */
function singleAddress(source: Extract<Source, { kind: "cidr" }>): string | undefined {
  const [address, prefix] = source.value.split("/");
  const single = prefix === undefined || Number(prefix) === (source.ipVersion === 4 ? 32 : 128);
  return single ? address : undefined;
}

async function findInterfaces(
  ctx: CollectContext,
  source: Source,
  filterName: string,
  value: string,
): Promise<ResolvedSource[] | undefined> {
  return attempt(ctx, "source", "ec2:DescribeNetworkInterfaces", async () => {
    const found: ResolvedSource[] = [];
    const pager = paginateDescribeNetworkInterfaces(
      { client: ctx.clients.ec2, pageSize: PAGE_SIZE },
      { Filters: [{ Name: filterName, Values: [value] }] },
    );
    for await (const page of pager) {
      for (const eni of page.NetworkInterfaces ?? []) found.push(fromInterface(source, eni));
    }
    return found;
  });
}

function fromInterface(source: Source, eni: AwsNetworkInterface): ResolvedSource {
  const addresses =
    source.kind === "cidr"
      ? [singleAddress(source) ?? source.value]
      : unique([
          ...(eni.PrivateIpAddress ? [eni.PrivateIpAddress] : []),
          ...(eni.PrivateIpAddresses ?? []).map((p) => p.PrivateIpAddress),
          ...(eni.Ipv6Addresses ?? []).map((a) => a.Ipv6Address),
        ]);
  return {
    given: source,
    addresses,
    subnetId: eni.SubnetId,
    vpcId: eni.VpcId,
    securityGroupIds: unique((eni.Groups ?? []).map((g) => g.GroupId)),
    found: true,
  };
}

function fromInstance(source: Source, instance: Instance): ResolvedSource {
  const enis = instance.NetworkInterfaces ?? [];
  return {
    given: source,
    addresses: unique([
      ...(instance.PrivateIpAddress ? [instance.PrivateIpAddress] : []),
      ...enis.flatMap((eni) => (eni.PrivateIpAddresses ?? []).map((p) => p.PrivateIpAddress)),
      ...enis.flatMap((eni) => (eni.Ipv6Addresses ?? []).map((a) => a.Ipv6Address)),
    ]),
    subnetId: instance.SubnetId,
    vpcId: instance.VpcId,
    securityGroupIds: unique([
      ...(instance.SecurityGroups ?? []).map((g) => g.GroupId),
      ...enis.flatMap((eni) => (eni.Groups ?? []).map((g) => g.GroupId)),
    ]),
    found: true,
  };
}

function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === "string" && v.length > 0))];
}
