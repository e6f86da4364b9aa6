import {
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  DescribeVpcEndpointServicesCommand,
  type State,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { collectService, collectServiceConfiguration } from "../../../src/aws/collectors/service.js";
import type { Service } from "../../../src/diagnosis/snapshot.js";
import { IDS } from "../../support/snapshot-factory.js";
import { awsError, testClients, testContext } from "./telemetry-context.js";

const clients = testClients();
const ec2 = mockClient(clients.ec2);

beforeEach(() => ec2.reset());

const SSM = "com.amazonaws.us-east-1.ssm";
const S3 = "com.amazonaws.us-east-1.s3";
const CUSTOM = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";
const interfaceEndpoint = { serviceName: SSM, type: "Interface" };

describe("collectService", () => {
  it("describes the service by name and normalises it", async () => {
    ec2.on(DescribeVpcEndpointServicesCommand).resolves({
      ServiceNames: [SSM],
      ServiceDetails: [
        {
          ServiceName: SSM,
          ServiceId: "vpce-svc-0ssm0000000000000",
          ServiceType: [{ ServiceType: "Interface" }],
          Owner: "amazon",
          AvailabilityZones: ["us-east-1a", "us-east-1b"],
          AvailabilityZoneIds: ["use1-az1", "use1-az2"],
          AcceptanceRequired: false,
          ManagesVpcEndpoints: false,
          VpcEndpointPolicySupported: true,
          PrivateDnsName: "ssm.us-east-1.amazonaws.com",
          PrivateDnsNameVerificationState: "verified",
          BaseEndpointDnsNames: ["ssm.us-east-1.vpce.amazonaws.com"],
          SupportedIpAddressTypes: ["ipv4"],
        },
      ],
    });
    const ctx = testContext(clients);
    const service = await collectService(ctx, interfaceEndpoint);
    expect(ec2.commandCalls(DescribeVpcEndpointServicesCommand)[0]!.args[0].input).toEqual({
      ServiceNames: [SSM],
    });
    expect(service).toEqual({
      name: SSM,
      id: "vpce-svc-0ssm0000000000000",
      types: ["Interface"],
      owner: "amazon",
      region: undefined,
      availabilityZones: ["us-east-1a", "us-east-1b"],
      availabilityZoneIds: ["use1-az1", "use1-az2"],
      acceptanceRequired: false,
      managesVpcEndpoints: false,
      policySupported: true,
      privateDnsName: "ssm.us-east-1.amazonaws.com",
      privateDnsNameVerificationState: "verified",
      baseEndpointDnsNames: ["ssm.us-east-1.vpce.amazonaws.com"],
      supportedIpAddressTypes: ["ipv4"],
    });
    expect(ctx.gaps).toEqual([]);
  });

  it("describes the entry of the endpoint's type when a name is listed per type (s3)", async () => {
    ec2.on(DescribeVpcEndpointServicesCommand).resolves({
      ServiceDetails: [
        { ServiceName: S3, ServiceId: "vpce-svc-s3-interface", ServiceType: [{ ServiceType: "Interface" }] },
        { ServiceName: S3, ServiceId: "vpce-svc-s3-gateway", ServiceType: [{ ServiceType: "Gateway" }] },
      ],
    });
    const service = await collectService(testContext(clients), { serviceName: S3, type: "Gateway" });
    expect(service).toMatchObject({ id: "vpce-svc-s3-gateway", types: ["Interface", "Gateway"] });
  });

  it("asks for the service's region when it is another one", async () => {
    ec2.on(DescribeVpcEndpointServicesCommand).resolves({ ServiceDetails: [{ ServiceName: CUSTOM }] });
    await collectService(testContext(clients), {
      serviceName: CUSTOM,
      type: "Interface",
      serviceRegion: "eu-west-1",
    });
    expect(ec2.commandCalls(DescribeVpcEndpointServicesCommand)[0]!.args[0].input).toEqual({
      ServiceNames: [CUSTOM],
      ServiceRegions: ["eu-west-1"],
    });
  });

  it("follows NextToken", async () => {
    ec2
      .on(DescribeVpcEndpointServicesCommand)
      .resolvesOnce({ ServiceDetails: [], NextToken: "t2" })
      .resolvesOnce({ ServiceDetails: [{ ServiceName: SSM, ServiceType: [{ ServiceType: "Interface" }] }] });
    const service = await collectService(testContext(clients), interfaceEndpoint);
    const calls = ec2.commandCalls(DescribeVpcEndpointServicesCommand);
    expect(calls.map((c) => c.args[0].input.NextToken)).toEqual([undefined, "t2"]);
    expect(service?.name).toBe(SSM);
  });

  it("returns null, without a gap, when the region does not offer the service", async () => {
    ec2.on(DescribeVpcEndpointServicesCommand).rejects(awsError("InvalidServiceName"));
    const ctx = testContext(clients);
    expect(await collectService(ctx, interfaceEndpoint)).toBeNull();
    expect(ctx.gaps).toEqual([]);
    ec2.on(DescribeVpcEndpointServicesCommand).resolves({ ServiceDetails: [] });
    expect(await collectService(ctx, interfaceEndpoint)).toBeNull();
  });

  it("records an AccessDenied gap", async () => {
    ec2.on(DescribeVpcEndpointServicesCommand).rejects(awsError("UnauthorizedOperation"));
    const ctx = testContext(clients);
    expect(await collectService(ctx, interfaceEndpoint)).toBeUndefined();
    expect(ctx.gaps).toMatchObject([
      { source: "service", iamAction: "ec2:DescribeVpcEndpointServices", error: "AccessDenied" },
    ]);
  });
});

describe("collectServiceConfiguration", () => {
  const own: Service = {
    name: CUSTOM,
    id: "vpce-svc-0123456789abcdef0",
    types: ["Interface"],
    owner: IDS.account,
    availabilityZones: [],
    availabilityZoneIds: [],
    baseEndpointDnsNames: [],
    supportedIpAddressTypes: [],
  };

  function provider() {
    ec2.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves({
      ServiceConfigurations: [
        {
          ServiceId: own.id,
          ServiceState: "Available",
          AcceptanceRequired: true,
          NetworkLoadBalancerArns: [
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/nlb/1",
          ],
        },
      ],
    });
    ec2
      .on(DescribeVpcEndpointServicePermissionsCommand)
      .resolvesOnce({ AllowedPrincipals: [{ Principal: "arn:aws:iam::444455556666:root" }], NextToken: "p2" })
      .resolvesOnce({ AllowedPrincipals: [{ Principal: "arn:aws:iam::777788889999:root" }] });
    ec2.on(DescribeVpcEndpointConnectionsCommand).resolves({
      VpcEndpointConnections: [
        { VpcEndpointId: IDS.endpoint, VpcEndpointState: "pendingAcceptance" as State },
      ],
    });
  }

  it("reads configuration, allowed principals (all pages) and this endpoint's connection for an own service", async () => {
    provider();
    const ctx = testContext(clients);
    const configuration = await collectServiceConfiguration(ctx, own, IDS.endpoint, IDS.account);
    expect(ec2.commandCalls(DescribeVpcEndpointServiceConfigurationsCommand)[0]!.args[0].input).toEqual({
      ServiceIds: [own.id],
    });
    expect(ec2.commandCalls(DescribeVpcEndpointServicePermissionsCommand)).toHaveLength(2);
    expect(ec2.commandCalls(DescribeVpcEndpointServicePermissionsCommand)[0]!.args[0].input).toMatchObject({
      ServiceId: own.id,
    });
    expect(ec2.commandCalls(DescribeVpcEndpointConnectionsCommand)[0]!.args[0].input).toEqual({
      Filters: [
        { Name: "service-id", Values: [own.id] },
        { Name: "vpc-endpoint-id", Values: [IDS.endpoint] },
      ],
    });
    expect(configuration).toEqual({
      serviceId: own.id,
      state: "Available",
      acceptanceRequired: true,
      allowedPrincipals: ["arn:aws:iam::444455556666:root", "arn:aws:iam::777788889999:root"],
      connectionState: "pendingAcceptance",
      loadBalancerArns: ["arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/nlb/1"],
    });
    expect(ctx.gaps).toEqual([]);
  });

  it("calls nothing for another account's service or an AWS service", async () => {
    provider();
    const ctx = testContext(clients);
    expect(
      await collectServiceConfiguration(ctx, { ...own, owner: "999999999999" }, IDS.endpoint, IDS.account),
    ).toBeUndefined();
    expect(
      await collectServiceConfiguration(ctx, { ...own, owner: "amazon" }, IDS.endpoint, IDS.account),
    ).toBe(undefined);
    expect(await collectServiceConfiguration(ctx, own, IDS.endpoint, undefined)).toBeUndefined();
    expect(ec2.calls()).toHaveLength(0);
  });

  it("keeps what it could read when the permissions are denied", async () => {
    provider();
    ec2.on(DescribeVpcEndpointServicePermissionsCommand).rejects(awsError("UnauthorizedOperation"));
    const ctx = testContext(clients);
    const configuration = await collectServiceConfiguration(ctx, own, IDS.endpoint, IDS.account);
    expect(configuration).toMatchObject({ acceptanceRequired: true, connectionState: "pendingAcceptance" });
    expect(configuration?.allowedPrincipals).toBeUndefined();
    expect(ctx.gaps).toMatchObject([
      {
        source: "serviceConfiguration",
        iamAction: "ec2:DescribeVpcEndpointServicePermissions",
        error: "AccessDenied",
      },
    ]);
  });

  it("is undefined, with a gap, when the configuration cannot be read", async () => {
    provider();
    ec2.on(DescribeVpcEndpointServiceConfigurationsCommand).rejects(awsError("UnauthorizedOperation"));
    const ctx = testContext(clients);
    expect(await collectServiceConfiguration(ctx, own, IDS.endpoint, IDS.account)).toBeUndefined();
    expect(ctx.gaps.map((g) => g.iamAction)).toEqual(["ec2:DescribeVpcEndpointServiceConfigurations"]);
  });
});
