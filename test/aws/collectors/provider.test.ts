import {
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  type State,
} from "@aws-sdk/client-ec2";
import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { collectSnapshot, type ProviderClients } from "../../../src/aws/collect.js";
import { collectLoadBalancers } from "../../../src/aws/collectors/load-balancers.js";
import { collectProviderSide } from "../../../src/aws/collectors/provider.js";
import { CredentialsError } from "../../../src/aws/errors.js";
import { createCallCounter } from "../../../src/aws/middleware.js";
import { RateLimiter } from "../../../src/aws/rate-limit.js";
import { providerAccount } from "../../../src/aws/snapshot-source.js";
import type { AccountConfig } from "../../../src/config/schema.js";
import type { ProviderAccess, Service } from "../../../src/diagnosis/snapshot.js";
import { IDS } from "../../support/snapshot-factory.js";
import { CUSTOM_SERVICE, createWorld, type World } from "../collect-world.js";
import { awsError, testClients, testContext } from "./telemetry-context.js";

const clients = testClients();
const ec2 = mockClient(clients.ec2);
const elbv2 = mockClient(clients.elbv2);

beforeEach(() => {
  ec2.reset();
  elbv2.reset();
});

const NLB = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/db-nlb/1";
const TG = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/db-tg/2";
const TG2 = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/db-tg-2/3";
const SERVICE: Service = {
  name: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
  id: "vpce-svc-0123456789abcdef0",
  types: ["Interface"],
  owner: IDS.account,
  availabilityZones: [],
  availabilityZoneIds: [],
  baseEndpointDnsNames: [],
  supportedIpAddressTypes: [],
};
const SAME: ProviderAccess = { accountId: IDS.account, alias: "prod", via: "same-account" };

function loadBalancerWorld(): void {
  ec2.on(DescribeAvailabilityZonesCommand).resolves({
    AvailabilityZones: [
      { ZoneName: "us-east-1a", ZoneId: "use1-az4" },
      { ZoneName: "us-east-1b", ZoneId: "use1-az6" },
    ],
  });
  elbv2.on(DescribeLoadBalancersCommand).resolves({
    LoadBalancers: [
      {
        LoadBalancerArn: NLB,
        LoadBalancerName: "db-nlb",
        Type: "network",
        State: { Code: "active" },
        VpcId: "vpc-0p",
        AvailabilityZones: [
          { ZoneName: "us-east-1a", SubnetId: "subnet-0a" },
          { ZoneName: "us-east-1b", SubnetId: "subnet-0b" },
        ],
        SecurityGroups: ["sg-0nlb"],
        EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "on",
      },
    ],
  });
  elbv2
    .on(DescribeListenersCommand)
    .resolvesOnce({
      Listeners: [
        {
          ListenerArn: "l1",
          Port: 5432,
          Protocol: "TCP",
          DefaultActions: [{ Type: "forward", TargetGroupArn: TG }],
        },
      ],
      NextMarker: "m2",
    })
    .resolvesOnce({
      Listeners: [
        {
          ListenerArn: "l2",
          Port: 6432,
          Protocol: "TLS",
          DefaultActions: [
            { Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: TG2, Weight: 1 }] } },
          ],
        },
      ],
    });
  elbv2.on(DescribeLoadBalancerAttributesCommand).resolves({
    Attributes: [{ Key: "load_balancing.cross_zone.enabled", Value: "false" }],
  });
  elbv2
    .on(DescribeTargetGroupsCommand)
    .resolvesOnce({
      TargetGroups: [
        {
          TargetGroupArn: TG,
          TargetGroupName: "db-tg",
          Protocol: "TCP",
          Port: 5432,
          TargetType: "instance",
          HealthCheckProtocol: "TCP",
          HealthCheckPort: "traffic-port",
        },
      ],
      NextMarker: "t2",
    })
    .resolvesOnce({
      TargetGroups: [
        { TargetGroupArn: TG2, TargetGroupName: "db-tg-2", Protocol: "TLS", Port: 6432, TargetType: "ip" },
      ],
    });
  elbv2.on(DescribeTargetGroupAttributesCommand).resolves({
    Attributes: [{ Key: "load_balancing.cross_zone.enabled", Value: "use_load_balancer_configuration" }],
  });
  elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: TG }).resolves({
    TargetHealthDescriptions: [
      { Target: { Id: "i-0a", Port: 5432 }, TargetHealth: { State: "healthy" } },
      { Target: { Id: "i-0b", Port: 5432 }, TargetHealth: { State: "unhealthy", Reason: "Target.Timeout" } },
    ],
  });
  elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: TG2 }).resolves({
    TargetHealthDescriptions: [
      { Target: { Id: "10.9.1.5", Port: 6432 }, TargetHealth: { State: "healthy" } },
      {
        Target: { Id: "192.168.7.7", Port: 6432, AvailabilityZone: "all" },
        TargetHealth: { State: "healthy" },
      },
    ],
  });
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [
      {
        Instances: [
          { InstanceId: "i-0a", Placement: { AvailabilityZone: "us-east-1a" } },
          { InstanceId: "i-0b", Placement: { AvailabilityZone: "us-east-1b" } },
        ],
      },
    ],
  });
  ec2.on(DescribeNetworkInterfacesCommand).resolves({
    NetworkInterfaces: [
      { AvailabilityZone: "us-east-1b", PrivateIpAddresses: [{ PrivateIpAddress: "10.9.1.5" }] },
    ],
  });
  ec2.on(DescribeSecurityGroupsCommand).resolves({
    SecurityGroups: [
      {
        GroupId: "sg-0nlb",
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: "10.0.0.0/16" }] },
        ],
      },
    ],
  });
}

