import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { clientProbe } from "../../src/checks/client-probe.js";
import { isPublicAddress } from "../../src/checks/client-probe-findings.js";
import { parseProbeOutput } from "../../src/checks/client-probe-output.js";
import type { CheckResult } from "../../src/diagnosis/check.js";
import { evaluate } from "../../src/diagnosis/evaluate.js";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";
import type { Probe, Snapshot } from "../../src/diagnosis/snapshot.js";
import { renderFindingReply } from "../../src/render/slack.js";
import { renderTerminal } from "../../src/render/terminal.js";
import { IDS, interfaceSnapshot, withGap } from "../support/snapshot-factory.js";

// The client probe's verdicts over recorded outputs, Linux and Windows alike (test/fixtures/probe/).

const PRIVATE_NAME = "ssm.us-east-1.amazonaws.com";
const REGIONAL = `${IDS.endpoint}-abcdefgh.ssm.us-east-1.vpce.amazonaws.com`;
const INSTANCE = "i-0123456789abcdef0";
const PLATFORMS = ["linux", "windows"] as const;

const recorded = (name: string): string =>
  readFileSync(new URL(`../fixtures/probe/${name}.txt`, import.meta.url), "utf8");

function probe(output: string | undefined, overrides: Partial<Probe> = {}): Probe {
  return {
    instanceId: INSTANCE,
    requestedBy: "U0456",
    managed: true,
    pingStatus: "Online",
    platform: "Linux",
    document: "AWS-RunShellScript",
    names: [PRIVATE_NAME, REGIONAL],
    ports: [443],
    commandId: "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
    status: "Success",
    ...(output !== undefined ? { output } : {}),
    ...overrides,
  };
}

function run(s: Snapshot, earlier: ReadonlyMap<string, CheckResult> = new Map()) {
  return clientProbe.run(s, earlier);
}

function result(id: string, status: CheckResult["status"], summary: string): [string, CheckResult] {
  return [id, { id, title: id, status, summary, findings: [] }];
}

