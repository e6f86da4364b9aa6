import { describe, expect, it } from "vitest";
import { regionInfo } from "../../src/aws/regions.js";
import { crossCheck } from "../../src/config/cross-check.js";
import { ConfigError, checkConfig, parseConfig } from "../../src/config/load.js";
import { type ConfigFile, configFileSchema } from "../../src/config/schema.js";

const isKnownRegion = (code: string) => regionInfo(code) !== undefined;

/** A schema-valid config from plain data, with the schema's defaults filled in. */
function config(data: unknown): ConfigFile {
  return configFileSchema.parse(data);
}

const PROD = { alias: "prod", id: "111122223333", region: "us-east-1" };
const DEV = { alias: "dev", id: "444455556666" };
const TOPIC = "arn:aws:sns:us-east-1:111122223333:vpce-alarms";

describe("crossCheck", () => {
  it("finds nothing in a consistent config", () => {
    const clean = config({
      accounts: [PROD, DEV],
      channels: [
        { id: "C0123ABCD", accounts: ["prod"] },
        { id: "C0999ZZZZ", accounts: ["prod", "dev"] },
      ],
      alarms: {
        topics: [TOPIC],
        routes: [
          { match: { account: "prod", region: "us-east-1" }, channel: "C0123ABCD" },
          { match: { account: "444455556666" }, channel: "C0999ZZZZ" },
          { match: {}, channel: "C0999ZZZZ" },
        ],
        defaultChannel: "C0999ZZZZ",
      },
      state: { dynamodbTable: "vpce-doctor-state", region: "eu-west-1" },
    });
    expect(crossCheck(clean, { isKnownRegion })).toEqual([]);
  });

  it("refuses a suppression of an unknown check or account, and a service listed twice", () => {
    const issues = crossCheck(
      config({
        accounts: [PROD],
        services: [
          { name: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", ports: [5432] },
          { name: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", ports: [5433] },
        ],
        suppress: [
          { check: "flow-logz", reason: "typo", expires: "2027-01-01" },
          { check: "flow-logs", account: "nope", reason: "wrong account", expires: "2027-01-01" },
          { check: "flow-logs", account: "prod", reason: "fine", expires: "2027-01-01" },
        ],
      }),
    );
    expect(issues.map((i) => [i.path.join("."), i.message.split(":")[0]])).toEqual([
      [
        "services.1.name",
        "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0 is listed twice (also services.0)",
      ],
      ["suppress.0.check", 'unknown check "flow-logz"'],
      ["suppress.1.account", '"nope" names no configured account (an alias or its id)'],
    ]);
  });

  it("refuses an alias used twice, naming the first", () => {
    expect(crossCheck(config({ accounts: [PROD, { ...DEV, alias: "prod" }] }))).toEqual([
      {
        path: ["accounts", 1, "alias"],
        message: '"prod" is used twice (also accounts.0)',
        severity: "error",
      },
    ]);
  });

  it("refuses a channel listed twice: the bot would read only the first", () => {
    const issues = crossCheck(
      config({
        accounts: [PROD],
        channels: [
          { id: "C0123ABCD", accounts: ["prod"] },
          { id: "C0123ABCD", accounts: ["prod"] },
        ],
      }),
    );
    expect(issues).toEqual([expect.objectContaining({ path: ["channels", 1, "id"], severity: "error" })]);
    expect(issues[0]!.message).toMatch(/C0123ABCD is listed twice \(also channels\.0\)/);
  });

  it("refuses a channel account that is no alias, listing the aliases, or hinting at the alias for an id", () => {
    const base = { accounts: [PROD, DEV] };
    expect(
      crossCheck(config({ ...base, channels: [{ id: "C0123ABCD", accounts: ["prd", "dev"] }] })),
    ).toEqual([
      {
        path: ["channels", 0, "accounts"],
        message: "unknown alias prd (the aliases are prod, dev)",
        severity: "error",
      },
    ]);
    expect(
      crossCheck(config({ ...base, channels: [{ id: "C0123ABCD", accounts: ["111122223333"] }] }))[0]!
        .message,
    ).toBe("unknown alias 111122223333 (channels list aliases, not ids: use prod)");
    expect(crossCheck(config({ channels: [{ id: "C0123ABCD", accounts: ["prod"] }] }))[0]!.message).toBe(
      "unknown alias prod (no accounts are configured)",
    );
  });

  it("refuses a route whose match.account is neither an alias nor an id of a configured account", () => {
    const issues = crossCheck(
      config({
        accounts: [PROD],
        channels: [{ id: "C0123ABCD", accounts: ["prod"] }],
        alarms: {
          topics: [TOPIC],
          routes: [
            { match: { account: "prod" }, channel: "C0123ABCD" },
            { match: { account: "111122223333" }, channel: "C0123ABCD" },
            { match: { account: "999999999999" }, channel: "C0123ABCD" },
          ],
        },
      }),
    );
    expect(issues).toEqual([
      {
        path: ["alarms", "routes", 2, "match", "account"],
        message:
          '"999999999999" names no configured account, so this route never matches (the aliases are prod, or their ids)',
        severity: "error",
      },
    ]);
  });

  it("refuses unknown region codes only when it can tell (isKnownRegion given)", () => {
    const typos = config({
      accounts: [{ ...PROD, region: "us-east1" }],
      alarms: {
        topics: [TOPIC],
        routes: [{ match: { region: "eu-west" }, channel: "C0123ABCD" }],
      },
      channels: [{ id: "C0123ABCD", accounts: ["prod"] }],
      state: { dynamodbTable: "t-1", region: "moon-1" },
    });
    expect(crossCheck(typos)).toEqual([]);
    expect(crossCheck(typos, { isKnownRegion }).map((i) => [i.path.join("."), i.severity])).toEqual([
      ["accounts.0.region", "error"],
      ["alarms.routes.0.match.region", "error"],
      ["state.region", "error"],
    ]);
  });

  it("warns when alarm reports land in a channel whose buttons would be refused", () => {
    const issues = crossCheck(
      config({
        accounts: [PROD, DEV],
        channels: [{ id: "C0123ABCD", accounts: ["prod"] }],
        alarms: {
          topics: [TOPIC],
          routes: [
            { match: { account: "dev" }, channel: "C0123ABCD" },
            { match: {}, channel: "C0UNLISTED" },
          ],
          defaultChannel: "C0ALSONOT",
        },
      }),
    );
    expect(issues.map((i) => [i.path.join("."), i.severity, i.message])).toEqual([
      [
        "alarms.routes.0.channel",
        "warning",
        "C0123ABCD may not diagnose account dev (see its accounts under channels:), so Rerun, Extend and Export are refused on these alarm reports",
      ],
      [
        "alarms.routes.1.channel",
        "warning",
        "C0UNLISTED is not under channels:, so Rerun, Extend and Export are refused on the alarm reports posted there",
      ],
      [
        "alarms.defaultChannel",
        "warning",
        "C0ALSONOT is not under channels:, so Rerun, Extend and Export are refused on the alarm reports posted there",
      ],
    ]);
  });

  it("refuses a route that allows the probe without an instance, and warns when its channel does not allow probes", () => {
    const issues = crossCheck(
      config({
        accounts: [PROD],
        channels: [
          { id: "C0123ABCD", accounts: ["prod"] },
          { id: "C0999ZZZZ", accounts: ["prod"], allowProbe: true },
        ],
        alarms: {
          topics: [TOPIC],
          routes: [
            { match: { alarm: "a-*" }, channel: "C0999ZZZZ", allowProbe: true },
            {
              match: { alarm: "b-*" },
              channel: "C0123ABCD",
              allowProbe: true,
              probeFrom: "i-0123456789abcdef0",
            },
            { match: {}, channel: "C0999ZZZZ", allowProbe: true, probeFrom: "i-0123456789abcdef0" },
          ],
        },
      }),
    );
    expect(issues.map((i) => [i.path.join("."), i.severity, i.message])).toEqual([
      [
        "alarms.routes.0.probeFrom",
        "error",
        "allowProbe needs probeFrom: the instance the probe runs on (i-...)",
      ],
      [
        "alarms.routes.1.allowProbe",
        "warning",
        "C0123ABCD does not allow probes (allowProbe under channels:), so the Test from button is not offered there",
      ],
    ]);
  });

  it("keeps the probe off unless a channel says allowProbe: true, and checks probeFrom's form", () => {
    const parsed = config({ accounts: [PROD], channels: [{ id: "C0123ABCD", accounts: ["prod"] }] });
    expect(parsed.channels[0]!.allowProbe).toBeUndefined();
    expect(() =>
      config({ alarms: { routes: [{ match: {}, channel: "C0123ABCD", probeFrom: "i-xyz" }] } }),
    ).toThrow(/an instance id is i- followed by 8 or 17 hex digits/);
  });

  it("warns when an alarms section can receive nothing or route nothing", () => {
    const issues = crossCheck(config({ alarms: {} }));
    expect(issues.map((i) => [i.path.join("."), i.severity])).toEqual([
      ["alarms", "warning"],
      ["alarms.topics", "warning"],
      ["alarms.routes", "warning"],
    ]);
    expect(issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/no accounts are configured, so every alarm is refused/),
      expect.stringMatching(/no topics and no sqsQueueUrl, so no alarm can reach the bot/),
      "no routes and no defaultChannel, so every alarm is refused",
    ]);
  });

  it("accepts a queue without topics: raw EventBridge events need none", () => {
    const queueOnly = config({
      accounts: [PROD],
      channels: [{ id: "C0123ABCD", accounts: ["prod"] }],
      alarms: {
        sqsQueueUrl: "https://sqs.us-east-1.amazonaws.com/111122223333/q",
        defaultChannel: "C0123ABCD",
      },
    });
    expect(crossCheck(queueOnly)).toEqual([]);
  });
});

