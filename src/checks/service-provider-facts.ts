import type {
  Endpoint,
  LbTarget,
  Listener,
  LoadBalancer,
  Snapshot,
  TargetGroup,
} from "../diagnosis/snapshot.js";

// The provider side as facts: which listeners serve the client's ports, and which endpoint AZs reach a healthy
// target through each target group. AZs are compared by id (names differ between accounts), by name only when
// provider and consumer are the same account.

/** TCP-carrying NLB listener protocols: their ports are service ports for the port-aware checks. */
export const TCP_LISTENER_PROTOCOLS = new Set(["TCP", "TLS", "TCP_UDP"]);

/** One AZ the endpoint has an ENI in, as the consumer account names it. */
export interface EndpointZone {
  name: string;
  id?: string;
  eniIds: string[];
}

/** How one endpoint AZ fares in one target group. */
export interface ZoneReach {
  zone: EndpointZone;
  /** "healthy": a healthy target serves it; "none": proven none; "unknown": not provable either way. */
  status: "healthy" | "none" | "unknown";
  why: string;
}

/** One target group behind a listener on a client port, judged per endpoint AZ. */
export interface GroupReach {
  lb: LoadBalancer;
  group: TargetGroup;
  /** undefined when the cross-zone setting was not read. */
  crossZone: boolean | undefined;
  healthy: LbTarget[];
  zones: ZoneReach[];
}

/** The endpoint's AZs, from its ENIs (or subnets) and the subnets' AZ ids. */
export function endpointZones(snapshot: Snapshot, endpoint: Endpoint): EndpointZone[] {
  const zones = new Map<string, EndpointZone>();
  for (const subnetId of endpoint.subnetIds) {
    const subnet = snapshot.subnets?.find((s) => s.id === subnetId);
    const enis = (snapshot.networkInterfaces ?? []).filter(
      (eni) => eni.subnetId === subnetId && endpoint.networkInterfaceIds.includes(eni.id),
    );
    const name = subnet?.availabilityZone ?? enis[0]?.availabilityZone;
    if (!name) continue;
    const zone = zones.get(name) ?? { name, id: subnet?.availabilityZoneId, eniIds: [] };
    zone.eniIds.push(...enis.map((eni) => eni.id));
    zones.set(name, zone);
  }
  return [...zones.values()];
}

/** True when the provider side was read with the endpoint's own account (AZ names then mean the same AZs). */
export function sameAccountProvider(snapshot: Snapshot): boolean {
  const provider = snapshot.serviceConfiguration?.provider;
  if (provider) return provider.accountId === snapshot.accountId;
  return snapshot.service?.owner !== undefined && snapshot.service.owner === snapshot.accountId;
}

/** The load balancers serving this endpoint: its connection's when known, else the service's. */
export function servingLoadBalancers(snapshot: Snapshot): LoadBalancer[] {
  const all = snapshot.loadBalancers ?? [];
  const arns = snapshot.serviceConnection?.loadBalancerArns ?? [];
  const mine = all.filter((lb) => arns.includes(lb.arn));
  return mine.length > 0 ? mine : all;
}

/** The listeners of an NLB that carry TCP on `port`. */
export function listenersOn(lb: LoadBalancer, port: number): Listener[] {
  return (lb.listeners ?? []).filter(
    (l) => l.port === port && TCP_LISTENER_PROTOCOLS.has((l.protocol ?? "").toUpperCase()),
  );
}

/** The target group's effective cross-zone setting: its own, or the load balancer's when it defers. */
export function effectiveCrossZone(lb: LoadBalancer, group: TargetGroup): boolean | undefined {
  const own = group.crossZone?.toLowerCase();
  if (own === "true") return true;
  if (own === "false") return false;
  return lb.crossZone;
}

/** How each endpoint AZ reaches a healthy target of `group` (targets must have been read). */
export function groupReach(
  lb: LoadBalancer,
  group: TargetGroup,
  zones: EndpointZone[],
  sameAccount: boolean,
): GroupReach {
  const crossZone = effectiveCrossZone(lb, group);
  const targets = group.targets ?? [];
  const healthy = targets.filter((t) => t.state.toLowerCase() === "healthy");
  const reach = zones.map((zone) => zoneReach(zone, { lb, targets, healthy, crossZone, sameAccount }));
  return { lb, group, crossZone, healthy, zones: reach };
}

