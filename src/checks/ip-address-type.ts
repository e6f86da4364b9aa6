import type { Check, CheckOutcome, Finding } from "../diagnosis/check.js";
import type { Endpoint, Snapshot, SnapshotField, Subnet } from "../diagnosis/snapshot.js";
import { unknownIfGaps } from "./gaps.js";
import { ipVersion } from "./net.js";

// IP address type: do the endpoint's address family, its DNS records, its subnets and the service agree?

const DOCS = "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html";

/** The endpoint address types each DNS record type may be published for ("service-defined" fits any). */
const RECORDS_FOR: Record<string, readonly string[]> = {
  ipv4: ["ipv4", "dualstack"],
  ipv6: ["ipv6", "dualstack"],
  dualstack: ["dualstack"],
};

type Level = "fail" | "warn";
interface Observation {
  level: Level;
  finding: Finding;
}

/** Checks that the endpoint's IP address type fits its subnets, its service, its DNS records and the client. */
export const ipAddressType: Check = {
  id: "ip-address-type",
  title: "The endpoint's IP address type matches its subnets, its service, its DNS records and the client",
  appliesTo: ["Interface", "GatewayLoadBalancer"],
  notApplicable: "it has no addresses of its own",
  needs: [],
  docs: "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
  run(snapshot) {
    return evaluate(snapshot, snapshot.endpoint!);
  },
};

