import type { Check, CheckOutcome, Finding } from "../diagnosis/check.js";
import type { Endpoint, NetworkInterface, Snapshot, Subnet } from "../diagnosis/snapshot.js";
import { interfaceEndpoint, unknownIfGaps } from "./gaps.js";

// Subnet coverage: does the interface endpoint have a working ENI in the client's Availability Zone?

const DOCS = {
  subnets: "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
  access: "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html",
} as const;

type Level = "fail" | "warn" | "info";
interface Observation {
  level: Level;
  finding: Finding;
}

/** One Availability Zone as both an id (comparable across accounts) and a name. */
interface Zone {
  id?: string;
  name?: string;
}

/** Checks that the interface endpoint has an in-use ENI in the client's Availability Zone, and in more than one. */
export const subnetCoverage: Check = {
  id: "subnet-coverage",
  title: "The endpoint has an in-use ENI in the client's Availability Zone and in more than one zone",
  appliesTo: "any",
  needs: [],
  docs: "https://docs.aws.amazon.com/vpc/latest/privatelink/",
  run(snapshot) {
    const target = interfaceEndpoint(snapshot, `it has no subnets or ENIs and works through route tables`);
    if (target.outcome) return target.outcome;
    const { endpoint } = target;
    const gaps = unknownIfGaps(snapshot, "subnets", "networkInterfaces");
    if (gaps) return gaps;
    if (!snapshot.subnets || !snapshot.networkInterfaces) {
      return {
        status: "unknown",
        summary: `the subnets or ENIs of ${endpoint.id} were not collected`,
        findings: [],
      };
    }
    return evaluate(snapshot, endpoint, snapshot.subnets, snapshot.networkInterfaces);
  },
};

function evaluate(
  snapshot: Snapshot,
  endpoint: Endpoint,
  subnets: Subnet[],
  interfaces: NetworkInterface[],
): CheckOutcome {
  const region = snapshot.region;
  const subnetById = new Map(subnets.map((subnet) => [subnet.id, subnet]));
  const wanted = new Set(endpoint.networkInterfaceIds);
  const enis = wanted.size > 0 ? interfaces.filter((eni) => wanted.has(eni.id)) : interfaces;
  const observations: Observation[] = [];

  if (endpoint.subnetIds.length === 0) {
    const candidate = snapshot.source?.subnetId ?? "<subnet-id>";
    observations.push({
      level: "fail",
      finding: {
        severity: "critical",
        summary: `${endpoint.id} has no subnets, so it has no ENI for clients to connect to`,
        evidence: [
          `${endpoint.id}: subnetIds = [] (expected at least one subnet, ideally one per AZ in use)`,
        ],
        remediation: {
          text: `Add a subnet in each Availability Zone your clients use to ${endpoint.id}.`,
          command: addSubnet(region, endpoint.id, candidate),
          docs: DOCS.subnets,
        },
        resourceIds: [endpoint.id],
      },
    });
  }

  // Where the endpoint is: one zone per endpoint subnet, taken from the subnet or else its ENI.
  const placed = endpoint.subnetIds.map((subnetId) => {
    const subnet = subnetById.get(subnetId);
    const eni = enis.find((candidate) => candidate.subnetId === subnetId);
    const zone: Zone = subnet
      ? { id: subnet.availabilityZoneId, name: subnet.availabilityZone }
      : { name: eni?.availabilityZone };
    return { subnetId, zone, eni };
  });

  for (const eni of enis) {
    const status = eni.status ?? "(not reported)";
    if (status.toLowerCase() === "in-use") continue;
    const subnetId = eni.subnetId ?? "<subnet-id>";
    observations.push({
      level: "warn",
      finding: {
        severity: "medium",
        summary: `${eni.id} of ${endpoint.id} in ${subnetId} is ${status}, not in-use`,
        evidence: [
          `${eni.id}: status = ${status} (expected in-use)`,
          `clients resolving to ${eni.privateIpAddresses.join(", ") || "its addresses"} may not be served`,
        ],
        remediation: {
          text: `Check that ${endpoint.id} is available; if the ENI stays ${status}, remove its subnet from the endpoint and add it again (this briefly interrupts that Availability Zone).`,
          command: `aws ec2 modify-vpc-endpoint --region ${region} --vpc-endpoint-id ${endpoint.id} --remove-subnet-ids ${subnetId} && aws ec2 modify-vpc-endpoint --region ${region} --vpc-endpoint-id ${endpoint.id} --add-subnet-ids ${subnetId}`,
          docs: DOCS.subnets,
        },
        resourceIds: [eni.id, ...(eni.subnetId ? [eni.subnetId] : []), endpoint.id],
      },
    });
  }

  for (const entry of placed) {
    if (entry.eni) continue;
    observations.push({
      level: "warn",
      finding: {
        severity: "medium",
        summary: `${entry.subnetId} is listed on ${endpoint.id} but has no endpoint ENI`,
        evidence: [
          `${endpoint.id}: subnetIds include ${entry.subnetId}`,
          `ENIs of ${endpoint.id}: ${enis.map((eni) => `${eni.id} in ${eni.subnetId ?? "?"}`).join(", ") || "none"} (expected one in ${entry.subnetId})`,
        ],
        remediation: {
          text: `Remove ${entry.subnetId} from ${endpoint.id} and add it again so that an ENI is created.`,
          command: `aws ec2 modify-vpc-endpoint --region ${region} --vpc-endpoint-id ${endpoint.id} --remove-subnet-ids ${entry.subnetId} && aws ec2 modify-vpc-endpoint --region ${region} --vpc-endpoint-id ${endpoint.id} --add-subnet-ids ${entry.subnetId}`,
          docs: DOCS.subnets,
        },
        resourceIds: [entry.subnetId, endpoint.id],
      },
    });
  }

  const zones = distinctZones(placed.map((entry) => entry.zone));
  if (zones.length === 1) {
    const other = subnets.find(
      (subnet) =>
        subnet.vpcId === endpoint.vpcId &&
        !endpoint.subnetIds.includes(subnet.id) &&
        !sameZone(zoneOf(subnet), zones[0]!) &&
        offered(snapshot, zoneOf(subnet)),
    );
    observations.push({
      level: "warn",
      finding: {
        severity: "medium",
        summary: `${endpoint.id} sits in a single Availability Zone (${label(zones[0]!)}): an outage of that zone takes it down`,
        evidence: [
          `${endpoint.id}: ${placed.map((entry) => `${entry.subnetId} in ${label(entry.zone)}`).join(", ")} (expected subnets in at least two zones)`,
        ],
        remediation: {
          text: `Add a subnet in another Availability Zone to ${endpoint.id}.`,
          command: addSubnet(region, endpoint.id, other?.id ?? "<subnet-in-another-az>"),
          docs: DOCS.subnets,
        },
        resourceIds: [endpoint.id, ...endpoint.subnetIds],
      },
    });
  }

  const sourceNote = sourceCoverage(snapshot, endpoint, subnets, placed, zones, observations);
  return conclude(snapshot, endpoint, observations, placed, sourceNote);
}

