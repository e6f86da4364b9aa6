import { beforeAll, describe, expect, inject, it } from "vitest";
import { cliProcess, configFile, motoEnv, useMoto } from "./cli-harness.js";
import { buildWorld, fixtureClients } from "./world.js";

// The real entry point, as a user runs it: a child process, the environment only, exit codes.

const motoUrl = inject("motoUrl");
beforeAll(() => useMoto(motoUrl));

describe("the vpce-doctor command", () => {
  it("diagnoses a moto endpoint and prints the report, with the progress line on stderr", async () => {
    const world = await buildWorld(fixtureClients(motoUrl, "us-east-1"), { dnsHostnames: false });
    const run = await cliProcess(["diagnose", world.endpointId, "--region", "us-east-1"], motoEnv(motoUrl));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(`^✖ BROKEN  ${world.endpointId} com\\.amazonaws\\.us-east-1\\.ssm`),
    );
    expect(run.stdout).toMatch(/Cause: private-dns/);
    expect(run.stderr).toBe(`Diagnosing ${world.endpointId} in us-east-1...\n`);
  });

  it("takes the region from AWS_REGION", async () => {
    const world = await buildWorld(fixtureClients(motoUrl, "us-east-1"));
    const run = await cliProcess(["diagnose", world.endpointId, "--json"], {
      ...motoEnv(motoUrl),
      AWS_REGION: "us-east-1",
    });
    expect(JSON.parse(run.stdout).region).toBe("us-east-1");
  });

  it("exits 2 with one line when there are no AWS credentials at all", async () => {
    const env = {
      ...motoEnv(motoUrl),
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
      AWS_CONFIG_FILE: "/nonexistent",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
    };
    const run = await cliProcess(["diagnose", "vpce-0123456789abcdef0", "--region", "us-east-1"], env);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(2);
    expect(run.stderr).toMatch(/vpce-doctor: .*credentials/i);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 2 with the usage for a malformed id", async () => {
    const run = await cliProcess(["diagnose", "vpce-12", "--region", "us-east-1"], motoEnv(motoUrl));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^vpce-doctor: "vpce-12" is not a VPC endpoint id/);
  });
});

describe("vpce-doctor config check", () => {
  it("accepts the documented example with a one-line summary, with no AWS or Slack in reach", async () => {
    const run = await cliProcess(["config", "check", "examples/config.yml"], {});
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^examples\/config\.yml: valid — \d+ accounts, \d+ channels/);
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("names every broken key with its line and exits 1", async () => {
    const file = configFile(
      "accounts:\n  - alias: prod\n    id: 1234\nchannels:\n  - id: nope\n    accounts: [prod]\n",
    );
    const run = await cliProcess(["config", "check", file], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/:3: accounts\.0\.id: /);
    expect(run.stderr).toMatch(/:5: channels\.0\.id: /);
  });
});
