import { afterEach, describe, expect, it } from "vitest";
import { callLimitProblems, foreignLiveSequences } from "../support/slack-scan.js";
import { ALARM_TOPIC, alarmConfig, deliverSns, signedAlarm } from "../support/sns-alarm.js";
import { notificationFields, signSnsMessage, TEST_CERT_URL } from "../support/sns-signing.js";
import { type Bot, startBot } from "./bot-harness.js";

// Alarms from someone who controls an alarm in a target account: its name, description and reason carry
// Slack's control sequences and a terminal escape, and its reason is 5,000 characters long. Every alarm path
// runs through the real bot; every Slack call it makes is scanned for live sequences and checked against
// Slack's limits.

const HOSTILE =
  "<!channel> <!here> <@U0HOSTILE> <#C0HOSTILE> <http://evil.example/|Click to fix> &amp; \u001b]0;pwned\u0007";
const NAME = `vpce-x ${HOSTILE}`;
const REASON = `Threshold Crossed ${HOSTILE} `.repeat(60).slice(0, 5_000);
const ENDPOINTS = ["vpce-0b1b2c3d4e5f60718", "vpce-0c1b2c3d4e5f60718"];

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

interface Scanned {
  path: string;
  status: number;
  messages: number;
  live: string[];
  limits: string[];
}

/** Delivers one alarm and scans the Slack calls it caused (every call after `since`). */
async function run(b: Bot, path: string, body: unknown): Promise<Scanned> {
  const since = b.fake.calls().length;
  const { status } = await deliverSns(b.baseUrl, body);
  const calls = b.fake.calls().slice(since);
  return {
    path,
    status,
    messages: calls.filter((c) => c.method === "chat.postMessage" || c.method === "chat.update").length,
    live: calls.flatMap(foreignLiveSequences),
    limits: calls.flatMap((c) => callLimitProblems(c).map((p) => `${c.method} ${p}`)),
  };
}

describe("hostile alarm names, descriptions and reasons", () => {
  it("reach Slack escaped and within limits on every alarm path", async () => {
    const results: Scanned[] = [];
    const alarm = (state: string, extra: object = {}) =>
      signedAlarm({ name: NAME, reason: REASON, state, ...extra });
    bot = await startBot({ config: alarmConfig() });
    results.push(await run(bot, "ALARM", alarm("ALARM")));
    results.push(await run(bot, "repeat ALARM", alarm("ALARM")));
    results.push(await run(bot, "INSUFFICIENT_DATA", alarm("INSUFFICIENT_DATA")));
    results.push(await run(bot, "OK", alarm("OK")));
    results.push(await run(bot, "no endpoint", alarm("ALARM", { withoutEndpoint: `no id ${HOSTILE}` })));
    const unparseable = signSnsMessage(
      notificationFields({
        TopicArn: ALARM_TOPIC,
        Message: JSON.stringify({ AlarmName: NAME, junk: HOSTILE }),
      }),
      { version: "2", certUrl: TEST_CERT_URL },
    );
    results.push(await run(bot, "unparseable", unparseable));
    await bot.stop();

    bot = await startBot({ config: alarmConfig("  stormThreshold: 2\n") });
    const storm = await Promise.all(
      ENDPOINTS.map((endpointId) => run(bot!, "storm", alarm("ALARM", { endpointId }))),
    );
    const calls = bot.fake.calls();
    results.push({
      path: "storm",
      status: Math.max(...storm.map((s) => s.status)),
      messages: calls.filter((c) => c.method === "chat.postMessage" || c.method === "chat.update").length,
      live: calls.flatMap(foreignLiveSequences),
      limits: calls.flatMap((c) => callLimitProblems(c)),
    });

    console.info(
      results
        .map((r) => `${r.path}: ${r.messages} messages scanned, ${r.live.length} live sequences`)
        .join("\n"),
    );
    expect(results.map((r) => [r.path, r.status])).toEqual([
      ["ALARM", 200],
      ["repeat ALARM", 200],
      ["INSUFFICIENT_DATA", 200],
      ["OK", 200],
      ["no endpoint", 200],
      ["unparseable", 400],
      ["storm", 200],
    ]);
    for (const r of results)
      expect({ path: r.path, live: r.live, limits: r.limits }).toEqual({
        path: r.path,
        live: [],
        limits: [],
      });
    expect(results.filter((r) => r.path !== "unparseable").every((r) => r.messages > 0)).toBe(true);
    expect(calls.some((c) => JSON.stringify(c.args).includes("\u001b"))).toBe(false);
  }, 30_000);
});
