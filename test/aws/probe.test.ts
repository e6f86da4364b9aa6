import { execFile } from "node:child_process";
import { createServer, type Server } from "node:net";
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  type PingStatus,
  type PlatformType,
  SendCommandCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { probeInstance, probePlan } from "../../src/aws/probe.js";
import { linuxCommands, windowsCommands } from "../../src/aws/probe-script.js";
import { parseProbeOutput } from "../../src/checks/client-probe-output.js";
import type { Gap } from "../../src/diagnosis/snapshot.js";
import { interfaceSnapshot } from "../support/snapshot-factory.js";

// The probe's SSM calls (aws-sdk-client-mock, fake timers for the polls) and its scripts.

const ssm = new SSMClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
const mock = mockClient(ssm);
const TARGET = { instanceId: "i-0123456789abcdef0", requestedBy: "U0456" };
const PLAN = { names: ["ssm.us-east-1.amazonaws.com"], ports: [443], tlsPort: 443 };

function managed(platform = "Linux", ping = "Online") {
  mock.on(DescribeInstanceInformationCommand).resolves({
    InstanceInformationList: [
      {
        InstanceId: TARGET.instanceId,
        PingStatus: ping as PingStatus,
        PlatformType: platform as PlatformType,
      },
    ],
  });
  mock.on(SendCommandCommand).resolves({ Command: { CommandId: "cmd-1" } });
}

describe("probeInstance", () => {
  beforeEach(() => {
    mock.reset();
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it("polls a second apart until the command ends, without a real sleep", async () => {
    managed();
    const invocation = Object.assign(new Error("not yet"), { name: "InvocationDoesNotExist" });
    mock
      .on(GetCommandInvocationCommand)
      .rejectsOnce(invocation)
      .resolvesOnce({ Status: "InProgress" })
      .resolves({ Status: "Success", StandardOutputContent: "VPCE-PROBE 1 linux\nEND 10\n" });
    const gaps: Gap[] = [];
    const running = probeInstance(ssm, TARGET, PLAN, gaps);
    await vi.advanceTimersByTimeAsync(3_000);
    const probe = await running;
    expect(mock.commandCalls(GetCommandInvocationCommand)).toHaveLength(3);
    expect(probe).toMatchObject({
      status: "Success",
      commandId: "cmd-1",
      document: "AWS-RunShellScript",
      managed: true,
    });
    expect(gaps).toEqual([]);
  });

  it("stops after the bounded number of polls and records NoAnswer", async () => {
    managed();
    mock.on(GetCommandInvocationCommand).resolves({ Status: "InProgress" });
    const running = probeInstance(ssm, TARGET, PLAN, [], { maxPolls: 5, intervalMs: 2_000 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await running).toMatchObject({ status: "NoAnswer", statusDetails: "still running after 5 polls" });
    expect(mock.commandCalls(GetCommandInvocationCommand)).toHaveLength(5);
  });

  it("sends nothing to an instance whose agent is offline, or to a macOS one", async () => {
    managed("Linux", "ConnectionLost");
    expect((await probeInstance(ssm, TARGET, PLAN, [])).notSent).toContain("PingStatus ConnectionLost");
    mock.reset();
    managed("MacOS");
    expect((await probeInstance(ssm, TARGET, PLAN, [])).notSent).toContain("platform MacOS");
    expect(mock.commandCalls(SendCommandCommand)).toHaveLength(0);
  });

  it("records a refused DescribeInstanceInformation as a probe gap, sending nothing", async () => {
    mock
      .on(DescribeInstanceInformationCommand)
      .rejects(Object.assign(new Error("no"), { name: "AccessDeniedException" }));
    const gaps: Gap[] = [];
    const probe = await probeInstance(ssm, TARGET, PLAN, gaps);
    expect(probe.managed).toBeUndefined();
    expect(gaps).toEqual([
      expect.objectContaining({
        source: "probe",
        iamAction: "ssm:DescribeInstanceInformation",
        error: "AccessDenied",
      }),
    ]);
    expect(mock.commandCalls(SendCommandCommand)).toHaveLength(0);
  });
});

describe("probePlan", () => {
  it("tests the private DNS name and the endpoint's regional name on the service's ports, TLS on 443", () => {
    expect(probePlan(interfaceSnapshot())).toEqual({
      names: [
        "ssm.us-east-1.amazonaws.com",
        "vpce-0a1b2c3d4e5f60718-abcdefgh.ssm.us-east-1.vpce.amazonaws.com",
      ],
      ports: [443],
      tlsPort: 443,
    });
  });

  it("drops a wildcard label and any name that is not a plain DNS name", () => {
    const s = interfaceSnapshot((x) => {
      x.service!.privateDnsName = "*.s3.us-east-1.amazonaws.com";
      x.endpoint!.dnsEntries = [{ dnsName: "vpce-0a1b-x.evil.com'; rm -rf /" }];
    });
    expect(probePlan(s).names).toEqual(["s3.us-east-1.amazonaws.com"]);
  });
});

describe("the probe scripts", () => {
  it("refuse a name or a port that could escape into the shell or PowerShell", () => {
    expect(() => linuxCommands({ names: ["a.com'$(id)"], ports: [443] })).toThrow(/not a DNS name/);
    expect(() => windowsCommands({ names: ["a.com"], ports: [0] })).toThrow(/not a TCP port/);
  });

  it("give PowerShell the names and ports as literals before the script", () => {
    const commands = windowsCommands({
      names: ["a.example.com", "b.example.com"],
      ports: [443, 8443],
      tlsPort: 443,
    });
    expect(commands.slice(0, 3)).toEqual([
      "$names = @('a.example.com', 'b.example.com')",
      "$ports = @(443, 8443)",
      "$tlsPort = 443",
    ]);
    expect(commands.join("\n")).toContain("Write-Output 'VPCE-PROBE 1 windows'");
  });

  describe("the Linux script, run here against loopback listeners", () => {
    let server: Server;
    let open: number;
    let closed: number;
    beforeAll(async () => {
      server = createServer((socket) => socket.end());
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      open = (server.address() as { port: number }).port;
      const spare = createServer();
      await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
      closed = (spare.address() as { port: number }).port;
      await new Promise<void>((resolve) => spare.close(() => resolve()));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("prints the versioned format the parser reads: resolved, connected, refused", async () => {
      const names = ["127.0.0.1", "no-such-name.invalid"];
      const [command] = linuxCommands({ names, ports: [open, closed] });
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile("sh", ["-c", command!], { timeout: 8_000 }, (error, out) =>
          error ? reject(error) : resolve(out),
        ),
      );
      const parsed = parseProbeOutput(stdout, names);
      expect(parsed.ok, stdout).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.output.resolutions).toEqual([
        { name: "127.0.0.1", ok: true, addresses: ["127.0.0.1"] },
        { name: "no-such-name.invalid", ok: false, reason: "not-found" },
      ]);
      expect(parsed.output.connects).toEqual([
        { address: "127.0.0.1", port: open, result: "OK" },
        { address: "127.0.0.1", port: closed, result: "REFUSED" },
      ]);
      expect(parsed.output.tls.map((t) => t.detail)).toEqual(["no-tls-port", "no-tls-port"]);
    });
  });
});