function evaluate(snapshot: Snapshot, endpoint: Endpoint): CheckOutcome {
  const region = snapshot.region;
  const assumed = endpoint.ipAddressType === undefined;
  // Endpoints created before IPv6 support report no type: they are IPv4.
  const type = (endpoint.ipAddressType ?? "ipv4").toLowerCase();
  const needsV6 = type === "ipv6" || type === "dualstack";
  const needsV4 = type === "ipv4" || type === "dualstack";
  const typeLabel = assumed ? "ipv4 (no IpAddressType reported: an older IPv4 endpoint)" : type;
  const observations: Observation[] = [];
  const missing: SnapshotField[] = [];
  const modify = `aws ec2 modify-vpc-endpoint --region ${region} --vpc-endpoint-id ${endpoint.id}`;

  // Subnets: every endpoint subnet must carry the families the endpoint uses.
  let subnetsChecked: Subnet[] = [];
  if (snapshot.gaps.some((gap) => gap.source === "subnets")) missing.push("subnets");
  else if (snapshot.subnets) {
    subnetsChecked = snapshot.subnets.filter((subnet) => endpoint.subnetIds.includes(subnet.id));
    for (const subnet of subnetsChecked) {
      if (needsV6 && subnet.cidrsIpv6.length === 0) {
        observations.push({
          level: "fail",
          finding: {
            severity: "high",
            summary: `${subnet.id} has no IPv6 CIDR, but ${endpoint.id} is ${type} and needs an IPv6 address there`,
            evidence: [
              `${endpoint.id}: ipAddressType = ${type}`,
              `${subnet.id}: IPv6 CIDRs = none (expected at least one)`,
            ],
            remediation: {
              text: `Associate an IPv6 /64 of the VPC with ${subnet.id}, or set ${endpoint.id} back to ipv4.`,
              command: `${modify} --ip-address-type ipv4 --dns-options DnsRecordIpType=ipv4`,
              docs: DOCS,
            },
            resourceIds: [subnet.id, endpoint.id],
          },
        });
      }
      if (needsV4 && subnet.ipv6Native) {
        observations.push({
          level: "fail",
          finding: {
            severity: "high",
            summary: `${subnet.id} is IPv6-only, but ${endpoint.id} is ${type} and needs an IPv4 address there`,
            evidence: [
              `${endpoint.id}: ipAddressType = ${typeLabel}`,
              `${subnet.id}: ipv6Native = true (no IPv4 range)`,
            ],
            remediation: {
              text: `Set ${endpoint.id} to ipv6, or move it to subnets with an IPv4 range.`,
              command: `${modify} --ip-address-type ipv6 --dns-options DnsRecordIpType=ipv6`,
              docs: DOCS,
            },
            resourceIds: [subnet.id, endpoint.id],
          },
        });
      }
    }
  } else missing.push("subnets");

  // Service: it must accept the families the endpoint uses.
  if (snapshot.gaps.some((gap) => gap.source === "service")) missing.push("service");
  else if (snapshot.service) {
    const service = snapshot.service;
    const supported = service.supportedIpAddressTypes.map((t) => t.toLowerCase());
    if (supported.length > 0) {
      for (const family of [...(needsV4 ? ["ipv4"] : []), ...(needsV6 ? ["ipv6"] : [])]) {
        if (supported.includes(family)) continue;
        const fallback = family === "ipv6" ? "ipv4" : "ipv6";
        observations.push({
          level: "fail",
          finding: {
            severity: "high",
            summary: `${service.name} does not accept ${family}, but ${endpoint.id} is ${type}`,
            evidence: [
              `${service.name}: supportedIpAddressTypes = ${supported.join(", ")}`,
              `${endpoint.id}: ipAddressType = ${typeLabel} (needs ${family})`,
            ],
            remediation: {
              text: `Set ${endpoint.id} to an address type the service supports (${supported.join(" or ")}).`,
              command: `${modify} --ip-address-type ${fallback} --dns-options DnsRecordIpType=${fallback}`,
              docs: DOCS,
            },
            resourceIds: [endpoint.id],
          },
        });
      }
    }
  } else missing.push("service");

  // DNS records: only record types the endpoint has addresses for.
  const records = endpoint.dnsRecordIpType?.toLowerCase();
  const allowed = records ? RECORDS_FOR[records] : undefined;
  if (records && allowed && !allowed.includes(type)) {
    observations.push({
      level: "fail",
      finding: {
        severity: "high",
        summary: `${endpoint.id} publishes ${records} DNS records, but its addresses are ${type}`,
        evidence: [
          `${endpoint.id}: dnsRecordIpType = ${records}, ipAddressType = ${typeLabel}`,
          `${records} records need an endpoint of type ${allowed.join(" or ")}: clients get records for addresses the endpoint does not have`,
        ],
        remediation: {
          text: `Publish DNS records that match the endpoint's addresses (${type}).`,
          command: `${modify} --dns-options DnsRecordIpType=${type}`,
          docs: DOCS,
        },
        resourceIds: [endpoint.id],
      },
    });
  }

  // The client: an IPv6-only client cannot use an IPv4-only endpoint.
  const source = snapshot.source;
  if (source && type === "ipv4" && sourceIsIpv6Only(snapshot)) {
    observations.push({
      level: "warn",
      finding: {
        severity: "medium",
        summary: `the source ${source.given.value} is IPv6-only, but ${endpoint.id} has IPv4 addresses only`,
        evidence: [
          `source: ${source.given.value}${source.addresses.length > 0 ? ` (${source.addresses.join(", ")})` : ""}`,
          `${endpoint.id}: ipAddressType = ${typeLabel}`,
        ],
        remediation: {
          text: `Make ${endpoint.id} dualstack (its subnets need IPv6 CIDRs and the service must accept IPv6), or give the client an IPv4 address.`,
          command: `${modify} --ip-address-type dualstack --dns-options DnsRecordIpType=dualstack`,
          docs: DOCS,
        },
        resourceIds: [endpoint.id, ...(source.subnetId ? [source.subnetId] : [])],
      },
    });
  }

  const findings = observations.map((o) => o.finding);
  const failure = observations.find((o) => o.level === "fail");
  if (failure) return { status: "fail", summary: failure.finding.summary, findings };
  const gaps = unknownIfGaps(snapshot, ...missing);
  if (gaps) return { ...gaps, findings: [...gaps.findings, ...findings] };
  if (missing.length > 0) {
    return {
      status: "unknown",
      summary: `the ${missing.join(" and ")} of ${endpoint.id} were not collected`,
      findings,
    };
  }
  const warning = observations.find((o) => o.level === "warn");
  if (warning) return { status: "warn", summary: warning.finding.summary, findings };
  const subnetNames = subnetsChecked.map((subnet) => subnet.id).join(", ") || "no subnets";
  const service = snapshot.service;
  const accepts = service?.supportedIpAddressTypes.length
    ? ` and ${service.name} accepts ${service.supportedIpAddressTypes.join(", ")}`
    : "";
  const recordsText = records ? ` with ${records} DNS records` : "";
  return {
    status: "pass",
    summary: `${endpoint.id} is ${type}${recordsText}; its subnets (${subnetNames}) carry ${type === "dualstack" ? "IPv4 and IPv6" : type === "ipv6" ? "IPv6" : "IPv4"}${accepts}`,
    findings: assumed
      ? [
          {
            severity: "info",
            summary: `${endpoint.id} reports no IP address type; treated as ipv4`,
            evidence: [`${endpoint.id}: ipAddressType = (not reported)`],
          },
        ]
      : [],
  };
}

/** True when the source is an IPv6 CIDR, or when every address found for it is IPv6. */
function sourceIsIpv6Only(snapshot: Snapshot): boolean {
  const source = snapshot.source!;
  if (source.given.kind === "cidr") return source.given.ipVersion === 6;
  return source.addresses.length > 0 && source.addresses.every((address) => ipVersion(address) === 6);
}
