import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { regionInfo } from "../../src/aws/regions.js";
import { type CliIo, runCli } from "../../src/cli/run.js";

const EXAMPLE = readFileSync(new URL("../../examples/config.yml", import.meta.url), "utf8");

const VALID = `accounts:
  - alias: prod
    id: "111122223333"
    roleArn: arn:aws:iam::111122223333:role/vpce-doctor
    externalId: ext
    region: eu-west-1
channels:
  - id: C0123ABCD
    accounts: [prod]
`;

/** A CliIo over in-memory files whose collector fails the test if anything tries to reach AWS. */
function harness(files: Record<string, string | NodeJS.ErrnoException> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: {},
    readFile: async (path) => {
      const file = files[path];
      if (file === undefined) throw Object.assign(new Error(`ENOENT: open '${path}'`), { code: "ENOENT" });
      if (typeof file !== "string") throw file;
      return file;
    },
    writeFile: async () => {
      throw new Error("config check writes nothing");
    },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    isKnownRegion: (code) => regionInfo(code) !== undefined,
    collector: async () => {
      throw new Error("config check must not collect");
    },
    requester: "cli-test",
    version: "9.9.9",
  };
  return {
    io,
    out: () => out.join(""),
    err: () => err.join(""),
    errLines: () => err.join("").split("\n").filter(Boolean),
  };
}

