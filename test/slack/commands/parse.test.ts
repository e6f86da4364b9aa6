import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { regionInfo } from "../../../src/aws/regions.js";
import { parseVpceCommand } from "../../../src/slack/commands/parse.js";
import type { VpceCommand } from "../../../src/slack/commands/vpce-command.js";

const known = (code: string) => regionInfo(code) !== undefined;
const parse = (text: string) => parseVpceCommand(text, known);

const ID = "vpce-0a1b2c3d4e5f60718";

describe("parseVpceCommand: good commands", () => {
  it.each<[string, VpceCommand]>([
    ["", { kind: "help" }],
    ["   \t ", { kind: "help" }],
    ["help", { kind: "help" }],
    ["HELP me please", { kind: "help" }],
    ["--help", { kind: "help" }],
    ["\u2014h", { kind: "help" }],
    ["accounts", { kind: "accounts" }],
    ["  Accounts  ", { kind: "accounts" }],
    [`diagnose ${ID}`, { kind: "diagnose", endpointId: ID, windowHours: 1 }],
    [`diagnose ${ID} us-east-1`, { kind: "diagnose", endpointId: ID, region: "us-east-1", windowHours: 1 }],
    [
      "DIAGNOSE VPCE-0A1B2C3D4E5F60718 EU-WEST-3",
      { kind: "diagnose", endpointId: ID, region: "eu-west-3", windowHours: 1 },
    ],
    [
      `diagnose ${ID} us-east-1 --account prod --from 10.0.1.25 --window 90m`,
      {
        kind: "diagnose",
        endpointId: ID,
        region: "us-east-1",
        account: "prod",
        source: { kind: "cidr", value: "10.0.1.25/32", ipVersion: 4 },
        windowHours: 1.5,
      },
    ],
    [
      `diagnose ${ID} --window=24h --from=sg-0123abcd --account=Prod_2 ap-southeast-5`,
      {
        kind: "diagnose",
        endpointId: ID,
        region: "ap-southeast-5",
        account: "Prod_2",
        source: { kind: "security-group", value: "sg-0123abcd" },
        windowHours: 24,
      },
    ],
    [
      `diagnose ${ID} --from 2001:DB8::/32`,
      {
        kind: "diagnose",
        endpointId: ID,
        source: { kind: "cidr", value: "2001:db8::/32", ipVersion: 6 },
        windowHours: 1,
      },
    ],
    [
      // Slack's em dash for `--`, an en dash, non-breaking and other Unicode spaces, smart quotes
      `diagnose\u00a0${ID}\u2003us-east-1 \u2014account \u201cprod\u201d \u2013from \u2018i-0123456789abcdef0\u2019`,
      {
        kind: "diagnose",
        endpointId: ID,
        region: "us-east-1",
        account: "prod",
        source: { kind: "instance", value: "i-0123456789abcdef0" },
        windowHours: 1,
      },
    ],
    [`  diagnose \n ${ID}\t\t--window\u202f2h\u200b  `, { kind: "diagnose", endpointId: ID, windowHours: 2 }],
    [
      `diagnose ${ID} --account "prod" --from \`subnet-0123abcd\``,
      {
        kind: "diagnose",
        endpointId: ID,
        account: "prod",
        source: { kind: "subnet", value: "subnet-0123abcd" },
        windowHours: 1,
      },
    ],
    [
      `diagnose --account prod ${ID} --region us-west-2`,
      { kind: "diagnose", endpointId: ID, region: "us-west-2", account: "prod", windowHours: 1 },
    ],
    [
      `diagnose ${ID} \u2014\u2014ACCOUNT=prod \u2212\u2212Window=30m`,
      { kind: "diagnose", endpointId: ID, account: "prod", windowHours: 0.5 },
    ],
  ])("%j", (text, expected) => {
    expect(parse(text)).toStrictEqual(expected);
  });
});

