import { describe, expect, it } from "vitest";
import { classifyAdvisory, isAdvisory, isNoTrafficYet } from "../../src/diagnosis/advisory.js";
import type { CheckResult } from "../../src/diagnosis/check.js";

const result = (id: string, status: CheckResult["status"], summary: string): CheckResult => ({
  id,
  title: id,
  status,
  summary,
  findings: [],
});

describe("hygiene findings", () => {
  it("marks flow logs off and no traffic as advisory, without editing the checks", () => {
    expect(
      classifyAdvisory(result("flow-logs", "warn", "no flow log covers vpce-1 or its subnets")).advisory,
    ).toBe(true);
    const idle = result(
      "traffic-metrics",
      "warn",
      "no traffic reached vpce-1 in the last 1 h: clients are idle",
    );
    expect(classifyAdvisory(idle).advisory).toBe(true);
    expect(isNoTrafficYet(idle)).toBe(true);
  });

  it("leaves evidence alone: drops, resets, REJECTs and failures are never hygiene", () => {
    expect(isAdvisory(result("traffic-metrics", "warn", "vpce-1 dropped 4 packets in the last 1 h"))).toBe(
      false,
    );
    expect(isAdvisory(result("flow-logs", "fail", "no flow log"))).toBe(false);
    expect(
      classifyAdvisory(result("flow-logs", "warn", "3 REJECT records on port 443")).advisory,
    ).toBeUndefined();
  });

  it("honours a check that marks its own outcome advisory", () => {
    expect(isAdvisory({ ...result("peers", "warn", "x"), advisory: true })).toBe(true);
  });
});
