import {
  DescribeAvailabilityZonesCommand,
  paginateDescribeInstances,
  paginateDescribeNetworkInterfaces,
} from "@aws-sdk/client-ec2";
import {
  type Action,
  type Listener as AwsListener,
  type LoadBalancer as AwsLoadBalancer,
  type TargetGroup as AwsTargetGroup,
  DescribeLoadBalancerAttributesCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  type TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { LbTarget, Listener, LoadBalancer, TargetGroup } from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext } from "../context.js";
import { collectSecurityGroups } from "./network.js";

// The load balancers behind an endpoint service, read in the provider's account: listeners, target groups,
// target health with each target's Availability Zone (name and id), cross-zone settings and the NLB's security
// groups. Every read that fails is a `loadBalancers` gap; the parts it would have filled stay absent.

const CROSS_ZONE = "load_balancing.cross_zone.enabled";
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
// DescribeLoadBalancers takes at most 20 ARNs a call.
const ARNS_PER_CALL = 20;

/** Reads the load balancers with these ARNs and everything about them the service-provider check judges. */
export async function collectLoadBalancers(
  ctx: CollectContext,
  arns: readonly string[],
): Promise<LoadBalancer[] | undefined> {
  const unique = [...new Set(arns)];
  if (unique.length === 0) return [];
  const zoneIdsP = availabilityZoneIds(ctx);
  const lbsP = describeLoadBalancers(ctx, unique);
  const perLb = unique.map((arn) => ({
    arn,
    listeners: listenersOf(ctx, arn),
    crossZone: lbCrossZone(ctx, arn),
    targetGroups: targetGroupsOf(ctx, arn).then((groups) =>
      groups ? Promise.all(groups.map((group) => completeTargetGroup(ctx, group))) : undefined,
    ),
  }));
  const groupsP = lbsP.then((lbs) =>
    collectSecurityGroups(
      ctx,
      (lbs ?? []).flatMap((lb) => lb.SecurityGroups ?? []),
      "loadBalancers",
    ),
  );
  const [lbs, zoneIds, groups] = await Promise.all([lbsP, zoneIdsP, groupsP]);
  if (!lbs) return undefined;
  const assembled = await Promise.all(
    perLb.map(async (part) => {
      const raw = lbs.find((lb) => lb.LoadBalancerArn === part.arn);
      if (!raw) return undefined;
      const [listeners, crossZone, targetGroups] = await Promise.all([
        part.listeners,
        part.crossZone,
        part.targetGroups,
      ]);
      return toLoadBalancer(raw, { listeners, crossZone, targetGroups, zoneIds, groups });
    }),
  );
  const found = assembled.filter((lb): lb is LoadBalancer => lb !== undefined);
  return withTargetZones(ctx, found, zoneIds);
}

interface Parts {
  listeners: Listener[] | undefined;
  crossZone: boolean | undefined;
  targetGroups: TargetGroup[] | undefined;
  zoneIds: Map<string, string> | undefined;
  groups: Awaited<ReturnType<typeof collectSecurityGroups>>;
}

function toLoadBalancer(raw: AwsLoadBalancer, parts: Parts): LoadBalancer {
  const securityGroupIds = raw.SecurityGroups ?? [];
  return {
    arn: raw.LoadBalancerArn!,
    name: raw.LoadBalancerName,
    type: raw.Type,
    state: raw.State?.Code,
    vpcId: raw.VpcId,
    availabilityZones: (raw.AvailabilityZones ?? []).flatMap((az) =>
      az.ZoneName ? [{ name: az.ZoneName, id: parts.zoneIds?.get(az.ZoneName), subnetId: az.SubnetId }] : [],
    ),
    crossZone: parts.crossZone,
    securityGroupIds,
    enforceSecurityGroupsOnPrivateLink: raw.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic,
    securityGroups:
      securityGroupIds.length > 0 && parts.groups
        ? parts.groups.filter((g) => securityGroupIds.includes(g.id))
        : undefined,
    listeners: parts.listeners,
    targetGroups: parts.targetGroups,
  };
}

