import type { Check, CheckOutcome, Finding } from "../diagnosis/check.js";
import type { Endpoint, RouteTable, Snapshot } from "../diagnosis/snapshot.js";
import { skipWithoutEndpoint, unknownIfGaps } from "./gaps.js";
import { cidrContains } from "./net.js";

// Gateway routes: does the client's subnet route the service's prefix list to the gateway endpoint?

const DOCS = {
  routing: "https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html",
  s3: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html",
} as const;

/** Lines every gateway finding repeats: two traps the route table does not show. */
const NOTES = [
  "NACLs cannot reference prefix lists: a subnet NACL must allow the service's public address ranges (outbound 443, inbound ephemeral ports)",
  "traffic through a gateway endpoint keeps private source addresses: bucket and resource policies must use aws:SourceVpce (or aws:SourceVpc), never aws:SourceIp",
];

type Level = "fail" | "info";
interface Observation {
  level: Level;
  finding: Finding;
}

/** Checks that every route table in use (or the source's) has the gateway endpoint's prefix-list route. */
export const gatewayRoutes: Check = {
  id: "gateway-routes",
  title: "The client's route table sends the service's prefix list to the gateway endpoint",
  appliesTo: "any",
  needs: [],
  docs: "https://docs.aws.amazon.com/vpc/latest/privatelink/",
  run(snapshot) {
    const skipped = skipWithoutEndpoint(snapshot);
    if (skipped) return skipped;
    const endpoint = snapshot.endpoint!;
    if (endpoint.type.toLowerCase() !== "gateway") {
      return {
        status: "skip",
        summary: `${endpoint.id} is not a gateway endpoint (type ${endpoint.type}): interface endpoints use the VPC's local route, not a prefix-list route`,
        findings: [],
      };
    }
    const gaps = unknownIfGaps(snapshot, "routeTables");
    if (gaps) return gaps;
    if (!snapshot.routeTables) {
      return {
        status: "unknown",
        summary: `the route tables of ${endpoint.vpcId} were not collected`,
        findings: [],
      };
    }
    const tables = snapshot.routeTables.filter((table) => !table.vpcId || table.vpcId === endpoint.vpcId);
    if (tables.length === 0) {
      return {
        status: "unknown",
        summary: `no route tables of ${endpoint.vpcId} in the snapshot`,
        findings: [],
      };
    }
    return evaluate(snapshot, endpoint, tables);
  },
};

function evaluate(snapshot: Snapshot, endpoint: Endpoint, tables: RouteTable[]): CheckOutcome {
  const prefixList = prefixListOf(endpoint, tables);
  const main = tables.find((table) => table.main);
  const source = snapshot.source;
  const outside = source?.found ? outsideVpc(snapshot, endpoint) : undefined;
  if (outside) return { status: "fail", summary: outside.summary, findings: [outside] };

  const sourceSubnet = source?.found && source.subnetId ? source.subnetId : undefined;
  if (sourceSubnet) {
    const table = tables.find((candidate) => candidate.subnetIds.includes(sourceSubnet)) ?? main;
    if (!table) {
      return {
        status: "unknown",
        summary: `no route table for ${sourceSubnet} (no explicit association and no main table of ${endpoint.vpcId} in the snapshot)`,
        findings: [],
      };
    }
    const observations: Observation[] = [];
    if (!routes(table, endpoint)) {
      observations.push(missingRoute(snapshot, endpoint, table, prefixList, [sourceSubnet]));
    }
    const others = tablesInUse(tables).filter((other) => other.id !== table.id && !routes(other, endpoint));
    if (others.length > 0) {
      observations.push({
        level: "info",
        finding: {
          severity: "info",
          summary: `other route tables of ${endpoint.vpcId} in use do not route to ${endpoint.id}: ${others.map((t) => t.id).join(", ")}`,
          evidence: others.map((other) => `${other.id}: ${usersOf(other, snapshot)}`),
          resourceIds: others.map((other) => other.id),
        },
      });
    }
    const via = table.subnetIds.includes(sourceSubnet) ? table.id : `${table.id} (the main table)`;
    return conclude(
      observations,
      `${sourceSubnet} uses ${via}, which routes ${prefixList} to ${endpoint.id}`,
    );
  }

  const observations = tablesInUse(tables)
    .filter((table) => !routes(table, endpoint))
    .map((table) => missingRoute(snapshot, endpoint, table, prefixList, table.subnetIds));
  const checked = tablesInUse(tables)
    .map((table) => table.id)
    .join(", ");
  const unresolved = source && !source.found ? ` (the source ${source.given.value} was not found)` : "";
  return conclude(
    observations,
    `every route table in use in ${endpoint.vpcId} (${checked}) routes ${prefixList} to ${endpoint.id}${unresolved}`,
  );
}

