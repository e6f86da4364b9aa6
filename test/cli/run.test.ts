import { describe, expect, it } from "vitest";
import { regionInfo } from "../../src/aws/regions.js";
import { type CliIo, runCli } from "../../src/cli/run.js";
import type { Snapshot } from "../../src/diagnosis/snapshot.js";
import { healthyInterfaceSnapshot, interfaceSnapshot } from "../support/snapshot-factory.js";

const CONFIG = `accounts:
  - alias: prod
    id: "111122223333"
    roleArn: arn:aws:iam::111122223333:role/vpce-doctor
    externalId: ext
    region: eu-west-1
`;

function harness(
  options: { snapshot?: Snapshot; files?: Record<string, string>; env?: Record<string, string> } = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  const written: Record<string, string> = {};
  const requests: unknown[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: options.env ?? {},
    readFile: async (path) => {
      const text = options.files?.[path];
      if (text === undefined) throw Object.assign(new Error("nope"), { code: "ENOENT" });
      return text;
    },
    writeFile: async (path, text) => {
      written[path] = text;
    },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    isKnownRegion: (code) => regionInfo(code) !== undefined,
    collector: async (request, account) => {
      requests.push({ request, account: account?.alias });
      return options.snapshot ?? healthyInterfaceSnapshot();
    },
    requester: "cli-test",
    version: "9.9.9",
  };
  return { io, out: () => out.join(""), err: () => err.join(""), written, requests };
}

const ID = "vpce-0a1b2c3d4e5f60718";

