import {
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  collectNetworkAcls,
  collectNetworkInterfaces,
  collectRouteTables,
  collectSecurityGroups,
  collectSubnets,
  normaliseProtocol,
} from "../../../src/aws/collectors/network.js";
import { IDS } from "../../support/snapshot-factory.js";
import { awsError, testClients, testContext } from "./telemetry-context.js";

const clients = testClients();
const ec2 = mockClient(clients.ec2);

beforeEach(() => ec2.reset());

describe("collectSecurityGroups", () => {
  it("reads all groups in one call filtered by group-id and flattens each rule to one peer", async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: IDS.sgEndpoint,
          GroupName: "ssm-endpoint",
          VpcId: IDS.vpc,
          IpPermissions: [
            {
              IpProtocol: "tcp",
              FromPort: 443,
              ToPort: 443,
              IpRanges: [{ CidrIp: "10.0.0.0/16", Description: "vpc" }, { CidrIp: "192.168.0.0/24" }],
              Ipv6Ranges: [{ CidrIpv6: "2001:db8::/56" }],
              PrefixListIds: [{ PrefixListId: "pl-0123456789abcdef0" }],
              UserIdGroupPairs: [{ GroupId: IDS.sgClient, UserId: IDS.account }],
            },
          ],
          IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
        },
      ],
    });
    const ctx = testContext(clients);
    const groups = await collectSecurityGroups(ctx, [IDS.sgEndpoint, IDS.sgClient, IDS.sgEndpoint]);
    const calls = ec2.commandCalls(DescribeSecurityGroupsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toMatchObject({
      Filters: [{ Name: "group-id", Values: [IDS.sgEndpoint, IDS.sgClient] }],
    });
    expect(groups).toEqual([
      {
        id: IDS.sgEndpoint,
        name: "ssm-endpoint",
        vpcId: IDS.vpc,
        ingress: [
          { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16", description: "vpc" },
          { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "192.168.0.0/24", description: undefined },
          { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "2001:db8::/56", description: undefined },
          {
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            prefixListId: "pl-0123456789abcdef0",
            description: undefined,
          },
          {
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            referencedGroupId: IDS.sgClient,
            description: undefined,
          },
        ],
        egress: [
          {
            protocol: "-1",
            fromPort: undefined,
            toPort: undefined,
            cidrIpv4: "0.0.0.0/0",
            description: undefined,
          },
        ],
      },
    ]);
    expect(ctx.gaps).toEqual([]);
  });

  it("follows pagination", async () => {
    const tokens: (string | undefined)[] = [];
    ec2.on(DescribeSecurityGroupsCommand).callsFake((input: { NextToken?: string }) => {
      tokens.push(input.NextToken);
      return input.NextToken
        ? { SecurityGroups: [{ GroupId: IDS.sgClient }] }
        : { SecurityGroups: [{ GroupId: IDS.sgEndpoint }], NextToken: "t2" };
    });
    const groups = await collectSecurityGroups(testContext(clients), [IDS.sgEndpoint, IDS.sgClient]);
    expect(tokens).toEqual([undefined, "t2"]);
    expect(groups?.map((g) => g.id)).toEqual([IDS.sgEndpoint, IDS.sgClient]);
  });

  it("calls nothing for no ids", async () => {
    expect(await collectSecurityGroups(testContext(clients), [])).toEqual([]);
    expect(ec2.calls()).toHaveLength(0);
  });

  it("records an AccessDenied gap and leaves the groups unknown", async () => {
    ec2.on(DescribeSecurityGroupsCommand).rejects(awsError("UnauthorizedOperation"));
    const ctx = testContext(clients);
    expect(await collectSecurityGroups(ctx, [IDS.sgEndpoint])).toBeUndefined();
    expect(ctx.gaps).toMatchObject([
      { source: "securityGroups", iamAction: "ec2:DescribeSecurityGroups", error: "AccessDenied" },
    ]);
  });
});

describe("normaliseProtocol", () => {
  it("names tcp, udp, icmp and icmpv6 and keeps -1 and other numbers", () => {
    expect(["6", "17", "1", "58", "-1", "50", "TCP", undefined].map(normaliseProtocol)).toEqual([
      "tcp",
      "udp",
      "icmp",
      "icmpv6",
      "-1",
      "50",
      "tcp",
      "-1",
    ]);
  });
});

