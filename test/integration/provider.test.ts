import { beforeAll, describe, expect, inject, it } from "vitest";
import { cli, useMoto } from "./cli-harness.js";
import { buildConsumer, buildProvider, buildProviderWorld, fixtureElb } from "./provider-world.js";
import { assumeRole, type FixtureClients, fixtureClients } from "./world.js";

// The provider side of a custom endpoint service in moto, diagnosed through the CLI: the NLB's listeners, its
// targets' health per AZ, and a provider nobody may read. moto does not implement DescribeVpcEndpointConnections,
// so every run here also shows that its 500 stays a serviceConnection gap and never hides a judgement.

const motoUrl = inject("motoUrl");
let clients: FixtureClients;

beforeAll(() => {
  useMoto(motoUrl);
  clients = fixtureClients(motoUrl, "us-east-1");
});

// biome-ignore lint/suspicious/noExplicitAny: JSON document
const checkOf = (doc: any, id: string) => doc.checks.find((c: { id: string }) => c.id === id);
const diagnose = (endpointId: string, ...extra: string[]) =>
  cli(["diagnose", endpointId, "--region", "us-east-1", "--json", ...extra]);

describe("a custom NLB service on 5432 in moto, provided by the same account", () => {
  it("is judged on 5432 without --port: a listener and a healthy target in each endpoint AZ pass", async () => {
    const world = await buildProviderWorld(clients, fixtureElb(motoUrl), {
      listenerPort: 5432,
      targetPort: 5432,
      admit: [5432],
    });
    const run = await diagnose(world.endpointId);
    const provider = checkOf(run.json, "service-provider");
    expect(provider.status).toBe("pass");
    expect(provider.summary).toContain("a listener on tcp/5432");
    expect(checkOf(run.json, "security-groups")).toMatchObject({ status: "pass" });
    expect(checkOf(run.json, "security-groups").summary).toContain("tcp/5432");
    expect(run.json.verdict.status).not.toBe("broken");
    expect(run.json.gaps.map((g: { iamAction: string }) => g.iamAction)).toContain(
      "ec2:DescribeVpcEndpointConnections",
    );
    // 27 calls measured: 16 for the consumer side plus 11 for the provider (configuration, permissions,
    // connection, AZ ids, the NLB, its listeners and attributes, target groups, their attributes and health,
    // the targets' placement): a bound, so a new read per target or per AZ shows up here.
    expect(run.json.stats.awsCalls).toBeLessThanOrEqual(30);
  });

  it("blames the provider when the client's port has no listener: connection refused", async () => {
    const world = await buildProviderWorld(clients, fixtureElb(motoUrl), {
      listenerPort: 5433,
      targetPort: 5432,
      admit: [5432],
    });
    const run = await diagnose(world.endpointId, "--port", "5432");
    expect(run.code).toBe(1);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "service-provider" });
    expect(run.json.verdict.summary).toContain(
      "has no listener on tcp/5432: connections to the endpoint on 5432 are refused",
    );
    const fix = checkOf(run.json, "service-provider").findings[0].remediation.command;
    expect(fix).toContain(`--load-balancer-arn ${world.loadBalancerArn} --protocol TCP --port 5432`);
    expect(fix).toContain(`TargetGroupArn=${world.targetGroupArn}`);
  });

  it("blames the provider for the endpoint AZ with no healthy target while cross-zone is off", async () => {
    const world = await buildProviderWorld(clients, fixtureElb(motoUrl), {
      listenerPort: 5432,
      targetPort: 5432,
      admit: [5432],
      stopSecondTarget: true,
    });
    const run = await diagnose(world.endpointId);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "service-provider" });
    expect(run.json.verdict.summary).toMatch(
      /has no healthy target in us-east-1b \(use1-az\d+\) and cross-zone load balancing is off/,
    );
    const finding = checkOf(run.json, "service-provider").findings[0];
    expect(finding.remediation.command).toContain(
      `--target-group-arn ${world.targetGroupArn} --attributes Key=load_balancing.cross_zone.enabled,Value=true`,
    );
    expect(finding.evidence.join("\n")).toContain("unused (Target.InvalidState");
  });
});

describe("a custom service whose provider account is not readable", () => {
  it("skips the provider side, saying what to check, and judges the ports given with --port", async () => {
    const providerClients = fixtureClients(
      motoUrl,
      "us-east-1",
      await assumeRole(motoUrl, "arn:aws:iam::111122223333:role/provider"),
    );
    const credentials = await assumeRole(motoUrl, "arn:aws:iam::111122223333:role/provider");
    const provider = await buildProvider(providerClients, fixtureElb(motoUrl, credentials), {
      listenerPort: 5432,
      targetPort: 5432,
      admit: [],
    });
    const world = await buildConsumer(clients, provider.serviceName, [5432]);
    const run = await diagnose(world.endpointId, "--port", "5432");
    const check = checkOf(run.json, "service-provider");
    expect(check.status).toBe("skip");
    expect(check.summary).toContain("is not readable: add provides:");
    expect(check.findings[0].evidence[0]).toBe("a listener on tcp/5432 on the service's load balancer");
    expect(checkOf(run.json, "security-groups").summary).toContain("tcp/5432");
  });
});
