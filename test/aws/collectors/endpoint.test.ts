import { DescribeVpcEndpointsCommand, type State } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { collectEndpoint, notFoundHints, similarIds } from "../../../src/aws/collectors/endpoint.js";
import { CredentialsError } from "../../../src/aws/errors.js";
import { endpointSchema } from "../../../src/diagnosis/snapshot.js";
import { IDS } from "../../support/snapshot-factory.js";
import { awsError, testClients, testContext } from "./telemetry-context.js";

const clients = testClients();
const ec2 = mockClient(clients.ec2);

beforeEach(() => ec2.reset());

const RAW = {
  VpcEndpointId: IDS.endpoint,
  VpcEndpointType: "Interface" as const,
  VpcId: IDS.vpc,
  ServiceName: "com.amazonaws.us-east-1.ssm",
  // The API returns lowerCamel states; the SDK enum is capitalised.
  State: "pendingAcceptance" as State,
  LastError: { Code: "Client.Error", Message: "something failed" },
  SubnetIds: [IDS.subnetA, IDS.subnetB],
  Groups: [{ GroupId: IDS.sgEndpoint, GroupName: "ssm-endpoint" }],
  NetworkInterfaceIds: [IDS.eniA, IDS.eniB],
  PrivateDnsEnabled: true,
  DnsOptions: { DnsRecordIpType: "ipv4" as const, PrivateDnsOnlyForInboundResolverEndpoint: false },
  IpAddressType: "ipv4" as const,
  PolicyDocument: '{"Statement":[]}',
  DnsEntries: [{ DnsName: "vpce-x.ssm.us-east-1.vpce.amazonaws.com", HostedZoneId: "Z7HUB22UULQXV" }],
  OwnerId: IDS.account,
  RequesterManaged: false,
  CreationTimestamp: new Date("2026-01-10T09:00:00.000Z"),
  Tags: [{ Key: "Name", Value: "ssm" }],
};

describe("collectEndpoint", () => {
  it("describes the endpoint by id and normalises it", async () => {
    ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [RAW] });
    const ctx = testContext(clients);
    const endpoint = await collectEndpoint(ctx, IDS.endpoint);
    expect(ec2.commandCalls(DescribeVpcEndpointsCommand)[0]!.args[0].input).toEqual({
      VpcEndpointIds: [IDS.endpoint],
    });
    expect(endpoint).toEqual({
      id: IDS.endpoint,
      type: "Interface",
      vpcId: IDS.vpc,
      serviceName: "com.amazonaws.us-east-1.ssm",
      serviceRegion: undefined,
      state: "pendingAcceptance",
      lastError: { code: "Client.Error", message: "something failed" },
      subnetIds: [IDS.subnetA, IDS.subnetB],
      routeTableIds: [],
      securityGroups: [{ id: IDS.sgEndpoint, name: "ssm-endpoint" }],
      networkInterfaceIds: [IDS.eniA, IDS.eniB],
      privateDnsEnabled: true,
      privateDnsOnlyForInboundResolverEndpoint: false,
      policyDocument: '{"Statement":[]}',
      ipAddressType: "ipv4",
      dnsRecordIpType: "ipv4",
      dnsEntries: [{ dnsName: "vpce-x.ssm.us-east-1.vpce.amazonaws.com", hostedZoneId: "Z7HUB22UULQXV" }],
      ownerId: IDS.account,
      requesterManaged: false,
      createdAt: "2026-01-10T09:00:00.000Z",
      tags: { Name: "ssm" },
    });
    expect(() => endpointSchema.parse(endpoint)).not.toThrow();
    expect(ctx.gaps).toEqual([]);
  });

  it("normalises a gateway endpoint (route tables, no ENIs or groups)", async () => {
    ec2.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [
        {
          VpcEndpointId: IDS.gatewayEndpoint,
          VpcEndpointType: "Gateway",
          VpcId: IDS.vpc,
          ServiceName: "com.amazonaws.us-east-1.s3",
          State: "available" as State,
          RouteTableIds: [IDS.rtbMain],
        },
      ],
    });
    const endpoint = await collectEndpoint(testContext(clients), IDS.gatewayEndpoint);
    expect(endpoint).toMatchObject({
      type: "Gateway",
      routeTableIds: [IDS.rtbMain],
      subnetIds: [],
      securityGroups: [],
      networkInterfaceIds: [],
      privateDnsEnabled: false,
      dnsEntries: [],
      tags: {},
    });
  });

  it("returns null, without a gap, when AWS does not know the id", async () => {
    ec2.on(DescribeVpcEndpointsCommand).rejects(awsError("InvalidVpcEndpointId.NotFound"));
    const ctx = testContext(clients);
    expect(await collectEndpoint(ctx, IDS.endpoint)).toBeNull();
    expect(ctx.gaps).toEqual([]);
  });

  it("returns null when the answer is empty", async () => {
    ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
    expect(await collectEndpoint(testContext(clients), IDS.endpoint)).toBeNull();
  });

  it("records an AccessDenied gap with the IAM action and returns undefined", async () => {
    ec2.on(DescribeVpcEndpointsCommand).rejects(awsError("UnauthorizedOperation", "You are not authorized"));
    const ctx = testContext(clients);
    expect(await collectEndpoint(ctx, IDS.endpoint)).toBeUndefined();
    expect(ctx.gaps).toEqual([
      {
        source: "endpoint",
        iamAction: "ec2:DescribeVpcEndpoints",
        error: "AccessDenied",
        message: "You are not authorized",
      },
    ]);
  });

  it("records throttling as a Throttling gap", async () => {
    ec2.on(DescribeVpcEndpointsCommand).rejects(awsError("RequestLimitExceeded"));
    const ctx = testContext(clients);
    await collectEndpoint(ctx, IDS.endpoint);
    expect(ctx.gaps[0]).toMatchObject({ source: "endpoint", error: "Throttling" });
  });

  it("lets unusable credentials abort the collection", async () => {
    ec2.on(DescribeVpcEndpointsCommand).rejects(awsError("ExpiredToken"));
    await expect(collectEndpoint(testContext(clients), IDS.endpoint)).rejects.toBeInstanceOf(
      CredentialsError,
    );
  });
});

