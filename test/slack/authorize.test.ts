import { describe, expect, it } from "vitest";
import type { AccountConfig, ConfigFile } from "../../src/config/schema.js";
import { accountsForChannel, chooseAccount, mayUse, userGroupsFor } from "../../src/slack/authorize.js";

const prod: AccountConfig = {
  alias: "prod",
  id: "111122223333",
  roleArn: "arn:aws:iam::111122223333:role/vpce-doctor",
  externalId: "change-me",
  region: "us-east-1",
};
const staging: AccountConfig = { alias: "staging", id: "444455556666", region: "eu-west-1" };
const sandbox: AccountConfig = { alias: "sandbox", id: "777788889999" };

const config: ConfigFile = {
  services: [],
  suppress: [],
  accounts: [prod, staging, sandbox],
  channels: [
    { id: "C0PROD", accounts: ["prod"], users: ["U0ALICE", "W0BOB", "S0ONCALL"] },
    { id: "C0PLATFORM", accounts: ["staging", "prod"] },
    { id: "C0EMPTYUSERS", accounts: ["sandbox"], users: [] },
    { id: "C0STALE", accounts: ["gone"] },
  ],
};
const noGroups = new Set<string>();

describe("accountsForChannel", () => {
  it("uses the ambient credentials when there is no config file", () => {
    expect(accountsForChannel(undefined, "C0ANY")).toStrictEqual({ allowed: "ambient" });
  });

  it("allows only the channel's accounts, in config order", () => {
    expect(accountsForChannel(config, "C0PROD")).toStrictEqual({ allowed: [prod] });
    expect(accountsForChannel(config, "C0PLATFORM")).toStrictEqual({ allowed: [prod, staging] });
  });

  it("refuses a channel the config file does not list, naming it", () => {
    expect(accountsForChannel(config, "C0RANDOM")).toStrictEqual({
      allowed: [],
      refusal:
        "this channel (C0RANDOM) is not set up for /vpce: ask an admin to add it under channels: in the vpce-doctor config",
    });
  });

  it("refuses every channel when the config file lists none", () => {
    const result = accountsForChannel(
      { accounts: [prod], channels: [], services: [], suppress: [] },
      "C0PROD",
    );
    expect(result.allowed).toStrictEqual([]);
    expect(result.refusal).toMatch(/C0PROD/);
  });

  it("refuses a channel whose aliases match no configured account", () => {
    expect(accountsForChannel(config, "C0STALE")).toStrictEqual({
      allowed: [],
      refusal:
        "this channel (C0STALE) lists no configured account: ask an admin to fix its accounts in the vpce-doctor config",
    });
  });

  it("gives refusals of one line", () => {
    for (const channel of ["C0RANDOM", "C0STALE"]) {
      expect(accountsForChannel(config, channel).refusal).not.toMatch(/\n/);
    }
  });
});

describe("mayUse", () => {
  it.each<[string, ConfigFile | undefined, string, string, ReadonlySet<string>, boolean]>([
    ["anyone without a config file", undefined, "C0ANY", "U0ANY", noGroups, true],
    ["nobody in an unlisted channel", config, "C0RANDOM", "U0ALICE", new Set(["S0ONCALL"]), false],
    ["everyone in a channel without users", config, "C0PLATFORM", "U0ANY", noGroups, true],
    ["a listed user id", config, "C0PROD", "U0ALICE", noGroups, true],
    ["a listed enterprise user id", config, "C0PROD", "W0BOB", noGroups, true],
    ["a member of a listed user group", config, "C0PROD", "U0CAROL", new Set(["S0OTHER", "S0ONCALL"]), true],
    ["a user neither listed nor in a listed group", config, "C0PROD", "U0CAROL", new Set(["S0OTHER"]), false],
    ["a user whose id only equals a group id", config, "C0PROD", "S0ONCALL", noGroups, false],
    ["a user id passed as a group", config, "C0PROD", "U0CAROL", new Set(["U0ALICE"]), false],
    ["nobody when users is an empty list", config, "C0EMPTYUSERS", "U0ALICE", new Set(["S0ONCALL"]), false],
  ])("admits %s: %#", (_, file, channel, user, groups, expected) => {
    expect(mayUse(file, channel, user, groups)).toBe(expected);
  });
});

describe("userGroupsFor", () => {
  it("lists the channel's user groups only", () => {
    expect(userGroupsFor(config, "C0PROD")).toStrictEqual(["S0ONCALL"]);
  });
  it.each([
    ["no config file", undefined, "C0PROD"],
    ["a channel without users", config, "C0PLATFORM"],
    ["an unlisted channel", config, "C0RANDOM"],
  ])("is empty for %s", (_, file, channel) => {
    expect(userGroupsFor(file, channel)).toStrictEqual([]);
  });
});

describe("chooseAccount", () => {
  it.each<[string, AccountConfig[] | "ambient", string | undefined, ReturnType<typeof chooseAccount>]>([
    ["ambient credentials without an alias", "ambient", undefined, { ambient: true }],
    [
      "an alias without a config file",
      "ambient",
      "prod",
      {
        error:
          "no accounts are configured, so --account prod cannot be used: leave it out to use the bot's own credentials",
      },
    ],
    ["an allowed alias", [prod, staging], "staging", { account: staging }],
    [
      "an alias not allowed here, listing the allowed ones",
      [prod, staging],
      "sandbox",
      { error: 'account "sandbox" is not allowed in this channel: use one of prod, staging' },
    ],
    [
      "an alias not allowed where one account is",
      [prod],
      "Prod",
      { error: 'account "Prod" is not allowed in this channel: use prod' },
    ],
    [
      "an alias where no account is allowed",
      [],
      "prod",
      { error: 'account "prod" is not allowed in this channel: it may diagnose no accounts' },
    ],
    ["no alias and exactly one account", [prod], undefined, { account: prod }],
    [
      "no alias and several accounts",
      [prod, staging, sandbox],
      undefined,
      { needsLookup: [prod, staging, sandbox] },
    ],
    ["no alias and no account", [], undefined, { error: "this channel may diagnose no accounts" }],
  ])("%s", (_, allowed, alias, expected) => {
    expect(chooseAccount(allowed, alias)).toStrictEqual(expected);
  });

  it("hands out a copy of the allowed list for a lookup", () => {
    const allowed = [prod, staging];
    const choice = chooseAccount(allowed);
    expect("needsLookup" in choice && choice.needsLookup).not.toBe(allowed);
  });
});
