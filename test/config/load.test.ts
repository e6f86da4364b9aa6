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

describe("findAccount", () => {
  it("lists the known aliases when one is unknown", () => {
    expect(() => findAccount(parseConfig(VALID), "staging")).toThrow(/known aliases are prod, dev/);
  });
  it("says when no config was given", () => {
    expect(() => findAccount(undefined, "prod")).toThrow(/no accounts are configured/);
  });
});