describe("checkConfig", () => {
  const VALID = `accounts:
  - alias: prod
    id: "111122223333"
channels:
  - id: C0123ABCD
    accounts: [prod]
`;

  it("returns the config and no errors for a valid file", () => {
    const result = checkConfig(VALID, "c.yml");
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.config?.accounts.map((a) => a.alias)).toEqual(["prod"]);
  });

  it("reports every schema error, sorted by line, each with file, line and key", () => {
    const text = `state:
  dynamodbTable: x
accounts:
  - alias: prod
    id: "1"
    regoin: us-east-1
`;
    expect(checkConfig(text, "c.yml")).toEqual({
      errors: [
        "c.yml:2: state.dynamodbTable: a DynamoDB table name is 3-255 letters, digits, _ - and .",
        'c.yml:5: accounts.0.id: an account id is 12 digits in quotes, e.g. "111122223333"',
        "c.yml:6: accounts.0.regoin: Unrecognized key(s) in object: 'regoin'",
      ],
      warnings: [],
    });
  });

  it("puts each unknown key on its own line, at the key, including at the top level", () => {
    const { errors } = checkConfig("accounts: []\nacounts: []\nchanels: []\n", "c.yml");
    expect(errors).toEqual([
      "c.yml:2: acounts: Unrecognized key(s) in object: 'acounts'",
      "c.yml:3: chanels: Unrecognized key(s) in object: 'chanels'",
    ]);
  });

  it("gives a line even to a file that is not a mapping", () => {
    expect(checkConfig("# a list\n- prod\n", "c.yml").errors).toEqual([
      "c.yml:2: (top level): Expected object, received array",
    ]);
  });

  it("reports every cross-reference error with its line; warnings apart", () => {
    const text = `${VALID}  - id: C0999ZZZZ
    accounts: [prod, dev]
  - id: C0123ABCD
    accounts: [prod]
alarms:
  topics: [${TOPIC}]
  defaultChannel: C0NOTLISTED
`;
    const result = checkConfig(text, "c.yml");
    expect(result.config).toBeUndefined();
    expect(result.errors).toEqual([
      "c.yml:8: channels.1.accounts: unknown alias dev (the aliases are prod)",
      "c.yml:9: channels.2.id: C0123ABCD is listed twice (also channels.0); the bot reads only the first: merge them",
    ]);
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^c\.yml:13: warning: alarms\.defaultChannel: C0NOTLISTED is not under channels:/,
      ),
    ]);
  });

  it("checks region codes only when given isKnownRegion", () => {
    const text = VALID.replace('id: "111122223333"', 'id: "111122223333"\n    region: us-esat-1');
    expect(checkConfig(text, "c.yml").errors).toEqual([]);
    expect(checkConfig(text, "c.yml", { isKnownRegion }).errors).toEqual([
      'c.yml:4: accounts.0.region: unknown AWS region "us-esat-1": use a region code such as us-east-1',
    ]);
  });

  it("reports every YAML syntax error with its line", () => {
    const { errors } = checkConfig("accounts:\n  - alias: prod\n    id: [\nchannels: {\n", "c.yml");
    expect(errors.length).toBeGreaterThan(0);
    for (const line of errors) expect(line).toMatch(/^c\.yml:\d+: not valid YAML: /);
  });
});

