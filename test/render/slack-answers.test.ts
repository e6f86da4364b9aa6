import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSnapshot } from "../../src/diagnosis/load-snapshot.js";
import type { Report } from "../../src/diagnosis/report.js";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";
import {
  alarmReasonDetails,
  alarmTrigger,
  gapSentence,
  parseToggleActionId,
  renderAlsoNoticed,
  renderRerunReply,
  toggleActionId,
} from "../../src/render/slack.js";
import { endpointMissing, renderEndpointMissing, renderSlowNotice } from "../../src/render/slack-answers.js";
import { assertWithinSlackLimits, slackTexts } from "../support/slack-limits.js";

const example = (name: string): Report =>
  diagnoseSnapshot(
    parseSnapshot(readFileSync(new URL(`../../examples/${name}`, import.meta.url), "utf8"), name),
  );
const all = (message: { text: string; blocks: never[] } | { text: string; blocks: unknown[] }) =>
  slackTexts(message as never).join("\n");

describe("failed reads, in our words", () => {
  const gap = (error: string, message: string) => ({
    source: "networkAcls",
    iamAction: "ec2:DescribeNetworkAcls",
    error,
    message,
  });

  it("never passes the SDK's text on", () => {
    expect(
      gapSentence(gap("AccessDenied", "User: arn:aws:sts::1:assumed-role/x is not authorized <script>")),
    ).toBe("the role lacks ec2:DescribeNetworkAcls");
    expect(gapSentence(gap("DidNotAnswer", "ec2:DescribeNetworkAcls did not answer within 10 s"))).toBe(
      "ec2:DescribeNetworkAcls did not answer within 10 s",
    );
    expect(
      gapSentence(
        gap(
          "InternalError",
          "We encountered an internal error. Request ID: 5f2a9c1e-77aa-4b1e-9d0e-1a2b3c4d5e6f",
        ),
      ),
    ).toBe(
      "AWS answered an error for ec2:DescribeNetworkAcls (InternalError, request id 5f2a9c1e-77aa-4b1e-9d0e-1a2b3c4d5e6f)",
    );
    expect(
      gapSentence({ ...gap("ServiceUnavailable", "Service Unavailable"), requestId: "0a1b2c3d-request" }),
    ).toBe(
      "AWS answered an error for ec2:DescribeNetworkAcls (ServiceUnavailable, request id 0a1b2c3d-request)",
    );
    expect(gapSentence(gap("<b>", "Unexpected token < in JSON"))).toBe(
      "AWS answered an error for ec2:DescribeNetworkAcls (an error)",
    );
  });

  it("says each failed read once, in the root when the verdict is unknown, not again in Also noticed", () => {
    const report = example("permissions-missing.json");
    const noticed = renderAlsoNoticed(report);
    const text = noticed ? all(noticed) : "";
    expect(text).not.toMatch(/Could not read/);
    expect(text).not.toMatch(/UnauthorizedOperation|AccessDenied:/);
  });
});

describe("Also noticed", () => {
  it("folds warnings, hygiene and unknowns into one reply within limits", () => {
    const report = example("no-traffic.json");
    expect(report.verdict.status).toBe("healthy");
    const message = renderAlsoNoticed(report)!;
    assertWithinSlackLimits(message);
    expect(all(message)).toMatch(
      /🧹 \*traffic-metrics\* — no traffic reached .*hygiene: does not change the verdict/,
    );
  });

  it("reads no traffic right after a fix as waiting for CloudWatch", () => {
    const message = renderAlsoNoticed(example("no-traffic.json"), { afterFix: true })!;
    expect(all(message)).toContain("waiting for CloudWatch (datapoints arrive within about 5 minutes)");
    const rerun = renderRerunReply(example("security-group-blocks-443.json"), example("no-traffic.json"), {
      userId: "U0456",
      kind: "rerun",
    });
    expect(all(rerun)).toContain("⏳ traffic-metrics: waiting for CloudWatch");
    expect(all(rerun)).not.toMatch(/still failing/);
  });
});

describe("the private answer for a missing endpoint", () => {
  it("names the id and what to do, and offers Rerun in <region> for each region that has it", () => {
    const report = example("endpoint-not-found.json");
    expect(endpointMissing(report)).toBe(true);
    const message = renderEndpointMissing(report, {
      requestKey: "v1|vpce-0a1b2c3d4e5f60781|us-east-1|prod||60m",
      accountLabel: "prod (111122223333)",
      foundInRegions: ["eu-west-1"],
    });
    assertWithinSlackLimits(message);
    expect(all(message)).toMatch(/vpce-0a1b2c3d4e5f60781 is not in account prod \(111122223333\), us-east-1/);
    expect(all(message)).toContain("It exists in eu-west-1");
    const actions = message.blocks.find((b) => b.type === "actions");
    expect(actions).toMatchObject({
      block_id: "v1|vpce-0a1b2c3d4e5f60781|us-east-1|prod||60m",
      elements: [{ action_id: "vpce_rerun_in:eu-west-1", text: { text: "Rerun in eu-west-1" } }],
    });
    expect(endpointMissing(example("security-group-blocks-443.json"))).toBe(false);
  });
});

describe("small pieces", () => {
  it("toggles carry their intent", () => {
    expect(parseToggleActionId(toggleActionId("flow-logs", true))).toEqual({
      show: true,
      checkId: "flow-logs",
    });
    expect(parseToggleActionId(toggleActionId("flow-logs", false))).toEqual({
      show: false,
      checkId: "flow-logs",
    });
    expect(parseToggleActionId("vpce_toggle:flow-logs")).toBeUndefined();
  });

  it("cuts an alarm's long reason to one line in the trigger, keeping the whole for the details", () => {
    const reason = `Threshold Crossed: 1 out of the last 1 datapoints [42.0 (23/11/26 11:55:00)] was greater than the threshold (0.0).\n${"more detail ".repeat(60)}`;
    const facts = {
      name: "vpce-drops",
      state: "ALARM",
      region: "us-east-1",
      accountAlias: "prod",
      reason,
      changedAt: "2026-11-23T11:56:00Z",
    };
    const trigger = alarmTrigger(facts);
    expect(trigger).not.toContain("\n");
    expect(trigger.length).toBeLessThan(300);
    expect(trigger.match(/<!date\^/g)).toHaveLength(1);
    expect(alarmReasonDetails(facts)).toContain("more detail more detail");
  });

  it("the slow notice names the calls", () => {
    const message = renderSlowNotice("vpce-1", ["ec2:DescribeNetworkAcls"], 8_000, 25_000);
    expect(message.text).toBe(
      "⏳ vpce-1: still waiting on ec2:DescribeNetworkAcls after 8.0 s; the report comes within 25 s, with whatever does not answer listed as not read.",
    );
  });
});