async function describeLoadBalancers(
  ctx: CollectContext,
  arns: string[],
): Promise<AwsLoadBalancer[] | undefined> {
  return attempt(ctx, "loadBalancers", "elasticloadbalancing:DescribeLoadBalancers", async () => {
    const chunks = Array.from({ length: Math.ceil(arns.length / ARNS_PER_CALL) }, (_, i) =>
      arns.slice(i * ARNS_PER_CALL, (i + 1) * ARNS_PER_CALL),
    );
    const pages = await Promise.all(
      chunks.map(async (chunk) => {
        const found: AwsLoadBalancer[] = [];
        const pager = paginateDescribeLoadBalancers(
          { client: ctx.clients.elbv2 },
          { LoadBalancerArns: chunk },
        );
        for await (const page of pager) found.push(...(page.LoadBalancers ?? []));
        return found;
      }),
    );
    return pages.flat();
  });
}

async function listenersOf(ctx: CollectContext, arn: string): Promise<Listener[] | undefined> {
  return attempt(ctx, "loadBalancers", "elasticloadbalancing:DescribeListeners", async () => {
    const listeners: Listener[] = [];
    const pager = paginateDescribeListeners({ client: ctx.clients.elbv2 }, { LoadBalancerArn: arn });
    for await (const page of pager) listeners.push(...(page.Listeners ?? []).map(toListener));
    return listeners;
  });
}

function toListener(raw: AwsListener): Listener {
  return {
    arn: raw.ListenerArn ?? "",
    port: raw.Port,
    protocol: raw.Protocol,
    targetGroupArns: [...new Set((raw.DefaultActions ?? []).flatMap(forwardedGroups))],
  };
}

// A forward action names one group directly or several with weights in ForwardConfig.
function forwardedGroups(action: Action): string[] {
  const weighted = (action.ForwardConfig?.TargetGroups ?? []).flatMap((g) =>
    g.TargetGroupArn ? [g.TargetGroupArn] : [],
  );
  return action.TargetGroupArn ? [action.TargetGroupArn, ...weighted] : weighted;
}

async function lbCrossZone(ctx: CollectContext, arn: string): Promise<boolean | undefined> {
  const attributes = await attempt(
    ctx,
    "loadBalancers",
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
    async () => {
      const out = await ctx.clients.elbv2.send(
        new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }),
      );
      return out.Attributes ?? [];
    },
  );
  const value = attributes?.find((a) => a.Key === CROSS_ZONE)?.Value;
  return value === undefined ? undefined : value === "true";
}

async function targetGroupsOf(ctx: CollectContext, arn: string): Promise<AwsTargetGroup[] | undefined> {
  return attempt(ctx, "loadBalancers", "elasticloadbalancing:DescribeTargetGroups", async () => {
    const groups: AwsTargetGroup[] = [];
    const pager = paginateDescribeTargetGroups({ client: ctx.clients.elbv2 }, { LoadBalancerArn: arn });
    for await (const page of pager) groups.push(...(page.TargetGroups ?? []));
    return groups;
  });
}

async function completeTargetGroup(ctx: CollectContext, raw: AwsTargetGroup): Promise<TargetGroup> {
  const arn = raw.TargetGroupArn!;
  const [attributes, health] = await Promise.all([
    attempt(ctx, "loadBalancers", "elasticloadbalancing:DescribeTargetGroupAttributes", async () => {
      const out = await ctx.clients.elbv2.send(
        new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }),
      );
      return out.Attributes ?? [];
    }),
    attempt(ctx, "loadBalancers", "elasticloadbalancing:DescribeTargetHealth", async () => {
      const out = await ctx.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
      return out.TargetHealthDescriptions ?? [];
    }),
  ]);
  return {
    arn,
    name: raw.TargetGroupName,
    protocol: raw.Protocol,
    port: raw.Port,
    targetType: raw.TargetType,
    healthCheck: {
      protocol: raw.HealthCheckProtocol,
      port: raw.HealthCheckPort,
      path: raw.HealthCheckPath,
      enabled: raw.HealthCheckEnabled,
    },
    crossZone: attributes?.find((a) => a.Key === CROSS_ZONE)?.Value,
    targets: health?.flatMap(toTarget),
  };
}

