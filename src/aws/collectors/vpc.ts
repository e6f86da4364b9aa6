import {
  DescribeDhcpOptionsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  type VpcAttributeName,
} from "@aws-sdk/client-ec2";
import type { DhcpOptions, Vpc } from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext, sharedRead } from "../context.js";

/**
 * The VPC's CIDRs and DHCP options id, with its two DNS attributes read in parallel. Undefined when the VPC
 * itself cannot be read; an attribute that cannot be read stays absent (with a gap for "vpc").
 */
export async function collectVpc(ctx: CollectContext, vpcId: string): Promise<Vpc | undefined> {
  const [vpc, dnsSupport, dnsHostnames] = await Promise.all([
    attempt(ctx, "vpc", "ec2:DescribeVpcs", async () => {
      const out = await sharedRead(ctx, `ec2:DescribeVpcs:${vpcId}`, () =>
        ctx.clients.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] })),
      );
      return out.Vpcs?.find((v) => v.VpcId === vpcId) ?? null;
    }),
    vpcAttribute(ctx, vpcId, "enableDnsSupport"),
    vpcAttribute(ctx, vpcId, "enableDnsHostnames"),
  ]);
  if (!vpc) return undefined;
  return {
    id: vpcId,
    cidrsIpv4: associated(
      vpc.CidrBlockAssociationSet?.map((a) => [a.CidrBlock, a.CidrBlockState?.State]),
    ) ?? [...(vpc.CidrBlock ? [vpc.CidrBlock] : [])],
    cidrsIpv6:
      associated(
        vpc.Ipv6CidrBlockAssociationSet?.map((a) => [a.Ipv6CidrBlock, a.Ipv6CidrBlockState?.State]),
      ) ?? [],
    dhcpOptionsId: vpc.DhcpOptionsId,
    enableDnsSupport: dnsSupport,
    enableDnsHostnames: dnsHostnames,
  };
}

function associated(pairs: [string | undefined, string | undefined][] | undefined): string[] | undefined {
  if (!pairs) return undefined;
  return pairs
    .filter(([cidr, state]) => cidr && (state ?? "associated") === "associated")
    .map(([cidr]) => cidr!);
}

async function vpcAttribute(
  ctx: CollectContext,
  vpcId: string,
  attribute: "enableDnsSupport" | "enableDnsHostnames",
): Promise<boolean | undefined> {
  return attempt(ctx, "vpc", "ec2:DescribeVpcAttribute", async () => {
    const out = await sharedRead(ctx, `ec2:DescribeVpcAttribute:${vpcId}:${attribute}`, () =>
      ctx.clients.ec2.send(
        new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: attribute as VpcAttributeName }),
      ),
    );
    const value = attribute === "enableDnsSupport" ? out.EnableDnsSupport : out.EnableDnsHostnames;
    return value?.Value;
  });
}

/**
 * The DHCP options set's DNS servers. The id "default" means no options set, hence no DNS server: that is
 * known without a call. Undefined when the set cannot be read.
 */
export async function collectDhcpOptions(
  ctx: CollectContext,
  dhcpOptionsId: string,
): Promise<DhcpOptions | undefined> {
  if (dhcpOptionsId === "default") return { id: dhcpOptionsId, domainNameServers: [] };
  return attempt(ctx, "dhcpOptions", "ec2:DescribeDhcpOptions", async () => {
    const out = await sharedRead(ctx, `ec2:DescribeDhcpOptions:${dhcpOptionsId}`, () =>
      ctx.clients.ec2.send(
        new DescribeDhcpOptionsCommand({ Filters: [{ Name: "dhcp-options-id", Values: [dhcpOptionsId] }] }),
      ),
    );
    const options = out.DhcpOptions?.find((o) => o.DhcpOptionsId === dhcpOptionsId);
    if (!options) return undefined;
    const servers = options.DhcpConfigurations?.find((c) => c.Key === "domain-name-servers");
    return {
      id: dhcpOptionsId,
      domainNameServers: (servers?.Values ?? []).map((v) => v.Value).filter((v): v is string => Boolean(v)),
    };
  });
}
