import { describe, expect, it } from "vitest";
import { iamActionFor } from "../../src/aws/actions.js";
import { collectSnapshot } from "../../src/aws/collect.js";
import { createCallCounter } from "../../src/aws/middleware.js";
import { RateLimiter } from "../../src/aws/rate-limit.js";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";
import type { Source } from "../../src/diagnosis/snapshot.js";
import { IDS } from "../support/snapshot-factory.js";
import { CUSTOM_SERVICE, createWorld, type World } from "./collect-world.js";

// "A missing permission never reads as a pass": deny each AWS call of a full diagnosis in turn, then
// diagnose. The report must name the refused IAM action, and must never come out healthy.

const NOW = new Date("2026-11-23T12:00:00.000Z");
// The client sits in the endpoint's first AZ, so the undenied diagnosis is healthy throughout.
const SOURCE: Source = { kind: "cidr", value: "10.0.1.25/32", ipVersion: 4 };

async function diagnose(
  failures: Map<string, string>,
  accountId: string | undefined,
  arrange: (world: World) => void = () => {},
) {
  const world = createWorld();
  arrange(world);
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

// A custom service this account provides: the provider side adds the service configuration, the connection,
// the NLB, its listeners, target groups, target health, cross-zone attributes and the targets' AZs.
const ownService = (world: World) => {
  world.endpoints.set(IDS.endpoint, { ...world.endpoints.get(IDS.endpoint)!, ServiceName: CUSTOM_SERVICE });
  world.serviceOwner = IDS.account;
};
// Reads whose loss cannot change this world's verdict, and why: every endpoint AZ has a healthy target of its own.
const NOT_NEEDED_HERE: Record<string, string> = {
  DescribeVpcEndpointConnections:
    "the endpoint's own state (available) already proves the connection is accepted",
  DescribeAvailabilityZones: "in the same account AZ names are the same AZs, so AZ ids are not needed",
  DescribeLoadBalancerAttributes: "each AZ has a local healthy target, so cross-zone does not matter",
  DescribeTargetGroupAttributes: "each AZ has a local healthy target, so cross-zone does not matter",
};
const providerBaseline = await diagnose(new Map(), IDS.account, ownService);
const providerCommands = [...new Set(providerBaseline.world.started())].filter((c) => !commands.includes(c));

describe("every provider-side AWS call, denied in turn", () => {
  it("starts from a healthy diagnosis whose provider side passes", () => {
    expect(providerBaseline.report.checks.find((c) => c.id === "service-provider")?.status).toBe("pass");
    expect(providerBaseline.report.verdict.status).toBe("healthy");
  });

  it("covers the provider reads", () => {
    expect(providerCommands).toEqual(
      expect.arrayContaining(["DescribeLoadBalancers", "DescribeTargetHealth", "DescribeAvailabilityZones"]),
    );
  });

  it.each(providerCommands)(
    "%s denied: the gap names the IAM action and the verdict is not healthy",
    async (command) => {
      const { report } = await diagnose(new Map([[command, "AccessDenied"]]), IDS.account, ownService);
      const clientName = providerBaseline.world.log.find((event) => event.command === command)!.client;
      const action = iamActionFor(`${command}Command`, clientName);
      expect(report.gaps.map((g) => g.iamAction)).toContain(action);
      const check = report.checks.find((c) => c.id === "service-provider")!;
      if (NOT_NEEDED_HERE[command]) {
        // The pass stands on what was read; the gap is still listed in the report.
        expect(check.status, NOT_NEEDED_HERE[command]).toBe("pass");
        return;
      }
      expect(report.verdict.status).not.toBe("healthy");
    },
  );
});