function toTarget(raw: TargetHealthDescription): LbTarget[] {
  const id = raw.Target?.Id;
  if (!id) return [];
  return [
    {
      id,
      port: raw.Target?.Port,
      availabilityZone: raw.Target?.AvailabilityZone,
      state: raw.TargetHealth?.State ?? "unknown",
      reason: raw.TargetHealth?.Reason,
      description: raw.TargetHealth?.Description,
    },
  ];
}

/** AZ name -> AZ id in the provider's account: names differ per account, ids do not. */
async function availabilityZoneIds(ctx: CollectContext): Promise<Map<string, string> | undefined> {
  const zones = await attempt(ctx, "loadBalancers", "ec2:DescribeAvailabilityZones", async () => {
    const out = await ctx.clients.ec2.send(new DescribeAvailabilityZonesCommand({}));
    return out.AvailabilityZones ?? [];
  });
  if (!zones) return undefined;
  return new Map(zones.flatMap((z) => (z.ZoneName && z.ZoneId ? [[z.ZoneName, z.ZoneId] as const] : [])));
}

/** Fills each target's AZ: given by DescribeTargetHealth (ip targets), else the instance's placement. */
async function withTargetZones(
  ctx: CollectContext,
  lbs: LoadBalancer[],
  zoneIds: Map<string, string> | undefined,
): Promise<LoadBalancer[]> {
  const targets = lbs.flatMap((lb) => (lb.targetGroups ?? []).flatMap((tg) => tg.targets ?? []));
  const unplaced = targets.filter((t) => !t.availabilityZone);
  const instanceIds = [...new Set(unplaced.filter((t) => t.id.startsWith("i-")).map((t) => t.id))];
  const addresses = [...new Set(unplaced.filter((t) => IPV4.test(t.id)).map((t) => t.id))];
  const [byInstance, byAddress] = await Promise.all([
    instanceZones(ctx, instanceIds),
    addressZones(ctx, addresses),
  ]);
  const placements = new Map([...byInstance, ...byAddress]);
  for (const target of targets) {
    target.availabilityZone ??= placements.get(target.id);
    const zone = target.availabilityZone;
    if (zone && zone !== "all") target.availabilityZoneId = zoneIds?.get(zone);
  }
  return lbs;
}

async function instanceZones(ctx: CollectContext, ids: string[]): Promise<Map<string, string>> {
  const zones = new Map<string, string>();
  if (ids.length === 0) return zones;
  await attempt(ctx, "loadBalancers", "ec2:DescribeInstances", async () => {
    const pager = paginateDescribeInstances(
      { client: ctx.clients.ec2, pageSize: 1000 },
      { Filters: [{ Name: "instance-id", Values: ids }] },
    );
    for await (const page of pager) {
      for (const instance of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
        const zone = instance.Placement?.AvailabilityZone;
        if (instance.InstanceId && zone) zones.set(instance.InstanceId, zone);
      }
    }
  });
  return zones;
}

// ip targets inside the VPC: the AZ of the interface holding the address (one filtered call for all of them).
async function addressZones(ctx: CollectContext, addresses: string[]): Promise<Map<string, string>> {
  const zones = new Map<string, string>();
  if (addresses.length === 0) return zones;
  await attempt(ctx, "loadBalancers", "ec2:DescribeNetworkInterfaces", async () => {
    const pager = paginateDescribeNetworkInterfaces(
      { client: ctx.clients.ec2, pageSize: 1000 },
      { Filters: [{ Name: "addresses.private-ip-address", Values: addresses }] },
    );
    for await (const page of pager) {
      for (const eni of page.NetworkInterfaces ?? []) {
        for (const address of eni.PrivateIpAddresses ?? []) {
          const ip = address.PrivateIpAddress;
          if (ip && eni.AvailabilityZone && addresses.includes(ip)) zones.set(ip, eni.AvailabilityZone);
        }
      }
    }
  });
  return zones;
}