describe("vpce-doctor diagnose", () => {
  it("prints the report and exits 0 for a healthy endpoint", async () => {
    const h = harness();
    expect(await runCli(["diagnose", ID, "--region", "us-east-1"], h.io)).toBe(0);
    expect(h.out()).toMatch(/HEALTHY\s+vpce-0a1b2c3d4e5f60718/);
    expect(h.err()).toBe(`Diagnosing ${ID} in us-east-1...\n`);
  });

  it("exits 1 and names the cause when something fails", async () => {
    const h = harness({ snapshot: interfaceSnapshot((s) => (s.endpoint!.state = "pendingAcceptance")) });
    expect(await runCli(["diagnose", ID, "--region", "us-east-1"], h.io)).toBe(1);
    expect(h.out()).toMatch(/BROKEN/);
    expect(h.out()).toMatch(/Cause: service-acceptance/);
  });

  it("prints the stable JSON document with --json", async () => {
    const h = harness();
    await runCli(["diagnose", ID, "--region", "us-east-1", "--json"], h.io);
    const doc = JSON.parse(h.out());
    expect(Object.keys(doc)).toEqual(
      expect.arrayContaining(["endpointId", "region", "account", "verdict", "checks", "gaps", "stats"]),
    );
    expect(doc.verdict).toMatchObject({ status: "healthy", cause: null });
    expect(doc.checks[0]).toEqual(
      expect.objectContaining({ id: "endpoint-exists", status: "pass", findings: expect.any(Array) }),
    );
  });

  it("builds the request from the flags, the account's default region and the config", async () => {
    const h = harness({ files: { "c.yml": CONFIG } });
    await runCli(
      ["diagnose", ID, "--account", "prod", "--from", "10.0.1.25", "--window", "6h", "--config", "c.yml"],
      h.io,
    );
    expect(h.requests).toEqual([
      {
        request: {
          endpointId: ID,
          region: "eu-west-1",
          account: "prod",
          source: { kind: "cidr", value: "10.0.1.25/32", ipVersion: 4 },
          windowHours: 6,
          requester: "cli-test",
        },
        account: "prod",
      },
    ]);
  });

  it("carries --port into the request and judges the snapshot on those ports", async () => {
    const h = harness();
    await runCli(["diagnose", ID, "--region", "us-east-1", "--port", "5432,443", "--json"], h.io);
    expect((h.requests[0] as { request: { ports: number[] } }).request.ports).toEqual([443, 5432]);
    await runCli(
      ["diagnose", ID, "--region", "us-east-1", "--port", "5432", "--save-snapshot", "s.json"],
      h.io,
    );
    expect(JSON.parse(h.written["s.json"]!).portHint).toEqual({ ports: [5432], origin: "request" });
  });

  it("applies the config's suppressions and service ports to a saved snapshot too", async () => {
    const snapshot = interfaceSnapshot((s) => (s.vpc!.enableDnsHostnames = false));
    const config = `${CONFIG}suppress:
  - check: private-dns
    reason: DNS hostnames are off on purpose in this lab VPC
    expires: "2099-01-01"
`;
    const h = harness({ files: { "s.json": JSON.stringify(snapshot), "c.yml": config } });
    expect(await runCli(["diagnose", "--snapshot", "s.json", "--json", "--config", "c.yml"], h.io)).toBe(0);
    const doc = JSON.parse(h.out());
    expect(doc.verdict.status).toBe("healthy");
    const dns = doc.checks.find((c: { id: string }) => c.id === "private-dns");
    expect(dns.muted).toEqual({
      reason: "DNS hostnames are off on purpose in this lab VPC",
      expires: "2099-01-01",
    });
  });

  it("saves the snapshot it collected", async () => {
    const h = harness();
    await runCli(["diagnose", ID, "--region", "us-east-1", "--save-snapshot", "s.json"], h.io);
    expect(JSON.parse(h.written["s.json"]!).endpointId).toBe(ID);
  });

  it("diagnoses a saved snapshot offline", async () => {
    const snapshot = interfaceSnapshot((s) => (s.vpc!.enableDnsHostnames = false));
    const h = harness({ files: { "s.json": JSON.stringify(snapshot) } });
    expect(await runCli(["diagnose", "--snapshot", "s.json", "--json"], h.io)).toBe(1);
    expect(JSON.parse(h.out()).verdict.cause).toBe("private-dns");
    expect(h.requests).toEqual([]);
  });

  it.each([
    [["diagnose", "vpce-123", "--region", "us-east-1"], /not a VPC endpoint id/],
    [["diagnose", ID, "--region", "us-east-7"], /unknown AWS region "us-east-7"/],
    [["diagnose", ID], /no region: give --region/],
    [["diagnose", ID, "--region", "us-east-1", "--account", "prod"], /no accounts are configured/],
    [["diagnose", ID, "--region", "us-east-1", "--from", "db.internal"], /is not a source/],
    [["diagnose", ID, "--region", "us-east-1", "--window", "48h"], /window "48h" is out of range/],
    [["diagnose", ID, "--region", "us-east-1", "--port", "70000"], /"70000" is not a port list/],
    [["diagnose", ID, "--region", "us-east-1", "--port", "https"], /"https" is not a port list/],
    [
      ["diagnose", ID, "--region", "us-east-1", "--config", "missing.yml"],
      /cannot read config file missing.yml: no such file/,
    ],
    [["diagnose", "--snapshot", "missing.json"], /cannot read snapshot file missing.json/],
    [["diagnose", ID, "--bogus"], /Unknown option '--bogus'/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [[], /missing command/],
    [["diagnose"], /missing endpoint id/],
  ])("exits 2 with one clear line for %j", async (argv, message) => {
    const h = harness();
    expect(await runCli(argv, h.io)).toBe(2);
    expect(h.err()).toMatch(message);
    expect(h.err()).not.toMatch(/\n\s+at /);
    expect(h.requests).toEqual([]);
  });

  it("refuses a snapshot file that is not JSON, or JSON that is not a snapshot", async () => {
    const h = harness({ files: { "a.json": "{nope", "b.json": '{"hello": 1}' } });
    expect(await runCli(["diagnose", "--snapshot", "a.json"], h.io)).toBe(2);
    expect(h.err()).toMatch(/a\.json is not JSON/);
    expect(await runCli(["diagnose", "--snapshot", "b.json"], h.io)).toBe(2);
    expect(h.err()).toMatch(/b\.json is not a vpce-doctor snapshot: schemaVersion/);
  });

  it("turns an unexpected failure into one line, no stack trace", async () => {
    const h = harness();
    h.io.collector = async () => {
      throw new Error("socket hang up\nwith details");
    };
    expect(await runCli(["diagnose", ID, "--region", "us-east-1"], h.io)).toBe(2);
    expect(h.err()).toMatch(/unexpected error: socket hang up\n$/);
  });

  it("exits 2 when the verdict is unknown (access errors)", async () => {
    const snapshot = interfaceSnapshot((s) => {
      s.networkAcls = undefined;
      s.gaps.push({
        source: "networkAcls",
        iamAction: "ec2:DescribeNetworkAcls",
        error: "AccessDenied",
        message: "denied",
      });
    });
    const h = harness({ snapshot });
    expect(await runCli(["diagnose", ID, "--region", "us-east-1"], h.io)).toBe(2);
    expect(h.out()).toMatch(/UNKNOWN/);
    expect(h.out()).toMatch(/ec2:DescribeNetworkAcls/);
  });

  it("prints help and version", async () => {
    const h = harness();
    expect(await runCli(["--help"], h.io)).toBe(0);
    expect(h.out()).toMatch(/Usage: vpce-doctor diagnose/);
    expect(await runCli(["--version"], h.io)).toBe(0);
    expect(h.out()).toMatch(/9\.9\.9/);
  });
});
