import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RequestError } from "../../src/diagnosis/request.js";
import type { Source } from "../../src/diagnosis/snapshot.js";
import { parseVpceCommand } from "../../src/slack/commands/parse.js";
import {
  decodeRequestKey,
  encodeRequestKey,
  MAX_REQUEST_KEY_LENGTH,
  type RequestKeyFields,
} from "../../src/slack/request-key.js";

const ID = "vpce-0a1b2c3d4e5f60718";
const BLOCK_ID = /^[A-Za-z0-9._:/|-]+$/;

const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-5", "cn-north-1", "us-gov-west-1", "ca-west-1"];
const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: length, maxLength: length });
const resourceId = (prefix: string) => fc.oneof(hex(8), hex(17)).map((digits) => `${prefix}-${digits}`);

const sourceArb: fc.Arbitrary<Source> = fc.oneof(
  fc
    .tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 }))
    .map(([ip, bits]) => ({ kind: "cidr", value: `${ip}/${bits}`, ipVersion: 4 }) as const),
  fc
    .tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 }))
    .map(([ip, bits]) => ({ kind: "cidr", value: `${ip}/${bits}`, ipVersion: 6 }) as const),
  resourceId("i").map((value) => ({ kind: "instance", value }) as const),
  resourceId("eni").map((value) => ({ kind: "eni", value }) as const),
  resourceId("subnet").map((value) => ({ kind: "subnet", value }) as const),
  resourceId("sg").map((value) => ({ kind: "security-group", value }) as const),
);

const requestArb: fc.Arbitrary<RequestKeyFields> = fc
  .record({
    endpointId: resourceId("vpce"),
    region: fc.constantFrom(...REGIONS),
    account: fc.option(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/), { nil: undefined }),
    source: fc.option(sourceArb, { nil: undefined }),
    windowHours: fc.integer({ min: 1, max: 1440 }).map((minutes) => minutes / 60),
  })
  .map((r) => {
    const request: RequestKeyFields = {
      endpointId: r.endpointId,
      region: r.region,
      windowHours: r.windowHours,
    };
    if (r.account !== undefined) request.account = r.account;
    if (r.source !== undefined) request.source = r.source;
    return request;
  });

const keyLikeArb = fc
  .tuple(requestArb, fc.integer({ min: 0, max: 60 }), fc.string({ maxLength: 3 }))
  .map(([request, at, junk]) => {
    const key = encodeRequestKey(request);
    return key.slice(0, at) + junk + key.slice(at + junk.length);
  });

describe("encodeRequestKey", () => {
  it.each<[RequestKeyFields, string]>([
    [{ endpointId: ID, region: "us-east-1", windowHours: 1 }, `v1|${ID}|us-east-1|||60m`],
    [
      {
        endpointId: "vpce-0abc1234",
        region: "eu-west-1",
        account: "prod",
        source: { kind: "cidr", value: "10.0.1.0/24", ipVersion: 4 },
        windowHours: 1.5,
      },
      "v1|vpce-0abc1234|eu-west-1|prod|10.0.1.0/24|90m",
    ],
    [
      {
        endpointId: ID,
        region: "us-east-1",
        source: { kind: "instance", value: "i-0123abcd" },
        windowHours: 24,
      },
      `v1|${ID}|us-east-1||i-0123abcd|1440m`,
    ],
    [
      {
        endpointId: ID,
        region: "us-east-1",
        source: { kind: "cidr", value: "fe80::1%eth0/128", ipVersion: 6 },
        windowHours: 1 / 60,
      },
      `v1|${ID}|us-east-1||fe80::1_eth0/128|1m`,
    ],
    [
      { endpointId: ID, region: "us-east-1", windowHours: 1, ports: [25, 587] },
      `v1|${ID}|us-east-1|||60m|25.587`,
    ],
  ])("encodes %j", (request, key) => {
    expect(encodeRequestKey(request)).toBe(key);
    expect(decodeRequestKey(key)).toStrictEqual(request);
  });

  it("ignores fields it does not carry, such as the requester", () => {
    const request = { endpointId: ID, region: "us-east-1", windowHours: 2, requester: "U0456" };
    expect(decodeRequestKey(encodeRequestKey(request))).toStrictEqual({
      endpointId: ID,
      region: "us-east-1",
      windowHours: 2,
    });
  });

  it.each<[string, RequestKeyFields]>([
    ["an invalid endpoint id", { endpointId: "vpce-xyz", region: "us-east-1", windowHours: 1 }],
    ["an upper-case endpoint id", { endpointId: ID.toUpperCase(), region: "us-east-1", windowHours: 1 }],
    ["an unknown region", { endpointId: ID, region: "us-east-9", windowHours: 1 }],
    ["an alias with a pipe", { endpointId: ID, region: "us-east-1", account: "a|b", windowHours: 1 }],
    ["a window of zero", { endpointId: ID, region: "us-east-1", windowHours: 0 }],
    ["a window over 24 h", { endpointId: ID, region: "us-east-1", windowHours: 25 }],
    ["a window of NaN", { endpointId: ID, region: "us-east-1", windowHours: Number.NaN }],
    ["a window between minutes", { endpointId: ID, region: "us-east-1", windowHours: 1.001 }],
    [
      "a source whose kind does not match its value",
      { endpointId: ID, region: "us-east-1", source: { kind: "eni", value: "i-0123abcd" }, windowHours: 1 },
    ],
    [
      "a source with the wrong IP version",
      {
        endpointId: ID,
        region: "us-east-1",
        source: { kind: "cidr", value: "10.0.0.0/8", ipVersion: 6 },
        windowHours: 1,
      },
    ],
    [
      "a source too long for a block id",
      {
        endpointId: ID,
        region: "us-east-1",
        source: { kind: "cidr", value: `fe80::1%${"a".repeat(300)}/128`, ipVersion: 6 },
        windowHours: 1,
      },
    ],
  ])("refuses %s", (_, request) => {
    expect(() => encodeRequestKey(request)).toThrow(RequestError);
  });

  it("stays within Slack's block_id limit with the longest inputs the slash command accepts", () => {
    const longestAlias = `A${"b".repeat(62)}`;
    const longestSource = `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255%${"z".repeat(54)}`;
    expect(longestSource).toHaveLength(100);
    const command = parseVpceCommand(
      `diagnose ${ID} ap-southeast-5 --account ${longestAlias} --from ${longestSource} --window 1439m`,
      () => true,
    );
    expect(command.kind).toBe("diagnose");
    if (command.kind !== "diagnose") return;
    const request = { ...command, region: command.region! };
    const key = encodeRequestKey(request);
    expect(key.length).toBeLessThanOrEqual(MAX_REQUEST_KEY_LENGTH);
    expect(key).toMatch(BLOCK_ID);
    const { kind: _, ...fields } = request;
    expect(decodeRequestKey(key)).toStrictEqual(fields);
  });

  it("stays within the limit with the longest plain IPv6 CIDR", () => {
    const key = encodeRequestKey({
      endpointId: ID,
      region: "us-gov-west-1",
      account: "a".repeat(63),
      source: { kind: "cidr", value: "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128", ipVersion: 6 },
      windowHours: 1439 / 60,
    });
    expect(key.length).toBeLessThanOrEqual(MAX_REQUEST_KEY_LENGTH);
    expect(key).toMatch(BLOCK_ID);
  });
});

