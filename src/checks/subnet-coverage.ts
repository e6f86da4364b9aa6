import type { Check, CheckOutcome, Finding } from "../diagnosis/check.js";
import type { Endpoint, NetworkInterface, Snapshot, Subnet } from "../diagnosis/snapshot.js";
import { unknownIfGaps } from "./gaps.js";

// Subnet coverage: does the endpoint have working ENIs, in more than one zone, and how does the client reach them?

const DOCS = {
  subnets: "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
  access: "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html",
} as const;

type Level = "fail" | "warn" | "info";
interface Observation {
  level: Level;
  finding: Finding;
  /** Resilience advice, not evidence that anything fails now: a warning that never sets the verdict. */
  hygiene?: boolean;
}

/** One Availability Zone as both an id (comparable across accounts) and a name. */
interface Zone {
  id?: string;
  name?: string;
}

/** Checks that the interface endpoint has an in-use ENI in more than one zone, and notes how the client reaches it. */
export const subnetCoverage: Check = {
  id: "subnet-coverage",
  title: "The endpoint has in-use ENIs in more than one Availability Zone, reachable from the client's zone",
  appliesTo: ["Interface", "GatewayLoadBalancer"],
  notApplicable: "it has no subnets or ENIs and works through route tables",
  needs: ["subnets", "networkInterfaces"],
  docs: DOCS.subnets,
  run(snapshot) {
    const endpoint = snapshot.endpoint!;
    if (!snapshot.subnets || !snapshot.networkInterfaces) {
      return {
        status: "unknown",
        summary: `the subnets or ENIs of ${endpoint.id} were not collected`,
        findings: [],
      };
    }
    const facts = coverageFacts(endpoint, snapshot.subnets, snapshot.networkInterfaces);
    const observations = [
      ...noSubnets(snapshot, endpoint),
      ...facts.enis.flatMap((eni) => notInUse(snapshot, endpoint, eni)),
      ...facts.placed.flatMap((entry) => withoutEni(snapshot, endpoint, facts, entry)),
      ...singleZone(snapshot, endpoint, facts),
    ];
    const source = sourceCoverage(snapshot, endpoint, facts, observations);
    return conclude(snapshot, endpoint, observations, facts.placed, source);
  },
};

/** Where the endpoint is: one entry per endpoint subnet, with its zone (from the subnet, else its ENI) and ENI. */
interface Placement {
  subnetId: string;
  zone: Zone;
  eni?: NetworkInterface;
}

/** The endpoint's placement, read from the snapshot before any judgement. */
interface CoverageFacts {
  subnets: Subnet[];
  enis: NetworkInterface[];
  placed: Placement[];
  zones: Zone[];
}

function coverageFacts(endpoint: Endpoint, subnets: Subnet[], interfaces: NetworkInterface[]): CoverageFacts {
  const subnetById = new Map(subnets.map((subnet) => [subnet.id, subnet]));
  const wanted = new Set(endpoint.networkInterfaceIds);
  const enis = wanted.size > 0 ? interfaces.filter((eni) => wanted.has(eni.id)) : interfaces;
  const placed = endpoint.subnetIds.map((subnetId) => {
    const subnet = subnetById.get(subnetId);
    const eni = enis.find((candidate) => candidate.subnetId === subnetId);
    const zone: Zone = subnet
      ? { id: subnet.availabilityZoneId, name: subnet.availabilityZone }
      : { name: eni?.availabilityZone };
    return { subnetId, zone, eni };
  });
  return { subnets, enis, placed, zones: distinctZones(placed.map((entry) => entry.zone)) };
}

function noSubnets(snapshot: Snapshot, endpoint: Endpoint): Observation[] {
  if (endpoint.subnetIds.length > 0) return [];
  const candidate = snapshot.source?.subnetId ?? "<subnet-id>";
  return [
    {
      level: "fail",
      finding: {
        severity: "critical",
        summary: `${endpoint.id} has no subnets, so it has no ENI for clients to connect to`,
        evidence: [
          `${endpoint.id}: subnetIds = [] (expected at least one subnet, ideally one per AZ in use)`,
        ],
        remediation: {
          text: `Add a subnet in each Availability Zone your clients use to ${endpoint.id}.`,
          command: addSubnet(snapshot.region, endpoint.id, candidate),
          docs: DOCS.subnets,
        },
        resourceIds: [endpoint.id],
      },
    },
  ];
}

function notInUse(snapshot: Snapshot, endpoint: Endpoint, eni: NetworkInterface): Observation[] {
  const status = eni.status ?? "(not reported)";
  if (status.toLowerCase() === "in-use") return [];
  const subnetId = eni.subnetId ?? "<subnet-id>";
  return [
    {
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
          command: readdSubnet(snapshot.region, endpoint.id, subnetId),
          docs: DOCS.subnets,
        },
        resourceIds: [eni.id, ...(eni.subnetId ? [eni.subnetId] : []), endpoint.id],
      },
    },
  ];
}