/** Gateway endpoints serve only their own VPC: not peered VPCs, transit gateways, VPN or other regions. */
function outsideVpc(snapshot: Snapshot, endpoint: Endpoint): Finding | undefined {
  const source = snapshot.source!;
  const who = `${source.given.kind} ${source.given.value}`;
  let where: string | undefined;
  if (source.vpcId && source.vpcId !== endpoint.vpcId) {
    where = `in ${source.vpcId}`;
  } else if (!source.vpcId && source.given.kind === "cidr" && snapshot.vpc) {
    const vpcCidrs = [...snapshot.vpc.cidrsIpv4, ...snapshot.vpc.cidrsIpv6];
    if (!vpcCidrs.some((cidr) => cidrContains(cidr, source.given.value))) {
      where = `outside ${endpoint.vpcId} (${vpcCidrs.join(", ")})`;
    }
  }
  if (!where) return undefined;
  const targetVpc = source.vpcId ?? "<vpc-id-of-the-source>";
  return {
    severity: "critical",
    summary: `the source ${who} is ${where}, but gateway endpoint ${endpoint.id} serves only ${endpoint.vpcId}`,
    evidence: [
      `source: ${who} ${where}; endpoint: ${endpoint.id} in ${endpoint.vpcId}`,
      "gateway endpoints are not reachable from peered VPCs, through a transit gateway, from on-premises (VPN, Direct Connect) or from another region",
      ...NOTES,
    ],
    remediation: {
      text: `Create a gateway endpoint for ${endpoint.serviceName} in the source's own VPC (same region) and associate its route tables, or use an interface endpoint, which is reachable over peering, transit gateway and on-premises links.`,
      command: `aws ec2 create-vpc-endpoint --region ${snapshot.region} --vpc-id ${targetVpc} --vpc-endpoint-type Gateway --service-name ${endpoint.serviceName} --route-table-ids <route-table-ids-of-${targetVpc}>`,
      docs: DOCS.routing,
    },
    resourceIds: [endpoint.id, ...(source.vpcId ? [source.vpcId] : [])],
  };
}

