import { beforeAll, describe, expect, inject, it } from "vitest";
import { cli, useMoto } from "./cli-harness.js";
import { buildGatewayWorld, naclFor } from "./nacl-world.js";
import { buildWorld, type FixtureClients, fixtureClients } from "./world.js";

// NACL reply ranges and gateway-endpoint routes on real resources in moto, diagnosed through the CLI.

const motoUrl = inject("motoUrl");
let clients: FixtureClients;

beforeAll(() => {
  useMoto(motoUrl);
  clients = fixtureClients(motoUrl, "us-east-1");
});

// biome-ignore lint/suspicious/noExplicitAny: JSON document
const checkOf = (doc: any, id: string) => doc.checks.find((c: { id: string }) => c.id === id);
async function diagnose(endpointId: string, ...extra: string[]) {
  return cli(["diagnose", endpointId, "--region", "us-east-1", "--json", ...extra]);
}

describe("NACL reply ranges in moto", () => {
  it("passes when the endpoint subnets' NACL returns replies on 1024-65535", async () => {
    const world = await buildWorld(clients);
    await naclFor(
      clients.ec2,
      world.vpcId,
      [world.subnets[0]!, world.subnets[1]!],
      [
        { rule: 100, egress: false, action: "allow", ports: [443, 443] },
        { rule: 100, egress: true, action: "allow", ports: [1024, 65535] },
      ],
    );
    const run = await diagnose(world.endpointId);
    expect(checkOf(run.json, "network-acls").status).toBe("pass");
  });

  it("warns (degraded, not broken) when replies go out only on 32768-65535, naming NAT gateways", async () => {
    const world = await buildWorld(clients);
    const aclId = await naclFor(
      clients.ec2,
      world.vpcId,
      [world.subnets[0]!, world.subnets[1]!],
      [
        { rule: 100, egress: false, action: "allow" },
        { rule: 100, egress: true, action: "allow", ports: [32768, 65535] },
      ],
    );
    const run = await diagnose(world.endpointId);
    const check = checkOf(run.json, "network-acls");
    expect(check.status).toBe("warn");
    expect(check.summary).toContain(aclId);
    expect(check.summary).toContain("NAT gateways, Elastic Load Balancing and Lambda functions (1024-65535)");
    expect(check.findings[0].remediation.command).toContain(
      `--network-acl-id ${aclId} --egress --rule-number 110 --protocol tcp --port-range From=1024,To=65535`,
    );
    expect(run.json.verdict.status).toBe("degraded");
  });

  it("fails (broken) when every ephemeral port is denied before the allow", async () => {
    const world = await buildWorld(clients);
    const aclId = await naclFor(
      clients.ec2,
      world.vpcId,
      [world.subnets[0]!, world.subnets[1]!],
      [
        { rule: 100, egress: false, action: "allow" },
        { rule: 90, egress: true, action: "deny", ports: [1024, 65535] },
        { rule: 100, egress: true, action: "allow" },
      ],
    );
    const run = await diagnose(world.endpointId);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "network-acls" });
    expect(checkOf(run.json, "network-acls").summary).toContain(`NACL ${aclId}`);
    expect(checkOf(run.json, "network-acls").summary).toContain("is dropped by rule 90");
  });
});

describe("gateway endpoint routes in moto", () => {
  it("passes when only a public subnet's table (default route to the IGW) lacks the prefix-list route", async () => {
    const world = await buildGatewayWorld(clients.ec2);
    const run = await diagnose(world.endpointId);
    const check = checkOf(run.json, "gateway-routes");
    expect(check.status).toBe("pass");
    expect(check.summary).toContain(`the public ones (${world.publicTable}) need no route`);
    const note = check.findings.find((f: { summary: string }) => f.summary.includes(world.publicTable));
    expect(note).toMatchObject({ severity: "info" });
    expect(note.summary).toContain(world.internetGateway);
  });

  it("warns without --from when a private table lacks the route, naming it and its subnet", async () => {
    const world = await buildGatewayWorld(clients.ec2, { unrouted: true });
    const run = await diagnose(world.endpointId);
    const check = checkOf(run.json, "gateway-routes");
    expect(check.status).toBe("warn");
    expect(check.summary).toContain(world.unroutedTable);
    expect(check.summary).toContain(world.unroutedSubnet);
    expect(run.json.verdict.status).not.toBe("broken");
  });

  it("fails with --from in the private subnet without the route and without a way out", async () => {
    const world = await buildGatewayWorld(clients.ec2, { unrouted: true });
    const run = await diagnose(world.endpointId, "--from", world.unroutedSubnet!);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "gateway-routes" });
    expect(checkOf(run.json, "gateway-routes").findings[0].remediation.command).toContain(
      `--add-route-table-ids ${world.unroutedTable}`,
    );
  });

  it("passes with --from in the routed private subnet", async () => {
    const world = await buildGatewayWorld(clients.ec2, { unrouted: true });
    const run = await diagnose(world.endpointId, "--from", world.routedSubnet);
    expect(checkOf(run.json, "gateway-routes").status).toBe("pass");
  });
});
