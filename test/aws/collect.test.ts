import { describe, expect, it } from "vitest";
import { iamActionFor, READ_ACTIONS } from "../../src/aws/actions.js";
import { type CollectInput, collectSnapshot } from "../../src/aws/collect.js";
import { CredentialsError } from "../../src/aws/errors.js";
import { createCallCounter } from "../../src/aws/middleware.js";
import { RateLimiter } from "../../src/aws/rate-limit.js";
import { SharedReads } from "../../src/aws/shared-reads.js";
import type { Source } from "../../src/diagnosis/snapshot.js";
import { IDS } from "../support/snapshot-factory.js";
import {
  CORP_PREFIX_LIST,
  CUSTOM_SERVICE,
  createWorld,
  HUB_ZONE,
  REGIONAL_DNS_NAME,
  RESOLVER_RULES,
  SECOND_INTERFACE_ENDPOINT,
  SOURCE_INSTANCE,
  SOURCE_IP,
  type World,
} from "./collect-world.js";
import { ON_PREM_SOURCE, withOnPremPath, withOtherRegions } from "./outside-world.js";

const NOW = new Date("2026-11-23T12:00:00.000Z");
const INSTANCE: Source = { kind: "instance", value: SOURCE_INSTANCE };

function input(overrides: Partial<CollectInput> = {}): CollectInput {
  return {
    endpointId: IDS.endpoint,
    region: "us-east-1",
    accountId: IDS.account,
    accountAlias: "prod",
    windowHours: 1,
    now: NOW,
    ...overrides,
  };
}

async function collect(world: World, overrides: Partial<CollectInput> = {}, shared?: SharedReads) {
  let tick = 0;
  return collectSnapshot(input(overrides), world.clients, {
    counter: createCallCounter(),
    limiter: new RateLimiter(1000, 100),
    clock: () => (tick += 250),
    shared,
  });
}

function calls(world: World, command: string): number {
  return world.started().filter((c) => c === command).length;
}