/** Compares the source's zone with the endpoint's zones and notes a source in another VPC. */
function sourceCoverage(
  snapshot: Snapshot,
  endpoint: Endpoint,
  subnets: Subnet[],
  placed: { subnetId: string; zone: Zone }[],
  zones: Zone[],
  observations: Observation[],
): string | undefined {
  const source = snapshot.source;
  if (!source) return undefined;
  const region = snapshot.region;
  const who = `${source.given.kind} ${source.given.value}`;
  if (!source.found) return `the source ${who} was not found, so only the endpoint's own zones were checked`;

  const crossVpc = source.vpcId !== undefined && source.vpcId !== endpoint.vpcId;
  if (crossVpc) {
    observations.push({
      level: "warn",
      finding: {
        severity: "medium",
        summary: `the source ${who} is in ${source.vpcId}, not in ${endpoint.vpcId} where ${endpoint.id} lives`,
        evidence: [
          `source VPC ${source.vpcId} differs from the endpoint's VPC ${endpoint.vpcId}`,
          `the source must reach the endpoint's ENIs through VPC peering or a transit gateway (a route to ${endpoint.vpcId} from ${source.subnetId ?? "its subnet"})`,
          `and it must resolve the endpoint's name: private DNS answers only inside ${endpoint.vpcId} unless a Route 53 private hosted zone or Resolver rule shares it`,
        ],
        remediation: {
          text: `Check that ${source.subnetId ?? "the source's subnet"} routes to ${endpoint.vpcId} over peering or a transit gateway, and that the source resolves the endpoint's DNS name to its private addresses.`,
          command: `aws ec2 describe-route-tables --region ${region} --filters Name=association.subnet-id,Values=${source.subnetId ?? "<source-subnet-id>"}`,
          docs: DOCS.access,
        },
        resourceIds: [source.vpcId!, endpoint.id],
      },
    });
  }

  if (!source.subnetId) return undefined;
  const sourceSubnet = subnets.find((subnet) => subnet.id === source.subnetId);
  if (!sourceSubnet) return `the zone of the source's ${source.subnetId} is unknown (not in the snapshot)`;
  const zone = zoneOf(sourceSubnet);
  if (zones.some((candidate) => sameZone(candidate, zone))) return undefined;

  const sameVpc = sourceSubnet.vpcId === endpoint.vpcId;
  const inZone = sameVpc
    ? sourceSubnet
    : subnets.find((subnet) => subnet.vpcId === endpoint.vpcId && sameZone(zoneOf(subnet), zone));
  const candidate = inZone?.id ?? `<subnet-of-${endpoint.vpcId}-in-${zone.name ?? zone.id}>`;
  const canPlace = offered(snapshot, zone);
  observations.push({
    level: canPlace ? "fail" : "warn",
    finding: {
      severity: canPlace ? "high" : "medium",
      summary: `the source's ${sourceSubnet.id} is in ${label(zone)}, where ${endpoint.id} has no ENI`,
      evidence: [
        `source ${who}: ${sourceSubnet.id} in ${label(zone)}`,
        `${endpoint.id}: ${placed.map((entry) => `${entry.subnetId} in ${label(entry.zone)}`).join(", ") || "no subnets"} (expected one in ${label(zone)})`,
        "cross-zone traffic works through the Regional DNS name, but a zonal DNS name or an outage of the endpoint's zones breaks it",
        ...(canPlace
          ? []
          : [`${snapshot.service?.name ?? endpoint.serviceName} is not offered in ${label(zone)}`]),
      ],
      remediation: {
        text: canPlace
          ? `Add a subnet of ${endpoint.vpcId} in ${label(zone)} to ${endpoint.id} (one subnet per zone).`
          : `The service is not offered in ${label(zone)}: make sure the source uses the Regional DNS name and that the endpoint spans several zones.`,
        command: addSubnet(snapshot.region, endpoint.id, candidate),
        docs: DOCS.subnets,
      },
      resourceIds: [sourceSubnet.id, endpoint.id],
    },
  });
  return undefined;
}

