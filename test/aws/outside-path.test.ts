import { describe, expect, it } from "vitest";
import { iamActionFor } from "../../src/aws/actions.js";
import { collectSnapshot } from "../../src/aws/collect.js";
import { createCallCounter } from "../../src/aws/middleware.js";
import { RateLimiter } from "../../src/aws/rate-limit.js";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";
import type { Source } from "../../src/diagnosis/snapshot.js";
import { IDS, OUTSIDE } from "../support/snapshot-factory.js";
import { createWorld, SOURCE_INSTANCE, type World } from "./collect-world.js";
import { ELSEWHERE, ON_PREM_SOURCE, withOnPremPath, withOtherRegions } from "./outside-world.js";

// The outside client's path and the other-regions lookup, collected through mocked SDK clients: what is read,
// only on those paths, and what each refused call leaves (a gap naming the action, never a pass).

const NOW = new Date("2026-11-23T12:00:00.000Z");
const PATH_CALLS = [
  "DescribeTransitGatewayAttachments",
  "SearchTransitGatewayRoutes",
  "DescribeVpcPeeringConnections",
  "ListResolverEndpoints",
];

async function collect(world: World, source: Source | undefined, endpointId: string = IDS.endpoint) {
  return collectSnapshot(
    { endpointId, region: "us-east-1", accountId: IDS.account, source, windowHours: 1, now: NOW },
    world.clients,
    { counter: createCallCounter(), limiter: new RateLimiter(1000, 100) },
  );
}

function onPremWorld(): World {
  const world = createWorld();
  withOnPremPath(world);
  return world;
}

const count = (world: World, command: string) => world.started().filter((c) => c === command).length;
const checkOf = (report: ReturnType<typeof diagnoseSnapshot>, id: string) =>
  report.checks.find((c) => c.id === id)!;

describe("the path of an on-premises client", () => {
  it("reads the tables, the TGW route covering the client, the peering named and the inbound endpoints, once each", async () => {
    const world = onPremWorld();
    const snapshot = await collect(world, ON_PREM_SOURCE);
    for (const command of PATH_CALLS) expect(count(world, command), command).toBe(1);
    expect(count(world, "DescribeRouteTables")).toBe(1);
    const path = snapshot.outsidePath!;
    expect(path.clientVpcId).toBeUndefined();
    expect(path.transitGatewayRoutes).toEqual([
      expect.objectContaining({ routeTableId: OUTSIDE.tgwRtb, searched: [`${OUTSIDE.onPrem}/32`] }),
    ]);
    expect(path.inboundResolvers?.map((r) => r.id)).toEqual(["rslvr-in-0123456789abcdef0"]);
    const report = diagnoseSnapshot(snapshot);
    expect(checkOf(report, "client-route").status).toBe("warn");
    expect(checkOf(report, "client-route").summary).toContain(OUTSIDE.attachVpn);
  });

  it("makes none of these calls for a client inside the endpoint's VPC, or without a client", async () => {
    for (const source of [{ kind: "instance", value: SOURCE_INSTANCE } as Source, undefined]) {
      const world = onPremWorld();
      await collect(world, source);
      for (const command of [...PATH_CALLS, "DescribeRouteTables"])
        expect(count(world, command), command).toBe(0);
    }
  });

  it.each(["DescribeRouteTables", ...PATH_CALLS])(
    "%s denied: the gap names the action and the check that reads it is unknown",
    async (command) => {
      const world = onPremWorld();
      world.failures.set(command, "UnauthorizedOperation");
      const report = diagnoseSnapshot(await collect(world, ON_PREM_SOURCE));
      const client = world.log.find((e) => e.command === command)!.client;
      const action = iamActionFor(`${command}Command`, client);
      expect(report.gaps.map((g) => g.iamAction)).toContain(action);
      const judged = command === "ListResolverEndpoints" ? "private-dns" : "client-route";
      // The peering here is named by a route the client does not use: its loss leaves the on-premises warning.
      const expected = command === "DescribeVpcPeeringConnections" ? "warn" : "unknown";
      expect(checkOf(report, judged).status).toBe(expected);
      expect(report.verdict.status).not.toBe("healthy");
    },
  );
});

describe("an endpoint id not found in the region asked for", () => {
  it("is looked up in the other enabled regions and found in us-west-2", async () => {
    const world = createWorld();
    withOtherRegions(world);
    const snapshot = await collect(world, undefined, ELSEWHERE.endpointId);
    expect(snapshot.notFound?.foundInRegions).toEqual([ELSEWHERE.region]);
    // us-east-1 once (the endpoint read), then eu-west-1 and us-west-2; ap-east-1 is not enabled.
    expect(count(world, "DescribeVpcEndpoints")).toBe(4);
    const exists = checkOf(diagnoseSnapshot(snapshot), "endpoint-exists");
    expect(exists.summary).toContain("found in us-west-2: rerun with --region us-west-2");
  });

  it("records the regions that could not be asked as a gap of their own, leaving the answer a fail", async () => {
    const world = createWorld();
    withOtherRegions(world);
    world.failures.set("DescribeVpcEndpoints@eu-west-1", "UnauthorizedOperation");
    const snapshot = await collect(world, undefined, ELSEWHERE.endpointId);
    expect(snapshot.notFound?.foundInRegions).toEqual([ELSEWHERE.region]);
    expect(snapshot.gaps).toEqual([
      expect.objectContaining({ source: "notFound.otherRegions", iamAction: "ec2:DescribeVpcEndpoints" }),
    ]);
    expect(checkOf(diagnoseSnapshot(snapshot), "endpoint-exists").status).toBe("fail");
  });

  it("DescribeRegions denied: the gap names it and the endpoint is still reported missing", async () => {
    const world = createWorld();
    withOtherRegions(world);
    world.failures.set("DescribeRegions", "UnauthorizedOperation");
    const snapshot = await collect(world, undefined, ELSEWHERE.endpointId);
    expect(snapshot.notFound?.foundInRegions).toBeUndefined();
    expect(snapshot.gaps.map((g) => g.iamAction)).toContain("ec2:DescribeRegions");
    expect(checkOf(diagnoseSnapshot(snapshot), "endpoint-exists").status).toBe("fail");
  });

  it("looks nowhere else when the endpoint exists", async () => {
    const world = createWorld();
    withOtherRegions(world);
    await collect(world, undefined);
    expect(count(world, "DescribeRegions")).toBe(0);
  });
});
