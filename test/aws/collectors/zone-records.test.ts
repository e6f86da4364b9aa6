import { ListResourceRecordSetsCommand, type ResourceRecordSet } from "@aws-sdk/client-route-53";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { collectZoneRecords, normaliseDnsName } from "../../../src/aws/collectors/zone-records.js";
import { SharedReads } from "../../../src/aws/shared-reads.js";
import type { HostedZone } from "../../../src/diagnosis/snapshot.js";
import { awsError, testClients, testContext } from "./telemetry-context.js";

const clients = testClients();
const route53 = mockClient(clients.route53);

beforeEach(() => route53.reset());

const NAME = "ssm.us-east-1.amazonaws.com";
const ENDPOINT_DNS = "vpce-0a1b2c3d4e5f60718-abcdefgh.ssm.us-east-1.vpce.amazonaws.com";
const HUB: HostedZone = { id: "Z0HUB", name: "ssm.us-east-1.amazonaws.com." };
const PARENT: HostedZone = { id: "Z0PARENT", name: "Amazonaws.com." };
const OTHER: HostedZone = { id: "Z0OTHER", name: "corp.internal." };

const apex: ResourceRecordSet[] = [
  {
    Name: "ssm.us-east-1.amazonaws.com.",
    Type: "A",
    TTL: 0,
    AliasTarget: {
      DNSName: `${ENDPOINT_DNS.toUpperCase()}.`,
      HostedZoneId: "Z7HUB4ZLMNOPQ",
      EvaluateTargetHealth: true,
    },
  },
  {
    Name: "ssm.us-east-1.amazonaws.com.",
    Type: "NS",
    TTL: 172800,
    ResourceRecords: [{ Value: "ns-0.awsdns-00.com." }],
  },
  {
    Name: "ssm.us-east-1.amazonaws.com.",
    Type: "SOA",
    TTL: 900,
    ResourceRecords: [{ Value: "ns-0.awsdns-00.com. x 1 7200 900 1209600 86400" }],
  },
];

function inputs() {
  return route53.commandCalls(ListResourceRecordSetsCommand).map((call) => call.args[0].input);
}

describe("normaliseDnsName", () => {
  it("lower-cases, drops the trailing dot and decodes Route 53's octal escapes", () => {
    expect(normaliseDnsName("\\052.SSM.us-east-1.amazonaws.com.")).toBe("*.ssm.us-east-1.amazonaws.com");
    expect(normaliseDnsName(".")).toBe(".");
  });
});

