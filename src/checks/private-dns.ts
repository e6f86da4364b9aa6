import ipaddr from "ipaddr.js";
import type { Check, CheckOutcome, Finding } from "../diagnosis/check.js";
import type { Endpoint, Service, Snapshot, SnapshotField, Vpc } from "../diagnosis/snapshot.js";
import { interfaceEndpoint, unknownIfGaps } from "./gaps.js";

// Private DNS: does the service's name resolve to the endpoint's ENIs from inside the VPC?

const DOCS = {
  privateDns: "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html",
  vpcDns: "https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html",
  dhcp: "https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSetConcepts.html",
  overlappingZones:
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html",
  verification: "https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html",
  s3: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html",
} as const;

/** Addresses that are the VPC's own resolver whatever the VPC CIDR (link-local IPv4 and IPv6). */
const LINK_LOCAL_RESOLVERS = ["169.254.169.253", "fd00:ec2::253"];

type Level = "fail" | "warn" | "info";
interface Observation {
  level: Level;
  finding: Finding;
}

/** Checks that the service's private DNS name resolves to the interface endpoint inside its VPC. */
export const privateDns: Check = {
  id: "private-dns",
  title: "The service name resolves to the endpoint's private addresses inside the VPC",
  appliesTo: "any",
  needs: [],
  docs: "https://docs.aws.amazon.com/vpc/latest/privatelink/",
  run(snapshot) {
    const target = interfaceEndpoint(
      snapshot,
      `it has no DNS of its own, clients keep the public name and reach the service through the route table`,
    );
    if (target.outcome) return target.outcome;
    const { endpoint } = target;
    const serviceGap = unknownIfGaps(snapshot, "service");
    if (serviceGap) return serviceGap;
    const service = snapshot.service;
    if (!service) {
      return {
        status: "unknown",
        summary: `the details of ${endpoint.serviceName} were not returned, so its private DNS name is unknown`,
        findings: [],
      };
    }
    const name = service.privateDnsName;
    if (!name) return withoutPrivateName(endpoint, service);
    return withPrivateName(snapshot, endpoint, service, name);
  },
};

/** Pass with a note: a service without a private DNS name is reached through the endpoint's own names. */
function withoutPrivateName(endpoint: Endpoint, service: Service): CheckOutcome {
  const names = endpoint.dnsEntries.map((entry) => entry.dnsName);
  return {
    status: "pass",
    summary: `${service.name} has no private DNS name: clients must use the DNS names of ${endpoint.id}`,
    findings: [
      {
        severity: "info",
        summary: `${service.name} has no private DNS name, so clients must address ${endpoint.id} by its own DNS names`,
        evidence: [
          names.length > 0
            ? `endpoint DNS names: ${names.join(", ")}`
            : `${endpoint.id} reports no DNS entries`,
        ],
        resourceIds: [endpoint.id],
      },
    ],
  };
}

