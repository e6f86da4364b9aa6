import type { Check, CheckOutcome, Finding } from "../diagnosis/check.js";
import type { Endpoint, Service, Snapshot, Subnet } from "../diagnosis/snapshot.js";
import { unknownIfGaps } from "./gaps.js";

// Runbook step 1 (service side): the service must be offered in this region and in every AZ the endpoint uses.
// AZ names map to different physical zones in each account, so AZ IDs are compared whenever both sides have them.

const DOCS_AWS_SERVICES =
  "https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html";
const DOCS_CUSTOM_SERVICES =
  "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html";
const DOCS_ENDPOINT_AZS = "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html";

/** Fails when the service is not offered in the region, or not in the AZ of one of the endpoint's subnets. */
export const serviceAvailability: Check = {
  id: "service-availability",
  title: "The service is offered in this region and in every endpoint Availability Zone",
  appliesTo: ["Interface", "Gateway", "GatewayLoadBalancer"],
  needs: ["service"],
  docs: "https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html",
  run(snapshot) {
    const endpoint = snapshot.endpoint!;
    if (snapshot.service === undefined) {
      return {
        status: "unknown",
        summary: `the details of ${endpoint.serviceName} were not collected`,
        findings: [],
      };
    }
    if (snapshot.service === null) return notOffered(snapshot, endpoint);
    const service = snapshot.service;

    if (endpoint.type.toLowerCase() === "gateway") {
      return {
        status: "pass",
        summary: `${service.name} is offered in ${snapshot.region} (gateway endpoints have no Availability Zones)`,
        findings: [],
      };
    }
    const subnetGap = unknownIfGaps(snapshot, "subnets");
    if (subnetGap) return subnetGap;
    if (snapshot.subnets === undefined) {
      return {
        status: "unknown",
        summary: `the subnets of ${endpoint.id} were not collected, so their Availability Zones cannot be compared`,
        findings: [],
      };
    }
    return compareZones(snapshot, endpoint, service, snapshot.subnets);
  },
};

function notOffered(snapshot: Snapshot, endpoint: Endpoint): CheckOutcome {
  const region = snapshot.region;
  const name = endpoint.serviceName;
  const crossRegion = endpoint.serviceRegion !== undefined && endpoint.serviceRegion !== region;
  const named = regionInName(name);
  const custom = name.includes(".vpce.") || name.includes("vpce-svc-");

  const evidence = [`DescribeVpcEndpointServices --service-names ${name} in ${region}: no such service`];
  if (crossRegion) {
    evidence.push(
      `cross-region endpoint: the service lives in ${endpoint.serviceRegion}, the endpoint in ${region}`,
    );
  }
  if (named && named !== region && named !== endpoint.serviceRegion) {
    evidence.push(`the service name names region ${named}, but the endpoint is in ${region}`);
  }

  let summary: string;
  let text: string;
  let command: string;
  if (crossRegion) {
    summary = `${name} is not offered to ${region} from ${endpoint.serviceRegion}`;
    text = custom
      ? `Ask the provider of ${name} to enable ${region} among the service's supported regions and to allow your account, or use a service in ${region}.`
      : `Check that ${name} supports cross-region access from ${region}; otherwise create the endpoint in ${endpoint.serviceRegion} or use the service in ${region}.`;
    command = `aws ec2 describe-vpc-endpoint-services --region ${region} --service-names ${name} --service-regions ${endpoint.serviceRegion}`;
  } else {
    summary = `${name} is not offered in ${region}: check the service name and the region`;
    text = custom
      ? `Check the service name with its provider: the service may have been deleted, may live in another region, or may no longer allow your account.`
      : `Check the spelling of ${name} and that the service supports PrivateLink in ${region}; list the names offered there with the command below.`;
    const short = name.split(".").pop() ?? name;
    command = `aws ec2 describe-vpc-endpoint-services --region ${region} --query 'ServiceNames' --output text | tr '\\t' '\\n' | grep -i ${shellWord(short)}`;
  }
  const finding: Finding = {
    severity: "critical",
    summary,
    evidence,
    remediation: { text, command, docs: custom ? DOCS_CUSTOM_SERVICES : DOCS_AWS_SERVICES },
    resourceIds: [endpoint.id, ...(/vpce-svc-[0-9a-z]+/.exec(name) ?? [])],
  };
  return { status: "fail", summary, findings: [finding] };
}

interface ZoneCheck {
  subnet: Subnet;
  offered: boolean | undefined;
  zone: string;
  by: "id" | "name" | "none";
}