describe("collectLoadBalancers", () => {
  it("reads listeners, target groups (all pages), cross-zone, target health with AZ names and ids, and the NLB's groups", async () => {
    loadBalancerWorld();
    const ctx = testContext(clients);
    const [lb] = (await collectLoadBalancers(ctx, [NLB, NLB]))!;
    expect(ctx.gaps).toEqual([]);
    expect(elbv2.commandCalls(DescribeLoadBalancersCommand)[0]!.args[0].input).toEqual({
      LoadBalancerArns: [NLB],
    });
    const listenerCalls = elbv2.commandCalls(DescribeListenersCommand);
    expect(listenerCalls).toHaveLength(2);
    expect(listenerCalls[1]!.args[0].input.Marker).toBe("m2");
    expect(lb).toMatchObject({
      arn: NLB,
      name: "db-nlb",
      type: "network",
      availabilityZones: [
        { name: "us-east-1a", id: "use1-az4", subnetId: "subnet-0a" },
        { name: "us-east-1b", id: "use1-az6", subnetId: "subnet-0b" },
      ],
      crossZone: false,
      securityGroupIds: ["sg-0nlb"],
      enforceSecurityGroupsOnPrivateLink: "on",
      securityGroups: [
        { id: "sg-0nlb", ingress: [{ protocol: "tcp", fromPort: 5432, cidrIpv4: "10.0.0.0/16" }] },
      ],
      listeners: [
        { arn: "l1", port: 5432, protocol: "TCP", targetGroupArns: [TG] },
        { arn: "l2", port: 6432, protocol: "TLS", targetGroupArns: [TG2] },
      ],
    });
    const [tg, tg2] = lb!.targetGroups!;
    expect(tg).toMatchObject({
      name: "db-tg",
      port: 5432,
      crossZone: "use_load_balancer_configuration",
      healthCheck: { protocol: "TCP", port: "traffic-port" },
    });
    expect(tg!.targets).toEqual([
      {
        id: "i-0a",
        port: 5432,
        availabilityZone: "us-east-1a",
        availabilityZoneId: "use1-az4",
        state: "healthy",
      },
      {
        id: "i-0b",
        port: 5432,
        availabilityZone: "us-east-1b",
        availabilityZoneId: "use1-az6",
        state: "unhealthy",
        reason: "Target.Timeout",
      },
    ]);
    expect(tg2!.targets).toEqual([
      {
        id: "10.9.1.5",
        port: 6432,
        availabilityZone: "us-east-1b",
        availabilityZoneId: "use1-az6",
        state: "healthy",
      },
      { id: "192.168.7.7", port: 6432, availabilityZone: "all", state: "healthy" },
    ]);
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: "instance-id", Values: ["i-0a", "i-0b"] },
    ]);
    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: "addresses.private-ip-address", Values: ["10.9.1.5"] },
    ]);
  });

  it("keeps what it read and records a loadBalancers gap for each refused read", async () => {
    loadBalancerWorld();
    elbv2.on(DescribeTargetHealthCommand).rejects(awsError("AccessDenied"));
    ec2.on(DescribeSecurityGroupsCommand).rejects(awsError("UnauthorizedOperation"));
    const ctx = testContext(clients);
    const [lb] = (await collectLoadBalancers(ctx, [NLB]))!;
    expect(lb!.listeners).toHaveLength(2);
    expect(lb!.targetGroups!.map((g) => g.targets)).toEqual([undefined, undefined]);
    expect(lb!.securityGroups).toBeUndefined();
    expect(ctx.gaps.map((g) => `${g.source} ${g.iamAction} ${g.error}`).sort()).toEqual([
      "loadBalancers ec2:DescribeSecurityGroups AccessDenied",
      "loadBalancers elasticloadbalancing:DescribeTargetHealth AccessDenied",
      "loadBalancers elasticloadbalancing:DescribeTargetHealth AccessDenied",
    ]);
  });

  it("is undefined, with a gap, when the load balancers cannot be described", async () => {
    loadBalancerWorld();
    elbv2.on(DescribeLoadBalancersCommand).rejects(awsError("AccessDenied"));
    const ctx = testContext(clients);
    expect(await collectLoadBalancers(ctx, [NLB])).toBeUndefined();
    expect(ctx.gaps.map((g) => g.iamAction)).toContain("elasticloadbalancing:DescribeLoadBalancers");
  });
});

