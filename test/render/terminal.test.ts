import { describe, expect, it } from "vitest";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";
import { clean, renderTerminal } from "../../src/render/terminal.js";
import { healthyInterfaceSnapshot, interfaceSnapshot } from "../support/snapshot-factory.js";

describe("renderTerminal", () => {
  it("leads with the verdict and the cause, then failing checks with evidence and the fix", () => {
    const report = diagnoseSnapshot(
      interfaceSnapshot((s) => {
        s.securityGroups![0]!.ingress = [];
      }),
    );
    const text = renderTerminal(report, { color: false });
    const lines = text.split("\n");
    expect(lines[0]).toMatch(
      /^✖ BROKEN {2}vpce-0a1b2c3d4e5f60718 com\.amazonaws\.us-east-1\.ssm \(Interface\) in us-east-1, account prod \(111122223333\)$/,
    );
    expect(lines[1]).toMatch(/^Cause: security-groups: /);
    expect(text).toMatch(/FAIL {4}security-groups/);
    expect(text).toMatch(/\$ aws ec2 authorize-security-group-ingress .*--group-id sg-0e0e0e0e0e0e0e0e1/);
    expect(text.indexOf("FAIL")).toBeLessThan(text.indexOf("PASS"));
    expect(text.includes("\u001b[")).toBe(false);
  });

  it("colours only when asked", () => {
    const text = renderTerminal(diagnoseSnapshot(healthyInterfaceSnapshot()), { color: true });
    expect(text.includes("\u001b[32m")).toBe(true);
  });

  it("says what was not found and the next steps when healthy", () => {
    const text = renderTerminal(diagnoseSnapshot(healthyInterfaceSnapshot()), { color: false });
    expect(text).toMatch(/No cause found in the last 1 h/);
    expect(text).toMatch(/next: Extend the window to 24 h/);
  });

  it("neutralises terminal control sequences that came from AWS", () => {
    expect(clean("evil\u001b[2Jname\u0007")).toBe("evil?[2Jname?");
    const report = diagnoseSnapshot(
      interfaceSnapshot((s) => {
        s.endpoint!.serviceName = "com.example\u001b]0;pwned\u0007";
      }),
    );
    expect(renderTerminal(report, { color: false }).includes("\u001b]0;")).toBe(false);
  });
});