describe("decodeRequestKey", () => {
  it.each([
    ["empty", ""],
    ["another version", `v2|${ID}|us-east-1|||60m`],
    ["too few fields", `v1|${ID}|us-east-1||60m`],
    ["too many fields", `v1|${ID}|us-east-1||||60m`],
    ["an invalid endpoint id", "v1|vpce-123|us-east-1|||60m"],
    ["an upper-case endpoint id", `v1|${ID.toUpperCase()}|us-east-1|||60m`],
    ["an unknown region", `v1|${ID}|us-east-9|||60m`],
    ["a missing region", `v1|${ID}||||60m`],
    ["a bad alias", `v1|${ID}|us-east-1|-prod||60m`],
    ["a bad source", `v1|${ID}|us-east-1||host.example|60m`],
    ["a non-canonical source", `v1|${ID}|us-east-1||10.0.0.1|60m`],
    ["two zone separators", `v1|${ID}|us-east-1||fe80::1_a_b/128|60m`],
    ["a window in hours", `v1|${ID}|us-east-1|||1h`],
    ["a window with a leading zero", `v1|${ID}|us-east-1|||060m`],
    ["a window of zero", `v1|${ID}|us-east-1|||0m`],
    ["a window over 24 h", `v1|${ID}|us-east-1|||1441m`],
    ["a character outside the block_id alphabet", `v1|${ID}|us-east-1|pr od||60m`],
    ["a percent sign", `v1|${ID}|us-east-1||fe80::1%eth0/128|60m`],
    ["a key over 255 characters", `v1|${ID}|us-east-1|${"a".repeat(250)}||60m`],
  ])("returns undefined for %s", (_, key) => {
    expect(decodeRequestKey(key)).toBeUndefined();
  });

  it("returns undefined when the region catalog throws", () => {
    const broken = () => {
      throw new Error("catalog unavailable");
    };
    expect(decodeRequestKey(`v1|${ID}|us-east-1|||60m`, broken)).toBeUndefined();
  });

  it("never throws and only accepts canonical keys, for any string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), keyLikeArb), (key) => {
        const decoded = decodeRequestKey(key);
        if (decoded) expect(encodeRequestKey(decoded)).toBe(key);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("request key round trip", () => {
  it("decodes every encoded request to itself, within Slack's block_id alphabet and length", () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const key = encodeRequestKey(request);
        expect(key.length).toBeLessThanOrEqual(MAX_REQUEST_KEY_LENGTH);
        expect(key).toMatch(BLOCK_ID);
        expect(decodeRequestKey(key)).toStrictEqual(request);
      }),
      { numRuns: 1000 },
    );
  });

  it("round-trips every request the slash command parses", () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const flags = [
          request.account ? `--account ${request.account}` : "",
          request.source ? `--from ${request.source.value}` : "",
          `--window ${Math.round(request.windowHours * 60)}m`,
        ];
        const command = parseVpceCommand(
          `diagnose ${request.endpointId} ${request.region} ${flags.join(" ")}`,
          () => true,
        );
        if (command.kind !== "diagnose") throw new Error(`did not parse: ${JSON.stringify(command)}`);
        const { kind: _, ...fields } = command;
        expect(decodeRequestKey(encodeRequestKey(fields as RequestKeyFields))).toStrictEqual(fields);
      }),
      { numRuns: 500 },
    );
  });
});