describe("collectProviderSide", () => {
  function serviceWorld(): void {
    loadBalancerWorld();
    ec2.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves({
      ServiceConfigurations: [
        {
          ServiceId: SERVICE.id,
          ServiceType: [{ ServiceType: "Interface" }],
          ServiceState: "Available",
          AcceptanceRequired: true,
          NetworkLoadBalancerArns: [NLB],
          AvailabilityZones: ["us-east-1a", "us-east-1b"],
          PrivateDnsName: "db.example.com",
          PrivateDnsNameConfiguration: { State: "verified" },
          SupportedRegions: [{ Region: "us-east-1" }],
        },
      ],
    });
    ec2
      .on(DescribeVpcEndpointServicePermissionsCommand)
      .resolvesOnce({ AllowedPrincipals: [{ Principal: "arn:aws:iam::444455556666:root" }], NextToken: "p2" })
      .resolvesOnce({ AllowedPrincipals: [{ Principal: "arn:aws:iam::777788889999:root" }] });
    ec2.on(DescribeVpcEndpointConnectionsCommand).resolves({
      VpcEndpointConnections: [
        {
          VpcEndpointId: IDS.endpoint,
          VpcEndpointOwner: "444455556666",
          VpcEndpointState: "available" as State,
          NetworkLoadBalancerArns: [NLB],
        },
      ],
    });
  }

  it("reads the configuration, principals (all pages), this endpoint's connection and the load balancers", async () => {
    serviceWorld();
    const ctx = testContext(clients);
    const side = await collectProviderSide(ctx, SERVICE, IDS.endpoint, SAME);
    expect(ctx.gaps).toEqual([]);
    expect(side.serviceConfiguration).toEqual({
      serviceId: SERVICE.id,
      provider: SAME,
      types: ["Interface"],
      state: "Available",
      acceptanceRequired: true,
      allowedPrincipals: ["arn:aws:iam::444455556666:root", "arn:aws:iam::777788889999:root"],
      loadBalancerArns: [NLB],
      availabilityZones: ["us-east-1a", "us-east-1b"],
      privateDnsName: "db.example.com",
      privateDnsNameState: "verified",
      supportedRegions: ["us-east-1"],
    });
    expect(side.serviceConnection).toEqual({
      state: "available",
      ownerId: "444455556666",
      loadBalancerArns: [NLB],
    });
    expect(ec2.commandCalls(DescribeVpcEndpointConnectionsCommand)[0]!.args[0].input).toEqual({
      Filters: [
        { Name: "service-id", Values: [SERVICE.id] },
        { Name: "vpc-endpoint-id", Values: [IDS.endpoint] },
      ],
    });
    expect(side.loadBalancers?.map((lb) => lb.name)).toEqual(["db-nlb"]);
  });

  it("turns an unimplemented DescribeVpcEndpointConnections (moto answers 500) into a serviceConnection gap only", async () => {
    serviceWorld();
    ec2.on(DescribeVpcEndpointConnectionsCommand).rejects(awsError("InternalError", "NotImplementedError"));
    const ctx = testContext(clients);
    const side = await collectProviderSide(ctx, SERVICE, IDS.endpoint, SAME);
    expect(side.serviceConnection).toBeUndefined();
    expect(side.serviceConfiguration?.serviceId).toBe(SERVICE.id);
    expect(side.loadBalancers).toHaveLength(1);
    expect(ctx.gaps).toMatchObject([
      { source: "serviceConnection", iamAction: "ec2:DescribeVpcEndpointConnections" },
    ]);
  });

  it("reads no load balancer when the configuration cannot be read", async () => {
    serviceWorld();
    ec2.on(DescribeVpcEndpointServiceConfigurationsCommand).rejects(awsError("UnauthorizedOperation"));
    const ctx = testContext(clients);
    const side = await collectProviderSide(ctx, SERVICE, IDS.endpoint, SAME);
    expect(side.serviceConfiguration).toBeUndefined();
    expect(side.loadBalancers).toBeUndefined();
    expect(elbv2.calls()).toHaveLength(0);
  });
});

