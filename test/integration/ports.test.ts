import { beforeAll, describe, expect, inject, it } from "vitest";
import { cli, useMoto } from "./cli-harness.js";
import { buildPortsWorld } from "./ports-world.js";
import { buildWorld, type FixtureClients, fixtureClients, putFlowRecords } from "./world.js";

// Services on other ports than 443, and flow-log REJECTs that are not the service's, diagnosed through the CLI.

const motoUrl = inject("motoUrl");
let clients: FixtureClients;

beforeAll(() => {
  useMoto(motoUrl);
  clients = fixtureClients(motoUrl, "us-east-1");
});

// biome-ignore lint/suspicious/noExplicitAny: JSON document
const checkOf = (doc: any, id: string) => doc.checks.find((c: { id: string }) => c.id === id);
async function diagnose(endpointId: string) {
  return cli(["diagnose", endpointId, "--region", "us-east-1", "--json"]);
}

describe("an SES SMTP endpoint in moto", () => {
  it("passes when its security group admits 587, and notes the other SMTP ports", async () => {
    const world = await buildPortsWorld(clients, { service: "email-smtp", admit: [587] });
    const run = await diagnose(world.endpointId);
    const check = checkOf(run.json, "security-groups");
    expect(check.status).toBe("pass");
    expect(check.summary).toContain("on tcp/587");
    expect(check.findings.map((f: { severity: string }) => f.severity)).toEqual(["info"]);
    expect(run.json.verdict.cause).not.toBe("security-groups");
  });

  it("fails when its security group admits only 443, and the fix opens the SMTP ports", async () => {
    const world = await buildPortsWorld(clients, { service: "email-smtp", admit: [443] });
    const run = await diagnose(world.endpointId);
    expect(run.code).toBe(1);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "security-groups" });
    const command = checkOf(run.json, "security-groups").findings[0].remediation.command;
    expect(command).toContain(`--group-id ${world.endpointGroup}`);
    expect(command).toContain("FromPort=587,ToPort=587");
    expect(command).toContain("FromPort=25,ToPort=25");
    expect(command).not.toContain("FromPort=443");
  });
});

describe("flow-log REJECTs in moto", () => {
  it("does not call the endpoint broken for a scanner's REJECTs on 22, and says not to worry", async () => {
    const world = await buildWorld(clients);
    await putFlowRecords(clients, world, [
      { src: "198.51.100.7", dstPort: 22, action: "REJECT" },
      { src: "198.51.100.7", dstPort: 22, action: "REJECT", eniIndex: 1 },
      { src: "10.0.3.26", dstPort: 443, action: "ACCEPT" },
    ]);
    const run = await diagnose(world.endpointId);
    expect(run.json.verdict.status).not.toBe("broken");
    const check = checkOf(run.json, "flow-logs");
    expect(check.status).toBe("pass");
    expect(check.summary).toContain("2 on other ports, not the service's traffic");
    expect(JSON.stringify(check)).not.toMatch(/authorize-security-group|--port 22/);
  });

  it("blames the flow logs for a REJECT on 443 towards the endpoint ENI", async () => {
    const world = await buildWorld(clients);
    await putFlowRecords(clients, world, [
      { src: "198.51.100.7", dstPort: 22, action: "REJECT" },
      { src: "10.0.3.25", dstPort: 443, action: "REJECT" },
    ]);
    const run = await diagnose(world.endpointId);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "flow-logs" });
    expect(run.json.verdict.summary).toMatch(/^1 REJECT flow-log record on tcp\/443/);
  });
});
