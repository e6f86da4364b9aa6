import { describe, expect, it } from "vitest";
import { regionInfo } from "../../src/aws/regions.js";
import {
  parseEndpointId,
  parsePorts,
  parseRegion,
  parseSource,
  parseWindow,
  RequestError,
} from "../../src/diagnosis/request.js";

const known = (code: string) => regionInfo(code) !== undefined;

describe("parseEndpointId", () => {
  it.each(["vpce-0abc1234", "vpce-0a1b2c3d4e5f60718", "VPCE-0A1B2C3D4E5F60718"])("accepts %s", (id) => {
    expect(parseEndpointId(id)).toBe(id.toLowerCase());
  });
  it.each(["vpce-0abc123", "vpce-xyz12345", "vpc-0abc1234", "0abc1234", "vpce-0a1b2c3d4e5f607189", ""])(
    "rejects %s with one line",
    (id) => {
      expect(() => parseEndpointId(id)).toThrow(RequestError);
      expect(() => parseEndpointId(id)).toThrow(/8 or 17 hex digits/);
    },
  );
  it("explains an endpoint service id given by mistake", () => {
    expect(() => parseEndpointId("vpce-svc-0a1b2c3d4e5f60718")).toThrow(/endpoint \*service\* id/);
  });
});

describe("parseRegion", () => {
  it.each(["us-east-1", "eu-west-3", "cn-north-1", "us-gov-west-1", "ap-southeast-5", "eusc-de-east-1"])(
    "accepts %s",
    (r) => {
      expect(parseRegion(r, known)).toBe(r);
    },
  );
  it.each(["us-east-9", "useast1", "us-east", "mars-north-1", "aws-global", ""])("rejects %s", (r) => {
    expect(() => parseRegion(r, known)).toThrow(/unknown AWS region/);
  });
});

describe("parseSource", () => {
  it("turns a bare IPv4 address into a /32", () => {
    expect(parseSource("10.0.1.25")).toEqual({ kind: "cidr", value: "10.0.1.25/32", ipVersion: 4 });
  });
  it("keeps CIDRs and IPv6", () => {
    expect(parseSource("10.0.0.0/16")).toEqual({ kind: "cidr", value: "10.0.0.0/16", ipVersion: 4 });
    expect(parseSource("2001:db8::1")).toEqual({ kind: "cidr", value: "2001:db8::1/128", ipVersion: 6 });
  });
  it.each([
    ["i-0123456789abcdef0", "instance"],
    ["eni-0123abcd", "eni"],
    ["subnet-0123456789abcdef0", "subnet"],
    ["sg-0123abcd", "security-group"],
  ])("recognises %s as %s", (raw, kind) => {
    expect(parseSource(raw)).toEqual({ kind, value: raw });
  });
  it.each(["10.0.0.300", "i-xyz", "host.example.com", "10.0.0.0/33"])("rejects %s", (raw) => {
    expect(() => parseSource(raw)).toThrow(/is not a source/);
  });
});

describe("parseWindow", () => {
  it.each([
    ["1h", 1],
    ["24h", 24],
    ["90m", 1.5],
    ["6", 6],
    ["1d", 24],
  ])("%s is %d hours", (raw, hours) => {
    expect(parseWindow(raw)).toBe(hours);
  });
  it.each(["25h", "0h", "2d", "soon", "-1h"])("rejects %s", (raw) => {
    expect(() => parseWindow(raw)).toThrow(RequestError);
  });
});

describe("parsePorts", () => {
  it("reads one port or a comma-separated list, sorted and distinct", () => {
    expect(parsePorts("5432")).toEqual([5432]);
    expect(parsePorts("587, 25,587")).toEqual([25, 587]);
  });

  it.each(["0", "65536", "https", "", "443,", "4.5", "-1"])("refuses %j with one actionable line", (raw) => {
    expect(() => parsePorts(raw)).toThrow(/is not a port list: give TCP ports from 1 to 65535/);
  });

  it("refuses more than 10 ports", () => {
    expect(() => parsePorts("1,2,3,4,5,6,7,8,9,10,11")).toThrow(/names 11 ports: give at most 10/);
  });
});
