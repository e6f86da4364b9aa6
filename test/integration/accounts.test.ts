import { beforeAll, describe, expect, inject, it } from "vitest";
import { cli, configFile, useMoto } from "./cli-harness.js";
import { assumeRole, buildWorld, fixtureClients } from "./world.js";

// A second account reached through STS AssumeRole with an ExternalId, as configured in the accounts file.

const motoUrl = inject("motoUrl");
const TARGET = "111122223333";
const ROLE = `arn:aws:iam::${TARGET}:role/vpce-doctor`;

beforeAll(() => useMoto(motoUrl));

describe("a configured account behind a role", () => {
  it("assumes the role and diagnoses the endpoint in that account, using the account's default region", async () => {
    const credentials = await assumeRole(motoUrl, ROLE);
    const world = await buildWorld(fixtureClients(motoUrl, "eu-west-1", credentials), {
      region: "eu-west-1",
    });
    const config = configFile(
      `accounts:\n  - alias: prod\n    id: "${TARGET}"\n    roleArn: ${ROLE}\n    externalId: ext-42\n    region: eu-west-1\n`,
    );
    const run = await cli(["diagnose", world.endpointId, "--account", "prod", "--config", config, "--json"]);
    expect(run.json.account).toEqual({ id: TARGET, alias: "prod" });
    expect(run.json.region).toBe("eu-west-1");
    expect(run.json.checks.find((c: { id: string }) => c.id === "endpoint-exists").status).toBe("pass");
    expect(run.json.checks.find((c: { id: string }) => c.id === "security-groups").status).toBe("pass");
  });

  it("does not see that endpoint with the bot's own credentials (accounts are isolated)", async () => {
    const credentials = await assumeRole(motoUrl, ROLE);
    const world = await buildWorld(fixtureClients(motoUrl, "us-east-1", credentials));
    const run = await cli(["diagnose", world.endpointId, "--region", "us-east-1", "--json"]);
    expect(run.json.verdict.cause).toBe("endpoint-exists");
    expect(run.json.account.id).toBe("123456789012");
  });

  it("refuses an alias the config does not know, listing the known ones", async () => {
    const config = configFile(`accounts:\n  - alias: prod\n    id: "${TARGET}"\n`);
    const run = await cli([
      "diagnose",
      "vpce-0123456789abcdef0",
      "--account",
      "staging",
      "--config",
      config,
      "--region",
      "us-east-1",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('vpce-doctor: unknown account alias "staging": known aliases are prod\n');
  });
});