describe("vpce-doctor config check", () => {
  it("summarises examples/config.yml in one line on stdout and exits 0", async () => {
    const h = harness({ "examples/config.yml": EXAMPLE });
    expect(await runCli(["config", "check", "examples/config.yml"], h.io)).toBe(0);
    expect(h.out()).toBe(
      "examples/config.yml: valid — 3 accounts, 2 channels, 1 service port list, 1 suppression, alarms on (2 topics, 3 routes, polling an SQS queue), state in DynamoDB table vpce-doctor-state (us-east-1)\n",
    );
    expect(h.err()).toBe("");
  });

  it("says what a small file sets up: alarms off, state in memory, singular nouns", async () => {
    const h = harness({ "c.yml": VALID });
    expect(await runCli(["config", "check", "c.yml"], h.io)).toBe(0);
    expect(h.out()).toBe("c.yml: valid — 1 account, 1 channel, alarms off, state in memory\n");
  });

  it("accepts an empty file: nothing configured", async () => {
    const h = harness({ "empty.yml": "# nothing yet\n" });
    expect(await runCli(["config", "check", "empty.yml"], h.io)).toBe(0);
    expect(h.out()).toBe("empty.yml: valid — 0 accounts, 0 channels, alarms off, state in memory\n");
  });

  it("prints every schema error on its own line with file, line and key, and exits 1", async () => {
    const text = `accounts:
  - alias: prod
    id: 1111
  - alias: "bad alias"
    id: "444455556666"
    roleArn: arn:aws:iam::444455556666:role/x
chanels: []
alarms:
  threadHours: 0
`;
    const h = harness({ "c.yml": text });
    expect(await runCli(["config", "check", "c.yml"], h.io)).toBe(1);
    expect(h.out()).toBe("");
    expect(h.errLines()).toEqual([
      'c.yml:3: accounts.0.id: an account id is 12 digits in quotes, e.g. "111122223333"',
      "c.yml:4: accounts.1.alias: an alias is letters, digits, - and _",
      "c.yml:4: accounts.1.externalId: a role needs an externalId (confused-deputy protection)",
      "c.yml:7: chanels: Unrecognized key(s) in object: 'chanels'",
      "c.yml:9: alarms.threadHours: Number must be greater than 0",
    ]);
  });

  it("prints every cross-reference error, with its line, once the schema is satisfied", async () => {
    const text = `${VALID}  - id: C0123ABCD
    accounts: [prd]
alarms:
  topics: [arn:aws:sns:us-east-1:111122223333:alarms]
  routes:
    - match: { account: dev, region: us-east1 }
      channel: C0123ABCD
`;
    const h = harness({ "c.yml": text });
    expect(await runCli(["config", "check", "c.yml"], h.io)).toBe(1);
    expect(h.errLines()).toEqual([
      "c.yml:10: channels.1.id: C0123ABCD is listed twice (also channels.0); the bot reads only the first: merge them",
      "c.yml:11: channels.1.accounts: unknown alias prd (the aliases are prod)",
      'c.yml:15: alarms.routes.0.match.account: "dev" names no configured account, so this route never matches (the aliases are prod, or their ids)',
      'c.yml:15: alarms.routes.0.match.region: unknown AWS region "us-east1": this route would never match',
    ]);
  });

  it("reports broken YAML with its line and exits 1", async () => {
    const h = harness({ "c.yml": "accounts:\n  - alias: [\n" });
    expect(await runCli(["config", "check", "c.yml"], h.io)).toBe(1);
    expect(h.errLines()[0]).toMatch(/^c\.yml:\d+: not valid YAML: /);
  });

  it("reports a key given twice as broken YAML at the second one", async () => {
    const h = harness({ "c.yml": `${VALID}channels: []\n` });
    expect(await runCli(["config", "check", "c.yml"], h.io)).toBe(1);
    expect(h.errLines()).toEqual([
      expect.stringMatching(/^c\.yml:10: not valid YAML: Map keys must be unique/),
    ]);
  });

  it("stays valid with warnings: they go to stderr with key and line, and the summary counts them", async () => {
    const text = `${VALID}alarms:
  topics: [arn:aws:sns:us-east-1:111122223333:alarms]
  defaultChannel: C0999ZZZZ
`;
    const h = harness({ "c.yml": text });
    expect(await runCli(["config", "check", "c.yml"], h.io)).toBe(0);
    expect(h.out()).toMatch(/^c\.yml: valid — .*alarms on \(1 topic, 0 routes\).*; 1 warning on stderr\n$/);
    expect(h.errLines()).toEqual([
      "c.yml:12: warning: alarms.defaultChannel: C0999ZZZZ is not under channels:, so Rerun, Extend and Export are refused on the alarm reports posted there",
    ]);
  });

  it("exits 2 with one line naming the path and the errno code when the file cannot be read", async () => {
    const denied = Object.assign(new Error("EACCES: permission denied, open 'secret.yml'"), {
      code: "EACCES",
    });
    const h = harness({ "secret.yml": denied });
    expect(await runCli(["config", "check", "missing.yml"], h.io)).toBe(2);
    expect(h.err()).toBe("vpce-doctor: cannot read config file missing.yml: ENOENT (no such file)\n");
    const h2 = harness({ "secret.yml": denied });
    expect(await runCli(["config", "check", "secret.yml"], h2.io)).toBe(2);
    expect(h2.err()).toBe("vpce-doctor: cannot read config file secret.yml: EACCES\n");
    expect(h.out() + h2.out()).toBe("");
  });

  it.each([
    [["config"], "missing subcommand: vpce-doctor config check <file>"],
    [["config", "check"], "missing config file: vpce-doctor config check <file>"],
    [["config", "lint", "c.yml"], 'unknown config subcommand "lint": vpce-doctor config check <file>'],
    [
      ["config", "check", "a.yml", "b.yml"],
      'unexpected argument "b.yml": vpce-doctor config check <file> takes one file',
    ],
    [
      ["config", "check", "c.yml", "--json"],
      "--json is not an option of config check: vpce-doctor config check <file>",
    ],
    [["config", "check", "--region", "us-east-1", "c.yml"], "--region is not an option of config check"],
  ])("exits 2 with a one-line hint and the usage for %j", async (argv, message) => {
    const h = harness({ "c.yml": VALID });
    expect(await runCli(argv, h.io)).toBe(2);
    const [first, second] = h.errLines();
    expect(first).toContain(`vpce-doctor: ${message}`);
    expect(second).toMatch(/^Usage: vpce-doctor diagnose/);
    expect(h.err()).toContain("vpce-doctor config check <file>");
    expect(h.out()).toBe("");
  });

  it("is listed in --help and in the hint for an unknown command", async () => {
    const h = harness();
    expect(await runCli(["--help"], h.io)).toBe(0);
    expect(h.out()).toMatch(/^ {7}vpce-doctor config check <file>$/m);
    expect(await runCli(["frobnicate"], h.io)).toBe(2);
    expect(h.err()).toMatch(/the commands are diagnose and config check/);
  });
});