interface ReachInputs {
  lb: LoadBalancer;
  targets: LbTarget[];
  healthy: LbTarget[];
  crossZone: boolean | undefined;
  sameAccount: boolean;
}

function zoneReach(zone: EndpointZone, inputs: ReachInputs): ZoneReach {
  const { healthy, crossZone } = inputs;
  if (healthy.length > 0 && crossZone === true) {
    return {
      zone,
      status: "healthy",
      why: `cross-zone load balancing is on and ${healthy.length} target(s) are healthy`,
    };
  }
  const local = healthy.filter((t) => targetInZone(t, zone, inputs.sameAccount) === true);
  if (local.length > 0) return { zone, status: "healthy", why: `healthy in ${zone.name}: ${ids(local)}` };
  if (healthy.length === 0) return noHealthyTarget(zone, inputs.targets);
  const placeless = healthy.filter((t) => targetInZone(t, zone, inputs.sameAccount) === undefined);
  if (placeless.length > 0) {
    return {
      zone,
      status: "unknown",
      why: `the AZ of healthy target(s) ${ids(placeless)} could not be matched to ${label(zone)}`,
    };
  }
  if (crossZone === undefined) {
    return {
      zone,
      status: "unknown",
      why: `no healthy target in ${label(zone)}, and the cross-zone setting was not read`,
    };
  }
  return {
    zone,
    status: "none",
    why: `no healthy target in ${label(zone)} and cross-zone load balancing is off`,
  };
}

// With no healthy target at all, only unknown health states ("unavailable": health checks off) leave doubt.
function noHealthyTarget(zone: EndpointZone, targets: LbTarget[]): ZoneReach {
  const unproven = targets.filter((t) => t.state.toLowerCase() === "unavailable");
  if (unproven.length > 0) {
    return { zone, status: "unknown", why: `target health is unavailable for ${ids(unproven)}` };
  }
  return { zone, status: "none", why: "the target group has no healthy target" };
}

/** True / false when the target is proven in / out of the zone; undefined when its AZ cannot be compared. */
function targetInZone(target: LbTarget, zone: EndpointZone, sameAccount: boolean): boolean | undefined {
  if (target.availabilityZone?.toLowerCase() === "all") return true;
  if (target.availabilityZoneId && zone.id) return target.availabilityZoneId === zone.id;
  if (sameAccount && target.availabilityZone) return target.availabilityZone === zone.name;
  return undefined;
}

/** "us-east-1a (use1-az1)". */
export function label(zone: EndpointZone): string {
  return zone.id ? `${zone.name} (${zone.id})` : zone.name;
}

function ids(targets: LbTarget[]): string {
  return targets.map((t) => (t.port ? `${t.id}:${t.port}` : t.id)).join(", ");
}

/** "tg-name (arn)" or the ARN alone. */
export function groupLabel(group: TargetGroup): string {
  return group.name ? `${group.name} (${group.arn})` : group.arn;
}

/** "nlb-name (arn)" or the ARN alone. */
export function lbLabel(lb: LoadBalancer): string {
  return lb.name ? `${lb.name} (${lb.arn})` : lb.arn;
}

/** One evidence line per target: id, port, AZ and health state with the reason. */
export function targetLines(group: TargetGroup): string[] {
  const targets = group.targets ?? [];
  if (targets.length === 0) return [`${group.name ?? group.arn}: no registered target`];
  return targets.map((t) => {
    const zone = t.availabilityZone
      ? ` in ${t.availabilityZone}${t.availabilityZoneId ? ` (${t.availabilityZoneId})` : ""}`
      : " (AZ unknown)";
    const reason = t.reason ? ` (${t.reason}${t.description ? `: ${t.description}` : ""})` : "";
    return `target ${t.id}${t.port ? `:${t.port}` : ""}${zone}: ${t.state}${reason}`;
  });
}
