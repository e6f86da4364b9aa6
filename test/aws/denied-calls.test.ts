import { describe, expect, it } from "vitest";
import { iamActionFor } from "../../src/aws/actions.js";
import { collectSnapshot } from "../../src/aws/collect.js";
import { createCallCounter } from "../../src/aws/middleware.js";
import { RateLimiter } from "../../src/aws/rate-limit.js";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";
import type { Source } from "../../src/diagnosis/snapshot.js";
import { IDS } from "../support/snapshot-factory.js";
import { createWorld } from "./collect-world.js";

// "A missing permission never reads as a pass": deny each AWS call of a full diagnosis in turn, then
// diagnose. The report must name the refused IAM action, and must never come out healthy.

const NOW = new Date("2026-11-23T12:00:00.000Z");
// The client sits in the endpoint's first AZ, so the undenied diagnosis is healthy throughout.
const SOURCE: Source = { kind: "cidr", value: "10.0.1.25/32", ipVersion: 4 };

async function diagnose(failures: Map<string, string>, accountId: string | undefined) {
  const world = createWorld();
  for (const [command, error] of failures) world.failures.set(command, error);
  world.flowMessages = [];
  world.metricValues = { packetsDropped: 0, rstPacketsReceived: 0 };
  const snapshot = await collectSnapshot(
    {
      endpointId: IDS.endpoint,
      region: "us-east-1",
      accountId,
      accountAlias: "prod",
      source: SOURCE,
      windowHours: 1,
      now: NOW,
    },
    world.clients,
    { counter: createCallCounter(), limiter: new RateLimiter(1000, 100) },
  );
  return { world, report: diagnoseSnapshot(snapshot) };
}

const baseline = await diagnose(new Map(), undefined);
const commands = [...new Set(baseline.world.started())];

describe("every AWS call of a diagnosis, denied in turn", () => {
  it("starts from a diagnosis that is healthy when nothing is denied", () => {
    expect(
      baseline.report.checks.filter((c) => c.status !== "pass" && c.status !== "skip").map((c) => c.id),
    ).toEqual([]);
    expect(baseline.report.verdict.status).toBe("healthy");
  });

  it("covers a full diagnosis (endpoint, network, DNS, telemetry, trail, health, caller identity)", () => {
    expect(commands.length).toBeGreaterThanOrEqual(15);
  });

  it.each(commands)(
    "%s denied: the gap names the IAM action and the verdict is not healthy",
    async (command) => {
      const { report } = await diagnose(new Map([[command, "UnauthorizedOperation"]]), undefined);
      const clientName = baseline.world.log.find((event) => event.command === command)!.client;
      const action = iamActionFor(`${command}Command`, clientName);
      expect(report.gaps.map((g) => g.iamAction)).toContain(action);
      expect(report.gaps.find((g) => g.iamAction === action)?.error).toBe("AccessDenied");
      if (command === "GetCallerIdentity") {
        // Only the account id is lost: it is shown as a gap, and no check result depends on it here.
        expect(report.account.id).toBeUndefined();
        return;
      }
      expect(report.verdict.status).not.toBe("healthy");
      const unknown = report.checks.filter((c) => c.status === "unknown");
      expect(
        unknown.length + report.checks.filter((c) => c.status === "fail" || c.status === "warn").length,
      ).toBeGreaterThan(0);
    },
  );
});