function missingRoute(
  snapshot: Snapshot,
  endpoint: Endpoint,
  table: RouteTable,
  prefixList: string,
  subnets: string[],
): Observation {
  const region = snapshot.region;
  const associated = endpoint.routeTableIds.includes(table.id);
  const blackhole = table.routes.find(
    (route) => targets(route.gatewayId, endpoint) && isBlackhole(route.state),
  );
  const add = `aws ec2 modify-vpc-endpoint --region ${region} --vpc-endpoint-id ${endpoint.id} --add-route-table-ids ${table.id}`;
  const remove = `aws ec2 modify-vpc-endpoint --region ${region} --vpc-endpoint-id ${endpoint.id} --remove-route-table-ids ${table.id}`;
  const users = subnets.length > 0 ? subnets.join(", ") : usersOf(table, snapshot);
  const summary = blackhole
    ? `${table.id} has a blackhole route for ${prefixList} to ${endpoint.id}, so ${users} cannot reach ${endpoint.serviceName} through it`
    : `${table.id} has no route to ${endpoint.id}, so traffic from ${users} bypasses the endpoint`;
  return {
    level: "fail",
    finding: {
      severity: "high",
      summary,
      evidence: [
        `${table.id}${table.main ? " (main)" : ""}: routes ${table.routes.map(describeRoute).join(", ") || "none"} (expected ${prefixList} -> ${endpoint.id}, active)`,
        `${endpoint.id}: routeTableIds = ${endpoint.routeTableIds.join(", ") || "none"}${associated ? "" : ` (${table.id} is not associated)`}`,
        `affected: ${users}`,
        ...NOTES,
      ],
      remediation: {
        text: associated
          ? `Re-associate ${table.id} with ${endpoint.id} so that the prefix-list route is recreated.`
          : `Associate ${table.id} with ${endpoint.id}; the prefix-list route is added for you.`,
        command: associated ? `${remove} && ${add}` : add,
        docs: DOCS.routing,
      },
      resourceIds: [table.id, endpoint.id, ...subnets],
    },
  };
}

function conclude(observations: Observation[], passSummary: string): CheckOutcome {
  const findings = observations.map((o) => o.finding);
  const failure = observations.find((o) => o.level === "fail");
  if (failure) return { status: "fail", summary: failure.finding.summary, findings };
  return {
    status: "pass",
    summary: passSummary,
    findings: [
      ...findings,
      {
        severity: "info",
        summary: "routing is fine; two gateway-endpoint traps to rule out next",
        evidence: NOTES,
      },
    ],
  };
}

/** Tables that decide routing for some subnet: explicitly associated ones and the main table. */
function tablesInUse(tables: RouteTable[]): RouteTable[] {
  return tables.filter((table) => table.main || table.subnetIds.length > 0);
}

/** True when the table has an active (not blackhole) route whose target is the endpoint. */
function routes(table: RouteTable, endpoint: Endpoint): boolean {
  return table.routes.some((route) => targets(route.gatewayId, endpoint) && !isBlackhole(route.state));
}

function targets(gatewayId: string | undefined, endpoint: Endpoint): boolean {
  return gatewayId !== undefined && gatewayId.toLowerCase() === endpoint.id.toLowerCase();
}

function isBlackhole(state: string | undefined): boolean {
  return state?.toLowerCase() === "blackhole";
}

/** Who a table serves: its explicit subnets, or for the main table the subnets without a table of their own. */
function usersOf(table: RouteTable, snapshot: Snapshot): string {
  if (table.subnetIds.length > 0) return table.subnetIds.join(", ");
  if (!table.main) return "no subnet";
  const explicit = new Set(
    (snapshot.routeTables ?? []).flatMap((candidate) => (candidate.main ? [] : candidate.subnetIds)),
  );
  const implicit = (snapshot.subnets ?? [])
    .filter((subnet) => subnet.vpcId === table.vpcId || !table.vpcId)
    .filter((subnet) => !explicit.has(subnet.id))
    .map((subnet) => subnet.id);
  return implicit.length > 0
    ? `${implicit.join(", ")} (implicitly, via the main table)`
    : "every subnet without an explicit route table association";
}

/** The prefix list the endpoint's routes use, or a description when no route shows it. */
function prefixListOf(endpoint: Endpoint, tables: RouteTable[]): string {
  for (const table of tables) {
    for (const route of table.routes) {
      if (targets(route.gatewayId, endpoint) && route.destinationPrefixListId)
        return route.destinationPrefixListId;
    }
  }
  return `the ${endpoint.serviceName} prefix list`;
}

function describeRoute(route: RouteTable["routes"][number]): string {
  const destination =
    route.destinationPrefixListId ?? route.destinationCidr ?? route.destinationIpv6Cidr ?? "?";
  return `${destination} -> ${route.gatewayId ?? route.target ?? "?"}${route.state ? ` (${route.state})` : ""}`;
}
