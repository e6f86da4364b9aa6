import type { Check, CheckOutcome, Finding } from "../diagnosis/check.js";
import type { Endpoint, RouteTable, Snapshot } from "../diagnosis/snapshot.js";
import { cidrSet, covers, emptySet, union } from "./address-set.js";
import { cidrContains } from "./net.js";
import { notCollected } from "./peers.js";

// Gateway routes: does the client's subnet route the service's prefix list to the gateway endpoint? A table
// without the route does not use the endpoint, but that alone proves no outage: a public subnet reaches S3 and
// DynamoDB over its internet gateway, a private one through its NAT gateway (AWS: "Gateway endpoints", overview).
// Only a client whose table has neither the endpoint's route nor any other way out is cut off.

const DOCS = {
  routing: "https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html",
} as const;

/** Lines every gateway finding repeats: two traps the route table does not show. */
const NOTES = [
  "NACLs cannot reference prefix lists: a subnet NACL must allow the service's public address ranges (outbound 443, inbound ephemeral ports)",
  "traffic through a gateway endpoint keeps private source addresses: bucket and resource policies must use aws:SourceVpce (or aws:SourceVpc), never aws:SourceIp",
];

const PRIVATE = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"];

type Route = RouteTable["routes"][number];

/** How a table's subnets reach the service: through the endpoint, a dead endpoint route, the IGW, another way out, or not at all. */
type Path =
  | { kind: "endpoint" }
  | { kind: "blackhole" }
  | { kind: "internet-gateway"; via: string }
  | { kind: "other"; via: string }
  | { kind: "none" };

/** Checks that the client's route table (or, without a client, every private table in use) has the endpoint's route. */
export const gatewayRoutes: Check = {
  id: "gateway-routes",
  title: "The client's route table sends the service's prefix list to the gateway endpoint",
  appliesTo: ["Gateway"],
  notApplicable: "interface endpoints use the VPC's local route, not a prefix-list route",
  needs: ["routeTables"],
  docs: DOCS.routing,
  run(snapshot) {
    const endpoint = snapshot.endpoint!;
    if (!snapshot.routeTables) return notCollected(`route tables of ${endpoint.vpcId}`);
    const tables = snapshot.routeTables.filter((table) => !table.vpcId || table.vpcId === endpoint.vpcId);
    if (tables.length === 0) {
      return {
        status: "unknown",
        summary: `no route tables of ${endpoint.vpcId} in the snapshot`,
        findings: [],
      };
    }
    const outside = snapshot.source?.found ? outsideVpc(snapshot, endpoint) : undefined;
    if (outside) return { status: "fail", summary: outside.summary, findings: [outside] };
    const source = snapshot.source;
    const sourceSubnet = source?.found && source.subnetId ? source.subnetId : undefined;
    return sourceSubnet
      ? forClient(snapshot, endpoint, tables, sourceSubnet)
      : forVpc(snapshot, endpoint, tables);
  },
};

/** With a client: its subnet's table (explicit, else the main table) decides. */
function forClient(
  snapshot: Snapshot,
  endpoint: Endpoint,
  tables: RouteTable[],
  subnet: string,
): CheckOutcome {
  const table =
    tables.find((candidate) => candidate.subnetIds.includes(subnet)) ?? tables.find((t) => t.main);
  if (!table) {
    return {
      status: "unknown",
      summary: `no route table for ${subnet} (no explicit association and no main table of ${endpoint.vpcId} in the snapshot)`,
      findings: [],
    };
  }
  const path = pathOf(table, endpoint);
  const via = table.subnetIds.includes(subnet) ? table.id : `${table.id} (the main table)`;
  if (path.kind === "endpoint") {
    const others = tablesInUse(tables).filter(
      (t) => t.id !== table.id && pathOf(t, endpoint).kind !== "endpoint",
    );
    return pass(
      `${subnet} uses ${via}, which routes ${prefixListOf(endpoint, tables)} to ${endpoint.id}`,
      others.length > 0 ? [otherTablesNote(snapshot, endpoint, others)] : [],
    );
  }
  const finding = missingRoute(snapshot, endpoint, tables, table, path, [subnet], true);
  const status = path.kind === "blackhole" || path.kind === "none" ? "fail" : "warn";
  return { status, summary: finding.summary, findings: [finding] };
}

