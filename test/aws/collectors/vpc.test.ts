import {
  DescribeDhcpOptionsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { collectDhcpOptions, collectVpc } from "../../../src/aws/collectors/vpc.js";
import { IDS } from "../../support/snapshot-factory.js";
import { awsError, testClients, testContext } from "./telemetry-context.js";

const clients = testClients();
const ec2 = mockClient(clients.ec2);

beforeEach(() => ec2.reset());

function vpcAnswers() {
  ec2.on(DescribeVpcsCommand).resolves({
    Vpcs: [
      {
        VpcId: IDS.vpc,
        CidrBlock: "10.0.0.0/16",
        CidrBlockAssociationSet: [
          { CidrBlock: "10.0.0.0/16", CidrBlockState: { State: "associated" } },
          { CidrBlock: "10.1.0.0/16", CidrBlockState: { State: "associated" } },
          { CidrBlock: "10.9.0.0/16", CidrBlockState: { State: "disassociated" } },
        ],
        Ipv6CidrBlockAssociationSet: [
          { Ipv6CidrBlock: "2001:db8::/56", Ipv6CidrBlockState: { State: "associated" } },
        ],
        DhcpOptionsId: IDS.dhcp,
      },
    ],
  });
  ec2
    .on(DescribeVpcAttributeCommand, { Attribute: "enableDnsSupport" })
    .resolves({ EnableDnsSupport: { Value: true } })
    .on(DescribeVpcAttributeCommand, { Attribute: "enableDnsHostnames" })
    .resolves({ EnableDnsHostnames: { Value: false } });
}

describe("collectVpc", () => {
  it("reads the VPC and both DNS attributes", async () => {
    vpcAnswers();
    const ctx = testContext(clients);
    const vpc = await collectVpc(ctx, IDS.vpc);
    expect(ec2.commandCalls(DescribeVpcsCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Name: "vpc-id", Values: [IDS.vpc] }],
    });
    expect(ec2.commandCalls(DescribeVpcAttributeCommand).map((c) => c.args[0].input)).toEqual([
      { VpcId: IDS.vpc, Attribute: "enableDnsSupport" },
      { VpcId: IDS.vpc, Attribute: "enableDnsHostnames" },
    ]);
    expect(vpc).toEqual({
      id: IDS.vpc,
      cidrsIpv4: ["10.0.0.0/16", "10.1.0.0/16"],
      cidrsIpv6: ["2001:db8::/56"],
      dhcpOptionsId: IDS.dhcp,
      enableDnsSupport: true,
      enableDnsHostnames: false,
    });
    expect(ctx.gaps).toEqual([]);
  });

  it("leaves an attribute it cannot read absent, with a gap", async () => {
    vpcAnswers();
    ec2.on(DescribeVpcAttributeCommand).rejects(awsError("UnauthorizedOperation"));
    const ctx = testContext(clients);
    const vpc = await collectVpc(ctx, IDS.vpc);
    expect(vpc?.cidrsIpv4).toEqual(["10.0.0.0/16", "10.1.0.0/16"]);
    expect(vpc?.enableDnsSupport).toBeUndefined();
    expect(vpc?.enableDnsHostnames).toBeUndefined();
    expect(ctx.gaps).toMatchObject([
      { source: "vpc", iamAction: "ec2:DescribeVpcAttribute", error: "AccessDenied" },
      { source: "vpc", iamAction: "ec2:DescribeVpcAttribute", error: "AccessDenied" },
    ]);
  });

  it("is undefined when the VPC cannot be read", async () => {
    vpcAnswers();
    ec2.on(DescribeVpcsCommand).rejects(awsError("UnauthorizedOperation"));
    const ctx = testContext(clients);
    expect(await collectVpc(ctx, IDS.vpc)).toBeUndefined();
    expect(ctx.gaps).toMatchObject([{ source: "vpc", iamAction: "ec2:DescribeVpcs" }]);
  });
});

describe("collectDhcpOptions", () => {
  it("reads the DNS servers of the options set", async () => {
    ec2.on(DescribeDhcpOptionsCommand).resolves({
      DhcpOptions: [
        {
          DhcpOptionsId: IDS.dhcp,
          DhcpConfigurations: [
            { Key: "domain-name", Values: [{ Value: "corp.internal" }] },
            { Key: "domain-name-servers", Values: [{ Value: "10.0.0.53" }, { Value: "AmazonProvidedDNS" }] },
          ],
        },
      ],
    });
    const options = await collectDhcpOptions(testContext(clients), IDS.dhcp);
    expect(ec2.commandCalls(DescribeDhcpOptionsCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Name: "dhcp-options-id", Values: [IDS.dhcp] }],
    });
    expect(options).toEqual({ id: IDS.dhcp, domainNameServers: ["10.0.0.53", "AmazonProvidedDNS"] });
  });

  it("knows without a call that 'default' (no options set) gives no DNS server", async () => {
    expect(await collectDhcpOptions(testContext(clients), "default")).toEqual({
      id: "default",
      domainNameServers: [],
    });
    expect(ec2.calls()).toHaveLength(0);
  });

  it("records an AccessDenied gap", async () => {
    ec2.on(DescribeDhcpOptionsCommand).rejects(awsError("UnauthorizedOperation"));
    const ctx = testContext(clients);
    expect(await collectDhcpOptions(ctx, IDS.dhcp)).toBeUndefined();
    expect(ctx.gaps).toMatchObject([{ source: "dhcpOptions", iamAction: "ec2:DescribeDhcpOptions" }]);
  });
});
