import { DescribeVpcEndpointsCommand } from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createClients } from "../../src/aws/clients.js";
import { collectSnapshot } from "../../src/aws/collect.js";
import { createCallCounter } from "../../src/aws/middleware.js";
import { RateLimiter } from "../../src/aws/rate-limit.js";
import type { Snapshot } from "../../src/diagnosis/snapshot.js";
import { useMoto } from "./cli-harness.js";
import {
  addressRecord,
  admitFromPrefixList,
  aliasRecord,
  associatedRule,
  type DnsClients,
  dnsClients,
  outboundEndpoint,
  privateZone,
} from "./dns-world.js";
import { buildWorld, type FixtureClients, fixtureClients, type World } from "./world.js";

// What the collector brings back from real moto resources for centralised DNS, Resolver rules and prefix lists.
// Only the collected data is asserted here: the checks that judge it are tested on their own.

const motoUrl = inject("motoUrl");
const SSM_NAME = "ssm.us-east-1.amazonaws.com";
let clients: FixtureClients;
let dns: DnsClients;

beforeAll(() => {
  useMoto(motoUrl);
  clients = fixtureClients(motoUrl, "us-east-1");
  dns = dnsClients(motoUrl);
});

async function collect(world: World): Promise<Snapshot> {
  const counter = createCallCounter();
  const aws = createClients({ region: world.region, counter, maxAttempts: 1 });
  return collectSnapshot(
    { endpointId: world.endpointId, region: world.region, windowHours: 1, now: new Date() },
    aws,
    { counter, limiter: new RateLimiter(1000, 100) },
  );
}

async function endpointDnsName(world: World): Promise<string> {
  const out = await clients.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [world.endpointId] }));
  return out.VpcEndpoints![0]!.DnsEntries![0]!.DnsName!;
}

describe("DNS and prefix-list collection against moto", () => {
  it("(a) hub-and-spoke: the zone named after the service and its apex alias to the endpoint", async () => {
    const world = await buildWorld(clients, { privateDns: false });
    const target = await endpointDnsName(world);
    const zoneId = await privateZone(dns, world, SSM_NAME, [aliasRecord(SSM_NAME, target.toUpperCase())]);

    const snapshot = await collect(world);
    expect(snapshot.endpoint?.privateDnsEnabled).toBe(false);
    expect(snapshot.service?.privateDnsName).toBe(SSM_NAME);
    const zone = snapshot.hostedZones?.find((z) => z.id === zoneId);
    expect(zone?.name.replace(/\.$/, "")).toBe(SSM_NAME);
    expect(zone?.records).toEqual([
      {
        name: SSM_NAME,
        type: "A",
        values: [],
        alias: {
          dnsName: target.toLowerCase().replace(/\.$/, ""),
          hostedZoneId: "Z7HUB4ZLMNOPQ",
          evaluateTargetHealth: true,
        },
      },
    ]);
    expect(zone?.recordsTruncated).toBeUndefined();
    expect(snapshot.gaps.filter((g) => g.source === "zoneRecords")).toEqual([]);
  });

  it("(b) the same zone with an A record at a stale address keeps the address", async () => {
    const world = await buildWorld(clients, { privateDns: false });
    const zoneId = await privateZone(dns, world, `${SSM_NAME}.`, [addressRecord(SSM_NAME, ["10.0.99.99"])]);
    const snapshot = await collect(world);
    const zone = snapshot.hostedZones?.find((z) => z.id === zoneId);
    expect(zone?.records).toEqual([{ name: SSM_NAME, type: "A", ttl: 300, values: ["10.0.99.99"] }]);
  });

  it("reads no records from a zone that does not cover the service's name", async () => {
    const world = await buildWorld(clients);
    const zoneId = await privateZone(dns, world, "corp.example.internal", [
      addressRecord("app.corp.example.internal", ["10.0.5.5"]),
    ]);
    const snapshot = await collect(world);
    expect(snapshot.hostedZones?.find((z) => z.id === zoneId)).toEqual({
      id: zoneId,
      name: "corp.example.internal.",
    });
  });

  it("(c, d) a FORWARD rule for amazonaws.com and a SYSTEM rule for the exact name, with their associations", async () => {
    const world = await buildWorld(clients);
    const resolverEndpointId = await outboundEndpoint(dns, world);
    const forward = await associatedRule(dns, world, {
      name: "amazonaws-to-onprem",
      domainName: "AmazonAWS.com.",
      ruleType: "FORWARD",
      targetIps: [{ Ip: "10.0.1.53", Port: 53 }],
      resolverEndpointId,
    });
    const system = await associatedRule(dns, world, {
      name: "ssm-stays-in-vpc",
      domainName: `${SSM_NAME}.`,
      ruleType: "SYSTEM",
    });
    // A rule of the account that is not associated with this VPC stays out.
    await associatedRule(dns, await buildWorld(clients, { metrics: false, flowLogs: false }), {
      domainName: "elsewhere.example.",
      ruleType: "SYSTEM",
    });

    const snapshot = await collect(world);
    expect(snapshot.gaps.filter((g) => g.source === "resolverRules")).toEqual([]);
    expect(snapshot.resolverRules).toEqual([
      {
        id: forward.ruleId,
        name: "amazonaws-to-onprem",
        domainName: "amazonaws.com",
        ruleType: "FORWARD",
        status: "COMPLETE",
        targetIps: [{ ip: "10.0.1.53", port: 53 }],
        resolverEndpointId,
        ownerId: expect.any(String),
        associationId: forward.associationId,
        associationStatus: expect.any(String),
      },
      expect.objectContaining({
        id: system.ruleId,
        domainName: SSM_NAME,
        ruleType: "SYSTEM",
        targetIps: [],
        associationId: system.associationId,
      }),
    ]);
  });

  it("(e) the entries of a customer-managed prefix list the endpoint group admits 443 from", async () => {
    const world = await buildWorld(clients, { admit443: false });
    const listId = await admitFromPrefixList(clients.ec2, world, ["10.0.0.0/16", "192.168.10.0/24"]);
    const snapshot = await collect(world);
    const rule = snapshot.securityGroups
      ?.find((g) => g.id === world.endpointGroup)
      ?.ingress.find((r) => r.prefixListId === listId);
    expect(rule).toMatchObject({ protocol: "tcp", fromPort: 443, toPort: 443 });
    expect(snapshot.prefixLists).toEqual([
      {
        id: listId,
        addressFamily: "IPv4",
        entries: expect.arrayContaining([
          { cidr: "10.0.0.0/16", description: "corp 10.0.0.0/16" },
          { cidr: "192.168.10.0/24", description: "corp 192.168.10.0/24" },
        ]),
      },
    ]);
    expect(snapshot.prefixLists?.[0]?.entries).toHaveLength(2);
    expect(snapshot.gaps.filter((g) => g.source === "prefixLists")).toEqual([]);
  });

  it("makes no prefix-list or record call for a plain endpoint", async () => {
    const world = await buildWorld(clients);
    const snapshot = await collect(world);
    expect(snapshot.prefixLists).toEqual([]);
    expect(snapshot.hostedZones).toEqual([]);
    expect(snapshot.resolverRules).toEqual([]);
    expect(snapshot.gaps.map((g) => g.source)).not.toEqual(
      expect.arrayContaining(["zoneRecords", "resolverRules", "prefixLists"]),
    );
  });
});