/** Without a client: every table in use is examined; public ones need no route, private ones are warnings. */
function forVpc(snapshot: Snapshot, endpoint: Endpoint, tables: RouteTable[]): CheckOutcome {
  const inUse = tablesInUse(tables);
  const missing = inUse
    .map((table) => ({ table, path: pathOf(table, endpoint) }))
    .filter(({ path }) => path.kind !== "endpoint");
  const findings = missing
    .map(({ table, path }) => missingRoute(snapshot, endpoint, tables, table, path, table.subnetIds, false))
    .sort((a, b) => rank(a) - rank(b));
  const kinds = missing.map(({ path }) => path.kind);
  const status = kinds.includes("blackhole")
    ? "fail"
    : kinds.some((kind) => kind !== "internet-gateway")
      ? "warn"
      : "pass";
  if (status !== "pass") return { status, summary: findings[0]!.summary, findings };
  const routed = inUse.filter((t) => pathOf(t, endpoint).kind === "endpoint").map((t) => t.id);
  const publicOnes = missing.map(({ table }) => table.id);
  return pass(vpcPassSummary(snapshot, endpoint, tables, routed, publicOnes), findings);
}

function vpcPassSummary(
  snapshot: Snapshot,
  endpoint: Endpoint,
  tables: RouteTable[],
  routed: string[],
  publicOnes: string[],
): string {
  const source = snapshot.source;
  const unresolved = source && !source.found ? ` (the source ${source.given.value} was not found)` : "";
  const prefixList = prefixListOf(endpoint, tables);
  if (publicOnes.length === 0) {
    return `every route table in use in ${endpoint.vpcId} (${routed.join(", ")}) routes ${prefixList} to ${endpoint.id}${unresolved}`;
  }
  const privateText =
    routed.length > 0
      ? `the private route tables in use in ${endpoint.vpcId} (${routed.join(", ")}) route ${prefixList} to ${endpoint.id}`
      : `no route table in use in ${endpoint.vpcId} routes to ${endpoint.id}`;
  return `${privateText}; the public ones (${publicOnes.join(", ")}) need no route: they reach ${endpoint.serviceName} over their internet gateway${unresolved}`;
}

function rank(finding: Finding): number {
  return ["critical", "high", "medium", "low", "info"].indexOf(finding.severity);
}

function pass(summary: string, findings: Finding[]): CheckOutcome {
  const traps = {
    severity: "info" as const,
    summary: "routing is fine; two gateway-endpoint traps to rule out next",
    evidence: NOTES,
  };
  return { status: "pass", summary, findings: [...findings, traps] };
}

/** How the subnets of a table reach the service. */
function pathOf(table: RouteTable, endpoint: Endpoint): Path {
  const toEndpoint = table.routes.filter((route) => targets(route.gatewayId, endpoint));
  if (toEndpoint.some((route) => !isBlackhole(route.state))) return { kind: "endpoint" };
  if (toEndpoint.length > 0) return { kind: "blackhole" };
  const exits = table.routes.filter((route) => isExit(route));
  const igw = exits.find((r) => r.destinationCidr === "0.0.0.0/0" && r.gatewayId?.startsWith("igw-"));
  if (igw) return { kind: "internet-gateway", via: igw.gatewayId! };
  if (exits.length > 0) return { kind: "other", via: exits.map(describeRoute).join(", ") };
  return { kind: "none" };
}

const PRIVATE_SETS = {
  4: PRIVATE.map((c) => cidrSet(c)!)
    .filter((s) => s.family === 4)
    .reduce(union, emptySet(4)),
  6: PRIVATE.map((c) => cidrSet(c)!)
    .filter((s) => s.family === 6)
    .reduce(union, emptySet(6)),
};

/**
 * An active route that could carry traffic to the service's public addresses: not local, not a peering
 * connection (no transitive routing), toward a prefix list or a destination outside the private ranges.
 */