describe("collectSnapshot", () => {
  it("collects a healthy interface endpoint with an instance source into a valid snapshot", async () => {
    const world = createWorld();
    const snapshot = await collect(world, { source: INSTANCE });

    expect(snapshot).toMatchObject({
      schemaVersion: 1,
      collectedAt: NOW.toISOString(),
      endpointId: IDS.endpoint,
      region: "us-east-1",
      accountId: IDS.account,
      accountAlias: "prod",
      window: { start: "2026-11-23T11:00:00.000Z", end: NOW.toISOString(), hours: 1 },
      gaps: [],
      stats: { awsCalls: 0, durationMs: 250 },
    });
    expect(snapshot.endpoint).toMatchObject({ id: IDS.endpoint, type: "Interface", state: "available" });
    expect(snapshot.service).toMatchObject({ name: "com.amazonaws.us-east-1.ssm", owner: "amazon" });
    expect(snapshot.serviceConfiguration).toBeUndefined();
    expect(snapshot.source).toEqual({
      given: INSTANCE,
      addresses: [SOURCE_IP],
      subnetId: IDS.subnetC,
      vpcId: IDS.vpc,
      securityGroupIds: [IDS.sgClient],
      found: true,
    });
    expect(snapshot.securityGroups?.map((g) => g.id)).toEqual([IDS.sgEndpoint, IDS.sgClient]);
    expect(snapshot.subnets?.map((s) => s.id)).toEqual([IDS.subnetA, IDS.subnetB, IDS.subnetC]);
    expect(snapshot.networkInterfaces?.map((e) => e.id)).toEqual([IDS.eniA, IDS.eniB]);
    expect(snapshot.networkAcls?.map((a) => a.id)).toEqual([IDS.naclMain]);
    expect(snapshot.routeTables).toBeUndefined();
    expect(snapshot.vpc).toMatchObject({ id: IDS.vpc, enableDnsSupport: true, enableDnsHostnames: true });
    expect(snapshot.dhcpOptions).toEqual({ id: IDS.dhcp, domainNameServers: ["AmazonProvidedDNS"] });
    // The hub zone keeps its apex alias to the endpoint; its own NS record says nothing about the name.
    expect(snapshot.hostedZones).toEqual([
      {
        id: HUB_ZONE.HostedZoneId,
        name: HUB_ZONE.Name,
        records: [
          {
            name: "ssm.us-east-1.amazonaws.com",
            type: "A",
            values: [],
            alias: { dnsName: REGIONAL_DNS_NAME, hostedZoneId: "Z7HUB4ZLMNOPQ", evaluateTargetHealth: true },
          },
        ],
      },
    ]);
    expect(snapshot.resolverRules?.map((r) => [r.id, r.domainName, r.ruleType])).toEqual([
      [RESOLVER_RULES[0]!.Id, ".", "RECURSIVE"],
      [RESOLVER_RULES[1]!.Id, "corp.example.internal", "FORWARD"],
    ]);
    expect(snapshot.prefixLists).toEqual([
      {
        id: CORP_PREFIX_LIST,
        addressFamily: "IPv4",
        entries: [{ cidr: "10.0.0.0/16" }, { cidr: "192.168.0.0/16" }],
      },
    ]);
    expect(snapshot.portHint).toBeUndefined();
    expect(snapshot.flowLogs?.map((f) => f.resourceId)).toEqual([IDS.vpc]);
    expect(snapshot.flowRecords?.[0]?.rejects[0]).toMatchObject({ srcAddr: SOURCE_IP, dstPort: 443 });
    expect(snapshot.metrics).toHaveLength(5);
    expect(snapshot.cloudTrail).toMatchObject({ changes: [], accessDenied: [] });
    expect(snapshot.health).toEqual({ status: "ok", events: [] });
    expect(snapshot.notFound).toBeUndefined();
  });

  it("batches the endpoint's and the source's groups, subnets and NACLs into one call each", async () => {
    const world = createWorld();
    await collect(world, { source: INSTANCE });
    expect(calls(world, "DescribeSecurityGroups")).toBe(1);
    expect(calls(world, "DescribeSubnets")).toBe(1);
    expect(calls(world, "DescribeNetworkAcls")).toBe(1);
    expect(calls(world, "DescribeNetworkInterfaces")).toBe(1);
    const started = world.started();
    expect(started).not.toContain("GetCallerIdentity");
    expect(started).not.toContain("DescribeRouteTables");
    expect(started).not.toContain("DescribeVpcEndpointServicePermissions");
  });

  it("reads the records of the zones covering the service's name only", async () => {
    const world = createWorld();
    const corp = { ...HUB_ZONE, HostedZoneId: "Z0CORP", Name: "corp.example.internal." };
    world.hostedZones = [HUB_ZONE, corp];
    const snapshot = await collect(world);
    expect(
      world.log.filter((e) => e.phase === "start" && e.command === "ListResourceRecordSets"),
    ).toHaveLength(1);
    expect(snapshot.hostedZones?.map((zone) => [zone.id, zone.records?.length])).toEqual([
      [HUB_ZONE.HostedZoneId, 1],
      ["Z0CORP", undefined],
    ]);
  });

  it("makes one DNS call beyond the zone list when no zone covers the name and no rule is associated", async () => {
    const world = createWorld();
    world.hostedZones = [];
    world.resolverAssociations = [];
    world.endpoints.set(IDS.endpoint, { ...world.endpoints.get(IDS.endpoint)! });
    const snapshot = await collect(world, {
      source: { kind: "cidr", value: `${SOURCE_IP}/32`, ipVersion: 4 },
    });
    expect(calls(world, "ListResourceRecordSets")).toBe(0);
    expect(calls(world, "ListResolverRuleAssociations")).toBe(1);
    expect(calls(world, "ListResolverRules")).toBe(0);
    expect(snapshot.resolverRules).toEqual([]);
    expect(snapshot.hostedZones).toEqual([]);
  });

  it("reads the VPC's route tables only when private DNS is off and no private zone covers the name", async () => {
    const hub = createWorld();
    await collect(hub);
    expect(calls(hub, "DescribeRouteTables")).toBe(0);

    const publicName = createWorld();
    publicName.hostedZones = [];
    const snapshot = await collect(publicName);
    expect(calls(publicName, "DescribeRouteTables")).toBe(1);
    expect(snapshot.routeTables?.length).toBeGreaterThan(0);

    const privateDnsOn = createWorld();
    privateDnsOn.hostedZones = [];
    privateDnsOn.endpoints.set(IDS.endpoint, {
      ...privateDnsOn.endpoints.get(IDS.endpoint)!,
      PrivateDnsEnabled: true,
    });
    await collect(privateDnsOn);
    expect(calls(privateDnsOn, "DescribeRouteTables")).toBe(0);
  });

  it("copies the port hint into the snapshot unchanged", async () => {
    const world = createWorld();
    const portHint = { ports: [8443, 9443], origin: "request" as const };
    expect((await collect(world, { portHint })).portHint).toEqual(portHint);
    expect((await collect(world, { portHint, endpointId: "vpce-0ffffffffffffffff" })).portHint).toEqual(
      portHint,
    );
  });

  it("records denied DNS and prefix-list reads as gaps of their own fields", async () => {
    const world = createWorld();
    for (const command of [
      "ListResourceRecordSets",
      "ListResolverRuleAssociations",
      "GetManagedPrefixListEntries",
    ]) {
      world.failures.set(command, "AccessDenied");
    }
    const snapshot = await collect(world);
    expect(snapshot.hostedZones).toEqual([{ id: HUB_ZONE.HostedZoneId, name: HUB_ZONE.Name }]);
    expect(snapshot.resolverRules).toBeUndefined();
    expect(snapshot.prefixLists).toBeUndefined();
    expect(snapshot.gaps.map((g) => [g.source, g.iamAction])).toEqual(
      expect.arrayContaining([
        ["zoneRecords", "route53:ListResourceRecordSets"],
        ["resolverRules", "route53resolver:ListResolverRuleAssociations"],
        ["prefixLists", "ec2:GetManagedPrefixListEntries"],
      ]),
    );
    expect(snapshot.gaps).toHaveLength(3);
  });

  it("asks STS for the account only when it is not given", async () => {
    const world = createWorld();
    const snapshot = await collect(world, { accountId: undefined });
    expect(calls(world, "GetCallerIdentity")).toBe(1);
    expect(snapshot.accountId).toBe(IDS.account);
  });

  it("reads the provider view of a service the account owns", async () => {
    const world = createWorld();
    world.endpoints.set(IDS.endpoint, { ...world.endpoints.get(IDS.endpoint)!, ServiceName: CUSTOM_SERVICE });
    world.serviceOwner = IDS.account;
    const snapshot = await collect(world);
    expect(snapshot.serviceConfiguration).toMatchObject({
      serviceId: "vpce-svc-0123456789abcdef0",
      provider: { accountId: IDS.account, alias: "prod", via: "same-account" },
      state: "Available",
      acceptanceRequired: true,
      allowedPrincipals: [`arn:aws:iam::${IDS.account}:root`],
    });
    expect(snapshot.serviceConnection).toMatchObject({ state: "available" });
  });

  it("never reads the permissions of another account's service", async () => {
    const world = createWorld();
    world.endpoints.set(IDS.endpoint, { ...world.endpoints.get(IDS.endpoint)!, ServiceName: CUSTOM_SERVICE });
    world.serviceOwner = "999999999999";
    const snapshot = await collect(world);
    expect(snapshot.serviceConfiguration).toBeUndefined();
    for (const command of [
      "DescribeVpcEndpointServiceConfigurations",
      "DescribeVpcEndpointServicePermissions",
      "DescribeVpcEndpointConnections",
    ]) {
      expect(calls(world, command)).toBe(0);
    }
  });

  it("collects route tables for a gateway endpoint and skips what gateways do not have", async () => {
    const world = createWorld();
    const snapshot = await collect(world, {
      endpointId: IDS.gatewayEndpoint,
      source: { kind: "cidr", value: `${SOURCE_IP}/32`, ipVersion: 4 },
    });
    expect(snapshot.routeTables?.map((t) => t.id)).toEqual([IDS.rtbMain]);
    expect(snapshot.networkInterfaces).toEqual([]);
    expect(snapshot.metrics).toEqual([]);
    expect(snapshot.flowRecords).toEqual([]);
    expect(snapshot.hostedZones).toBeUndefined();
    expect(snapshot.resolverRules).toBeUndefined();
    expect(snapshot.prefixLists).toEqual([]);
    expect(snapshot.securityGroups?.map((g) => g.id)).toEqual([IDS.sgClient]);
    expect(snapshot.subnets?.map((s) => s.id)).toEqual([IDS.subnetC]);
    expect(snapshot.source).toMatchObject({
      subnetId: IDS.subnetC,
      securityGroupIds: [IDS.sgClient],
      found: true,
    });
    for (const command of [
      "GetMetricData",
      "ListHostedZonesByVPC",
      "FilterLogEvents",
      "ListResolverRuleAssociations",
      "ListResourceRecordSets",
      "GetManagedPrefixListEntries",
    ]) {
      expect(calls(world, command)).toBe(0);
    }
    expect(snapshot.gaps).toEqual([]);
  });

  it("records a denied NACL read as a gap naming ec2:DescribeNetworkAcls and keeps the rest", async () => {
    const world = createWorld();
    world.failures.set("DescribeNetworkAcls", "UnauthorizedOperation");
    const snapshot = await collect(world, { source: INSTANCE });
    expect(snapshot.networkAcls).toBeUndefined();
    expect(snapshot.gaps).toEqual([
      {
        source: "networkAcls",
        iamAction: "ec2:DescribeNetworkAcls",
        error: "AccessDenied",
        message: "UnauthorizedOperation: DescribeNetworkAcls refused",
      },
    ]);
    expect(snapshot.securityGroups).toHaveLength(2);
    expect(snapshot.subnets).toHaveLength(3);
  });

  it("marks a subnet source unknown, with a gap, when the subnets cannot be read", async () => {
    const world = createWorld();
    world.failures.set("DescribeSubnets", "UnauthorizedOperation");
    const snapshot = await collect(world, { source: { kind: "subnet", value: IDS.subnetC } });
    expect(snapshot.source).toBeUndefined();
    expect(snapshot.gaps.map((g) => [g.source, g.iamAction])).toEqual([
      ["subnets", "ec2:DescribeSubnets"],
      ["source", "ec2:DescribeSubnets"],
    ]);
  });

  it("returns endpoint null with hints, health and CloudTrail when the endpoint does not exist", async () => {
    const world = createWorld();
    const missing = "vpce-0a1b2c3d4e5f60719";
    world.trailEvents.push({
      EventId: "ev-1",
      EventName: "DeleteVpcEndpoints",
      EventTime: new Date("2026-11-23T11:40:00.000Z"),
      Username: "alice",
      Resources: [{ ResourceType: "AWS::EC2::VPCEndpoint", ResourceName: missing }],
    });
    const snapshot = await collect(world, { endpointId: missing, source: INSTANCE });
    expect(snapshot.endpoint).toBeNull();
    expect(snapshot.gaps).toEqual([]);
    expect(snapshot.notFound).toMatchObject({
      similarIds: [IDS.endpoint],
      endpointsInRegion: 2,
      deletedEvent: { eventId: "ev-1", eventName: "DeleteVpcEndpoints", username: "alice" },
    });
    expect(snapshot.health).toEqual({ status: "ok", events: [] });
    expect(snapshot.cloudTrail?.changes).toHaveLength(1);
    expect(snapshot.source).toMatchObject({ subnetId: IDS.subnetC, found: true });
    const started = world.started();
    for (const command of [
      "DescribeVpcEndpointServices",
      "DescribeSubnets",
      "DescribeSecurityGroups",
      "GetMetricData",
    ]) {
      expect(started).not.toContain(command);
    }
  });

  it("keeps endpoint null with an 'endpoint' gap (and no hints) when the endpoint cannot be read", async () => {
    const world = createWorld();
    world.failures.set("DescribeVpcEndpoints", "UnauthorizedOperation");
    const snapshot = await collect(world);
    expect(snapshot.endpoint).toBeNull();
    expect(snapshot.notFound).toBeUndefined();
    expect(snapshot.gaps).toMatchObject([{ source: "endpoint", iamAction: "ec2:DescribeVpcEndpoints" }]);
  });

  it("rejects with CredentialsError when the credentials are unusable", async () => {
    const world = createWorld();
    world.failures.set("DescribeVpcEndpoints", "ExpiredToken");
    world.failures.set("DescribeInstances", "ExpiredToken");
    world.failures.set("DescribeEvents", "ExpiredToken");
    await expect(collect(world, { source: INSTANCE })).rejects.toBeInstanceOf(CredentialsError);
  });

  it("reports the call counter's count", async () => {
    const world = createWorld();
    const counter = createCallCounter();
    counter.count = 17;
    const snapshot = await collectSnapshot(input(), world.clients, {
      counter,
      limiter: new RateLimiter(1000, 100),
    });
    expect(snapshot.stats.awsCalls).toBe(17);
  });
});