function withPrivateName(
  snapshot: Snapshot,
  endpoint: Endpoint,
  service: Service,
  name: string,
): CheckOutcome {
  const observations: Observation[] = [];
  const missing: SnapshotField[] = [];
  const unverified: string[] = [];
  const region = snapshot.region;
  const vpc = snapshot.vpc;
  const vpcId = vpc?.id ?? endpoint.vpcId;

  if (!endpoint.privateDnsEnabled) {
    observations.push({
      level: "fail",
      finding: {
        severity: "high",
        summary: `private DNS is off on ${endpoint.id}, so ${name} resolves to the public service addresses in ${vpcId}`,
        evidence: [
          `${endpoint.id}: privateDnsEnabled = false (expected true)`,
          `${service.name} offers the private DNS name ${name}`,
          `without private DNS, clients that use ${name} leave ${vpcId} through an internet or NAT gateway, or time out when there is none`,
        ],
        remediation: {
          text: `Enable private DNS on ${endpoint.id} (the VPC needs DNS support and DNS hostnames on), or point clients at the endpoint's own DNS names.`,
          command: `aws ec2 modify-vpc-endpoint --region ${region} --vpc-endpoint-id ${endpoint.id} --private-dns-enabled`,
          docs: DOCS.privateDns,
        },
        resourceIds: [endpoint.id],
      },
    });
  }

  if (snapshot.gaps.some((gap) => gap.source === "vpc")) missing.push("vpc");
  else if (!vpc) unverified.push(`the attributes of ${endpoint.vpcId} were not collected`);
  else observations.push(...vpcAttributes(vpc, region, unverified));

  if (snapshot.gaps.some((gap) => gap.source === "hostedZones")) missing.push("hostedZones");
  else if (!snapshot.hostedZones) unverified.push(`the private hosted zones of ${vpcId} were not collected`);
  else observations.push(...shadowingZones(snapshot, endpoint, name, vpcId));

  const dns = dnsServers(snapshot, vpc, missing, unverified);
  if (dns.custom.length > 0) observations.push(customDnsServers(snapshot, vpc, vpcId, name, dns));

  if (service.owner && service.owner.toLowerCase() !== "amazon") {
    const verification = verificationOf(service, name, region);
    if (verification) observations.push(verification);
  }

  if (isS3(endpoint) && endpoint.privateDnsEnabled && endpoint.privateDnsOnlyForInboundResolverEndpoint) {
    observations.push(inboundOnly(endpoint, name, vpcId, region));
  }

  return conclude(snapshot, observations, missing, unverified, () => {
    const servers = dns.amazon ? "AmazonProvidedDNS" : "the VPC resolver";
    return `${name} resolves to the endpoint inside ${vpcId} (private DNS on, DNS support and hostnames on, ${servers})`;
  });
}

/** DNS support and DNS hostnames must both be on for the endpoint's private hosted zone to answer. */
function vpcAttributes(vpc: Vpc, region: string, unverified: string[]): Observation[] {
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
    out.push({
      level: "fail",
      finding: {
        severity: attribute.key === "enableDnsSupport" ? "critical" : "high",
        summary: `${attribute.key} is off on ${vpc.id}, so the endpoint's private DNS name cannot resolve there`,
        evidence: [
          `${vpc.id}: ${attribute.key} = false (expected true)`,
          "private DNS for interface endpoints needs both enableDnsSupport and enableDnsHostnames on the VPC",
        ],
        remediation: {
          text: `Turn ${attribute.key} on for ${vpc.id}.`,
          command: `aws ec2 modify-vpc-attribute --region ${region} --vpc-id ${vpc.id} ${attribute.flag} '{"Value":true}'`,
          docs: DOCS.vpcDns,
        },
        resourceIds: [vpc.id],
      },
    });
  }
  return out;
}

/** Private hosted zones for the name itself or a parent domain of it answer instead of the endpoint. */
function shadowingZones(snapshot: Snapshot, endpoint: Endpoint, name: string, vpcId: string): Observation[] {
  const target = bareName(name);
  const ownZones = new Set(
    endpoint.dnsEntries.flatMap((entry) => (entry.hostedZoneId ? [zoneId(entry.hostedZoneId)] : [])),
  );
  const out: Observation[] = [];
  for (const zone of snapshot.hostedZones ?? []) {
    if (ownZones.has(zoneId(zone.id))) continue;
    const zoneName = bareName(zone.name);
    const exact = zoneName === target;
    if (!exact && !target.endsWith(`.${zoneName}`)) continue;
    const command = `aws route53 disassociate-vpc-from-hosted-zone --hosted-zone-id ${zoneId(zone.id)} --vpc VPCRegion=${snapshot.region},VPCId=${vpcId}`;
    if (exact || !endpoint.privateDnsEnabled) {
      out.push({
        level: "fail",
        finding: {
          severity: "high",
          summary: `private hosted zone ${zone.name} (${zone.id}) associated with ${vpcId} shadows ${name}`,
          evidence: [
            exact
              ? `${zone.name} is the same name as the private DNS name ${name}: queries from ${vpcId} are answered from this zone, not from the endpoint (and enabling private DNS fails with "conflicting DNS domain")`
              : `${zone.name} is a parent domain of ${name} and private DNS is off on ${endpoint.id}: queries for ${name} from ${vpcId} are answered from this zone (NXDOMAIN unless it holds a record) instead of resolving publicly`,
            `expected: no private hosted zone for ${name} or a parent domain, other than the endpoint's own`,
          ],
          remediation: {
            text: `Delete the records for ${name} from ${zone.name} or disassociate the zone from ${vpcId}, then let the endpoint's private DNS answer.`,
            command,
            docs: DOCS.overlappingZones,
          },
          resourceIds: [zone.id, endpoint.id],
        },
      });
    } else {
      out.push({
        level: "info",
        finding: {
          severity: "info",
          summary: `private hosted zone ${zone.name} (${zone.id}) is a parent domain of ${name}; the endpoint's more specific private zone answers while private DNS stays on`,
          evidence: [
            `Route 53 Resolver answers from the most specific private zone associated with ${vpcId}`,
            `if private DNS is turned off on ${endpoint.id}, ${name} resolves from ${zone.name} (NXDOMAIN unless it holds a record)`,
          ],
          resourceIds: [zone.id],
        },
      });
    }
  }
  return out;
}

