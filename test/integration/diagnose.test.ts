import {
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateRouteCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  ModifyVpcEndpointCommand,
  ReplaceNetworkAclAssociationCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { cli, useMoto } from "./cli-harness.js";
import { buildWorld, type FixtureClients, fixtureClients, putFlowRecords } from "./world.js";

// Real resources in moto, one broken thing at a time, diagnosed through the CLI and the real SDK.

const motoUrl = inject("motoUrl");
let clients: FixtureClients;

beforeAll(() => {
  useMoto(motoUrl);
  clients = fixtureClients(motoUrl, "us-east-1");
});

// biome-ignore lint/suspicious/noExplicitAny: JSON document
const statusOf = (doc: any, id: string) => doc.checks.find((c: { id: string }) => c.id === id)?.status;
async function diagnose(endpointId: string, ...extra: string[]) {
  return cli(["diagnose", endpointId, "--region", "us-east-1", "--json", ...extra]);
}

describe("an interface endpoint in moto", () => {
  it("finds nothing wrong with a healthy endpoint; what moto lacks (CloudTrail, Health) stays unknown", async () => {
    const world = await buildWorld(clients);
    const run = await diagnose(world.endpointId);
    // moto leaves endpoint ENIs "available" where AWS shows "in-use": the one warning is moto's, not ours.
    expect(
      run.json.checks
        .filter((c: { status: string }) => c.status === "fail" || c.status === "warn")
        .map((c: { id: string; summary: string }) => `${c.id}: ${c.summary}`),
    ).toEqual([
      expect.stringMatching(/^subnet-coverage: eni-\w+ of vpce-\w+ in subnet-\w+ is available, not in-use$/),
    ]);
    expect(
      run.json.checks
        .filter((c: { status: string }) => c.status === "unknown")
        .map((c: { id: string }) => c.id),
    ).toEqual(["service-health", "recent-changes"]);
    expect(run.json.gaps.map((g: { iamAction: string }) => g.iamAction)).toEqual(
      expect.arrayContaining(["cloudtrail:LookupEvents", "health:DescribeEvents"]),
    );
    expect(statusOf(run.json, "security-groups")).toBe("pass");
    expect(statusOf(run.json, "network-acls")).toBe("pass");
    expect(statusOf(run.json, "private-dns")).toBe("pass");
    expect(statusOf(run.json, "traffic-metrics")).toBe("pass");
    expect(statusOf(run.json, "flow-logs")).toBe("pass");
    expect(run.json.account.id).toBe("123456789012");
    expect(run.json.stats.awsCalls).toBeGreaterThan(10);
  });

  it("blames the security group when 443 is not admitted", async () => {
    const world = await buildWorld(clients);
    await clients.ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: world.endpointGroup,
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.0.0.0/16" }] },
        ],
      }),
    );
    const run = await diagnose(world.endpointId);
    expect(run.code).toBe(1);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "security-groups" });
    const finding = run.json.checks.find((c: { id: string }) => c.id === "security-groups").findings[0];
    expect(finding.remediation.command).toContain(`--group-id ${world.endpointGroup}`);
  });

  it("admits a client given with --from when a rule names its security group", async () => {
    const world = await buildWorld(clients, { admit443: false });
    await clients.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: world.endpointGroup,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 443,
            ToPort: 443,
            UserIdGroupPairs: [{ GroupId: world.clientGroup }],
          },
        ],
      }),
    );
    const run = await diagnose(world.endpointId, "--from", world.clientGroup);
    expect(statusOf(run.json, "security-groups")).toBe("pass");
  });

  it("blames the NACL that denies 443 into an endpoint subnet", async () => {
    const world = await buildWorld(clients);
    const acl = await clients.ec2.send(new CreateNetworkAclCommand({ VpcId: world.vpcId }));
    const aclId = acl.NetworkAcl!.NetworkAclId!;
    for (const [egress, rule, action] of [
      [false, 90, "deny"],
      [false, 100, "allow"],
      [true, 100, "allow"],
    ] as const) {
      await clients.ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: aclId,
          RuleNumber: rule,
          Egress: egress,
          Protocol: egress || action === "allow" ? "-1" : "6",
          PortRange: egress || action === "allow" ? undefined : { From: 443, To: 443 },
          RuleAction: action,
          CidrBlock: "0.0.0.0/0",
        }),
      );
    }
    const current = await clients.ec2.send(
      new DescribeNetworkAclsCommand({
        Filters: [{ Name: "association.subnet-id", Values: [world.subnets[0]!] }],
      }),
    );
    const association = current.NetworkAcls![0]!.Associations!.find((a) => a.SubnetId === world.subnets[0])!;
    await clients.ec2.send(
      new ReplaceNetworkAclAssociationCommand({
        AssociationId: association.NetworkAclAssociationId,
        NetworkAclId: aclId,
      }),
    );
    const run = await diagnose(world.endpointId);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "network-acls" });
    expect(JSON.stringify(run.json.checks.find((c: { id: string }) => c.id === "network-acls"))).toContain(
      aclId,
    );
  });

  it("reports REJECT flow-log records for the endpoint ENIs, read from the per-ENI streams", async () => {
    const world = await buildWorld(clients);
    await putFlowRecords(clients, world, [
      { src: "10.0.3.25", dstPort: 443, action: "REJECT" },
      { src: "10.0.3.25", dstPort: 443, action: "REJECT" },
      { src: "10.0.3.26", dstPort: 443, action: "ACCEPT" },
    ]);
    const run = await diagnose(world.endpointId);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "flow-logs" });
    expect(run.json.verdict.summary).toMatch(/^2 REJECT/);
  });

  it("blames private DNS off when the VPC has no way out to the public addresses the name resolves to", async () => {
    const world = await buildWorld(clients, { privateDns: false });
    const run = await diagnose(world.endpointId);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "private-dns" });
    expect(run.json.verdict.summary).toContain("no route out");
  });

  it("only warns that private DNS is off when an internet gateway leads out (traffic bypasses the endpoint)", async () => {
    const world = await buildWorld(clients, { privateDns: false });
    const igw = (await clients.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!
      .InternetGatewayId!;
    await clients.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: world.vpcId }));
    const tables = await clients.ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [world.vpcId] }] }),
    );
    for (const table of tables.RouteTables ?? []) {
      await clients.ec2.send(
        new CreateRouteCommand({
          RouteTableId: table.RouteTableId!,
          DestinationCidrBlock: "0.0.0.0/0",
          GatewayId: igw,
        }),
      );
    }
    const run = await diagnose(world.endpointId);
    expect(run.json.verdict).toMatchObject({ status: "degraded", cause: "private-dns" });
  });

  it("sees the VPC's DNS hostnames attribute off", async () => {
    const world = await buildWorld(clients, { dnsHostnames: false });
    const run = await diagnose(world.endpointId);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "private-dns" });
    expect(run.json.verdict.summary).toMatch(/hostnames/i);
  });

  it("blames an unconditional Deny of every action in the endpoint policy", async () => {
    const world = await buildWorld(clients);
    await clients.ec2.send(
      new ModifyVpcEndpointCommand({
        VpcEndpointId: world.endpointId,
        PolicyDocument: JSON.stringify({
          Statement: [
            { Effect: "Allow", Principal: "*", Action: "*", Resource: "*" },
            { Effect: "Deny", Principal: "*", Action: "ssm:*", Resource: "*" },
          ],
        }),
      }),
    );
    const run = await diagnose(world.endpointId);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "endpoint-policy" });
  });

  it("keeps a Deny of some actions (a guardrail) as a note, not a failure", async () => {
    const world = await buildWorld(clients);
    await clients.ec2.send(
      new ModifyVpcEndpointCommand({
        VpcEndpointId: world.endpointId,
        PolicyDocument: JSON.stringify({
          Statement: [
            { Effect: "Allow", Principal: "*", Action: "*", Resource: "*" },
            { Effect: "Deny", Principal: "*", Action: "ssm:DeleteParameter*", Resource: "*" },
          ],
        }),
      }),
    );
    const run = await diagnose(world.endpointId);
    expect(statusOf(run.json, "endpoint-policy")).toBe("pass");
  });

  it("says no traffic reached the endpoint when there are no datapoints, without calling it broken", async () => {
    const world = await buildWorld(clients, { metrics: false });
    const run = await diagnose(world.endpointId);
    expect(run.json.verdict.status).not.toBe("broken");
    expect(statusOf(run.json, "traffic-metrics")).toBe("warn");
  });

  it("notes a client in an AZ without an endpoint ENI, without calling it broken (the regional name works)", async () => {
    const world = await buildWorld(clients);
    const run = await diagnose(world.endpointId, "--from", world.clientSubnet);
    expect(run.json.verdict.status).not.toBe("broken");
    const coverage = run.json.checks.find((c: { id: string }) => c.id === "subnet-coverage");
    expect(coverage.findings.map((f: { summary: string }) => f.summary).join("\n")).toMatch(/zone|AZ/);
  });

  it("saves a snapshot that diagnoses offline to the same verdict", async () => {
    const world = await buildWorld(clients, { privateDns: false });
    const path = `${process.env.TMPDIR ?? "/tmp"}/vpce-doctor-${world.endpointId}.json`;
    const live = await diagnose(world.endpointId, "--save-snapshot", path);
    const offline = await cli(["diagnose", "--snapshot", path, "--json"]);
    expect(offline.json.verdict).toEqual(live.json.verdict);
    expect(offline.json.checks.map((c: { status: string }) => c.status)).toEqual(
      live.json.checks.map((c: { status: string }) => c.status),
    );
  });
});