function isExit(route: Route): boolean {
  const target = route.gatewayId ?? route.target ?? "";
  if (isBlackhole(route.state) || target === "local" || target.startsWith("pcx-")) return false;
  if (route.destinationPrefixListId) return true;
  const destination = cidrSet(route.destinationCidr ?? route.destinationIpv6Cidr ?? "");
  return destination !== undefined && !covers(PRIVATE_SETS[destination.family], destination);
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

/** One sentence on what a table without a working endpoint route means for its subnets. */
function consequence(
  endpoint: Endpoint,
  table: RouteTable,
  path: Path,
  users: string,
  client: boolean,
): string {
  const service = endpoint.serviceName;
  const who = client ? `the source in ${users}` : `clients in ${users}`;
  switch (path.kind) {
    case "blackhole":
      return `${table.id} has a blackhole route to ${endpoint.id}, so ${who} cannot reach ${service} through it`;
    case "internet-gateway":
      return `${table.id} has no route to ${endpoint.id}, so ${who} reach ${service} over the internet gateway ${path.via} (with a public IP), not through the endpoint`;
    case "other":
      return `${table.id} has no route to ${endpoint.id}, so ${who} reach ${service} through ${path.via}, if at all, not through the endpoint`;
    default:
      return `${table.id} has no route to ${endpoint.id} and no other way out, so ${who} cannot reach ${service}`;
  }
}

function missingRoute(
  snapshot: Snapshot,
  endpoint: Endpoint,
  tables: RouteTable[],
  table: RouteTable,
  path: Path,
  subnets: string[],
  client: boolean,
): Finding {
  const users = client ? subnets.join(", ") : usersOf(table, snapshot);
  const severity = severityOf(path, client);
  return {
    severity,
    summary: consequence(endpoint, table, path, users, client),
    evidence: [
      `${table.id}${table.main ? " (main)" : ""}: routes ${table.routes.map(describeRoute).join(", ") || "none"} (expected ${prefixListOf(endpoint, tables)} -> ${endpoint.id}, active)`,
      `${endpoint.id}: routeTableIds = ${endpoint.routeTableIds.join(", ") || "none"}${endpoint.routeTableIds.includes(table.id) ? "" : ` (${table.id} is not associated)`}`,
      `affected: ${users}`,
      ...(path.kind === "internet-gateway"
        ? [
            `an internet gateway carries only traffic of clients with a public IPv4 address (or Elastic IP); one without it cannot reach ${endpoint.serviceName} from ${users} at all, and the snapshot does not record public addresses`,
          ]
        : []),
      ...(client || path.kind === "blackhole"
        ? []
        : [
            `whether any client in ${users} uses ${endpoint.serviceName} is not in the snapshot: give --from to judge one client`,
          ]),
      ...NOTES,
    ],
    remediation: remediationFor(snapshot, endpoint, table, path, client),
    resourceIds: [table.id, endpoint.id, ...subnets],
  };
}

function severityOf(path: Path, client: boolean): Finding["severity"] {
  if (path.kind === "blackhole" || (client && path.kind === "none")) return "high";
  if (path.kind === "internet-gateway" && !client) return "info";
  return "medium";
}

/** Associate the table (re-associate a blackhole); caution first when its subnets reach the service another way today. */
function remediationFor(
  snapshot: Snapshot,
  endpoint: Endpoint,
  table: RouteTable,
  path: Path,
  client: boolean,
): Finding["remediation"] {
  const base = `aws ec2 modify-vpc-endpoint --region ${snapshot.region} --vpc-endpoint-id ${endpoint.id}`;
  const add = `${base} --add-route-table-ids ${table.id}`;
  if (path.kind === "blackhole" && endpoint.routeTableIds.includes(table.id)) {
    return {
      text: `Re-associate ${table.id} with ${endpoint.id} so that the prefix-list route is recreated.`,
      command: `${base} --remove-route-table-ids ${table.id} && ${add}`,
      docs: DOCS.routing,
    };
  }
  const caution =
    path.kind === "internet-gateway" || path.kind === "other"
      ? ` Its subnets reach ${endpoint.serviceName} another way today: once associated, their requests go through the endpoint, so its policy applies and they arrive from private addresses. Bucket or table policies that allow them by aws:SourceIp (public, NAT or Elastic IP addresses) stop matching: move those to aws:SourceVpce first.`
      : "";
  const text = `Associate ${table.id} with ${endpoint.id}; the prefix-list route is added for you.${caution}`;
  if (path.kind === "internet-gateway" && !client) {
    return { text: `No change is needed for reachability. ${text}`, docs: DOCS.routing };
  }
  return { text, command: add, docs: DOCS.routing };
}

function otherTablesNote(snapshot: Snapshot, endpoint: Endpoint, others: RouteTable[]): Finding {
  return {
    severity: "info",
    summary: `other route tables of ${endpoint.vpcId} in use do not route to ${endpoint.id}: ${others.map((t) => t.id).join(", ")}`,
    evidence: others.map((other) => `${other.id}: ${usersOf(other, snapshot)}`),
    resourceIds: others.map((other) => other.id),
  };
}

/** Tables that decide routing for some subnet: explicitly associated ones and the main table (implicit ones). */
function tablesInUse(tables: RouteTable[]): RouteTable[] {
  return tables.filter((table) => table.main || table.subnetIds.length > 0);
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

function describeRoute(route: Route): string {
  const destination =
    route.destinationPrefixListId ?? route.destinationCidr ?? route.destinationIpv6Cidr ?? "?";
  return `${destination} -> ${route.gatewayId ?? route.target ?? "?"}${route.state ? ` (${route.state})` : ""}`;
}