describe("parseVpceCommand: bad commands", () => {
  it.each<[string, string]>([
    ["status", 'unknown subcommand "status": use diagnose, accounts or help'],
    ["--account prod", "--account comes too early: start with diagnose, e.g. /vpce diagnose <vpce-id>"],
    ["accounts prod", 'unexpected "prod": accounts takes no arguments'],
    ["diagnose", "diagnose needs a VPC endpoint id, e.g. /vpce diagnose vpce-0a1b2c3d4e5f60718 us-east-1"],
    [
      "diagnose --window 2h",
      "diagnose needs a VPC endpoint id, e.g. /vpce diagnose vpce-0a1b2c3d4e5f60718 us-east-1",
    ],
    [
      "diagnose vpce-123",
      '"vpce-123" is not a VPC endpoint id: expected vpce- followed by 8 or 17 hex digits, e.g. vpce-0a1b2c3d4e5f60718',
    ],
    [
      "diagnose vpce-svc-0a1b2c3d4e5f60718",
      "vpce-svc-0a1b2c3d4e5f60718 is an endpoint *service* id; give the endpoint id (vpce- followed by 8 or 17 hex digits)",
    ],
    [
      `diagnose ${ID} us-east-9`,
      'unknown AWS region "us-east-9": use a region code such as us-east-1, eu-west-1 or cn-north-1',
    ],
    [`diagnose ${ID} 10.0.1.25`, '"10.0.1.25" is not a region: did you mean --from 10.0.1.25?'],
    [`diagnose ${ID} --acount prod`, "unknown option --acount: use --account, --from, --port or --window"],
    [
      `diagnose ${ID} \u2014verbose`,
      "unknown option \u2014verbose: use --account, --from, --port or --window",
    ],
    [`diagnose ${ID} --account`, "--account needs a value, e.g. --account prod"],
    [`diagnose ${ID} --account=`, "--account needs a value, e.g. --account prod"],
    [`diagnose ${ID} --from --window 2h`, "--from needs a value, e.g. --from 10.0.1.25"],
    [`diagnose ${ID} --window`, "--window needs a value, e.g. --window 1h"],
    [`diagnose ${ID} --region`, "--region needs a value, e.g. --region us-east-1"],
    [`diagnose ${ID} --account a --account b`, "--account is given twice"],
    [`diagnose ${ID} --window 1h \u2014window=2h`, "--window is given twice"],
    [
      `diagnose ${ID} us-east-1 --region us-east-1`,
      "the region is given twice: us-east-1 and --region us-east-1",
    ],
    [
      `diagnose ${ID} --region us-east-1 eu-west-1`,
      'unexpected "eu-west-1": the region is already given by --region us-east-1',
    ],
    [
      `diagnose ${ID} us-east-1 prod`,
      'unexpected "prod": diagnose takes one endpoint id and one region; options start with --',
    ],
    [`diagnose ${ID} --window 25h`, 'window "25h" is out of range: use 1m to 24h'],
    [`diagnose ${ID} --window soon`, '"soon" is not a window: use minutes or hours such as 30m, 1h or 24h'],
    [`diagnose ${ID} --window -1h`, '"-1h" is not a window: use minutes or hours such as 30m, 1h or 24h'],
    [
      `diagnose ${ID} --from db.internal`,
      '"db.internal" is not a source: give an IP address or CIDR (10.0.1.25, 10.0.1.0/24, 2001:db8::1) or an i-, eni-, subnet- or sg- id',
    ],
    [
      `diagnose ${ID} --account prod!`,
      '"prod!" is not an account alias: aliases are letters, digits, - and _ (see /vpce accounts)',
    ],
    [`diagnose ${"x".repeat(500)}`, `"${"x".repeat(40)}..." is too long (500 characters)`],
    [
      `diagnose ${ID} --from ${"f".repeat(80)}`,
      `"${"f".repeat(40)}..." is not a source: give an IP address or CIDR (10.0.1.25, 10.0.1.0/24, 2001:db8::1) or an i-, eni-, subnet- or sg- id`,
    ],
  ])("%j", (text, message) => {
    expect(parse(text)).toStrictEqual({ kind: "error", message });
  });

  it("turns a failing region catalog into an error, not a throw", () => {
    const broken = () => {
      throw new Error("catalog unavailable");
    };
    expect(parseVpceCommand(`diagnose ${ID} us-east-1`, broken)).toStrictEqual({
      kind: "error",
      message: "could not read that command: try /vpce help",
    });
  });

  it("keeps control characters of the text out of the message", () => {
    const result = parse("diagnose vpce-\u0000\u0007x");
    expect(result.kind).toBe("error");
    expect(result.kind === "error" && /\p{Cc}/u.test(result.message)).toBe(false);
  });
});

// Property-based: the parser is total, exact on valid input, and its errors are one line.

const KINDS = new Set(["diagnose", "help", "accounts", "error"]);
const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-5", "cn-north-1", "us-gov-west-1", "sa-east-1"];
const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: length, maxLength: length });
const resourceId = (prefix: string) => fc.oneof(hex(8), hex(17)).map((digits) => `${prefix}-${digits}`);
const endpointIdArb = resourceId("vpce");
const aliasArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/);
const spaceArb = fc
  .array(fc.constantFrom(" ", "  ", "\t", "\u00a0", "\u2003", "\u202f", "\n"), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join(""));
const dashArb = fc.constantFrom("--", "\u2014", "\u2013", "\u2014\u2014", "\u2212\u2212");
const caseArb = (text: string) => fc.boolean().map((upper) => (upper ? text.toUpperCase() : text));