/** A failure wins over a missing source; a missing source wins over warnings; otherwise warn or pass. */
function conclude(
  snapshot: Snapshot,
  endpoint: Endpoint,
  observations: Observation[],
  placed: { subnetId: string; zone: Zone }[],
  sourceNote: string | undefined,
): CheckOutcome {
  const findings = observations.map((o) => o.finding);
  if (sourceNote) findings.push({ severity: "info", summary: sourceNote, evidence: [sourceNote] });
  const failure = observations.find((o) => o.level === "fail");
  if (failure) return { status: "fail", summary: failure.finding.summary, findings };
  const gaps = unknownIfGaps(snapshot, "source");
  if (gaps) return { ...gaps, findings: [...gaps.findings, ...findings] };
  const warning = observations.find((o) => o.level === "warn");
  if (warning) return { status: "warn", summary: warning.finding.summary, findings };
  const where = placed
    .map((entry) => `${entry.zone.id ?? entry.zone.name ?? "?"} (${entry.subnetId})`)
    .join(", ");
  const source = snapshot.source;
  const tail =
    source?.subnetId && !sourceNote
      ? `, including the zone of the source's ${source.subnetId}`
      : sourceNote
        ? ` (${sourceNote})`
        : "";
  return { status: "pass", summary: `${endpoint.id} has in-use ENIs in ${where}${tail}`, findings };
}

function addSubnet(region: string, endpointId: string, subnetId: string): string {
  return `aws ec2 modify-vpc-endpoint --region ${region} --vpc-endpoint-id ${endpointId} --add-subnet-ids ${subnetId}`;
}

function zoneOf(subnet: Subnet): Zone {
  return { id: subnet.availabilityZoneId, name: subnet.availabilityZone };
}

/** Zone ids when both sides have them (names differ per account), else names. */
function sameZone(a: Zone, b: Zone): boolean {
  if (a.id && b.id) return a.id === b.id;
  return a.name !== undefined && a.name === b.name;
}

function distinctZones(zones: Zone[]): Zone[] {
  const out: Zone[] = [];
  for (const zone of zones) {
    if (!zone.id && !zone.name) continue;
    if (!out.some((known) => sameZone(known, zone))) out.push(zone);
  }
  return out;
}

function label(zone: Zone): string {
  if (zone.name && zone.id) return `${zone.name} (${zone.id})`;
  return zone.name ?? zone.id ?? "an unknown zone";
}

/** Whether the service is offered in a zone; true when the service or its zones are unknown. */
function offered(snapshot: Snapshot, zone: Zone): boolean {
  const service = snapshot.service;
  if (!service) return true;
  if (zone.id && service.availabilityZoneIds.length > 0) return service.availabilityZoneIds.includes(zone.id);
  if (zone.name && service.availabilityZones.length > 0) return service.availabilityZones.includes(zone.name);
  return true;
}
