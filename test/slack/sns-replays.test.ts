import { afterEach, describe, expect, it } from "vitest";
import { innerMessage } from "../alarms/fixtures.js";
import { ALARM_TOPIC, alarmConfig, deliverSns } from "../support/sns-alarm.js";
import { notificationFields, signSnsMessage, TEST_CERT_URL } from "../support/sns-signing.js";
import { type Bot, startBot } from "./bot-harness.js";

// A signed SNS notification captured and replayed: the MessageId claim forgets it on a restart (memory
// state), so its signed Timestamp decides: over an hour old, or more than 5 minutes ahead, it is refused.

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const signedAt = (at: number, messageId: string) =>
  signSnsMessage(
    notificationFields({
      MessageId: messageId,
      TopicArn: ALARM_TOPIC,
      Message: JSON.stringify(innerMessage("cloudwatch-alarm-sns.json")),
      Timestamp: new Date(at).toISOString(),
    }),
    { version: "2", certUrl: TEST_CERT_URL },
  );
const roots = (b: Bot) => b.fake.calls("chat.postMessage").filter((c) => !c.args.thread_ts);

describe("a replayed SNS notification", () => {
  it("over an hour old (after a restart, say) is refused by its age and posts nothing", async () => {
    const captured = signedAt(Date.now() - 61 * 60_000, "m-captured");
    bot = await startBot({ config: alarmConfig() });
    expect(await deliverSns(bot.baseUrl, captured)).toEqual({ status: 403, text: "message refused\n" });
    expect(roots(bot)).toEqual([]);
    expect(bot.logs.find((l) => l.msg === "SNS webhook: message refused")).toMatchObject({
      reason: "Timestamp is more than an hour old",
    });
  });

  it("within the hour is acted on once: the MessageId claim answers the replay duplicate", async () => {
    const fresh = signedAt(Date.now() - 5 * 60_000, "m-fresh");
    bot = await startBot({ config: alarmConfig() });
    expect((await deliverSns(bot.baseUrl, fresh)).status).toBe(200);
    expect((await deliverSns(bot.baseUrl, fresh)).text).toMatch(/duplicate/);
    expect(roots(bot)).toHaveLength(1);
  });

  it("refuses a Timestamp more than 5 minutes ahead", async () => {
    bot = await startBot({ config: alarmConfig() });
    const answer = await deliverSns(bot.baseUrl, signedAt(Date.now() + 10 * 60_000, "m-future"));
    expect(answer.status).toBe(403);
    expect(roots(bot)).toEqual([]);
  });
});