function compareZones(
  snapshot: Snapshot,
  endpoint: Endpoint,
  service: Service,
  subnets: Subnet[],
): CheckOutcome {
  if (endpoint.subnetIds.length === 0) {
    return {
      status: "pass",
      summary: `${service.name} is offered in ${snapshot.region}; ${endpoint.id} has no subnets whose Availability Zones could be compared`,
      findings: [],
    };
  }
  const missing: string[] = [];
  const checks: ZoneCheck[] = [];
  for (const subnetId of endpoint.subnetIds) {
    const subnet = subnets.find((candidate) => candidate.id === subnetId);
    if (!subnet) {
      missing.push(subnetId);
      continue;
    }
    checks.push(zoneCheck(subnet, service));
  }
  const offeredList = offeredZones(service);
  const bad = checks.filter((check) => check.offered === false);

  if (bad.length > 0) {
    const good = checks.filter((check) => check.offered === true);
    const findings = bad.map((check) => zoneFinding(snapshot, endpoint, service, check, good.length > 0));
    const summary =
      bad.length === 1
        ? `${bad[0]!.subnet.id} (${bad[0]!.zone}) is in an Availability Zone where ${service.name} is not offered (offered: ${offeredList})`
        : `${bad.map((check) => `${check.subnet.id} (${check.zone})`).join(", ")} are in Availability Zones where ${service.name} is not offered (offered: ${offeredList})`;
    return { status: "fail", summary, findings };
  }

  const unverifiable = checks.filter((check) => check.offered === undefined).map((check) => check.subnet.id);
  if (missing.length > 0 || unverifiable.length > 0) {
    const reasons = [
      ...(missing.length > 0 ? [`${missing.join(", ")} not among the described subnets`] : []),
      ...(unverifiable.length > 0 ? [`${service.name} lists no Availability Zones to compare with`] : []),
    ];
    return {
      status: "unknown",
      summary: `could not compare the Availability Zones of ${[...missing, ...unverifiable].join(", ")}: ${reasons.join("; ")}`,
      findings: [],
    };
  }

  const byName = checks.some((check) => check.by === "name");
  return {
    status: "pass",
    summary:
      `${service.name} is offered in ${snapshot.region} in the Availability Zone of every endpoint subnet: ` +
      `${checks.map((check) => `${check.subnet.id} (${check.zone})`).join(", ")}` +
      (byName ? " (compared by AZ name, as AZ IDs were not available)" : ""),
    findings: [],
  };
}

function zoneCheck(subnet: Subnet, service: Service): ZoneCheck {
  if (subnet.availabilityZoneId && service.availabilityZoneIds.length > 0) {
    return {
      subnet,
      offered: service.availabilityZoneIds.includes(subnet.availabilityZoneId),
      zone: `${subnet.availabilityZoneId}, ${subnet.availabilityZone}`,
      by: "id",
    };
  }
  if (service.availabilityZones.length > 0) {
    return {
      subnet,
      offered: service.availabilityZones.includes(subnet.availabilityZone),
      zone: subnet.availabilityZone,
      by: "name",
    };
  }
  return { subnet, offered: undefined, zone: subnet.availabilityZone, by: "none" };
}

function offeredZones(service: Service): string {
  if (service.availabilityZoneIds.length > 0) return service.availabilityZoneIds.join(", ");
  if (service.availabilityZones.length > 0) return service.availabilityZones.join(", ");
  return "none listed";
}

function zoneFinding(
  snapshot: Snapshot,
  endpoint: Endpoint,
  service: Service,
  check: ZoneCheck,
  othersOffered: boolean,
): Finding {
  const region = snapshot.region;
  const subnet = check.subnet;
  const evidence =
    check.by === "id"
      ? [
          `subnet ${subnet.id}: AZ ID ${subnet.availabilityZoneId} (${subnet.availabilityZone} in this account)`,
          `${service.name} is offered in AZ IDs: ${service.availabilityZoneIds.join(", ")}`,
        ]
      : [
          `subnet ${subnet.id}: AZ ${subnet.availabilityZone}`,
          `${service.name} is offered in AZs: ${service.availabilityZones.join(", ")}`,
          "compared by AZ name because an AZ ID was missing; both names use this account's AZ mapping",
        ];
  const offeredIds = service.availabilityZoneIds;
  const command = othersOffered
    ? `aws ec2 modify-vpc-endpoint --region ${region} --vpc-endpoint-id ${endpoint.id} --remove-subnet-ids ${subnet.id}`
    : offeredIds.length > 0
      ? `aws ec2 describe-subnets --region ${region} --filters Name=vpc-id,Values=${endpoint.vpcId} Name=availability-zone-id,Values=${offeredIds.join(",")} --query 'Subnets[].[SubnetId,AvailabilityZone,AvailabilityZoneId]' --output text`
      : `aws ec2 describe-subnets --region ${region} --filters Name=vpc-id,Values=${endpoint.vpcId} Name=availability-zone,Values=${service.availabilityZones.join(",")} --query 'Subnets[].[SubnetId,AvailabilityZone,AvailabilityZoneId]' --output text`;
  // Providers see their own AZ names: ask them by AZ ID. AWS-owned services cannot be asked at all.
  const providerZone = subnet.availabilityZoneId
    ? `AZ ID ${subnet.availabilityZoneId}`
    : subnet.availabilityZone;
  const askProvider =
    service.owner === "amazon"
      ? ""
      : `, or ask the provider of ${service.name} to enable ${providerZone} on its load balancer`;
  const text = othersOffered
    ? `Remove ${subnet.id} from ${endpoint.id} (clients in that zone then use the other zones) and add a subnet in an offered zone${askProvider}.`
    : `Move ${endpoint.id} to a subnet in an offered zone (the command lists candidates in ${endpoint.vpcId})${askProvider}.`;
  return {
    severity: othersOffered ? "high" : "critical",
    summary: `${subnet.id} of ${endpoint.id} is in ${check.zone}, where ${service.name} is not offered`,
    evidence,
    remediation: { text, command, docs: DOCS_ENDPOINT_AZS },
    resourceIds: [endpoint.id, subnet.id, ...(service.id ? [service.id] : [])],
  };
}

/** The region a service name carries (com.amazonaws.<region>.x or com.amazonaws.vpce.<region>.vpce-svc-x). */
function regionInName(name: string): string | undefined {
  return /(?:^|\.)([a-z]{2}(?:-[a-z]+)+-\d+)(?:\.|$)/.exec(name)?.[1];
}

function shellWord(word: string): string {
  return /^[A-Za-z0-9._-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
