import { describe, expect, it } from "vitest";
import { flowLogs } from "../../src/checks/flow-logs.js";
import { trafficMetrics } from "../../src/checks/traffic-metrics.js";
import { classifyAdvisory, isAdvisory, isNoTrafficYet } from "../../src/diagnosis/advisory.js";
import type { CheckResult } from "../../src/diagnosis/check.js";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";
import { interfaceSnapshot } from "../support/snapshot-factory.js";

const result = (id: string, status: CheckResult["status"], summary: string): CheckResult => ({
  id,
  title: id,
  status,
  summary,
  findings: [],
});

describe("hygiene findings", () => {
  it("are marked by the checks themselves: flow logs off and no traffic while idle", () => {
    const noFlowLogs = interfaceSnapshot((s) => {
      s.flowLogs = [];
      s.flowRecords = [];
    });
    const idle = interfaceSnapshot((s) => {
      for (const series of s.metrics ?? []) series.datapoints = [];
    });
    const flow = diagnoseSnapshot(noFlowLogs, [flowLogs]).checks[0]!;
    const traffic = diagnoseSnapshot(idle, [trafficMetrics]).checks[0]!;
    expect([flow.status, flow.advisory]).toEqual(["warn", true]);
    expect([traffic.status, traffic.advisory]).toEqual(["warn", true]);
    expect(isNoTrafficYet(traffic)).toBe(true);
    expect(diagnoseSnapshot(idle).verdict.status).toBe("healthy");
  });

  it("leaves evidence alone: drops, resets, REJECTs and failures are never hygiene", () => {
    expect(isAdvisory(result("traffic-metrics", "warn", "vpce-1 dropped 4 packets in the last 1 h"))).toBe(
      false,
    );
    const dropped = interfaceSnapshot((s) => {
      const points = s.metrics!.find((m) => m.name === "PacketsDropped")!.datapoints;
      points[3]!.value = 9;
    });
    const traffic = diagnoseSnapshot(dropped, [trafficMetrics]).checks[0]!;
    expect([traffic.status, traffic.advisory]).toEqual(["warn", undefined]);
  });

  it("never lets a failure or an unknown pass as hygiene, even when a check marks it so", () => {
    const marked = { ...result("flow-logs", "fail", "no flow log"), advisory: true };
    expect(isAdvisory(marked)).toBe(false);
    expect(classifyAdvisory(marked).advisory).toBeUndefined();
    expect(classifyAdvisory({ ...result("x", "warn", "y"), advisory: true }).advisory).toBe(true);
  });
});