describe("notFoundHints", () => {
  const page = (ids: string[], NextToken?: string) => ({
    VpcEndpoints: ids.map((VpcEndpointId) => ({ VpcEndpointId })),
    NextToken,
  });

  it("lists the region's endpoints across pages and names the near misses", async () => {
    // The SDK's paginators reuse one input object, so inputs are copied as they are sent.
    const inputs: unknown[] = [];
    ec2.on(DescribeVpcEndpointsCommand).callsFake((input: { NextToken?: string }) => {
      inputs.push({ ...input });
      return input.NextToken
        ? page(["vpce-0a1b2c3dffffffff0"])
        : page(["vpce-0a1b2c3d4e5f60719", "vpce-0fffffffffffffff0"], "t2");
    });
    const ctx = testContext(clients);
    const hints = await notFoundHints(ctx, IDS.endpoint);
    expect(inputs).toEqual([
      { MaxResults: 1000, NextToken: undefined },
      { MaxResults: 1000, NextToken: "t2" },
    ]);
    expect(hints).toEqual({
      similarIds: ["vpce-0a1b2c3d4e5f60719", "vpce-0a1b2c3dffffffff0"],
      endpointsInRegion: 3,
    });
    expect(ctx.gaps).toEqual([]);
  });

  it("stops after 5 pages and then gives no count", async () => {
    ec2
      .on(DescribeVpcEndpointsCommand)
      .callsFake((input: { NextToken?: string }) =>
        page(
          [`vpce-${String(Number(input.NextToken ?? 0)).padStart(17, "9")}`],
          String(Number(input.NextToken ?? 0) + 1),
        ),
      );
    const hints = await notFoundHints(testContext(clients), IDS.endpoint);
    expect(ec2.commandCalls(DescribeVpcEndpointsCommand)).toHaveLength(5);
    expect(hints.endpointsInRegion).toBeUndefined();
  });

  it("gives empty hints, and no gap, when the listing fails", async () => {
    ec2.on(DescribeVpcEndpointsCommand).rejects(awsError("RequestLimitExceeded"));
    const ctx = testContext(clients);
    expect(await notFoundHints(ctx, IDS.endpoint)).toEqual({ similarIds: [] });
    expect(ctx.gaps).toEqual([]);
  });
});

describe("similarIds", () => {
  it("keeps ids within edit distance 3 or sharing the first 8 hex digits, closest first", () => {
    const target = "vpce-0a1b2c3d4e5f60718";
    expect(
      similarIds(target, [
        "vpce-0a1b2c3d4e5f60718",
        "vpce-0a1b2c3d99999999",
        "vpce-0a1b2c3d4e5f60781",
        "vpce-1111111111111111a",
        "VPCE-0A1B2C3D4E5F60719",
      ]),
    ).toEqual(["VPCE-0A1B2C3D4E5F60719", "vpce-0a1b2c3d4e5f60781", "vpce-0a1b2c3d99999999"]);
  });

  it("names at most five", () => {
    const ids = Array.from({ length: 9 }, (_, i) => `vpce-0a1b2c3d4e5f6071${i}`);
    expect(similarIds("vpce-0a1b2c3d4e5f60719", ids)).toHaveLength(5);
  });
});