interface DnsServers {
  amazon: boolean;
  servers: string[];
  custom: string[];
  resolver: string | undefined;
  optionsId: string | undefined;
}

/** The DNS servers the DHCP options hand out, split into the VPC resolver and custom ones. */
function dnsServers(
  snapshot: Snapshot,
  vpc: Vpc | undefined,
  missing: SnapshotField[],
  unverified: string[],
): DnsServers {
  const resolver = vpcResolver(vpc);
  const optionsId = vpc?.dhcpOptionsId ?? snapshot.dhcpOptions?.id;
  const none: DnsServers = { amazon: true, servers: [], custom: [], resolver, optionsId };
  if (vpc?.dhcpOptionsId?.toLowerCase() === "default") return none;
  if (snapshot.gaps.some((gap) => gap.source === "dhcpOptions")) {
    missing.push("dhcpOptions");
    return none;
  }
  const options = snapshot.dhcpOptions;
  if (!options) {
    unverified.push(`the DHCP options of ${vpc?.id ?? "the VPC"} were not collected`);
    return none;
  }
  const servers = options.domainNameServers;
  const own = new Set([...LINK_LOCAL_RESOLVERS, ...(resolver ? [resolver] : [])]);
  const custom = servers.filter((server) => server.toLowerCase() !== "amazonprovideddns" && !own.has(server));
  const amazon =
    servers.length === 0 || servers.some((server) => server.toLowerCase() === "amazonprovideddns");
  return { amazon, servers, custom, resolver, optionsId: options.id };
}

function customDnsServers(
  snapshot: Snapshot,
  vpc: Vpc | undefined,
  vpcId: string,
  name: string,
  dns: DnsServers,
): Observation {
  const resolver = dns.resolver ?? "the VPC resolver (VPC CIDR base +2)";
  const options = dns.optionsId ?? "the DHCP options";
  return {
    level: "warn",
    finding: {
      severity: "medium",
      summary: `${options} points ${vpcId} at custom DNS servers (${dns.custom.join(", ")}), which must forward ${name} to ${resolver}`,
      evidence: [
        `${options}: domain-name-servers = ${dns.servers.join(", ")} (expected AmazonProvidedDNS only)`,
        `the endpoint's private DNS name is answered only by the VPC resolver ${resolver}${vpc?.cidrsIpv4[0] ? ` (base of ${vpc.cidrsIpv4[0]} +2)` : ""}`,
        `unless ${dns.custom.join(", ")} forward ${name} (or everything) to ${resolver}, clients get the public addresses`,
      ],
      remediation: {
        text: `Add a conditional forwarder for ${name} to ${resolver} on ${dns.custom.join(", ")} (check with dig +short ${name} @${dns.custom[0]}), or, if ${vpcId} does not need them, go back to the default options (AmazonProvidedDNS).`,
        command: `aws ec2 associate-dhcp-options --region ${snapshot.region} --vpc-id ${vpcId} --dhcp-options-id default`,
        docs: DOCS.dhcp,
      },
      resourceIds: [...(dns.optionsId ? [dns.optionsId] : []), vpcId],
    },
  };
}

