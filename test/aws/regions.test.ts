import { partition } from "@aws-sdk/core/client";
import { describe, expect, it } from "vitest";
import { regionDisplayNames, regionInfo } from "../../src/aws/regions.js";

describe("regionDisplayNames", () => {
  const names = regionDisplayNames();

  it.each([
    ["US East (N. Virginia)", "us-east-1"],
    ["Europe (Ireland)", "eu-west-1"],
    ["Asia Pacific (Malaysia)", "ap-southeast-5"],
    ["Canada West (Calgary)", "ca-west-1"],
    ["China (Beijing)", "cn-north-1"],
    ["AWS GovCloud (US-West)", "us-gov-west-1"],
    ["US ISOB East (Ohio)", "us-isob-east-1"],
    ["AWS European Sovereign Cloud (Germany)", "eusc-de-east-1"],
  ])("maps %j to %s", (name, code) => {
    expect(names.get(name)).toBe(code);
  });

  it("lists every region the SDK describes, each under its own description", () => {
    expect(names.size).toBeGreaterThanOrEqual(48);
    for (const [name, code] of names) {
      expect((partition(code) as { description?: string }).description).toBe(name);
    }
  });

  it("agrees with regionInfo for the commercial, China and GovCloud partitions", () => {
    for (const [name, code] of names) {
      const info = regionInfo(code);
      if (info) expect(info.description).toBe(name);
    }
  });

  it("has no pseudo-regions such as aws-global", () => {
    expect([...names.values()].filter((code) => code.includes("global"))).toEqual([]);
  });

  it("builds the table once", () => {
    expect(regionDisplayNames()).toBe(names);
  });
});
