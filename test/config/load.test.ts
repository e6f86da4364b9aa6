import { describe, expect, it } from "vitest";
import { findAccount } from "../../src/config/accounts.js";
import { ConfigError, parseConfig } from "../../src/config/load.js";

const VALID = `accounts:
  - alias: prod
    id: "111122223333"
    roleArn: arn:aws:iam::111122223333:role/vpce-doctor
    externalId: change-me
    region: us-east-1
  - alias: dev
    id: "444455556666"
channels:
  - id: C0123ABCD
    accounts: [prod]
    users: [U0456, S0789]
`;

describe("parseConfig", () => {
  it("reads accounts and channels", () => {
    const config = parseConfig(VALID);
    expect(config.accounts.map((a) => a.alias)).toEqual(["prod", "dev"]);
    expect(config.accounts[0]!.externalId).toBe("change-me");
    expect(config.channels[0]!.users).toEqual(["U0456", "S0789"]);
  });

  it("reads service ports and suppressions", () => {
    const config = parseConfig(`${VALID}services:
  - name: com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0
    ports: [5432]
suppress:
  - check: flow-logs
    resource: vpc-0123456789abcdef0
    account: prod
    reason: shipped by the SIEM agent
    expires: "2027-06-30"
`);
    expect(config.services).toEqual([
      { name: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", ports: [5432] },
    ]);
    expect(config.suppress[0]).toMatchObject({ check: "flow-logs", expires: "2027-06-30" });
  });

  it.each([
    ['expires: "2027-02-30"', /suppress\.0\.expires: expected a date written YYYY-MM-DD/],
    ["expires: tomorrow", /suppress\.0\.expires: expected a date written YYYY-MM-DD/],
    ['reason: ""', /suppress\.0\.reason: say why the finding is accepted/],
  ])("refuses a suppression with %s, naming the key and line", (line, message) => {
    const entry = ["  - check: flow-logs", "    reason: accepted", '    expires: "2027-06-30"'];
    const key = line.split(":")[0]!;
    const lines = entry.map((l) => (l.trim().startsWith(`${key}:`) ? `    ${line}` : l));
    expect(() => parseConfig(`${VALID}suppress:\n${lines.join("\n")}\n`, "c.yml")).toThrow(message);
  });

  it("refuses a service port out of range", () => {
    const text = `${VALID}services:\n  - name: com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0\n    ports: [0]\n`;
    expect(() => parseConfig(text, "c.yml")).toThrow(/services\.0\.ports\.0: a port is 1 to 65535/);
  });

  it("names the key and the line of a bad value", () => {
    const text = VALID.replace('id: "444455556666"', "id: 4444");
    expect(() => parseConfig(text, "c.yml")).toThrow(/c\.yml:8: accounts\.1\.id: an account id is 12 digits/);
  });

  it("requires an externalId with a role", () => {
    const text = VALID.replace("    externalId: change-me\n", "");
    expect(() => parseConfig(text)).toThrow(/accounts\.0\.externalId: a role needs an externalId/);
  });

  it("refuses a role in another account", () => {
    const text = VALID.replace("role/vpce-doctor", "role/x").replace(
      "iam::111122223333",
      "iam::999999999999",
    );
    expect(() => parseConfig(text)).toThrow(
      /accounts\.0\.roleArn: the role must belong to account 111122223333/,
    );
  });

  it("refuses unknown keys, naming them", () => {
    expect(() => parseConfig("acounts: []\n")).toThrow(/Unrecognized key\(s\) in object: 'acounts'/);
  });

  it("refuses a channel that names an unknown alias", () => {
    expect(() => parseConfig(VALID.replace("accounts: [prod]", "accounts: [prd]"))).toThrow(
      /channels\.0\.accounts: unknown alias prd/,
    );
  });

  it("refuses duplicate aliases", () => {
    expect(() => parseConfig(VALID.replace("alias: dev", "alias: prod"))).toThrow(/"prod" is used twice/);
  });

  it("reports broken YAML with its line", () => {
    expect(() => parseConfig("accounts:\n  - alias: [\n", "bad.yml")).toThrow(ConfigError);
    expect(() => parseConfig("accounts:\n  - alias: [\n", "bad.yml")).toThrow(/bad\.yml:\d+: not valid YAML/);
  });

  it("accepts an empty file as no accounts", () => {
    expect(parseConfig("").accounts).toEqual([]);
  });
});

describe("parseConfig alarms", () => {
  const TOPIC = "arn:aws:sns:us-east-1:111122223333:vpce-alarms";
  const QUEUE = "https://sqs.us-east-1.amazonaws.com/111122223333/vpce-alarms";
  const ALARMS = `${VALID}alarms:
  topics: [${TOPIC}]
  sqsQueueUrl: ${QUEUE}
  routes:
    - match: { account: "111122223333", region: us-east-1, alarm: "vpce-*" }
      channel: C0123ABCD
  defaultChannel: C0999ZZZZ
`;

  /** Expects parseConfig to fail with `message`, at the file line where `needle` first appears. */
  function expectRefused(text: string, needle: string, message: string): void {
    const line = text.slice(0, text.indexOf(needle)).split("\n").length;
    expect(() => parseConfig(text, "c.yml")).toThrow(`c.yml:${line}: ${message}`);
  }

  it("reads the alarms section of DESIGN.md, with defaults for threadHours and stormThreshold", () => {
    const alarms = parseConfig(ALARMS).alarms!;
    expect(alarms.topics).toEqual([TOPIC]);
    expect(alarms.routes[0]!.channel).toBe("C0123ABCD");
    expect(alarms.threadHours).toBe(6);
    expect(alarms.stormThreshold).toBe(5);
  });

  it("reads a route's endpoint, and names a malformed one with its line", () => {
    const withEndpoint = ALARMS.replace(
      "      channel: C0123ABCD\n",
      "      channel: C0123ABCD\n      endpoint: vpce-0a1b2c3d4e5f60718\n",
    );
    expect(parseConfig(withEndpoint).alarms!.routes[0]!.endpoint).toBe("vpce-0a1b2c3d4e5f60718");
    const bad = ALARMS.replace(
      "      channel: C0123ABCD\n",
      "      channel: C0123ABCD\n      endpoint: vpce-12\n",
    );
    expectRefused(
      bad,
      "endpoint:",
      "alarms.routes.0.endpoint: an endpoint id is vpce- followed by 8 or 17 hex digits",
    );
  });

  it("reads threadHours and stormThreshold when given", () => {
    const alarms = parseConfig(`${ALARMS}  threadHours: 1.5\n  stormThreshold: 20\n`).alarms!;
    expect(alarms.threadHours).toBe(1.5);
    expect(alarms.stormThreshold).toBe(20);
  });

  it("accepts SNS topics in the China and GovCloud partitions", () => {
    for (const topic of [
      "arn:aws-cn:sns:cn-north-1:111122223333:a_b",
      "arn:aws-us-gov:sns:us-gov-west-1:111122223333:t.fifo",
    ]) {
      expect(parseConfig(ALARMS.replace(TOPIC, topic)).alarms!.topics).toEqual([topic]);
    }
  });

  it("accepts SQS queue URLs in China, through a VPC endpoint and in the legacy form", () => {
    for (const url of [
      "https://sqs.cn-north-1.amazonaws.com.cn/111122223333/q",
      "https://vpce-0abc-1xyz.sqs.us-east-1.vpce.amazonaws.com/111122223333/q.fifo",
      "https://us-east-1.queue.amazonaws.com/111122223333/q",
    ]) {
      expect(parseConfig(ALARMS.replace(QUEUE, url)).alarms!.sqsQueueUrl).toBe(url);
    }
  });

  it("refuses a route channel that is not a channel id, naming the key and line", () => {
    const text = ALARMS.replace("channel: C0123ABCD", 'channel: "#alerts"');
    expectRefused(text, "#alerts", "alarms.routes.0.channel: a channel id looks like C0123ABCD");
  });

  it("refuses a defaultChannel that is not a channel id, naming the key and line", () => {
    const text = ALARMS.replace("C0999ZZZZ", "alerts");
    expectRefused(text, "defaultChannel", "alarms.defaultChannel: a channel id looks like C0123ABCD");
  });

  it("refuses a topic that is not an SNS topic ARN, naming the key and line", () => {
    for (const topic of [
      "vpce-alarms",
      "arn:aws:sqs:us-east-1:111122223333:vpce-alarms",
      "arn:aws:sns:us-east-1:1111:vpce-alarms",
      "arn:aws-eu:sns:us-east-1:111122223333:vpce-alarms",
      "arn:aws:sns:us-east-1:111122223333:bad name",
    ]) {
      const text = ALARMS.replace(TOPIC, topic);
      expectRefused(
        text,
        "topics",
        "alarms.topics.0: expected arn:aws:sns:<region>:<account-id>:<topic-name>",
      );
    }
  });

  it("refuses an sqsQueueUrl that is not an https SQS queue URL, naming the key and line", () => {
    for (const url of [
      "http://sqs.us-east-1.amazonaws.com/111122223333/vpce-alarms",
      "https://example.com/111122223333/vpce-alarms",
      "https://sqs.us-east-1.amazonaws.com.example.com/111122223333/vpce-alarms",
      "https://sqs.us-east-1.amazonaws.com/vpce-alarms",
    ]) {
      const text = ALARMS.replace(QUEUE, url);
      expectRefused(text, "sqsQueueUrl", "alarms.sqsQueueUrl: expected https://sqs.<region>.amazonaws.com/");
    }
  });

  it("refuses a threadHours that is not a positive number of hours up to a week", () => {
    for (const value of ["0", "-1", "169", "six"]) {
      expectRefused(`${ALARMS}  threadHours: ${value}\n`, "threadHours", "alarms.threadHours: ");
    }
  });

  it("refuses a stormThreshold that is not a positive whole number", () => {
    for (const value of ["0", "2.5", "many"]) {
      expectRefused(`${ALARMS}  stormThreshold: ${value}\n`, "stormThreshold", "alarms.stormThreshold: ");
    }
  });
});

describe("findAccount", () => {
  it("lists the known aliases when one is unknown", () => {
    expect(() => findAccount(parseConfig(VALID), "staging")).toThrow(/known aliases are prod, dev/);
  });
  it("says when no config was given", () => {
    expect(() => findAccount(undefined, "prod")).toThrow(/no accounts are configured/);
  });
});