describe("parseConfig", () => {
  it("throws one ConfigError carrying every error, one per line of its message", () => {
    const text = `accounts:
  - alias: prod
    id: "111122223333"
  - alias: prod
    id: "444455556666"
channels:
  - id: C0123ABCD
    accounts: [prd]
`;
    let error: unknown;
    try {
      parseConfig(text, "c.yml");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { errors, message } = error as ConfigError;
    expect(errors).toEqual([
      'c.yml:4: accounts.1.alias: "prod" is used twice (also accounts.0)',
      "c.yml:8: channels.0.accounts: unknown alias prd (the aliases are prod)",
    ]);
    expect(message).toBe(errors.join("\n"));
  });

  it("starts the bot with warnings: they are only for config check", () => {
    const text = `alarms:\n  defaultChannel: C0123ABCD\n`;
    expect(parseConfig(text).alarms?.defaultChannel).toBe("C0123ABCD");
  });
});

describe("accounts[].provides", () => {
  const SERVICE = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";

  it("accepts custom endpoint service names, each provided by one account", () => {
    const file = config({ accounts: [{ ...PROD, provides: [SERVICE] }, DEV] });
    expect(file.accounts[0]!.provides).toEqual([SERVICE]);
    expect(crossCheck(file, { isKnownRegion })).toEqual([]);
  });

  it("refuses an AWS service name: AWS, not an account, provides it", () => {
    const parsed = configFileSchema.safeParse({
      accounts: [{ ...PROD, provides: ["com.amazonaws.us-east-1.ssm"] }],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["accounts", 0, "provides", 0]);
  });

  it("refuses a service provided by two accounts: the diagnosis must know whose role reads it", () => {
    const issues = crossCheck(
      config({
        accounts: [
          { ...PROD, provides: [SERVICE] },
          { ...DEV, provides: [SERVICE] },
        ],
      }),
      { isKnownRegion },
    );
    expect(issues).toEqual([
      {
        path: ["accounts", 1, "provides", 0],
        message: `${SERVICE} is already provided by account prod`,
        severity: "error",
      },
    ]);
  });
});