describe("collectZoneRecords", () => {
  it("calls nothing when no zone covers the service's name, or the service has none", async () => {
    const ctx = testContext(clients);
    expect(await collectZoneRecords(ctx, [OTHER], NAME)).toEqual([OTHER]);
    expect(await collectZoneRecords(ctx, [HUB], undefined)).toEqual([HUB]);
    expect(await collectZoneRecords(ctx, [], NAME)).toEqual([]);
    expect(inputs()).toEqual([]);
  });

  it("reads a zone named after the service from its apex, in one call, keeping the apex records but SOA and NS (an alias has no TTL)", async () => {
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        ...apex,
        {
          Name: "\\052.ssm.us-east-1.amazonaws.com.",
          Type: "A",
          TTL: 60,
          ResourceRecords: [{ Value: "10.9.9.9" }],
        },
      ],
      IsTruncated: true,
      NextRecordName: "x.ssm.us-east-1.amazonaws.com.",
      NextRecordType: "A",
      MaxItems: 300,
    });
    const ctx = testContext(clients);
    const zones = await collectZoneRecords(ctx, [HUB, OTHER], NAME);
    expect(inputs()).toEqual([{ HostedZoneId: "Z0HUB", MaxItems: 300, StartRecordName: NAME }]);
    expect(zones).toEqual([
      {
        ...HUB,
        records: [
          {
            name: NAME,
            type: "A",
            values: [],
            alias: { dnsName: ENDPOINT_DNS, hostedZoneId: "Z7HUB4ZLMNOPQ", evaluateTargetHealth: true },
          },
        ],
      },
      OTHER,
    ]);
    expect(ctx.gaps).toEqual([]);
  });

  it("keeps a stale A record's values and TTL", async () => {
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        {
          Name: `${NAME}.`,
          Type: "A",
          TTL: 300,
          ResourceRecords: [{ Value: "10.0.9.9" }, { Value: "10.0.9.10" }],
        },
      ],
      IsTruncated: false,
      MaxItems: 300,
    });
    const [zone] = await collectZoneRecords(testContext(clients), [HUB], NAME);
    expect(zone?.records).toEqual([{ name: NAME, type: "A", ttl: 300, values: ["10.0.9.9", "10.0.9.10"] }]);
    expect(zone?.recordsTruncated).toBeUndefined();
  });

  it("reads a parent zone page by page with the next record's name, type and identifier, keeping what covers the name", async () => {
    route53
      .on(ListResourceRecordSetsCommand)
      .resolvesOnce({
        ResourceRecordSets: [
          { Name: "amazonaws.com.", Type: "NS", ResourceRecords: [{ Value: "ns-1.awsdns-01.org." }] },
          {
            Name: "\\052.amazonaws.com.",
            Type: "CNAME",
            TTL: 60,
            ResourceRecords: [{ Value: "proxy.corp.internal" }],
          },
          {
            Name: "ec2.us-east-1.amazonaws.com.",
            Type: "A",
            TTL: 60,
            ResourceRecords: [{ Value: "10.0.0.1" }],
          },
        ],
        IsTruncated: true,
        NextRecordName: "us-east-1.amazonaws.com.",
        NextRecordType: "NS",
        NextRecordIdentifier: "weighted-1",
        MaxItems: 300,
      })
      .resolves({
        ResourceRecordSets: [
          {
            Name: "us-east-1.amazonaws.com.",
            Type: "NS",
            SetIdentifier: "weighted-1",
            ResourceRecords: [{ Value: "ns.corp.internal." }],
          },
          {
            Name: "ssm.us-east-1.amazonaws.com.",
            Type: "CNAME",
            TTL: 60,
            ResourceRecords: [{ Value: "Hub.Corp.Internal." }],
          },
          {
            Name: "a.ssm.us-east-1.amazonaws.com.",
            Type: "A",
            TTL: 60,
            ResourceRecords: [{ Value: "10.0.0.2" }],
          },
        ],
        IsTruncated: false,
        MaxItems: 300,
      });
    const ctx = testContext(clients);
    const [zone] = await collectZoneRecords(ctx, [PARENT], NAME);
    expect(inputs()).toEqual([
      { HostedZoneId: "Z0PARENT", MaxItems: 300, StartRecordName: "amazonaws.com" },
      {
        HostedZoneId: "Z0PARENT",
        MaxItems: 300,
        StartRecordName: "us-east-1.amazonaws.com.",
        StartRecordType: "NS",
        StartRecordIdentifier: "weighted-1",
      },
    ]);
    expect(zone?.records?.map((r) => [r.name, r.type, r.values])).toEqual([
      ["*.amazonaws.com", "CNAME", ["proxy.corp.internal"]],
      ["us-east-1.amazonaws.com", "NS", ["ns.corp.internal."]],
      [NAME, "CNAME", ["Hub.Corp.Internal."]],
    ]);
  });

  it("stops a parent zone at the page cap and marks it truncated", async () => {
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        { Name: "ec2.us-east-1.amazonaws.com.", Type: "A", ResourceRecords: [{ Value: "10.0.0.1" }] },
      ],
      IsTruncated: true,
      NextRecordName: "ec2.us-east-1.amazonaws.com.",
      NextRecordType: "AAAA",
      MaxItems: 300,
    });
    const [zone] = await collectZoneRecords(testContext(clients), [PARENT], NAME);
    expect(inputs()).toHaveLength(3);
    expect(zone).toEqual({ ...PARENT, records: [], recordsTruncated: true });
  });

  it("covers both names of a wildcard private DNS name", async () => {
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        {
          Name: "s3.us-east-1.amazonaws.com.",
          Type: "A",
          AliasTarget: {
            DNSName: "vpce-1.s3.us-east-1.vpce.amazonaws.com.",
            HostedZoneId: "Z1",
            EvaluateTargetHealth: false,
          },
        },
        {
          Name: "\\052.s3.us-east-1.amazonaws.com.",
          Type: "A",
          AliasTarget: {
            DNSName: "*.vpce-1.s3.us-east-1.vpce.amazonaws.com.",
            HostedZoneId: "Z1",
            EvaluateTargetHealth: false,
          },
        },
      ],
      IsTruncated: false,
      MaxItems: 300,
    });
    const zone: HostedZone = { id: "Z0S3", name: "s3.us-east-1.amazonaws.com." };
    const [read] = await collectZoneRecords(testContext(clients), [zone], "*.s3.us-east-1.amazonaws.com");
    expect(read?.records?.map((r) => r.name)).toEqual([
      "s3.us-east-1.amazonaws.com",
      "*.s3.us-east-1.amazonaws.com",
    ]);
  });

  it("records a zoneRecords gap and leaves the zone without records when the read fails", async () => {
    route53.on(ListResourceRecordSetsCommand).rejects(awsError("AccessDenied"));
    const ctx = testContext(clients);
    expect(await collectZoneRecords(ctx, [HUB], NAME)).toEqual([HUB]);
    expect(ctx.gaps).toEqual([
      expect.objectContaining({
        source: "zoneRecords",
        iamAction: "route53:ListResourceRecordSets",
        error: "AccessDenied",
      }),
    ]);
  });

  it("shares one read of a zone between concurrent diagnoses", async () => {
    route53
      .on(ListResourceRecordSetsCommand)
      .resolves({ ResourceRecordSets: apex, IsTruncated: false, MaxItems: 300 });
    const shared = { reads: new SharedReads({ ttlMs: 5_000 }), scope: "111122223333:us-east-1" };
    const contexts = [1, 2].map(() => ({ ...testContext(clients), shared }));
    await Promise.all(contexts.map((ctx) => collectZoneRecords(ctx, [HUB], NAME)));
    expect(inputs()).toHaveLength(1);
  });
});