describe("providerAccount", () => {
  const accounts: AccountConfig[] = [
    { alias: "prod", id: IDS.account },
    { alias: "provider", id: "444455556666", provides: [SERVICE.name.toUpperCase()] },
  ];

  it("finds the account whose provides lists the service name (case-insensitive)", () => {
    expect(providerAccount(accounts, SERVICE.name, "444455556666")?.alias).toBe("provider");
    expect(providerAccount(accounts, SERVICE.name, undefined)?.alias).toBe("provider");
  });

  it("refuses an entry whose account is not the service's owner, and services nobody provides", () => {
    expect(providerAccount(accounts, SERVICE.name, "999999999999")).toBeUndefined();
    expect(
      providerAccount(accounts, "com.amazonaws.vpce.us-east-1.vpce-svc-0other", undefined),
    ).toBeUndefined();
  });
});

describe("collectSnapshot and the provider's account", () => {
  const PROVIDER_ID = "444455556666";
  const foreignWorld = () => {
    const world = createWorld();
    world.endpoints.set(IDS.endpoint, { ...world.endpoints.get(IDS.endpoint)!, ServiceName: CUSTOM_SERVICE });
    world.serviceOwner = PROVIDER_ID;
    return world;
  };
  const PROVIDER_READS = [
    "DescribeVpcEndpointServiceConfigurations",
    "DescribeVpcEndpointServicePermissions",
    "DescribeLoadBalancers",
  ];
  const run = (world: World, provider?: ProviderClients) =>
    collectSnapshot(
      {
        endpointId: IDS.endpoint,
        region: "us-east-1",
        accountId: IDS.account,
        windowHours: 1,
        now: new Date("2026-11-23T12:00:00Z"),
      },
      world.clients,
      { counter: createCallCounter(), limiter: new RateLimiter(1000, 100), provider },
    );

  it("reads another account's service through the configured provider's clients, never the target's", async () => {
    const target = foreignWorld();
    const providerWorld = createWorld();
    const asked: [string, string | undefined][] = [];
    const snapshot = await run(target, async (name, owner) => {
      asked.push([name, owner]);
      return {
        clients: providerWorld.clients,
        access: { accountId: PROVIDER_ID, alias: "provider", via: "provider-alias" },
      };
    });
    expect(asked).toEqual([[CUSTOM_SERVICE, PROVIDER_ID]]);
    expect(snapshot.serviceConfiguration?.provider).toEqual({
      accountId: PROVIDER_ID,
      alias: "provider",
      via: "provider-alias",
    });
    expect(snapshot.loadBalancers?.map((lb) => lb.name)).toEqual(["svc-nlb"]);
    for (const command of PROVIDER_READS) {
      expect(target.started()).not.toContain(command);
      expect(providerWorld.started()).toContain(command);
    }
  });

  it("calls no provider API for another account's service that no configured account provides", async () => {
    const target = foreignWorld();
    const snapshot = await run(target, async () => undefined);
    expect(snapshot.serviceConfiguration).toBeUndefined();
    for (const command of PROVIDER_READS) expect(target.started()).not.toContain(command);
    expect(target.started().some((c) => c.startsWith("DescribeTarget"))).toBe(false);
  });

  it("records a provider role that cannot be assumed as a gap and diagnoses on", async () => {
    const snapshot = await run(foreignWorld(), async () => {
      throw new CredentialsError("cannot assume arn:aws:iam::444455556666:role/vpce-doctor");
    });
    expect(snapshot.endpoint?.id).toBe(IDS.endpoint);
    expect(snapshot.gaps).toMatchObject([
      { source: "serviceConfiguration", iamAction: "sts:AssumeRole", error: "CredentialsError" },
    ]);
  });
});