describe("collectSnapshot permissions", () => {
  it("sends only commands whose IAM action is in READ_ACTIONS, and uses every listed action", async () => {
    const used = new Set<string>();
    const scenarios: [(world: World) => void, Partial<CollectInput>][] = [
      [() => {}, { source: INSTANCE, accountId: undefined }],
      [
        (world) => {
          world.endpoints.set(IDS.endpoint, {
            ...world.endpoints.get(IDS.endpoint)!,
            ServiceName: CUSTOM_SERVICE,
          });
          world.serviceOwner = IDS.account;
        },
        { source: { kind: "cidr", value: `${SOURCE_IP}/32`, ipVersion: 4 } },
      ],
      [() => {}, { endpointId: IDS.gatewayEndpoint }],
      [withOtherRegions, { endpointId: "vpce-0ffffffffffffffff" }],
      [withOnPremPath, { source: ON_PREM_SOURCE }],
    ];
    for (const [arrange, overrides] of scenarios) {
      const world = createWorld();
      arrange(world);
      await collect(world, overrides);
      for (const event of world.log) {
        if (event.phase !== "start") continue;
        const action = iamActionFor(event.command, event.client);
        expect(READ_ACTIONS, `${event.client} ${event.command}`).toContain(action);
        used.add(action!);
      }
    }
    expect([...used].sort()).toEqual([...READ_ACTIONS].sort());
  });
});