function withoutEni(
  snapshot: Snapshot,
  endpoint: Endpoint,
  facts: CoverageFacts,
  entry: Placement,
): Observation[] {
  if (entry.eni) return [];
  const enis = facts.enis.map((eni) => `${eni.id} in ${eni.subnetId ?? "?"}`).join(", ") || "none";
  return [
    {
      level: "warn",
      finding: {
        severity: "medium",
        summary: `${entry.subnetId} is listed on ${endpoint.id} but has no endpoint ENI`,
        evidence: [
          `${endpoint.id}: subnetIds include ${entry.subnetId}`,
          `ENIs of ${endpoint.id}: ${enis} (expected one in ${entry.subnetId})`,
        ],
        remediation: {
          text: `Remove ${entry.subnetId} from ${endpoint.id} and add it again so that an ENI is created.`,
          command: readdSubnet(snapshot.region, endpoint.id, entry.subnetId),
          docs: DOCS.subnets,
        },
        resourceIds: [entry.subnetId, endpoint.id],
      },
    },
  ];
}

function singleZone(snapshot: Snapshot, endpoint: Endpoint, facts: CoverageFacts): Observation[] {
  if (facts.zones.length !== 1) return [];
  const only = facts.zones[0]!;
  const other = facts.subnets.find(
    (subnet) =>
      subnet.vpcId === endpoint.vpcId &&
      !endpoint.subnetIds.includes(subnet.id) &&
      !sameZone(zoneOf(subnet), only) &&
      offered(snapshot, zoneOf(subnet)),
  );
  return [
    {
      level: "warn",
      hygiene: true,
      finding: {
        severity: "medium",
        summary: `${endpoint.id} sits in a single Availability Zone (${label(only)}): an outage of that zone takes it down`,
        evidence: [`${endpoint.id}: ${where(facts.placed)} (expected subnets in at least two zones)`],
        remediation: {
          text: `Add a subnet in another Availability Zone to ${endpoint.id}.`,
          command: addSubnet(snapshot.region, endpoint.id, other?.id ?? "<subnet-in-another-az>"),
          docs: DOCS.subnets,
        },
        resourceIds: [endpoint.id, ...endpoint.subnetIds],
      },
    },
  ];
}

/** How the source sits against the endpoint: the tail of the pass summary, and a note when worth one. */
interface SourceView {
  tail: string;
  note?: string;
}

/** Compares the source's zone with the endpoint's zones and notes a source in another VPC or another zone. */
function sourceCoverage(
  snapshot: Snapshot,
  endpoint: Endpoint,
  facts: CoverageFacts,
  observations: Observation[],
): SourceView {
  const source = snapshot.source;
  if (!source) return { tail: "" };
  const who = `${source.given.kind} ${source.given.value}`;
  if (!source.found)
    return noted(`the source ${who} was not found, so only the endpoint's own zones were checked`);
  if (source.vpcId !== undefined && source.vpcId !== endpoint.vpcId) {
    const observation = crossVpc(snapshot, endpoint, source.vpcId, source.subnetId, who);
    // With the client's path collected, client-route and private-dns judge it: here it is only a note.
    observations.push(
      snapshot.outsidePath
        ? { level: "info", finding: { ...observation.finding, severity: "info" } }
        : observation,
    );
  }
  if (!source.subnetId) return { tail: "" };
  const sourceSubnet = facts.subnets.find((subnet) => subnet.id === source.subnetId);
  if (!sourceSubnet)
    return noted(`the zone of the source's ${source.subnetId} is unknown (not in the snapshot)`);
  const zone = zoneOf(sourceSubnet);
  if (facts.zones.some((candidate) => sameZone(candidate, zone))) {
    return { tail: `, including the zone of the source's ${sourceSubnet.id}` };
  }
  observations.push(crossZone(snapshot, endpoint, facts, sourceSubnet, who));
  return { tail: `; the source's ${sourceSubnet.id} in ${label(zone)} reaches them across zones` };
}

function noted(note: string): SourceView {
  return { tail: ` (${note})`, note };
}

