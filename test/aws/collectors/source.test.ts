import { DescribeInstancesCommand, DescribeNetworkInterfacesCommand } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { chooseSource, completeSource, lookupSource } from "../../../src/aws/collectors/source.js";
import type { ResolvedSource, Source } from "../../../src/diagnosis/snapshot.js";
import { IDS } from "../../support/snapshot-factory.js";
import { awsError, testClients, testContext } from "./telemetry-context.js";

const clients = testClients();
const ec2 = mockClient(clients.ec2);

beforeEach(() => ec2.reset());

const INSTANCE: Source = { kind: "instance", value: "i-0123456789abcdef0" };
const ENI: Source = { kind: "eni", value: "eni-0c0c0c0c0c0c0c0c1" };
const IP: Source = { kind: "cidr", value: "10.0.3.25/32", ipVersion: 4 };
const IP6: Source = { kind: "cidr", value: "2001:db8::25/128", ipVersion: 6 };
const RANGE: Source = { kind: "cidr", value: "10.0.3.0/24", ipVersion: 4 };
const SUBNET: Source = { kind: "subnet", value: IDS.subnetC };
const GROUP: Source = { kind: "security-group", value: IDS.sgClient };

describe("lookupSource", () => {
  it("resolves an instance: subnet, VPC, addresses and the groups of all its ENIs", async () => {
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: [
            {
              InstanceId: INSTANCE.value,
              SubnetId: IDS.subnetC,
              VpcId: IDS.vpc,
              PrivateIpAddress: "10.0.3.25",
              SecurityGroups: [{ GroupId: IDS.sgClient }],
              NetworkInterfaces: [
                {
                  PrivateIpAddresses: [{ PrivateIpAddress: "10.0.3.25" }, { PrivateIpAddress: "10.0.3.26" }],
                  Ipv6Addresses: [{ Ipv6Address: "2001:db8::25" }],
                  Groups: [{ GroupId: IDS.sgClient }, { GroupId: "sg-0extra" }],
                },
              ],
            },
          ],
        },
      ],
    });
    const found = await lookupSource(testContext(clients), INSTANCE);
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]!.args[0].input).toMatchObject({
      Filters: [{ Name: "instance-id", Values: [INSTANCE.value] }],
    });
    expect(found).toEqual([
      {
        given: INSTANCE,
        addresses: ["10.0.3.25", "10.0.3.26", "2001:db8::25"],
        subnetId: IDS.subnetC,
        vpcId: IDS.vpc,
        securityGroupIds: [IDS.sgClient, "sg-0extra"],
        found: true,
      },
    ]);
  });

  it("resolves an ENI by id", async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [
        {
          NetworkInterfaceId: ENI.value,
          SubnetId: IDS.subnetC,
          VpcId: IDS.vpc,
          PrivateIpAddress: "10.0.3.30",
          Groups: [{ GroupId: IDS.sgClient }],
        },
      ],
    });
    const found = await lookupSource(testContext(clients), ENI);
    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand)[0]!.args[0].input).toMatchObject({
      Filters: [{ Name: "network-interface-id", Values: [ENI.value] }],
    });
    expect(found).toEqual([
      {
        given: ENI,
        addresses: ["10.0.3.30"],
        subnetId: IDS.subnetC,
        vpcId: IDS.vpc,
        securityGroupIds: [IDS.sgClient],
        found: true,
      },
    ]);
  });

  it("finds the ENIs holding a single IPv4 or IPv6 address", async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [{ SubnetId: IDS.subnetC, VpcId: IDS.vpc, PrivateIpAddress: "10.0.3.25" }],
    });
    const found = await lookupSource(testContext(clients), IP);
    await lookupSource(testContext(clients), IP6);
    const filters = ec2.commandCalls(DescribeNetworkInterfacesCommand).map((c) => c.args[0].input.Filters);
    expect(filters).toEqual([
      [{ Name: "addresses.private-ip-address", Values: ["10.0.3.25"] }],
      [{ Name: "ipv6-addresses.ipv6-address", Values: ["2001:db8::25"] }],
    ]);
    expect(found).toEqual([
      {
        given: IP,
        addresses: ["10.0.3.25"],
        subnetId: IDS.subnetC,
        vpcId: IDS.vpc,
        securityGroupIds: [],
        found: true,
      },
    ]);
  });

  it("needs no call for a CIDR range, a subnet or a security group", async () => {
    const ctx = testContext(clients);
    expect(await lookupSource(ctx, RANGE)).toEqual([
      { given: RANGE, addresses: [RANGE.value], securityGroupIds: [], found: true },
    ]);
    expect(await lookupSource(ctx, SUBNET)).toEqual([
      { given: SUBNET, addresses: [], subnetId: IDS.subnetC, securityGroupIds: [], found: true },
    ]);
    expect(await lookupSource(ctx, GROUP)).toEqual([
      { given: GROUP, addresses: [], securityGroupIds: [IDS.sgClient], found: true },
    ]);
    expect(ec2.calls()).toHaveLength(0);
  });

  it("records a 'source' gap naming the action when the lookup fails", async () => {
    ec2.on(DescribeInstancesCommand).rejects(awsError("UnauthorizedOperation"));
    const ctx = testContext(clients);
    expect(await lookupSource(ctx, INSTANCE)).toBeUndefined();
    expect(ctx.gaps).toMatchObject([
      { source: "source", iamAction: "ec2:DescribeInstances", error: "AccessDenied" },
    ]);
  });
});

