import { describe, expect, it } from "vitest";
import { globToRegExp, routeAlarm } from "../../src/alarms/route.js";
import { parseConfig } from "../../src/config/load.js";

const CONFIG = parseConfig(`accounts:
  - alias: prod
    id: "111122223333"
  - alias: dev
    id: "444455556666"
alarms:
  routes:
    - match: { account: "111122223333", region: us-east-1, alarm: "vpce-*" }
      channel: CPRODEAST
    - match: { account: dev }
      channel: CDEV
    - match: { alarm: "payments-?" }
      channel: CPAY
  defaultChannel: CDEFAULT
`);

const alarm = (accountId: string, region: string, alarmName: string) => ({ accountId, region, alarmName });

describe("routeAlarm", () => {
  it("sends an alarm to the first route whose every given field matches", () => {
    const routed = routeAlarm(CONFIG, alarm("111122223333", "us-east-1", "vpce-api-down"));
    expect(routed).toEqual({ channel: "CPRODEAST", account: CONFIG.accounts[0] });
  });

  it("matches an account by its alias as well as its id", () => {
    expect(routeAlarm(CONFIG, alarm("444455556666", "eu-west-1", "vpce-x"))).toMatchObject({
      channel: "CDEV",
      account: { alias: "dev" },
    });
  });

  it("skips a route when one of its fields does not match", () => {
    expect(routeAlarm(CONFIG, alarm("111122223333", "us-west-2", "vpce-api-down"))).toMatchObject({
      channel: "CDEFAULT",
    });
    expect(routeAlarm(CONFIG, alarm("111122223333", "us-east-1", "VPCE-api-down"))).toMatchObject({
      channel: "CDEFAULT",
    });
  });

  it("lets a route without an account or region match any", () => {
    expect(routeAlarm(CONFIG, alarm("111122223333", "ap-south-1", "payments-1"))).toMatchObject({
      channel: "CPAY",
    });
    expect(routeAlarm(CONFIG, alarm("111122223333", "ap-south-1", "payments-12"))).toMatchObject({
      channel: "CDEFAULT",
    });
  });

  it("treats an empty match as a catch-all", () => {
    const config = parseConfig(`accounts: [{ alias: prod, id: "111122223333" }]
alarms: { routes: [{ match: {}, channel: CALL }], defaultChannel: CDEFAULT }
`);
    expect(routeAlarm(config, alarm("111122223333", "us-east-1", "anything"))).toMatchObject({
      channel: "CALL",
    });
  });

  it("refuses an alarm from an account that is not configured, naming it", () => {
    const routed = routeAlarm(CONFIG, alarm("999999999999", "us-east-1", "vpce-api-down"));
    expect(routed).toEqual({ refused: expect.stringContaining("999999999999") });
    expect("refused" in routed && routed.refused).not.toContain("\n");
  });

  it("refuses an alarm with no matching route and no default channel", () => {
    const config = parseConfig(`accounts: [{ alias: prod, id: "111122223333" }]
alarms: { routes: [{ match: { region: eu-west-1 }, channel: CEU }] }
`);
    const routed = routeAlarm(config, alarm("111122223333", "us-east-1", "vpce-api-down"));
    expect(routed).toEqual({ refused: expect.stringContaining("no route and no defaultChannel") });
  });

  it("refuses every alarm when there is no alarms section", () => {
    const config = parseConfig(`accounts: [{ alias: prod, id: "111122223333" }]\n`);
    expect(routeAlarm(config, alarm("111122223333", "us-east-1", "x"))).toHaveProperty("refused");
  });
});

describe("globToRegExp", () => {
  it("reads * as any run of characters and ? as exactly one", () => {
    expect(globToRegExp("vpce-*").test("vpce-")).toBe(true);
    expect(globToRegExp("vpce-*").test("vpce-api/down")).toBe(true);
    expect(globToRegExp("a?c").test("abc")).toBe(true);
    expect(globToRegExp("a?c").test("ac")).toBe(false);
    expect(globToRegExp("a?c").test("abbc")).toBe(false);
    expect(globToRegExp("*").test("")).toBe(true);
  });

  it("is anchored at both ends", () => {
    expect(globToRegExp("vpce").test("my-vpce")).toBe(false);
    expect(globToRegExp("vpce").test("vpce-1")).toBe(false);
    expect(globToRegExp("*vpce*").test("my-vpce-1")).toBe(true);
  });

  it("is case-sensitive", () => {
    expect(globToRegExp("vpce-*").test("VPCE-1")).toBe(false);
  });

  it("takes regex metacharacters literally", () => {
    const glob = "a.b+c(d)[e]{2}|f^g$h\\i/j";
    expect(globToRegExp(glob).test(glob)).toBe(true);
    expect(globToRegExp("a.b").test("axb")).toBe(false);
    expect(globToRegExp("x+").test("xx")).toBe(false);
    expect(globToRegExp("[ab]").test("a")).toBe(false);
    expect(globToRegExp("(a|b)*").test("(a|b) high")).toBe(true);
  });

  it("matches across newlines and whole code points", () => {
    expect(globToRegExp("a*b").test("a\nb")).toBe(true);
    expect(globToRegExp("?").test("🚨")).toBe(true);
  });
});