describe("client-probe output parser", () => {
  it.each(PLATFORMS)("reads the recorded %s output of an instance that reaches the endpoint", (platform) => {
    const parsed = parseProbeOutput(recorded(`${platform}-resolves-private`), [PRIVATE_NAME, REGIONAL]);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.output.platform).toBe(platform);
    expect(parsed.output.resolutions).toHaveLength(2);
    expect(parsed.output.connects.map((c) => c.result)).toEqual(["OK", "OK"]);
  });

  it.each([
    ["empty output (what moto returns)", ""],
    ["a shell error before the header", recorded("linux-unreadable")],
    ["a PowerShell exception in the middle", recorded("windows-unreadable")],
    ["another version", recorded("linux-resolves-private").replace("VPCE-PROBE 1", "VPCE-PROBE 2")],
    ["no END line", recorded("linux-resolves-private").replace(/END \d+\n$/, "")],
    ["an unknown line", recorded("linux-resolves-private").replace("END", "PASS everything\nEND")],
    ["a blank line", recorded("linux-resolves-private").replace("CONNECT", "\nCONNECT")],
    ["a bogus address", recorded("linux-resolves-private").replace("OK 10.0.1.10,", "OK 10.0.1.999,")],
    [
      "a name answered twice",
      recorded("linux-resolves-private").replace("CONNECT", `RESOLVE ${REGIONAL} OK 10.0.1.10\nCONNECT`),
    ],
    [
      "a connection to an address nothing resolved",
      recorded("linux-resolves-private").replace("CONNECT 10.0.2.10", "CONNECT 10.9.9.9"),
    ],
    [
      "a port out of range",
      recorded("linux-resolves-private").replace("10.0.2.10 443 OK", "10.0.2.10 70000 OK"),
    ],
  ])("finds %s unreadable", (_label, text) => {
    expect(parseProbeOutput(text, [PRIVATE_NAME, REGIONAL]).ok).toBe(false);
  });

  it("finds an output that leaves out a name it was asked unreadable", () => {
    const parsed = parseProbeOutput(recorded("linux-resolves-private"), [
      PRIVATE_NAME,
      REGIONAL,
      "other.example.com",
    ]);
    expect(parsed).toEqual({ ok: false, reason: "no answer for other.example.com" });
  });

  it("tells public addresses from private, shared and link-local ones", () => {
    expect(isPublicAddress("52.46.141.103")).toBe(true);
    expect(isPublicAddress("2600:1f18::1")).toBe(true);
    for (const address of [
      "10.0.1.10",
      "172.16.0.5",
      "192.168.1.1",
      "100.64.0.1",
      "fd00::1",
      "169.254.169.253",
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });
});

describe("client-probe", () => {
  it.each(PLATFORMS)(
    "passes when the %s instance resolves to the endpoint's ENIs and connects",
    (platform) => {
      const outcome = run(
        interfaceSnapshot((s) => (s.probe = probe(recorded(`${platform}-resolves-private`)))),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain(`${INSTANCE} resolves ${PRIVATE_NAME}`);
      expect(outcome.findings[0]!.evidence.join("\n")).toContain(
        `probe run on ${INSTANCE} (${platform}) for U0456`,
      );
    },
  );

  it.each(PLATFORMS)(
    "fails when the %s instance resolves the private name to public addresses",
    (platform) => {
      const earlier = new Map([result("private-dns", "fail", "private DNS is disabled on the endpoint")]);
      const outcome = run(
        interfaceSnapshot((s) => (s.probe = probe(recorded(`${platform}-resolves-public`)))),
        earlier,
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(
        "resolves ssm.us-east-1.amazonaws.com to public addresses (52.46.141.103)",
      );
      expect(outcome.summary).toContain("private DNS is not in effect for this client");
      expect(outcome.findings[0]!.evidence).toContain(
        "the DNS finding that explains it: private-dns (fail): private DNS is disabled on the endpoint",
      );
    },
  );

  it("says the instance's own resolver is to blame when the VPC's DNS configuration is right", () => {
    const earlier = new Map([result("private-dns", "pass", "resolves to the endpoint")]);
    const outcome = run(
      interfaceSnapshot((s) => (s.probe = probe(recorded("linux-resolves-public")))),
      earlier,
    );
    expect(outcome.findings[0]!.evidence.join("\n")).toContain(
      "look at its resolver settings (/etc/resolv.conf",
    );
  });

  it.each(PLATFORMS)(
    "fails on %s time-outs, pointing at the security group, NACL and route findings",
    (platform) => {
      const earlier = new Map([
        result("security-groups", "fail", "sg-0e0e0e0e0e0e0e0e1 admits nothing on tcp/443"),
        result("network-acls", "pass", "ok"),
        result("client-route", "skip", "same VPC"),
      ]);
      const outcome = run(
        interfaceSnapshot((s) => (s.probe = probe(recorded(`${platform}-timeout`)))),
        earlier,
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("10.0.1.10:443, 10.0.2.10:443 time out");
      const evidence = outcome.findings[0]!.evidence;
      expect(evidence).toContain(
        "the findings that explain it: security-groups (fail): sg-0e0e0e0e0e0e0e0e1 admits nothing on tcp/443",
      );
    },
  );

  it("names the provider side or an OS firewall when every network check passes and connections still time out", () => {
    const earlier = new Map(
      ["security-groups", "network-acls", "client-route"].map((id) => result(id, "pass", "ok")),
    );
    const outcome = run(
      interfaceSnapshot((s) => (s.probe = probe(recorded("linux-timeout")))),
      earlier,
    );
    expect(outcome.findings[0]!.evidence.join("\n")).toContain(
      "security groups, network ACLs and routes all admit this client: look at the provider side",
    );
    expect(outcome.findings[0]!.evidence.join("\n")).toContain("a firewall on the instance");
  });

  it.each(PLATFORMS)("fails on %s refusals, pointing at the provider side", (platform) => {
    const earlier = new Map([result("service-provider", "fail", "no healthy target in use1-az6")]);
    const outcome = run(
      interfaceSnapshot((s) => (s.probe = probe(recorded(`${platform}-refused`)))),
      earlier,
    );
    expect(outcome.status).toBe("fail");
    expect(outcome.summary).toContain("are refused");
    expect(outcome.findings[0]!.evidence.join("\n")).toContain(
      "no listener on the port, or no healthy target behind it. service-provider (fail): no healthy target in use1-az6",
    );
  });

  it.each(PLATFORMS)("fails on a %s TLS handshake failure, with the error", (platform) => {
    const outcome = run(interfaceSnapshot((s) => (s.probe = probe(recorded(`${platform}-tls-error`)))));
    expect(outcome.status).toBe("fail");
    expect(outcome.summary).toMatch(
      /^the TLS handshake from i-0123456789abcdef0 with ssm\.us-east-1\.amazonaws\.com at 10\.0\.1\.10:443 fails: /,
    );
    expect(outcome.summary).toContain(
      platform === "linux" ? "alert handshake failure" : "closed the transport stream",
    );
  });

  it.each([
    ["linux", "linux-unreadable"],
    ["windows", "windows-unreadable"],
    ["moto's empty output", ""],
  ])("is unknown, never a pass, when the output (%s) is unreadable", (_label, name) => {
    const text = name === "" ? "" : recorded(name);
    const outcome = run(interfaceSnapshot((s) => (s.probe = probe(text))));
    expect(outcome.status).toBe("unknown");
    expect(outcome.summary).toMatch(/^probe output unreadable/);
  });

  it("is unknown when the command was still running after the last poll", () => {
    const outcome = run(interfaceSnapshot((s) => (s.probe = probe(undefined, { status: "NoAnswer" }))));
    expect(outcome.status).toBe("unknown");
    expect(outcome.summary).toContain("did not finish while vpce-doctor waited");
  });

  it("warns, never fails, when the names resolve to private addresses of another endpoint that answers", () => {
    const output = recorded("linux-resolves-private")
      .replaceAll("10.0.1.10", "10.9.1.10")
      .replaceAll("10.0.2.10", "10.9.2.10");
    const outcome = run(interfaceSnapshot((s) => (s.probe = probe(output))));
    expect(outcome.status).toBe("warn");
    expect(outcome.summary).toContain("private addresses that are not vpce-0a1b2c3d4e5f60718's");
  });

  it("warns, never fails, on a time-out at a port only assumed for a custom service", () => {
    const outcome = run(
      interfaceSnapshot((s) => {
        s.endpoint!.serviceName = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";
        s.service!.name = s.endpoint!.serviceName;
        s.probe = probe(recorded("linux-timeout"));
      }),
    );
    expect(outcome.status).toBe("warn");
  });

  it("skips, saying how to opt in, when no probe was asked for", () => {
    const outcome = run(interfaceSnapshot());
    expect(outcome).toMatchObject({ status: "skip" });
    expect(outcome.summary).toMatch(/^not run: opt-in with --probe/);
  });

  it("skips, saying why and how to fix it, when the instance is not managed by Systems Manager", () => {
    const outcome = run(
      interfaceSnapshot(
        (s) =>
          (s.probe = { instanceId: INSTANCE, requestedBy: "U0456", managed: false, names: [], ports: [] }),
      ),
    );
    expect(outcome.status).toBe("skip");
    expect(outcome.summary).toBe(
      `not run: ${INSTANCE} is not managed by Systems Manager, so no command can be sent to it`,
    );
    expect(outcome.findings[0]!.remediation!.text).toContain("AmazonSSMManagedInstanceCore");
  });

  it("skips when the SSM agent is offline", () => {
    const s = interfaceSnapshot(
      (x) =>
        (x.probe = probe(undefined, {
          pingStatus: "ConnectionLost",
          notSent: "the SSM agent on i-0123456789abcdef0 is not online (PingStatus ConnectionLost)",
          commandId: undefined,
        })),
    );
    expect(run(s)).toMatchObject({ status: "skip", summary: expect.stringContaining("not online") });
  });

  it("is unknown, naming the refused action, when SendCommand was denied", () => {
    const s = interfaceSnapshot((x) => {
      x.probe = probe(undefined, { commandId: undefined, status: undefined });
      withGap(x, "probe", "ssm:SendCommand");
    });
    const check = evaluate(s, [clientProbe]).checks[0]!;
    expect(check.status).toBe("unknown");
    expect(check.summary).toContain("ssm:SendCommand denied");
  });

  it("sets the verdict only after the configuration checks that explain it", () => {
    const s = interfaceSnapshot((x) => (x.probe = probe(recorded("linux-timeout"))));
    const report = diagnoseSnapshot(s);
    const probeResult = report.checks.find((c) => c.id === "client-probe")!;
    expect(probeResult.status).toBe("fail");
    expect(probeResult.findings[0]!.evidence.join("\n")).toContain(
      "security groups, network ACLs and routes all admit this client",
    );
  });

  it("escapes for Slack and strips for terminals what the instance printed on standard error", () => {
    const hostile = "\u001b[31m<!channel> <https://evil.example|click> & done\u001b[0m";
    const s = interfaceSnapshot((x) => (x.probe = probe("garbage", { error: hostile })));
    const report = diagnoseSnapshot(s);
    const check = report.checks.find((c) => c.id === "client-probe")!;
    const slack = JSON.stringify(
      renderFindingReply(report, check, { reportId: "r1", requestKey: "k", expanded: true }),
    );
    expect(slack).not.toContain("<!channel>");
    expect(slack).toContain("&lt;!channel&gt;");
    const text = renderTerminal(report, { color: false });
    expect(text).not.toContain("\u001b");
  });
});
