import type { Finding } from "../diagnosis/check.js";
import type {
  Endpoint,
  HostedZone,
  ResolverRule,
  Service,
  Snapshot,
  SnapshotField,
  ZoneRecord,
} from "../diagnosis/snapshot.js";

// The facts the private-dns check reasons from, and the DNS name arithmetic they need. Pure, no findings here.

/** The documentation pages the private-dns findings cite. */
export const DNS_DOCS = {
  privateDns: "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html",
  vpcDns: "https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html",
  dhcp: "https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSetConcepts.html",
  zones: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html",
  centralised:
    "https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/centralized-access-to-vpc-private-endpoints.html",
  autodefinedRules:
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-overview-forward-vpc-to-network-autodefined-rules.html",
  ruleMatching:
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-overview-forward-vpc-to-network-domain-name-matches.html",
  ruleValues:
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-outbound-queries-rule-values.html",
  verification: "https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html",
  s3: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html",
} as const;

/** How sure an observation is: a proven fault, an unproven risk, or a note. */
export type Level = "fail" | "warn" | "info";

/** One finding with the level it gives the check. */
export interface Observation {
  level: Level;
  finding: Finding;
}

/** What every part of the check reads: the endpoint, its service, the private DNS name and where it lives. */
export interface DnsContext {
  snapshot: Snapshot;
  endpoint: Endpoint;
  service: Service;
  /** The service's private DNS name as the service reports it (may start with "*."). */
  name: string;
  vpcId: string;
  region: string;
}

/** What the parts of the check gather: observations, inputs lost to a gap, and inputs simply not collected. */
export interface Evidence {
  observations: Observation[];
  missing: SnapshotField[];
  unverified: string[];
}

/** What answers the service's name for clients in the endpoint's VPC, after rules and zones are weighed. */
export type Answerer =
  | { kind: "forward"; rule: ResolverRule }
  | { kind: "private-dns" }
  | { kind: "zone"; zone: HostedZone }
  | { kind: "public" };

/** Who answers the name, and what a less specific rule or zone would have done without it. */
export interface Resolution {
  /** The name clients query, lower-case without trailing dot ("*.s3.us-east-1.amazonaws.com" for S3). */
  name: string;
  answerer: Answerer;
  /** The SYSTEM rule that keeps the name with the VPC resolver over a less specific FORWARD rule. */
  system?: ResolverRule;
  /** FORWARD rules covering the name that a more specific zone or SYSTEM rule overrides. */
  overridden: ResolverRule[];
  /** Rules still being associated or removed: they may change the answer any moment. */
  pending: ResolverRule[];
  /** Zones covering the name that a more specific zone answers for. */
  hiddenZones: HostedZone[];
}

/** What a customer private hosted zone answers for the name. */
export type ZoneAnswer =
  | { kind: "endpoint"; records: ZoneRecord[]; targets: string[] }
  | { kind: "elsewhere"; records: ZoneRecord[]; stray: string[] }
  | { kind: "unverifiable"; records: ZoneRecord[]; reason: string }
  | { kind: "missing"; present: ZoneRecord[] }
  | { kind: "unread"; reason: string };

/** A DNS name without its trailing dot, lower-cased; wildcard labels are kept (Route 53 lists `*` as \052). */
export function dnsName(name: string): string {
  return name
    .toLowerCase()
    .replace(/\.$/, "")
    .replace(/^\\052(?=\.)/, "*");
}

/** A DNS name without its trailing dot or leading wildcard label, lower-cased. */
export function bareName(name: string): string {
  return dnsName(name).replace(/^\*\./, "");
}

/** A hosted zone id without the `/hostedzone/` prefix Route 53 sometimes returns. */
export function zoneId(id: string): string {
  return id.replace(/^\/?hostedzone\//i, "");
}

/** Whether `domain` (a zone or rule domain, "." for the root) is `name` itself or one of its parents. */
export function covers(domain: string, name: string): boolean {
  const parent = bareName(domain);
  const child = bareName(name);
  return parent === "" || parent === "." || child === parent || child.endsWith(`.${parent}`);
}

/** How many labels a domain has: the root is 0, `amazonaws.com` is 2. */
export function depth(domain: string): number {
  const bare = bareName(domain);
  return bare === "" || bare === "." ? 0 : bare.split(".").length;
}

/** The endpoint's regional DNS entry (`vpce-...-xxxx.<service>.vpce.amazonaws.com`), if it reports one. */
export function regionalEntry(endpoint: Endpoint): { dnsName: string; hostedZoneId?: string } | undefined {
  return endpoint.dnsEntries.find((entry) => /^vpce-[0-9a-f]+-[0-9a-z]+\./.test(dnsName(entry.dnsName)));
}

/** The endpoint's own DNS names (regional and zonal), never the service's private name. */
export function endpointNames(endpoint: Endpoint): string[] {
  return endpoint.dnsEntries
    .map((entry) => dnsName(entry.dnsName))
    .filter((name) => name.startsWith(`${endpoint.id}-`));
}

/** Whether a DNS name is one of the endpoint's own names (listed, or shaped like its zonal names). */
export function isEndpointName(endpoint: Endpoint, name: string): boolean {
  const bare = dnsName(name).replace(/^dualstack\./, "");
  return endpointNames(endpoint).includes(bare) || (isVpceName(bare) && bare.startsWith(`${endpoint.id}-`));
}

/** Whether a DNS name is some interface endpoint's own name. */
export function isVpceName(name: string): boolean {
  return (
    /^vpce-[0-9a-f]+-/.test(dnsName(name).replace(/^dualstack\./, "")) &&
    /\.vpce\.amazonaws\.com$/.test(dnsName(name))
  );
}

/** The private IPv4 and IPv6 addresses of the endpoint's ENIs, or undefined when the ENIs were not read. */
export function endpointAddresses(snapshot: Snapshot, endpoint: Endpoint): Set<string> | undefined {
  if (!snapshot.networkInterfaces) return undefined;
  const wanted = new Set(endpoint.networkInterfaceIds);
  const enis = snapshot.networkInterfaces.filter((eni) => wanted.size === 0 || wanted.has(eni.id));
  return new Set(enis.flatMap((eni) => [...eni.privateIpAddresses, ...eni.ipv6Addresses]));
}

/** Whether the rule's association is in force ("COMPLETE", or no status reported). */
export function inForce(rule: ResolverRule): boolean {
  const status = (rule.associationStatus ?? "COMPLETE").toUpperCase();
  return status === "COMPLETE" && (rule.status ?? "COMPLETE").toUpperCase() !== "FAILED";
}

/** Whether the rule's association is being created or removed. */
export function inTransition(rule: ResolverRule): boolean {
  return ["CREATING", "DELETING"].includes((rule.associationStatus ?? "").toUpperCase());
}

/** A rule as people read it: id, name and domain. */
export function ruleLabel(rule: ResolverRule): string {
  return `${rule.id}${rule.name ? ` (${rule.name})` : ""} for ${rule.domainName === "." ? '"." (every name)' : rule.domainName}`;
}

/** The rule's target resolvers, "ip" or "ip:port" when not 53. */
export function targetsOf(rule: ResolverRule): string {
  const targets = rule.targetIps.map((t) => (t.port && t.port !== 53 ? `${t.ip}:${t.port}` : t.ip));
  return targets.length > 0 ? targets.join(", ") : "(no target IPs reported)";
}
