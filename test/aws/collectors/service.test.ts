import { DescribeVpcEndpointServicesCommand } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { collectService } from "../../../src/aws/collectors/service.js";
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