describe("collectSubnets", () => {
  it("reads the subnets in one call filtered by subnet-id, keeping associated IPv6 blocks", async () => {
    ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [
        {
          SubnetId: IDS.subnetA,
          VpcId: IDS.vpc,
          AvailabilityZone: "us-east-1a",
          AvailabilityZoneId: "use1-az1",
          CidrBlock: "10.0.1.0/24",
          Ipv6CidrBlockAssociationSet: [
            { Ipv6CidrBlock: "2001:db8:0:1::/64", Ipv6CidrBlockState: { State: "associated" } },
            { Ipv6CidrBlock: "2001:db8:0:9::/64", Ipv6CidrBlockState: { State: "disassociated" } },
          ],
          Ipv6Native: false,
        },
      ],
    });
    const subnets = await collectSubnets(testContext(clients), [IDS.subnetA, IDS.subnetC]);
    expect(ec2.commandCalls(DescribeSubnetsCommand)[0]!.args[0].input).toMatchObject({
      Filters: [{ Name: "subnet-id", Values: [IDS.subnetA, IDS.subnetC] }],
    });
    expect(subnets).toEqual([
      {
        id: IDS.subnetA,
        vpcId: IDS.vpc,
        availabilityZone: "us-east-1a",
        availabilityZoneId: "use1-az1",
        cidrIpv4: "10.0.1.0/24",
        cidrsIpv6: ["2001:db8:0:1::/64"],
        ipv6Native: false,
      },
    ]);
  });

  it("records a Throttling gap", async () => {
    ec2.on(DescribeSubnetsCommand).rejects(awsError("RequestLimitExceeded"));
    const ctx = testContext(clients);
    expect(await collectSubnets(ctx, [IDS.subnetA])).toBeUndefined();
    expect(ctx.gaps).toMatchObject([
      { source: "subnets", iamAction: "ec2:DescribeSubnets", error: "Throttling" },
    ]);
  });
});

describe("collectNetworkInterfaces", () => {
  it("reads the ENIs in one call filtered by network-interface-id", async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [
        {
          NetworkInterfaceId: IDS.eniA,
          SubnetId: IDS.subnetA,
          AvailabilityZone: "us-east-1a",
          Status: "in-use",
          PrivateIpAddress: "10.0.1.10",
          PrivateIpAddresses: [{ PrivateIpAddress: "10.0.1.10" }, { PrivateIpAddress: "10.0.1.11" }],
          Ipv6Addresses: [{ Ipv6Address: "2001:db8:0:1::10" }],
          Groups: [{ GroupId: IDS.sgEndpoint }],
        },
      ],
    });
    const enis = await collectNetworkInterfaces(testContext(clients), [IDS.eniA, IDS.eniB]);
    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand)[0]!.args[0].input).toMatchObject({
      Filters: [{ Name: "network-interface-id", Values: [IDS.eniA, IDS.eniB] }],
    });
    expect(enis).toEqual([
      {
        id: IDS.eniA,
        subnetId: IDS.subnetA,
        availabilityZone: "us-east-1a",
        status: "in-use",
        privateIpAddresses: ["10.0.1.10", "10.0.1.11"],
        ipv6Addresses: ["2001:db8:0:1::10"],
        securityGroupIds: [IDS.sgEndpoint],
      },
    ]);
  });

  it("calls nothing for an endpoint without ENIs (gateway)", async () => {
    expect(await collectNetworkInterfaces(testContext(clients), [])).toEqual([]);
    expect(ec2.calls()).toHaveLength(0);
  });
});