/** A custom service's private DNS name answers only once its provider has verified the domain. */
function verificationOf(service: Service, name: string, region: string): Observation | undefined {
  const state = service.privateDnsNameVerificationState;
  if (state?.toLowerCase() === "verified") return undefined;
  const serviceId = service.id ?? service.name;
  return {
    level: state ? "fail" : "warn",
    finding: {
      severity: state ? "high" : "medium",
      summary: state
        ? `the provider of ${service.name} has not verified its private DNS name ${name} (state ${state})`
        : `${service.name} does not report whether its private DNS name ${name} is verified`,
      evidence: [
        `${serviceId}: privateDnsNameVerificationState = ${state ?? "(not reported)"} (expected verified)`,
        "a custom endpoint service's private DNS name is served to consumers only after the provider proves the domain with a TXT record",
      ],
      remediation: {
        text: `Ask the provider of ${serviceId} to publish the verification TXT record and start verification in their account; until then use the endpoint's own DNS names.`,
        command: `aws ec2 start-vpc-endpoint-service-private-dns-verification --region ${region} --service-id ${serviceId}`,
        docs: DOCS.verification,
      },
      resourceIds: [serviceId],
    },
  };
}

/** S3 interface endpoints can keep private DNS for queries that arrive through an inbound resolver only. */
function inboundOnly(endpoint: Endpoint, name: string, vpcId: string, region: string): Observation {
  return {
    level: "warn",
    finding: {
      severity: "low",
      summary: `private DNS of ${endpoint.id} answers only queries that arrive through a Route 53 Resolver inbound endpoint`,
      evidence: [
        `${endpoint.id}: privateDnsOnlyForInboundResolverEndpoint = true`,
        `clients inside ${vpcId} resolve ${name} to public S3 addresses and reach S3 through the VPC's S3 gateway endpoint, not through ${endpoint.id}`,
        "on-premises clients that resolve through the inbound resolver endpoint get the interface endpoint's private addresses",
      ],
      remediation: {
        text: `Nothing to do if in-VPC traffic should use the gateway endpoint; to send in-VPC clients through ${endpoint.id} as well, turn the option off.`,
        command: `aws ec2 modify-vpc-endpoint --region ${region} --vpc-endpoint-id ${endpoint.id} --dns-options PrivateDnsOnlyForInboundResolverEndpoint=false`,
        docs: DOCS.s3,
      },
      resourceIds: [endpoint.id],
    },
  };
}

/** A failure wins over missing inputs; missing inputs win over warnings; otherwise warn or pass. */
function conclude(
  snapshot: Snapshot,
  observations: Observation[],
  missing: SnapshotField[],
  unverified: string[],
  passSummary: () => string,
): CheckOutcome {
  const findings = observations.map((o) => o.finding);
  const failure = observations.find((o) => o.level === "fail");
  if (failure) return { status: "fail", summary: failure.finding.summary, findings };
  const gaps = unknownIfGaps(snapshot, ...missing);
  if (gaps) return { ...gaps, findings: [...gaps.findings, ...findings] };
  if (unverified.length > 0) {
    return {
      status: "unknown",
      summary: unverified[0]!,
      findings: [
        {
          severity: "medium",
          summary: `private DNS could not be fully verified: ${unverified.join("; ")}`,
          evidence: unverified,
        },
        ...findings,
      ],
    };
  }
  const warning = observations.find((o) => o.level === "warn");
  if (warning) return { status: "warn", summary: warning.finding.summary, findings };
  return { status: "pass", summary: passSummary(), findings };
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

/** A DNS name without its trailing dot or leading wildcard label, lower-cased. */
function bareName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "").replace(/^\*\./, "");
}

/** A hosted zone id without the `/hostedzone/` prefix Route 53 sometimes returns. */
function zoneId(id: string): string {
  return id.replace(/^\/?hostedzone\//i, "");
}

function isS3(endpoint: Endpoint): boolean {
  return /\.s3$/i.test(endpoint.serviceName);
}
