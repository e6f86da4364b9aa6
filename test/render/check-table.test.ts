import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../src/checks/registry.js";
import { CHECK_TABLE_MARKERS, checkTable, withCheckTable } from "../../src/render/check-table.js";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("the README check table", () => {
  it("is exactly what the registry generates (run npm run docs:checks after changing a check)", () => {
    expect(withCheckTable(README, CHECKS)).toBe(README);
  });

  it("has one row per check, in registry order, each linking its docs", () => {
    const rows = checkTable(CHECKS).split("\n").slice(2);
    expect(rows.map((row) => /`([a-z-]+)`/.exec(row)?.[1])).toEqual(CHECKS.map((c) => c.id));
    for (const [index, check] of CHECKS.entries()) expect(rows[index]).toContain(`](${check.docs})`);
  });

  it("would notice a drift: a README whose table lacks a check differs from the generated one", () => {
    const stale = withCheckTable(README, CHECKS.slice(1));
    expect(withCheckTable(stale, CHECKS)).not.toBe(stale);
    expect(stale).toContain(CHECK_TABLE_MARKERS.begin);
  });
});