describe("collectNetworkAcls", () => {
  it("reads the ACLs of all subnets in one call filtered by association.subnet-id", async () => {
    ec2.on(DescribeNetworkAclsCommand).resolves({
      NetworkAcls: [
        {
          NetworkAclId: IDS.naclMain,
          VpcId: IDS.vpc,
          IsDefault: false,
          Associations: [{ SubnetId: IDS.subnetA }, { SubnetId: IDS.subnetB }],
          Entries: [
            {
              RuleNumber: 90,
              Egress: false,
              Protocol: "6",
              RuleAction: "deny",
              CidrBlock: "10.0.3.0/24",
              PortRange: { From: 443, To: 443 },
            },
            { RuleNumber: 100, Egress: true, Protocol: "-1", RuleAction: "allow", Ipv6CidrBlock: "::/0" },
          ],
        },
      ],
    });
    const acls = await collectNetworkAcls(testContext(clients), [IDS.subnetA, IDS.subnetB, IDS.subnetA]);
    const calls = ec2.commandCalls(DescribeNetworkAclsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toMatchObject({
      Filters: [{ Name: "association.subnet-id", Values: [IDS.subnetA, IDS.subnetB] }],
    });
    expect(acls).toEqual([
      {
        id: IDS.naclMain,
        vpcId: IDS.vpc,
        isDefault: false,
        subnetIds: [IDS.subnetA, IDS.subnetB],
        entries: [
          {
            ruleNumber: 90,
            egress: false,
            protocol: "tcp",
            action: "deny",
            cidrIpv4: "10.0.3.0/24",
            cidrIpv6: undefined,
            fromPort: 443,
            toPort: 443,
          },
          {
            ruleNumber: 100,
            egress: true,
            protocol: "-1",
            action: "allow",
            cidrIpv4: undefined,
            cidrIpv6: "::/0",
            fromPort: undefined,
            toPort: undefined,
          },
        ],
      },
    ]);
  });

  it("records an AccessDenied gap naming ec2:DescribeNetworkAcls and leaves the ACLs unknown", async () => {
    ec2.on(DescribeNetworkAclsCommand).rejects(awsError("UnauthorizedOperation", "not authorized"));
    const ctx = testContext(clients);
    expect(await collectNetworkAcls(ctx, [IDS.subnetA])).toBeUndefined();
    expect(ctx.gaps).toEqual([
      {
        source: "networkAcls",
        iamAction: "ec2:DescribeNetworkAcls",
        error: "AccessDenied",
        message: "not authorized",
      },
    ]);
  });
});

describe("collectRouteTables", () => {
  it("keeps the target of routes that do not go through a gateway (NAT, transit gateway, peering)", async () => {
    ec2.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [
        {
          RouteTableId: IDS.rtbPrivate,
          Routes: [
            { DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-0123456789abcdef0", State: "active" },
            {
              DestinationCidrBlock: "172.16.0.0/12",
              TransitGatewayId: "tgw-0123456789abcdef0",
              State: "active",
            },
          ],
        },
      ],
    });
    const tables = await collectRouteTables(testContext(clients), IDS.vpc);
    expect(tables![0]!.routes.map((r) => r.target)).toEqual([
      "nat-0123456789abcdef0",
      "tgw-0123456789abcdef0",
    ]);
  });

  it("reads the VPC's route tables filtered by vpc-id, marking the main one", async () => {
    ec2.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [
        {
          RouteTableId: IDS.rtbMain,
          VpcId: IDS.vpc,
          Associations: [{ Main: true }],
          Routes: [
            { DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local", State: "active" },
            { DestinationPrefixListId: IDS.s3PrefixList, GatewayId: IDS.gatewayEndpoint, State: "active" },
          ],
        },
        {
          RouteTableId: IDS.rtbPrivate,
          VpcId: IDS.vpc,
          Associations: [{ Main: false, SubnetId: IDS.subnetA }],
          Routes: [{ DestinationIpv6CidrBlock: "::/0", GatewayId: "igw-1", State: "blackhole" }],
        },
      ],
    });
    const tables = await collectRouteTables(testContext(clients), IDS.vpc);
    expect(ec2.commandCalls(DescribeRouteTablesCommand)[0]!.args[0].input).toMatchObject({
      Filters: [{ Name: "vpc-id", Values: [IDS.vpc] }],
    });
    expect(tables).toEqual([
      {
        id: IDS.rtbMain,
        vpcId: IDS.vpc,
        main: true,
        subnetIds: [],
        routes: [
          {
            destinationCidr: "10.0.0.0/16",
            destinationIpv6Cidr: undefined,
            destinationPrefixListId: undefined,
            gatewayId: "local",
            state: "active",
          },
          {
            destinationCidr: undefined,
            destinationIpv6Cidr: undefined,
            destinationPrefixListId: IDS.s3PrefixList,
            gatewayId: IDS.gatewayEndpoint,
            state: "active",
          },
        ],
      },
      {
        id: IDS.rtbPrivate,
        vpcId: IDS.vpc,
        main: false,
        subnetIds: [IDS.subnetA],
        routes: [
          {
            destinationCidr: undefined,
            destinationIpv6Cidr: "::/0",
            destinationPrefixListId: undefined,
            gatewayId: "igw-1",
            state: "blackhole",
          },
        ],
      },
    ]);
  });
});
