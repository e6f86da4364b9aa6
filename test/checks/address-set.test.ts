import { describe, expect, it } from "vitest";
import {
  canonicalCidr,
  cidrSet,
  covers,
  formatPorts,
  formatSet,
  intersect,
  intersectRanges,
  isEmptySet,
  portRange,
  subtract,
  subtractRanges,
  toCidrs,
  union,
  unionRanges,
} from "../../src/checks/address-set.js";

const set = (cidr: string) => cidrSet(cidr)!;

describe("cidrSet and canonicalCidr", () => {
  it("reads addresses and blocks of both families, ignoring host bits", () => {
    expect(canonicalCidr("10.0.3.7")).toBe("10.0.3.7/32");
    expect(canonicalCidr("10.0.3.7/16")).toBe("10.0.0.0/16");
    expect(canonicalCidr("2001:db8::5")).toBe("2001:db8::5/128");
    expect(canonicalCidr("2001:db8:0:1::/56")).toBe("2001:db8::/56");
    expect(canonicalCidr("0.0.0.0/0")).toBe("0.0.0.0/0");
    expect(canonicalCidr("::/0")).toBe("::/0");
  });

  it("answers undefined for what does not parse", () => {
    expect(cidrSet("not-an-address")).toBeUndefined();
    expect(canonicalCidr("10.0.0.0/33")).toBeUndefined();
  });
});

describe("set arithmetic", () => {
  it("subtracts a block from the middle of another and names the rest as CIDRs", () => {
    const rest = subtract(set("10.0.0.0/16"), set("10.0.1.0/24"));
    expect(toCidrs(rest)).toEqual([
      "10.0.0.0/24",
      "10.0.2.0/23",
      "10.0.4.0/22",
      "10.0.8.0/21",
      "10.0.16.0/20",
      "10.0.32.0/19",
      "10.0.64.0/18",
      "10.0.128.0/17",
    ]);
    expect(formatSet(rest, 2)).toBe("10.0.0.0/24, 10.0.2.0/23 ...and 6 more");
  });

  it("merges adjacent blocks into one", () => {
    expect(toCidrs(union(set("10.0.0.0/17"), set("10.0.128.0/17")))).toEqual(["10.0.0.0/16"]);
  });

  it("intersects, and is empty across families", () => {
    expect(toCidrs(intersect(set("10.0.0.0/8"), set("10.1.2.0/24")))).toEqual(["10.1.2.0/24"]);
    expect(isEmptySet(intersect(set("10.0.0.0/8"), set("2001:db8::/32")))).toBe(true);
    expect(toCidrs(subtract(set("10.0.0.0/8"), set("2001:db8::/32")))).toEqual(["10.0.0.0/8"]);
  });

  it("tells coverage", () => {
    expect(covers(set("10.0.0.0/8"), set("10.2.0.0/16"))).toBe(true);
    expect(covers(set("10.2.0.0/16"), set("10.0.0.0/8"))).toBe(false);
    expect(covers(union(set("10.0.0.0/17"), set("10.0.128.0/17")), set("10.0.0.0/16"))).toBe(true);
  });

  it("handles IPv6 splits", () => {
    expect(toCidrs(subtract(set("2001:db8::/32"), set("2001:db8:8000::/33")))).toEqual(["2001:db8::/33"]);
  });
});

describe("port ranges", () => {
  it("subtracts, intersects, unions and formats", () => {
    const ephemeral = portRange(1024, 65535);
    expect(formatPorts(subtractRanges(ephemeral, portRange(1024, 2000)))).toBe("2001-65535");
    expect(formatPorts(subtractRanges(ephemeral, portRange(3000, 3000)))).toBe("1024-2999, 3001-65535");
    expect(formatPorts(intersectRanges(ephemeral, portRange(0, 1500)))).toBe("1024-1500");
    expect(intersectRanges(ephemeral, portRange(443, 443))).toEqual([]);
    expect(formatPorts(unionRanges(portRange(1, 5), portRange(6, 9)))).toBe("1-9");
    expect(formatPorts(portRange(443, 443))).toBe("443");
  });
});