describe("collectSnapshot rounds", () => {
  const ROUND_2 = [
    "DescribeVpcEndpointServices",
    "DescribeSecurityGroups",
    "DescribeSubnets",
    "DescribeNetworkInterfaces",
    "DescribeNetworkAcls",
    "DescribeVpcs",
    "DescribeVpcAttribute",
    "DescribeFlowLogs",
    "GetMetricData",
    "ListHostedZonesByVPC",
    "ListResolverRuleAssociations",
  ];

  function timeline(world: World) {
    const index = (phase: "start" | "end", command: string) =>
      world.log.findIndex((e) => e.phase === phase && e.command === command);
    return {
      first: (command: string) => index("start", command),
      done: (command: string) => index("end", command),
    };
  }

  it("starts round 2 only after the endpoint, all of it before any of it completes, then round 3", async () => {
    const world = createWorld();
    world.delayMs = 15;
    world.endpoints.set(IDS.endpoint, { ...world.endpoints.get(IDS.endpoint)!, ServiceName: CUSTOM_SERVICE });
    world.serviceOwner = IDS.account;
    await collect(world, { source: INSTANCE });
    const { first, done } = timeline(world);

    const endpointDone = done("DescribeVpcEndpoints");
    expect(first("DescribeInstances")).toBeLessThan(endpointDone);
    expect(first("DescribeEvents")).toBeLessThan(endpointDone);

    const round2Starts = ROUND_2.map(first);
    expect(round2Starts.every((i) => i > endpointDone)).toBe(true);
    const firstRound2End = Math.min(...ROUND_2.map(done));
    expect(Math.max(...round2Starts)).toBeLessThan(firstRound2End);

    expect(first("DescribeDhcpOptions")).toBeGreaterThan(done("DescribeVpcs"));
    expect(first("FilterLogEvents")).toBeGreaterThan(done("DescribeFlowLogs"));
    expect(first("DescribeVpcEndpointServiceConfigurations")).toBeGreaterThan(
      done("DescribeVpcEndpointServices"),
    );
    expect(first("ListResolverRules")).toBeGreaterThan(done("ListResolverRuleAssociations"));
    expect(first("GetManagedPrefixListEntries")).toBeGreaterThan(done("DescribeSecurityGroups"));
  });

  it("reads zone records once both the zones and the service's name are in", async () => {
    const world = createWorld();
    world.delayMs = 15;
    await collect(world);
    const { first, done } = timeline(world);
    expect(first("ListResourceRecordSets")).toBeGreaterThan(done("ListHostedZonesByVPC"));
    expect(first("ListResourceRecordSets")).toBeGreaterThan(done("DescribeVpcEndpointServices"));
  });

  it("takes a few call latencies in all, not one per call", async () => {
    const world = createWorld();
    world.delayMs = 40;
    const started = performance.now();
    await collect(world, { source: INSTANCE });
    const elapsed = performance.now() - started;
    // About 25 calls; the longest chains are 3 deep (Health reads its two filters one after the other, and
    // CloudTrail starts once the endpoint names the service), so anything near 25 latencies means serial calls.
    expect(elapsed).toBeLessThan(40 * 6);
  });
});

