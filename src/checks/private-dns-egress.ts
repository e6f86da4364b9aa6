import type { RouteTable, Snapshot } from "../diagnosis/snapshot.js";

// When the service's name resolves publicly (private DNS off, nothing private answering), clients need a way out
// of the VPC to reach it. The route tables tell whether they have one: no default route means the connections
// time out, which is proof; a default route (internet, NAT, transit gateway, appliance) means they leave the VPC
// and bypass the endpoint, which is not.

/** Whether the clients that resolve the name publicly can leave the VPC at all. */
export type Egress =
  | { kind: "none"; tables: RouteTable[]; scope: string }
  | { kind: "some"; without: RouteTable[]; scope: string }
  | { kind: "all"; scope: string }
  | { kind: "unknown"; reason: string };

/** The egress of the client's route table (with --from in the VPC) or of every table in use in the VPC. */
export function egressOf(snapshot: Snapshot, vpcId: string): Egress {
  const tables = snapshot.routeTables?.filter((table) => !table.vpcId || table.vpcId === vpcId);
  if (!tables || tables.length === 0)
    return { kind: "unknown", reason: `the route tables of ${vpcId} were not read` };
  const client = clientTable(snapshot, tables, vpcId);
  if (client) {
    const scope = `the client's subnet ${snapshot.source!.subnetId} (route table ${client.id})`;
    return hasExit(client) ? { kind: "all", scope } : { kind: "none", tables: [client], scope };
  }
  const inUse = tables.filter((table) => table.main || table.subnetIds.length > 0);
  const without = inUse.filter((table) => !hasExit(table));
  const scope = `the route tables of ${vpcId} (${inUse.map((t) => t.id).join(", ")})`;
  if (without.length === 0) return { kind: "all", scope };
  return without.length === inUse.length
    ? { kind: "none", tables: without, scope }
    : { kind: "some", without, scope };
}

function clientTable(snapshot: Snapshot, tables: RouteTable[], vpcId: string): RouteTable | undefined {
  const source = snapshot.source;
  if (!source?.subnetId || (source.vpcId && source.vpcId !== vpcId)) return undefined;
  return (
    tables.find((table) => table.subnetIds.includes(source.subnetId!)) ?? tables.find((table) => table.main)
  );
}

/** A usable default route: anything but a blackhole towards 0.0.0.0/0 or ::/0. */
function hasExit(table: RouteTable): boolean {
  return table.routes.some(
    (route) =>
      (route.destinationCidr === "0.0.0.0/0" || route.destinationIpv6Cidr === "::/0") &&
      route.state?.toLowerCase() !== "blackhole" &&
      Boolean(route.gatewayId || route.target),
  );
}
