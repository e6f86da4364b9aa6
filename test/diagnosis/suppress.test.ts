import { describe, expect, it } from "vitest";
import type { Check, CheckOutcome } from "../../src/diagnosis/check.js";
import { evaluate } from "../../src/diagnosis/evaluate.js";
import type { Suppression } from "../../src/diagnosis/suppress.js";
import { healthyInterfaceSnapshot, IDS } from "../support/snapshot-factory.js";

// The snapshot factory collects on 2026-11-23: expiry dates are compared with that day.

function returning(id: string, outcome: CheckOutcome): Check {
  return { id, title: id, appliesTo: "any", needs: [], docs: "", run: () => outcome };
}

const flowLogsOff = returning("flow-logs", {
  status: "warn",
  summary: `no flow log covers ${IDS.vpc}`,
  findings: [
    { severity: "low", summary: `no flow log covers ${IDS.vpc}`, evidence: [], resourceIds: [IDS.vpc] },
  ],
});
const sgBlocks = returning("security-groups", {
  status: "fail",
  summary: `${IDS.sgEndpoint} does not admit tcp/443`,
  findings: [
    { severity: "critical", summary: "blocks 443", evidence: [], resourceIds: [IDS.sgEndpoint] },
    { severity: "info", summary: "a note", evidence: [] },
  ],
});

const suppression = (over: Partial<Suppression> = {}): Suppression => ({
  check: "flow-logs",
  reason: "the SIEM agent ships flow logs",
  expires: "2026-12-31",
  ...over,
});

describe("suppressions", () => {
  it("mute a covered finding with its reason, and the muted check never sets the verdict", () => {
    const report = evaluate(healthyInterfaceSnapshot(), [flowLogsOff], { suppressions: [suppression()] });
    const check = report.checks[0]!;
    expect(check.status).toBe("warn");
    expect(check.muted).toEqual({ reason: "the SIEM agent ships flow logs", expires: "2026-12-31" });
    expect(check.findings[0]!.muted?.reason).toBe("the SIEM agent ships flow logs");
    expect(report.verdict.status).toBe("healthy");
  });

  it("leave the verdict to the first live failure", () => {
    const report = evaluate(healthyInterfaceSnapshot(), [flowLogsOff, sgBlocks], {
      suppressions: [suppression()],
    });
    expect(report.verdict).toMatchObject({ status: "broken", cause: "security-groups" });
  });

  it("hold on their last day and are active again the day after, with a note", () => {
    const lastDay = evaluate(healthyInterfaceSnapshot(), [flowLogsOff], {
      suppressions: [suppression({ expires: "2026-11-23" })],
    });
    expect(lastDay.checks[0]!.muted).toBeDefined();
    const expired = evaluate(healthyInterfaceSnapshot(), [flowLogsOff], {
      suppressions: [suppression({ expires: "2026-11-22" })],
    });
    expect(expired.checks[0]!.muted).toBeUndefined();
    expect(expired.verdict).toMatchObject({ status: "degraded", cause: "flow-logs" });
    const note = expired.checks[0]!.findings.find((f) => f.severity === "info")!;
    expect(note.summary).toBe(
      "the suppression of flow-logs expired on 2026-11-22: this finding is active again",
    );
    expect(note.evidence).toContain("suppressed because: the SIEM agent ships flow logs");
  });

  it("match a resource only when the finding implicates it", () => {
    const other = evaluate(healthyInterfaceSnapshot(), [sgBlocks], {
      suppressions: [suppression({ check: "security-groups", resource: "sg-0fffffffffffffff9" })],
    });
    expect(other.checks[0]!.muted).toBeUndefined();
    expect(other.verdict.status).toBe("broken");
    const same = evaluate(healthyInterfaceSnapshot(), [sgBlocks], {
      suppressions: [suppression({ check: "security-groups", resource: IDS.sgEndpoint.toUpperCase() })],
    });
    expect(same.checks[0]!.muted).toBeDefined();
    expect(same.checks[0]!.findings[1]!.muted).toBeUndefined();
  });

  it("match an account by alias or id, and no other account", () => {
    for (const account of ["prod", IDS.account]) {
      const report = evaluate(healthyInterfaceSnapshot(), [flowLogsOff], {
        suppressions: [suppression({ account })],
      });
      expect(report.checks[0]!.muted).toBeDefined();
    }
    const elsewhere = evaluate(healthyInterfaceSnapshot(), [flowLogsOff], {
      suppressions: [suppression({ account: "staging" })],
    });
    expect(elsewhere.checks[0]!.muted).toBeUndefined();
  });

  it("leave passing and unknown results alone: a suppression cannot hide a missing permission", () => {
    const unknown = returning("flow-logs", {
      status: "unknown",
      summary: "could not read flowLogs: ec2:DescribeFlowLogs denied",
      findings: [{ severity: "medium", summary: "denied", evidence: [] }],
    });
    const report = evaluate(healthyInterfaceSnapshot(), [unknown], { suppressions: [suppression()] });
    expect(report.checks[0]!.muted).toBeUndefined();
    expect(report.verdict.status).toBe("unknown");
  });
});
