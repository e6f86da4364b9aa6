import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../src/checks/registry.js";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";
import { healthyGatewaySnapshot, healthyInterfaceSnapshot } from "../support/snapshot-factory.js";

describe("the check registry", () => {
  it("pins the full list of check ids, in the runbooks' reasoning order", () => {
    expect(CHECKS.map((c) => c.id)).toEqual([
      "endpoint-exists",
      "service-acceptance",
      "endpoint-state",
      "service-health",
      "service-availability",
      "service-provider",
      "client-route",
      "security-groups",
      "network-acls",
      "flow-logs",
      "endpoint-policy",
      "private-dns",
      "subnet-coverage",
      "gateway-routes",
      "ip-address-type",
      "client-probe",
      "traffic-metrics",
      "recent-changes",
    ]);
  });

  it("has one file per check, named after its id, and one test file per check", () => {
    const sources = readdirSync(new URL("../../src/checks/", import.meta.url));
    const tests = readdirSync(new URL("./", import.meta.url));
    for (const check of CHECKS) {
      expect(sources).toContain(`${check.id}.ts`);
      expect(tests).toContain(`${check.id}.test.ts`);
    }
  });

  it("gives every check a title", () => {
    for (const check of CHECKS) expect(check.title.length).toBeGreaterThan(10);
  });

  it("finds the healthy interface endpoint healthy", () => {
    const report = diagnoseSnapshot(healthyInterfaceSnapshot());
    const notPassing = report.checks.filter((c) => c.status !== "pass" && c.status !== "skip");
    expect(notPassing.map((c) => `${c.id}: ${c.status}: ${c.summary}`)).toEqual([]);
    expect(report.verdict.status).toBe("healthy");
  });

  it("finds the healthy gateway endpoint healthy", () => {
    const report = diagnoseSnapshot(healthyGatewaySnapshot());
    const notPassing = report.checks.filter((c) => c.status !== "pass" && c.status !== "skip");
    expect(notPassing.map((c) => `${c.id}: ${c.status}: ${c.summary}`)).toEqual([]);
    expect(report.verdict.status).toBe("healthy");
  });
});
