import ipaddr from "ipaddr.js";
import type { Snapshot, Vpc } from "../diagnosis/snapshot.js";
import { DNS_DOCS, type DnsContext, type Evidence, type Observation } from "./private-dns-facts.js";

// The VPC side of private DNS: the DNS attributes Route 53 private zones need, and the DNS servers clients use.

/** Addresses that are the VPC's own resolver whatever the VPC CIDR (link-local IPv4 and IPv6). */
const LINK_LOCAL_RESOLVERS = ["169.254.169.253", "fd00:ec2::253"];

/** Adds the VPC attribute and DHCP findings; `privateAnswer` says whether a private zone is to answer at all. */
export function vpcSide(ctx: DnsContext, privateAnswer: boolean, out: Evidence): DnsServers {
  const { snapshot, endpoint } = ctx;
  const vpc = snapshot.vpc;
  if (snapshot.gaps.some((gap) => gap.source === "vpc")) out.missing.push("vpc");
  else if (!vpc) out.unverified.push(`the attributes of ${endpoint.vpcId} were not collected`);
  else out.observations.push(...vpcAttributes(vpc, ctx.region, privateAnswer, out.unverified));
  const dns = dnsServers(snapshot, vpc, out);
  if (privateAnswer && dns.custom.length > 0) out.observations.push(customDnsServers(ctx, dns));
  return dns;
}

/** DNS support and DNS hostnames must both be on for private hosted zones to answer; without one, no answer. */
function vpcAttributes(
  vpc: Vpc,
  region: string,
  privateAnswer: boolean,
  unverified: string[],
): Observation[] {
  const out: Observation[] = [];
  const attributes = [
    { key: "enableDnsSupport", flag: "--enable-dns-support", value: vpc.enableDnsSupport },
    { key: "enableDnsHostnames", flag: "--enable-dns-hostnames", value: vpc.enableDnsHostnames },
  ] as const;
  for (const attribute of attributes) {
    if (attribute.value === undefined) {
      unverified.push(`${vpc.id}: ${attribute.key} was not reported`);
      continue;
    }
    if (attribute.value) continue;
    // Without a private answer to wait for, DNS hostnames change nothing for this endpoint; DNS support still does.
    if (!privateAnswer && attribute.key === "enableDnsHostnames") continue;
    out.push({
      level: "fail",
      finding: {
        severity: attribute.key === "enableDnsSupport" ? "critical" : "high",
        summary: `${attribute.key} is off on ${vpc.id}, so the service's name cannot resolve privately there`,
        evidence: [
          `${vpc.id}: ${attribute.key} = false (expected true)`,
          "private DNS for interface endpoints and private hosted zones need both enableDnsSupport and enableDnsHostnames on the VPC",
        ],
        remediation: {
          text: `Turn ${attribute.key} on for ${vpc.id}.`,
          command: `aws ec2 modify-vpc-attribute --region ${region} --vpc-id ${vpc.id} ${attribute.flag} '{"Value":true}'`,
          docs: DNS_DOCS.vpcDns,
        },
        resourceIds: [vpc.id],
      },
    });
  }
  return out;
}

/** The DNS servers the VPC hands out through DHCP. */
export interface DnsServers {
  amazon: boolean;
  servers: string[];
  custom: string[];
  resolver: string | undefined;
  optionsId: string | undefined;
}

/** The DNS servers the DHCP options hand out, split into the VPC resolver and custom ones. */
function dnsServers(snapshot: Snapshot, vpc: Vpc | undefined, out: Evidence): DnsServers {
  const resolver = vpcResolver(vpc);
  const optionsId = vpc?.dhcpOptionsId ?? snapshot.dhcpOptions?.id;
  const none: DnsServers = { amazon: true, servers: [], custom: [], resolver, optionsId };
  if (vpc?.dhcpOptionsId?.toLowerCase() === "default") return none;
  if (snapshot.gaps.some((gap) => gap.source === "dhcpOptions")) {
    out.missing.push("dhcpOptions");
    return none;
  }
  const options = snapshot.dhcpOptions;
  if (!options) {
    out.unverified.push(`the DHCP options of ${vpc?.id ?? "the VPC"} were not collected`);
    return none;
  }
  const servers = options.domainNameServers;
  const own = new Set([...LINK_LOCAL_RESOLVERS, ...(resolver ? [resolver] : [])]);
  const custom = servers.filter((server) => server.toLowerCase() !== "amazonprovideddns" && !own.has(server));
  const amazon =
    servers.length === 0 || servers.some((server) => server.toLowerCase() === "amazonprovideddns");
  return { amazon, servers, custom, resolver, optionsId: options.id };
}

function customDnsServers(ctx: DnsContext, dns: DnsServers): Observation {
  const { vpcId, name } = ctx;
  const vpc = ctx.snapshot.vpc;
  const resolver = dns.resolver ?? "the VPC resolver (VPC CIDR base +2)";
  const options = dns.optionsId ?? "the DHCP options";
  return {
    level: "warn",
    finding: {
      severity: "medium",
      summary: `${options} points ${vpcId} at custom DNS servers (${dns.custom.join(", ")}), which must forward ${name} to ${resolver}`,
      evidence: [
        `${options}: domain-name-servers = ${dns.servers.join(", ")} (expected AmazonProvidedDNS only)`,
        `${name} is answered privately only by the VPC resolver ${resolver}${vpc?.cidrsIpv4[0] ? ` (base of ${vpc.cidrsIpv4[0]} +2)` : ""}`,
        `unless ${dns.custom.join(", ")} forward ${name} (or everything) to ${resolver}, clients get the public addresses`,
      ],
      remediation: {
        text: `Check from a client what ${dns.custom[0]} answers for ${name}; if not the endpoint's addresses, add a conditional forwarder for ${name} to ${resolver} on ${dns.custom.join(", ")}. Only if ${vpcId} needs none of their names, go back to the default options (AmazonProvidedDNS) for ${vpcId}.`,
        command: `dig +short ${name.replace(/^\*\./, "")} @${dns.custom[0]}`,
        docs: DNS_DOCS.dhcp,
      },
      resourceIds: [...(dns.optionsId ? [dns.optionsId] : []), vpcId],
    },
  };
}

/** The VPC resolver: the base of the VPC's primary IPv4 CIDR plus two. */
function vpcResolver(vpc: Vpc | undefined): string | undefined {
  const cidr = vpc?.cidrsIpv4[0];
  if (!cidr) return undefined;
  try {
    const bytes = ipaddr.IPv4.networkAddressFromCIDR(cidr).toByteArray();
    const value = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    const plusTwo = value + 2;
    return [plusTwo >>> 24, (plusTwo >>> 16) & 255, (plusTwo >>> 8) & 255, plusTwo & 255].join(".");
  } catch {
    return undefined;
  }
}