describe("chooseSource", () => {
  const inVpc = (vpcId: string): ResolvedSource => ({
    given: IP,
    addresses: ["10.0.3.25"],
    subnetId: `subnet-in-${vpcId}`,
    vpcId,
    securityGroupIds: [],
    found: true,
  });

  it("prefers the candidate in the endpoint's VPC (overlapping CIDRs)", () => {
    expect(chooseSource(IP, [inVpc("vpc-other"), inVpc(IDS.vpc)], IDS.vpc).vpcId).toBe(IDS.vpc);
    expect(chooseSource(IP, [inVpc("vpc-other"), inVpc("vpc-third")], IDS.vpc).vpcId).toBe("vpc-other");
  });

  it("reports an address no ENI holds as not found, keeping the address", () => {
    expect(chooseSource(IP, [], IDS.vpc)).toEqual({
      given: IP,
      addresses: ["10.0.3.25"],
      securityGroupIds: [],
      found: false,
    });
    expect(chooseSource(INSTANCE, [], IDS.vpc)).toMatchObject({ addresses: [], found: false });
  });
});

describe("completeSource", () => {
  const subnetSource: ResolvedSource = {
    given: SUBNET,
    addresses: [],
    subnetId: IDS.subnetC,
    securityGroupIds: [],
    found: true,
  };
  const groupSource: ResolvedSource = {
    given: GROUP,
    addresses: [],
    securityGroupIds: [IDS.sgClient],
    found: true,
  };
  const subnet = {
    id: IDS.subnetC,
    vpcId: IDS.vpc,
    availabilityZone: "us-east-1c",
    cidrIpv4: "10.0.3.0/24",
    cidrsIpv6: ["2001:db8:0:3::/64"],
  };

  it("fills a subnet source from the batched subnets", () => {
    const ctx = testContext(clients);
    expect(completeSource(ctx, subnetSource, { subnets: [subnet], securityGroups: [] })).toEqual({
      ...subnetSource,
      addresses: ["10.0.3.0/24", "2001:db8:0:3::/64"],
      vpcId: IDS.vpc,
      found: true,
    });
    expect(completeSource(ctx, subnetSource, { subnets: [], securityGroups: [] })?.found).toBe(false);
  });

  it("fills a security-group source from the batched groups", () => {
    const ctx = testContext(clients);
    const group = { id: IDS.sgClient, vpcId: IDS.vpc, ingress: [], egress: [] };
    expect(completeSource(ctx, groupSource, { subnets: [], securityGroups: [group] })).toEqual({
      ...groupSource,
      vpcId: IDS.vpc,
      found: true,
    });
    expect(completeSource(ctx, groupSource, { subnets: [], securityGroups: [] })?.found).toBe(false);
  });

  it("is unknown, with a 'source' gap copied from the failed batch", () => {
    const ctx = testContext(clients);
    ctx.gaps.push({
      source: "subnets",
      iamAction: "ec2:DescribeSubnets",
      error: "AccessDenied",
      message: "no",
    });
    expect(completeSource(ctx, subnetSource, { subnets: undefined, securityGroups: [] })).toBeUndefined();
    expect(ctx.gaps[1]).toEqual({
      source: "source",
      iamAction: "ec2:DescribeSubnets",
      error: "AccessDenied",
      message: "no",
    });
  });

  it("leaves looked-up sources as they are", () => {
    const resolved: ResolvedSource = {
      given: IP,
      addresses: ["10.0.3.25"],
      securityGroupIds: [],
      found: false,
    };
    expect(
      completeSource(testContext(clients), resolved, { subnets: undefined, securityGroups: undefined }),
    ).toBe(resolved);
  });
});