function crossVpc(
  snapshot: Snapshot,
  endpoint: Endpoint,
  vpcId: string,
  subnetId: string | undefined,
  who: string,
): Observation {
  return {
    level: "warn",
    finding: {
      severity: "medium",
      summary: `the source ${who} is in ${vpcId}, not in ${endpoint.vpcId} where ${endpoint.id} lives`,
      evidence: [
        `source VPC ${vpcId} differs from the endpoint's VPC ${endpoint.vpcId}`,
        `the source must reach the endpoint's ENIs through VPC peering or a transit gateway (a route to ${endpoint.vpcId} from ${subnetId ?? "its subnet"})`,
        `and it must resolve the endpoint's name: private DNS answers only inside ${endpoint.vpcId} unless a Route 53 private hosted zone or Resolver rule shares it`,
      ],
      remediation: {
        text: `Check that ${subnetId ?? "the source's subnet"} routes to ${endpoint.vpcId} over peering or a transit gateway, and that the source resolves the endpoint's DNS name to its private addresses.`,
        command: `aws ec2 describe-route-tables --region ${snapshot.region} --filters Name=association.subnet-id,Values=${subnetId ?? "<source-subnet-id>"}`,
        docs: DOCS.access,
      },
      resourceIds: [vpcId, endpoint.id],
    },
  };
}

/**
 * A source in a zone without an endpoint ENI still connects: the Regional DNS name (and private DNS) answer with
 * the ENIs of every zone the endpoint uses. A note on latency, cross-AZ cost and zone independence, never a fault.
 */
function crossZone(
  snapshot: Snapshot,
  endpoint: Endpoint,
  facts: CoverageFacts,
  sourceSubnet: Subnet,
  who: string,
): Observation {
  const zone = zoneOf(sourceSubnet);
  const inZone =
    sourceSubnet.vpcId === endpoint.vpcId
      ? sourceSubnet
      : facts.subnets.find((subnet) => subnet.vpcId === endpoint.vpcId && sameZone(zoneOf(subnet), zone));
  const candidate = inZone?.id ?? `<subnet-of-${endpoint.vpcId}-in-${zone.name ?? zone.id}>`;
  const canPlace = offered(snapshot, zone);
  const service = snapshot.service?.name ?? endpoint.serviceName;
  return {
    level: "info",
    finding: {
      severity: "info",
      summary: `the source's ${sourceSubnet.id} is in ${label(zone)}, where ${endpoint.id} has no ENI: it connects across zones through the Regional DNS name`,
      evidence: [
        `source ${who}: ${sourceSubnet.id} in ${label(zone)}`,
        `${endpoint.id}: ${where(facts.placed)}`,
        "the Regional DNS name and private DNS answer with the endpoint's ENIs in every zone it uses, so clients in other zones connect across zones",
        "the cost of it: a little latency, cross-AZ data transfer charges, and the client depends on another zone being up",
        ...(canPlace
          ? []
          : [`${service} is not offered in ${label(zone)}, so no endpoint subnet can be added there`]),
      ],
      remediation: canPlace
        ? {
            text: `Optional: add a subnet of ${endpoint.vpcId} in ${label(zone)} to ${endpoint.id} to keep this traffic in its zone.`,
            command: addSubnet(snapshot.region, endpoint.id, candidate),
            docs: DOCS.subnets,
          }
        : { text: `Nothing to add: ${service} is not offered in ${label(zone)}.`, docs: DOCS.access },
      resourceIds: [sourceSubnet.id, endpoint.id],
    },
  };
}

/** A failure wins over a missing source; a missing source wins over warnings; otherwise warn or pass. */
function conclude(
  snapshot: Snapshot,
  endpoint: Endpoint,
  observations: Observation[],
  placed: Placement[],
  source: SourceView,
): CheckOutcome {
  const findings = observations.map((o) => o.finding);
  if (source.note) findings.push({ severity: "info", summary: source.note, evidence: [source.note] });
  const failure = observations.find((o) => o.level === "fail");
  if (failure) return { status: "fail", summary: failure.finding.summary, findings };
  const gaps = unknownIfGaps(snapshot, "source");
  if (gaps) return { ...gaps, findings: [...gaps.findings, ...findings] };
  const warnings = observations.filter((o) => o.level === "warn");
  if (warnings.length > 0) {
    const advisory = warnings.every((o) => o.hygiene);
    return {
      status: "warn",
      summary: warnings[0]!.finding.summary,
      findings,
      ...(advisory ? { advisory } : {}),
    };
  }
  const zones = placed
    .map((entry) => `${entry.zone.id ?? entry.zone.name ?? "?"} (${entry.subnetId})`)
    .join(", ");
  return { status: "pass", summary: `${endpoint.id} has in-use ENIs in ${zones}${source.tail}`, findings };
}

function where(placed: Placement[]): string {
  return placed.map((entry) => `${entry.subnetId} in ${label(entry.zone)}`).join(", ") || "no subnets";
}

function readdSubnet(region: string, endpointId: string, subnetId: string): string {
  return `aws ec2 modify-vpc-endpoint --region ${region} --vpc-endpoint-id ${endpointId} --remove-subnet-ids ${subnetId} && ${addSubnet(region, endpointId, subnetId)}`;
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