type SourceCase = { raw: string; expected: unknown };
const sourceArb: fc.Arbitrary<SourceCase> = fc.oneof(
  fc.ipV4().map((ip) => ({ raw: ip, expected: { kind: "cidr", value: `${ip}/32`, ipVersion: 4 } })),
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, bits]) => ({
    raw: `${ip}/${bits}`,
    expected: { kind: "cidr", value: `${ip}/${bits}`, ipVersion: 4 },
  })),
  fc.ipV6().map((ip) => ({ raw: ip, expected: { kind: "cidr", value: `${ip}/128`, ipVersion: 6 } })),
  ...(
    [
      ["i", "instance"],
      ["eni", "eni"],
      ["subnet", "subnet"],
      ["sg", "security-group"],
    ] as const
  ).map(([prefix, kind]) => resourceId(prefix).map((value) => ({ raw: value, expected: { kind, value } }))),
);
const windowArb = fc.oneof(
  fc.integer({ min: 1, max: 24 }).map((h) => ({ raw: `${h}h`, hours: h })),
  fc.integer({ min: 1, max: 1440 }).map((m) => ({ raw: `${m}m`, hours: m / 60 })),
);

const tokenArb = fc.oneof(
  fc.constantFrom(
    "diagnose",
    "DIAGNOSE",
    "help",
    "accounts",
    "vpce-",
    "vpce-svc-0abc1234",
    "=",
    "--",
    "\u2014",
  ),
  endpointIdArb,
  fc.constantFrom(...REGIONS, "us-east-9", "mars-1"),
  fc.constantFrom("--account", "--from", "--window", "--region", "\u2014account", "--account=", "--x", "-a"),
  sourceArb.map((s) => s.raw),
  aliasArb,
  fc.string({ unit: "binary", maxLength: 8 }),
);
const commandLikeArb = fc
  .array(fc.tuple(tokenArb, spaceArb), { maxLength: 10 })
  .map((parts) => parts.map(([token, space]) => token + space).join(""));
const utf16Arb = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });

const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  utf16Arb,
  commandLikeArb,
  commandLikeArb.map((text) => `diagnose ${text}`),
);

describe("parseVpceCommand: properties", () => {
  it("returns a command of a known kind for any text, never throwing", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = parse(text);
        expect(KINDS.has(result.kind)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("gives one-line, non-empty error messages", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = parse(text);
        if (result.kind !== "error") return;
        expect(result.message.trim().length).toBeGreaterThan(0);
        expect(result.message).not.toMatch(/[\n\r\u2028\u2029\u0085]/);
      }),
      { numRuns: 2000 },
    );
  });

  it("returns exactly the generated values for valid commands, flags in any order and spacing", () => {
    const commandArb = fc
      .record({
        endpointId: endpointIdArb,
        region: fc.option(fc.constantFrom(...REGIONS), { nil: undefined }),
        account: fc.option(aliasArb, { nil: undefined }),
        source: fc.option(sourceArb, { nil: undefined }),
        window: fc.option(windowArb, { nil: undefined }),
      })
      .chain((values) => {
        const flags: Array<[string, string]> = [];
        if (values.account !== undefined) flags.push(["account", values.account]);
        if (values.source !== undefined) flags.push(["from", values.source.raw]);
        if (values.window !== undefined) flags.push(["window", values.window.raw]);
        return fc.record({
          values: fc.constant(values),
          flags: fc.shuffledSubarray(flags, { minLength: flags.length, maxLength: flags.length }),
          dashes: fc.array(dashArb, { minLength: 3, maxLength: 3 }),
          equals: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
          spaces: fc.array(spaceArb, { minLength: 12, maxLength: 12 }),
          word: caseArb("diagnose"),
          upperId: fc.boolean(),
        });
      });
    fc.assert(
      fc.property(commandArb, ({ values, flags, dashes, equals, spaces, word, upperId }) => {
        const space = (i: number) => spaces[i]!;
        const id = upperId ? values.endpointId.toUpperCase() : values.endpointId;
        let text = `${space(0)}${word}${space(1)}${id}`;
        if (values.region !== undefined) text += `${space(2)}${values.region}`;
        flags.forEach(([name, value], i) => {
          const flag = `${dashes[i]}${name}`;
          text += equals[i]
            ? `${space(3 + i)}${flag}=${value}`
            : `${space(3 + i)}${flag}${space(6 + i)}${value}`;
        });
        text += space(9);
        const expected: Record<string, unknown> = { kind: "diagnose", endpointId: values.endpointId };
        if (values.region !== undefined) expected.region = values.region;
        if (values.account !== undefined) expected.account = values.account;
        if (values.source !== undefined) expected.source = values.source.expected;
        expected.windowHours = values.window?.hours ?? 1;
        expect(parse(text)).toStrictEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
