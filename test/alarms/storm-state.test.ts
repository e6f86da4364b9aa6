import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  addMember,
  causesByCount,
  newStorm,
  statusCounts,
  stormMember,
  uncaused,
} from "../../src/alarms/storm-state.js";
import { parseSnapshot } from "../../src/diagnosis/load-snapshot.js";
import type { Report } from "../../src/diagnosis/report.js";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";

// Grouping a storm by cause: the verdict's check plus the shared resources its failing finding implicates.

function example(name: string): Report {
  const text = readFileSync(new URL(`../../examples/${name}.json`, import.meta.url), "utf8");
  return diagnoseSnapshot(parseSnapshot(text, name));
}
const SG = example("security-group-blocks-443");
const storm = () =>
  newStorm({
    id: "s",
    channel: "C1",
    accountId: "1",
    accountAlias: "prod",
    region: "us-east-1",
    openedAt: 0,
  });

describe("a storm's causes", () => {
  it("are one cause for 200 endpoints behind one security group, with the group, the change and the fix", () => {
    const state = storm();
    for (let i = 0; i < 200; i += 1) addMember(state, stormMember({ ...SG, endpointId: `vpce-${i}` }));
    const rows = causesByCount(state);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.endpoints).toHaveLength(200);
    expect(rows[0]!.cause).toMatchObject({ status: "broken", check: "security-groups" });
    expect(rows[0]!.cause.resources.every((id) => id.startsWith("sg-"))).toBe(true);
    expect(rows[0]!.cause.change?.by).toBeTruthy();
    expect(rows[0]!.cause.fix?.command).toMatch(/^aws ec2 authorize-security-group-ingress/);
  });

  it("are two causes when the same check fails on two different groups", () => {
    const state = storm();
    const other = structuredClone(SG);
    const check = other.checks.find((c) => c.id === "security-groups")!;
    for (const finding of check.findings) finding.resourceIds = ["sg-0ffffffffffffffff"];
    addMember(state, stormMember({ ...SG, endpointId: "vpce-a" }));
    addMember(state, stormMember({ ...other, endpointId: "vpce-b" }));
    addMember(state, stormMember({ ...SG, endpointId: "vpce-c" }));
    expect(causesByCount(state).map((r) => r.endpoints)).toEqual([["vpce-a", "vpce-c"], ["vpce-b"]]);
  });

  it("never treat the endpoint itself or its interfaces as what endpoints share", () => {
    const state = storm();
    const own = structuredClone(SG);
    for (const finding of own.checks.find((c) => c.id === "security-groups")!.findings)
      finding.resourceIds = [...(finding.resourceIds ?? []), "vpce-a", "eni-0123456789abcdef0"];
    addMember(state, stormMember({ ...own, endpointId: "vpce-a" }));
    addMember(state, stormMember({ ...SG, endpointId: "vpce-b" }));
    expect(causesByCount(state)).toHaveLength(1);
  });

  it("count healthy and unknown endpoints apart, and a repeat alarm replaces the endpoint's verdict", () => {
    const state = storm();
    addMember(state, stormMember({ ...example("healthy-interface"), endpointId: "vpce-h" }));
    addMember(state, stormMember({ ...example("permissions-missing"), endpointId: "vpce-u" }));
    addMember(state, stormMember({ ...SG, endpointId: "vpce-h" }));
    expect(uncaused(state)).toEqual([{ endpointId: "vpce-u", status: "unknown" }]);
    expect(statusCounts(state)).toEqual({ broken: 1, degraded: 0, healthy: 0, unknown: 1 });
  });
});
