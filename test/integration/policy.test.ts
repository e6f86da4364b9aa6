import { ModifyVpcEndpointCommand } from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { cli, useMoto } from "./cli-harness.js";
import { buildWorld, type FixtureClients, fixtureClients } from "./world.js";

// Endpoint policies kept by moto, diagnosed through the CLI and the real SDK: a Deny fails only when it
// provably refuses every request through the endpoint; AWS's guardrails pass with a note.

const motoUrl = inject("motoUrl");
let clients: FixtureClients;

beforeAll(() => {
  useMoto(motoUrl);
  clients = fixtureClients(motoUrl, "us-east-1");
});

const ALLOW_ALL = { Effect: "Allow", Principal: "*", Action: "*", Resource: "*" };
const OTHER_VPCE = "vpce-0ffffffffffffffff";

function policy(...statements: unknown[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

function deny(condition: Record<string, unknown>) {
  return { Sid: "Guard", Effect: "Deny", Principal: "*", Action: "*", Resource: "*", Condition: condition };
}

async function policyCheck(endpointId: string) {
  const run = await cli(["diagnose", endpointId, "--region", "us-east-1", "--json"]);
  return run.json.checks.find((c: { id: string }) => c.id === "endpoint-policy");
}

describe("endpoint policies in moto", () => {
  it("passes AWS's data-perimeter guardrail (Allow *, Deny outside the organisation) with a note", async () => {
    const guardrail = {
      Sid: "EnforceIdentityPerimeter",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "*",
      Resource: "*",
      Condition: {
        StringNotEqualsIfExists: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
        BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
      },
    };
    const world = await buildWorld(clients, { policy: policy(ALLOW_ALL, guardrail) });
    const check = await policyCheck(world.endpointId);
    expect(check.status).toBe("pass");
    expect(check.findings.map((f: { summary: string }) => f.summary).join("\n")).toContain(
      "denies callers outside organisation o-a1b2c3d4e5",
    );
  });

  it("fails 'Deny unless aws:SourceIp is ours' and the fix says aws:VpcSourceIp", async () => {
    const world = await buildWorld(clients, {
      policy: policy(ALLOW_ALL, deny({ NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } })),
    });
    const run = await cli(["diagnose", world.endpointId, "--region", "us-east-1", "--json"]);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "endpoint-policy" });
    const finding = run.json.checks.find((c: { id: string }) => c.id === "endpoint-policy").findings[0];
    expect(finding.severity).toBe("critical");
    expect(finding.remediation.text).toContain("aws:VpcSourceIp");
    expect(finding.remediation.command).toContain(`--vpc-endpoint-id ${world.endpointId}`);
    expect(finding.remediation.command).toContain('"aws:VpcSourceIp":"10.0.0.0/16"');
  });

  it("passes 'Deny if aws:SourceIp is X' with a note: the statement never matches", async () => {
    const world = await buildWorld(clients, {
      policy: policy(ALLOW_ALL, deny({ IpAddress: { "aws:SourceIp": "198.51.100.0/24" } })),
    });
    const check = await policyCheck(world.endpointId);
    expect(check.status).toBe("pass");
    expect(check.findings[0].summary).toContain("never matches a request through");
  });

  it("fails a Deny unless the request comes through another endpoint", async () => {
    const world = await buildWorld(clients, {
      policy: policy(ALLOW_ALL, deny({ StringNotEquals: { "aws:SourceVpce": OTHER_VPCE } })),
    });
    const check = await policyCheck(world.endpointId);
    expect(check.status).toBe("fail");
    expect(check.findings[0].remediation.command).toContain(world.endpointId);
  });

  it("passes the same Deny naming this endpoint", async () => {
    const world = await buildWorld(clients);
    await clients.ec2.send(
      new ModifyVpcEndpointCommand({
        VpcEndpointId: world.endpointId,
        PolicyDocument: policy(ALLOW_ALL, deny({ StringNotEquals: { "aws:SourceVpce": world.endpointId } })),
      }),
    );
    const check = await policyCheck(world.endpointId);
    expect(check.status).toBe("pass");
  });
});
