import { readFile, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { PROBE_ACTIONS } from "../../src/aws/actions.js";
import { CredentialsError, isCredentialsError } from "../../src/aws/errors.js";
import { regionInfo } from "../../src/aws/regions.js";
import { createAwsCollector } from "../../src/aws/snapshot-source.js";
import { runCli } from "../../src/cli/run.js";
import { configFile, useMoto } from "./cli-harness.js";
import { launchClient, type RecordingProxy, startRecordingProxy } from "./probe-world.js";
import {
  buildWorld,
  type FixtureClients,
  fixtureClients,
  MOTO_DEFAULT_ACCOUNT,
  type World,
} from "./world.js";

// The client probe through the real CLI, the real collector and the real SDK, against moto behind a recording
// proxy. moto accepts SendCommand and answers GetCommandInvocation with status Success and an empty output; it does
// not implement DescribeInstanceInformation (the proxy answers it), and it enforces no IAM: every AWS call the
// product makes is recorded instead, which proves what a session can do and that no --probe means no SSM call.

const motoUrl = inject("motoUrl");
let proxy: RecordingProxy;
let clients: FixtureClients;
let world: World;
let instanceId: string;
const slept: number[] = [];
// A fresh collector (and credential broker) per run, so every run assumes its own sessions.
const newCollector = () =>
  createAwsCollector({
    maxAttempts: 1,
    probePoll: { maxPolls: 4, intervalMs: 1_000, sleep: async (ms) => void slept.push(ms) },
  });
const config = configFile(`accounts:
  - alias: prod
    id: "${MOTO_DEFAULT_ACCOUNT}"
    roleArn: arn:aws:iam::${MOTO_DEFAULT_ACCOUNT}:role/vpce-doctor-readonly
    externalId: probe-ext
    region: us-east-1
`);

beforeAll(async () => {
  proxy = await startRecordingProxy(motoUrl);
  useMoto(proxy.url);
  clients = fixtureClients(motoUrl, "us-east-1");
  world = await buildWorld(clients, { flowLogs: false, metrics: false });
  instanceId = await launchClient(clients, world);
});

afterAll(() => proxy.close());

beforeEach(() => {
  proxy.recorded.length = 0;
  slept.length = 0;
  proxy.state.managed = [{ InstanceId: instanceId, PingStatus: "Online", PlatformType: "Linux" }];
  proxy.state.denySendCommand = false;
  proxy.state.stillRunning = false;
});

async function diagnose(...extra: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(
    [
      "diagnose",
      world.endpointId,
      "--account",
      "prod",
      "--config",
      config,
      "--from",
      instanceId,
      "--json",
      ...extra,
    ],
    {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: process.env,
      readFile: (p) => readFile(p, "utf8"),
      writeFile: (p, t) => writeFile(p, t),
      stdoutIsTTY: false,
      stderrIsTTY: false,
      isKnownRegion: (c) => regionInfo(c) !== undefined,
      collector: newCollector(),
      requester: "cli-probe-test",
      version: "test",
      isExpectedError: (error) => error instanceof CredentialsError || isCredentialsError(error),
    },
  );
  // biome-ignore lint/suspicious/noExplicitAny: the JSON document is asserted field by field
  const json: any = stdout ? JSON.parse(stdout) : undefined;
  const probe = json?.checks.find((c: { id: string }) => c.id === "client-probe");
  return { code, stderr, json, probe };
}

function sent(operation: string): Record<string, unknown> {
  const call = proxy.recorded.find((r) => r.operation === `AmazonSSM.${operation}`);
  expect(call, `${operation} was not sent`).toBeDefined();
  return JSON.parse(call!.body);
}

describe("a diagnosis without --probe", () => {
  it("sends no SSM call at all, and its session policy carries no probe action", async () => {
    const run = await diagnose();
    expect(run.json.endpointId).toBe(world.endpointId);
    expect(proxy.recorded.length).toBeGreaterThan(5);
    expect(proxy.ssmCalls()).toEqual([]);
    const policies = proxy.sessionPolicies();
    expect(policies).toHaveLength(1);
    expect(JSON.stringify(policies[0])).not.toContain("ssm:");
    expect(run.probe).toMatchObject({
      status: "skip",
      summary: expect.stringMatching(/^not run: opt-in with --probe/),
    });
  });
});

describe("a diagnosis with --probe, against moto", () => {
  it("sends AWS-RunShellScript to a Linux instance with a 10 s budget, polls once, and reads moto's empty output as unreadable, never a pass", async () => {
    const run = await diagnose("--probe");
    expect(proxy.ssmCalls()).toEqual(["DescribeInstanceInformation", "SendCommand", "GetCommandInvocation"]);
    const command = sent("SendCommand") as {
      DocumentName: string;
      InstanceIds: string[];
      Parameters: Record<string, string[]>;
    };
    expect(command.DocumentName).toBe("AWS-RunShellScript");
    expect(command.InstanceIds).toEqual([instanceId]);
    expect(command.Parameters.executionTimeout).toEqual(["10"]);
    expect(command.Parameters.commands![0]).toMatch(
      /^printf '%s' '[A-Za-z0-9+/=]+' \| base64 -d \| timeout 9 bash -s -- '/,
    );
    expect(command.Parameters.commands![0]).toContain("'443'");
    expect(run.probe.status).toBe("unknown");
    expect(run.probe.summary).toMatch(/^probe output unreadable \(the probe printed nothing\)/);
    expect(run.probe.findings[0].evidence[0]).toContain("status Success");
    expect(slept).toEqual([1_000]);
  });

  it("adds only the probe statement to a second session; the diagnosis's reads keep the read-only one", async () => {
    await diagnose("--probe");
    const policies = proxy.sessionPolicies();
    const probeSessions = policies.filter((p) => JSON.stringify(p).includes("ssm:"));
    expect(probeSessions).toHaveLength(1);
    const statements = probeSessions[0]!.Statement;
    expect(statements.map((s) => s.Sid)).toEqual(["VpceDoctorReadOnly", "VpceDoctorProbe"]);
    expect(statements[1]!.Action).toEqual([...PROBE_ACTIONS].sort());
    expect(statements[0]!.Action.some((a) => a.startsWith("ssm:"))).toBe(false);
  });

  it("chooses AWS-RunPowerShellScript for a Windows instance", async () => {
    proxy.state.managed = [{ InstanceId: instanceId, PingStatus: "Online", PlatformType: "Windows" }];
    await diagnose("--probe");
    const command = sent("SendCommand") as { DocumentName: string; Parameters: Record<string, string[]> };
    expect(command.DocumentName).toBe("AWS-RunPowerShellScript");
    // The private DNS name, then the endpoint's own name (moto makes one up: vpce-...-xxxx.com.amazonaws.<region>.ssm).
    expect(command.Parameters.commands![0]).toMatch(
      /^\$names = @\('ssm\.us-east-1\.amazonaws\.com', 'vpce-[0-9a-f]+-/,
    );
    expect(command.Parameters.commands![1]).toBe("$ports = @(443)");
  });

  it("skips, sending nothing, when the instance is not managed by Systems Manager", async () => {
    proxy.state.managed = [];
    const run = await diagnose("--probe");
    expect(proxy.ssmCalls()).toEqual(["DescribeInstanceInformation"]);
    expect(run.probe.status).toBe("skip");
    expect(run.probe.summary).toContain(`${instanceId} is not managed by Systems Manager`);
  });

  it("is unknown naming ssm:SendCommand when the role refuses it (an instance without the probe tag)", async () => {
    proxy.state.denySendCommand = true;
    const run = await diagnose("--probe");
    expect(proxy.ssmCalls()).toEqual(["DescribeInstanceInformation", "SendCommand"]);
    expect(run.probe.status).toBe("unknown");
    expect(run.probe.summary).toContain("ssm:SendCommand denied");
  });

  it("gives up after the bounded polls when the command keeps running, and says so", async () => {
    proxy.state.stillRunning = true;
    const run = await diagnose("--probe");
    expect(proxy.ssmCalls().filter((c) => c === "GetCommandInvocation")).toHaveLength(4);
    expect(slept).toEqual([1_000, 1_000, 1_000, 1_000]);
    expect(run.probe.status).toBe("unknown");
    expect(run.probe.summary).toContain("did not finish while vpce-doctor waited");
  });

  it("refuses --probe without an instance to run on", async () => {
    let stderr = "";
    const code = await runCli(
      ["diagnose", world.endpointId, "--region", "us-east-1", "--probe", "--from", "10.0.3.7"],
      {
        stdout: () => {},
        stderr: (t) => (stderr += t),
        env: process.env,
        readFile: (p) => readFile(p, "utf8"),
        writeFile: async () => {},
        stdoutIsTTY: false,
        stderrIsTTY: false,
        isKnownRegion: (c) => regionInfo(c) !== undefined,
        collector: newCollector(),
        requester: "cli-probe-test",
        version: "test",
      },
    );
    expect(code).toBe(2);
    expect(stderr).toContain("--probe runs a test on the client instance: give it with --from i-...");
    expect(proxy.recorded).toEqual([]);
  });
});
