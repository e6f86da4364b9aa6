import { AuthorizeSecurityGroupIngressCommand, DescribeVpcEndpointsCommand } from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { cli, useMoto } from "./cli-harness.js";
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

// Verdicts on the enterprise patterns that used to be called broken, each beside the fault that resembles it:
// real resources in moto, diagnosed through the CLI and the real SDK.

const motoUrl = inject("motoUrl");
const SSM_NAME = "ssm.us-east-1.amazonaws.com";
let clients: FixtureClients;
let dns: DnsClients;

beforeAll(() => {
  useMoto(motoUrl);
  clients = fixtureClients(motoUrl, "us-east-1");
  dns = dnsClients(motoUrl);
});

// biome-ignore lint/suspicious/noExplicitAny: the JSON document
type Doc = any;
const check = (doc: Doc, id: string) => doc.checks.find((c: { id: string }) => c.id === id);
const commands = (doc: Doc) =>
  doc.checks.flatMap((c: Doc) => c.findings.map((f: Doc) => f.remediation.command ?? "")).join("\n");

async function diagnose(world: World, ...extra: string[]): Promise<Doc> {
  const run = await cli(["diagnose", world.endpointId, "--region", "us-east-1", "--json", ...extra]);
  return run.json;
}

async function endpointDnsName(world: World): Promise<string> {
  const out = await clients.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [world.endpointId] }));
  return out.VpcEndpoints![0]!.DnsEntries![0]!.DnsName!;
}

describe("hub-and-spoke private DNS in moto", () => {
  it("passes a private zone for the service whose apex aliases the endpoint, and prints no DNS 'fix'", async () => {
    const world = await buildWorld(clients, { privateDns: false });
    await privateZone(dns, world, SSM_NAME, [aliasRecord(SSM_NAME, await endpointDnsName(world))]);
    const doc = await diagnose(world);
    expect(check(doc, "private-dns").status).toBe("pass");
    expect(doc.verdict.status).not.toBe("broken");
    expect(commands(doc)).not.toMatch(/--private-dns-enabled|disassociate-vpc-from-hosted-zone/);
  });

  it("fails when the zone's record points at addresses that are not the endpoint's, naming the record", async () => {
    const world = await buildWorld(clients, { privateDns: false });
    await privateZone(dns, world, SSM_NAME, [addressRecord(SSM_NAME, ["10.0.99.99"])]);
    const doc = await diagnose(world);
    expect(doc.verdict).toMatchObject({ status: "broken", cause: "private-dns" });
    expect(check(doc, "private-dns").summary).toContain("10.0.99.99");
    expect(commands(doc)).toMatch(/change-resource-record-sets/);
  });
});

describe("Route 53 Resolver rules in moto", () => {
  it("fails a FORWARD rule for the service's own name, naming the rule and its targets", async () => {
    const world = await buildWorld(clients);
    const resolverEndpointId = await outboundEndpoint(dns, world);
    const { ruleId } = await associatedRule(dns, world, {
      name: "ssm-to-onprem",
      domainName: `${SSM_NAME}.`,
      ruleType: "FORWARD",
      targetIps: [{ Ip: "10.0.1.53", Port: 53 }],
      resolverEndpointId,
    });
    const doc = await diagnose(world);
    expect(doc.verdict).toMatchObject({ status: "broken", cause: "private-dns" });
    const summary = check(doc, "private-dns").summary;
    expect(summary).toContain(ruleId);
    expect(JSON.stringify(check(doc, "private-dns").findings)).toContain("10.0.1.53");
  });

  it("passes a FORWARD rule for amazonaws.com: the endpoint's private zone is more specific", async () => {
    const world = await buildWorld(clients);
    const resolverEndpointId = await outboundEndpoint(dns, world);
    await associatedRule(dns, world, {
      name: "amazonaws-to-onprem",
      domainName: "amazonaws.com.",
      ruleType: "FORWARD",
      targetIps: [{ Ip: "10.0.1.53", Port: 53 }],
      resolverEndpointId,
    });
    const doc = await diagnose(world);
    expect(check(doc, "private-dns").status).toBe("pass");
  });

  it("passes a hub zone beside a SYSTEM rule for the same name", async () => {
    const world = await buildWorld(clients, { privateDns: false });
    await privateZone(dns, world, SSM_NAME, [aliasRecord(SSM_NAME, await endpointDnsName(world))]);
    await associatedRule(dns, world, { name: "ssm-local", domainName: `${SSM_NAME}.`, ruleType: "SYSTEM" });
    const doc = await diagnose(world);
    expect(check(doc, "private-dns").status).toBe("pass");
  });
});

describe("security group rules that reference a managed prefix list, in moto", () => {
  it("passes when the list holds the client", async () => {
    const world = await buildWorld(clients, { admit443: false });
    await admitFromPrefixList(clients.ec2, world, ["10.0.0.0/16"]);
    const doc = await diagnose(world, "--from", "10.0.3.25");
    expect(check(doc, "security-groups").status).toBe("pass");
  });

  it("fails when the list lacks the client", async () => {
    const world = await buildWorld(clients, { admit443: false });
    await admitFromPrefixList(clients.ec2, world, ["192.168.10.0/24"]);
    const doc = await diagnose(world, "--from", "10.0.3.25");
    expect(doc.verdict).toMatchObject({ status: "broken", cause: "security-groups" });
  });
});

describe("ports named with --port, in moto", () => {
  it("judges the endpoint's group on the given port: 443 admitted is not enough for 5432", async () => {
    const world = await buildWorld(clients);
    const doc = await diagnose(world, "--port", "5432");
    expect(doc.verdict).toMatchObject({ status: "broken", cause: "security-groups" });
    expect(commands(doc)).toMatch(/authorize-security-group-ingress .*--port 5432/);
  });

  it("passes when the group admits the given port", async () => {
    const world = await buildWorld(clients);
    await clients.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: world.endpointGroup,
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: "10.0.0.0/16" }] },
        ],
      }),
    );
    const doc = await diagnose(world, "--port", "5432");
    expect(check(doc, "security-groups").status).toBe("pass");
  });
});