describe("collectSnapshot with shared reads", () => {
  const SHARED = [
    "DescribeEvents",
    "DescribeSecurityGroups",
    "DescribeSubnets",
    "DescribeNetworkAcls",
    "GetManagedPrefixListEntries",
    "LookupEvents",
    "DescribeVpcs",
    "DescribeVpcAttribute",
    "DescribeDhcpOptions",
    "ListHostedZonesByVPC",
    "ListResourceRecordSets",
    "ListResolverRuleAssociations",
    "ListResolverRules",
  ];
  const SECOND = SECOND_INTERFACE_ENDPOINT.VpcEndpointId!;

  function byCommand(world: World): Map<string, number> {
    const counts = new Map<string, number>();
    for (const command of world.started()) counts.set(command, (counts.get(command) ?? 0) + 1);
    return counts;
  }

  async function storm(world: World, shared?: SharedReads) {
    world.endpoints.set(SECOND, SECOND_INTERFACE_ENDPOINT);
    world.delayMs = 20;
    return Promise.all([
      collect(world, { source: INSTANCE }, shared),
      collect(world, { endpointId: SECOND, source: INSTANCE }, shared),
    ]);
  }

  it("makes each VPC-level read, and each read of what both share (groups, subnets, NACLs, CloudTrail, Health), once for two endpoints of one VPC, and every other read per diagnosis", async () => {
    const alone = createWorld();
    await collect(alone, { source: INSTANCE });
    const single = byCommand(alone);

    const world = createWorld();
    const [first, second] = await storm(world, new SharedReads());
    const counts = byCommand(world);

    expect(Object.fromEntries(SHARED.map((c) => [c, counts.get(c)]))).toEqual({
      // Health's two queries are the region's; the account's writes are read once, each service's events once.
      DescribeEvents: 2,
      DescribeSecurityGroups: 1,
      DescribeSubnets: 1,
      DescribeNetworkAcls: 1,
      GetManagedPrefixListEntries: 1,
      LookupEvents: 3,
      DescribeVpcs: 1,
      DescribeVpcAttribute: 2,
      DescribeDhcpOptions: 1,
      ListHostedZonesByVPC: 1,
      ListResourceRecordSets: 1,
      ListResolverRuleAssociations: 1,
      ListResolverRules: 1,
    });
    for (const [command, count] of single) {
      if (!SHARED.includes(command)) expect(counts.get(command), command).toBe(2 * count);
    }
    expect(counts.get("DescribeNetworkInterfaces")).toBe(2);
    for (const snapshot of [first, second]) {
      expect(snapshot.gaps).toEqual([]);
      expect(snapshot.vpc).toMatchObject({ id: IDS.vpc, enableDnsSupport: true, enableDnsHostnames: true });
      expect(snapshot.dhcpOptions).toEqual({ id: IDS.dhcp, domainNameServers: ["AmazonProvidedDNS"] });
      expect(snapshot.hostedZones?.map((zone) => zone.id)).toEqual([HUB_ZONE.HostedZoneId]);
      expect(snapshot.resolverRules).toHaveLength(2);
    }
    expect(first.networkInterfaces?.map((e) => e.id)).toEqual([IDS.eniA, IDS.eniB]);
    expect(second.networkInterfaces?.map((e) => e.id)).toEqual(SECOND_INTERFACE_ENDPOINT.NetworkInterfaceIds);
  });

  it("shares nothing without a SharedReads", async () => {
    const world = createWorld();
    await storm(world);
    const counts = byCommand(world);
    // ListResourceRecordSets: the hub zone covers only the SSM endpoint's name.
    expect(SHARED.map((c) => counts.get(c))).toEqual([4, 2, 2, 2, 2, 4, 2, 4, 2, 2, 1, 2, 2]);
  });

  it("shares route tables between gateway endpoints of one VPC", async () => {
    const world = createWorld();
    const shared = new SharedReads();
    const gateway = { endpointId: IDS.gatewayEndpoint };
    const [first, second] = await Promise.all([
      collect(world, gateway, shared),
      collect(world, gateway, shared),
    ]);
    expect(calls(world, "DescribeRouteTables")).toBe(1);
    expect(first.routeTables).toEqual(second.routeTables);
    expect(first.routeTables?.map((t) => t.id)).toEqual([IDS.rtbMain]);
  });

  it("records a denied shared call as a gap in both snapshots, and asks again on the next diagnosis", async () => {
    const world = createWorld();
    world.failures.set("DescribeVpcs", "UnauthorizedOperation");
    world.failures.set("ListHostedZonesByVPC", "AccessDenied");
    const shared = new SharedReads();
    const snapshots = await storm(world, shared);

    expect(calls(world, "DescribeVpcs")).toBe(1);
    expect(calls(world, "ListHostedZonesByVPC")).toBe(1);
    for (const snapshot of snapshots) {
      expect(snapshot.vpc).toBeUndefined();
      expect(snapshot.hostedZones).toBeUndefined();
      const gaps = snapshot.gaps.map((g) => [g.source, g.iamAction, g.error]);
      expect(gaps).toHaveLength(2);
      expect(gaps).toEqual(
        expect.arrayContaining([
          ["vpc", "ec2:DescribeVpcs", "AccessDenied"],
          ["hostedZones", "route53:ListHostedZonesByVPC", "AccessDenied"],
        ]),
      );
    }

    world.failures.clear();
    const later = await collect(world, {}, shared);
    expect(calls(world, "DescribeVpcs")).toBe(2);
    expect(later.vpc?.id).toBe(IDS.vpc);
    expect(later.gaps).toEqual([]);
  });
});