describe("a gateway endpoint in moto", () => {
  it("passes for a subnet whose route table has the prefix-list route", async () => {
    const world = await buildWorld(clients, { kind: "gateway" });
    const run = await diagnose(world.endpointId, "--from", world.subnets[0]!);
    expect(statusOf(run.json, "gateway-routes")).toBe("pass");
    expect(statusOf(run.json, "security-groups")).toBe("skip");
  });

  it("blames the route table of a client subnet without the prefix-list route", async () => {
    const world = await buildWorld(clients, { kind: "gateway" });
    const run = await diagnose(world.endpointId, "--from", world.clientSubnet);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "gateway-routes" });
    expect(JSON.stringify(run.json)).toContain(world.routeTables[1]);
  });
});

describe("mistakes in moto", () => {
  it("does not find an endpoint that does not exist, and says so", async () => {
    const run = await diagnose("vpce-0123456789abcdef0");
    expect(run.code).toBe(1);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "endpoint-exists" });
  });

  it("does not find an endpoint asked for in the wrong region", async () => {
    const world = await buildWorld(clients);
    const run = await cli(["diagnose", world.endpointId, "--region", "us-west-2", "--json"]);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "endpoint-exists" });
    expect(run.json.verdict.summary).toContain("us-west-2");
  });
});
