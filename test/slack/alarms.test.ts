import { afterEach, describe, expect, it } from "vitest";
import { innerMessage } from "../alarms/fixtures.js";
import { TEST_IDS } from "../support/slack-signing.js";
import { IDS } from "../support/snapshot-factory.js";
import { ALARM_TOPIC, type AlarmOptions, deliverSns, signedAlarm } from "../support/sns-alarm.js";
import {
  notificationFields,
  signSnsMessage,
  subscriptionConfirmationFields,
  TEST_CERT_URL,
} from "../support/sns-signing.js";
import { type Bot, startBot } from "./bot-harness.js";

// CloudWatch alarms through the SNS webhook of the real Bolt server: signed messages (test certificate),
// the fake Slack Web API recording what is posted, AWS mocked.

const TOPIC = ALARM_TOPIC;
const CONFIG = `accounts:
  - alias: prod
    id: "${IDS.account}"
    region: us-east-1
channels:
  - id: ${TEST_IDS.channel}
    accounts: [prod]
alarms:
  topics: [${TOPIC}]
  routes:
    - match: { account: prod, alarm: "vpce-*" }
      channel: ${TEST_IDS.channel}
  defaultChannel: C0999ZZZZ
`;
// biome-ignore lint/suspicious/noExplicitAny: the notification is edited field by field in the tests
const INNER: any = innerMessage("cloudwatch-alarm-sns.json");

let bot: Bot;
afterEach(async () => bot?.stop());

const alarm = (options: AlarmOptions = {}) => signedAlarm(options);
const deliver = (b: Bot, body: unknown) => deliverSns(b.baseUrl, body);

const roots = (b: Bot) =>
  b.fake
    .calls("chat.postMessage")
    .filter((c) => c.status === 200 && c.response.ok === true && !c.args.thread_ts);
const blocksText = (c: { args: Record<string, unknown> }) => JSON.stringify(c.args.blocks);

describe("the SNS webhook", () => {
  it("posts the diagnosis of the alarmed endpoint before answering 200", async () => {
    bot = await startBot({ config: CONFIG });
    const answer = await deliver(bot, alarm());
    expect(answer.status).toBe(200);
    const [root] = roots(bot);
    expect(root).toBeDefined();
    expect(root!.args.channel).toBe(TEST_IDS.channel);
    expect(blocksText(root!)).toContain(IDS.endpoint);
    expect(blocksText(root!)).toMatch(/triggered by alarm \*vpce-payments-packets-dropped\* at <!date\^\d+/);
    expect(blocksText(root!)).toContain("Threshold Crossed");
  });

  it.each([
    [
      "a forged message",
      () => ({ ...alarm(), Message: JSON.stringify({ ...INNER, AlarmName: "vpce-forged" }) }),
    ],
    [
      "a certificate on another host",
      () => ({ ...alarm(), SigningCertURL: "https://sns.us-east-1.amazonaws.com.evil.example/cert.pem" }),
    ],
    [
      "a certificate over http",
      () => ({ ...alarm(), SigningCertURL: TEST_CERT_URL.replace("https:", "http:") }),
    ],
    ["a topic that is not allowed", () => alarm({ topic: `arn:aws:sns:us-east-1:${IDS.account}:other` })],
  ])("answers 403 to %s and posts nothing", async (_name, build) => {
    bot = await startBot({ config: CONFIG });
    const answer = await deliver(bot, build());
    expect(answer.status).toBe(403);
    expect(bot.fake.calls("chat.postMessage")).toEqual([]);
    expect(bot.logs.some((l) => l.level === 40 && /SNS webhook/.test(String(l.msg)))).toBe(true);
  });

  it("confirms a subscription from an allowed topic, and only then", async () => {
    bot = await startBot({ config: CONFIG });
    const confirmation = signSnsMessage(subscriptionConfirmationFields({ TopicArn: TOPIC }), {
      version: "1",
      certUrl: TEST_CERT_URL,
    });
    expect((await deliver(bot, confirmation)).status).toBe(200);
    expect(bot.confirmed).toEqual([confirmation.SubscribeURL]);
    const other = signSnsMessage(subscriptionConfirmationFields({ TopicArn: `${TOPIC}-other` }), {
      version: "1",
      certUrl: TEST_CERT_URL,
    });
    expect((await deliver(bot, other)).status).toBe(403);
    expect(bot.confirmed).toHaveLength(1);
  });

  it("posts once when SNS redelivers the same MessageId", async () => {
    bot = await startBot({ config: CONFIG });
    const message = alarm({ messageId: "m-duplicate" });
    expect((await deliver(bot, message)).text).toMatch(/posted/);
    expect((await deliver(bot, message)).text).toMatch(/duplicate/);
    expect(roots(bot)).toHaveLength(1);
  });

  it("answers a redelivery that arrives while the first is still being posted with 503, then 200 duplicate", async () => {
    bot = await startBot({ config: CONFIG });
    bot.fake.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 1 });
    const message = alarm({ messageId: "m-held" });
    const first = deliver(bot, message);
    await bot.fake.waitFor((c) => c.method === "chat.postMessage" && c.status === 429, 5000);
    expect(await deliver(bot, message)).toEqual({
      status: 503,
      text: "already being handled; retry later\n",
    });
    expect((await first).status).toBe(200);
    expect((await deliver(bot, message)).text).toMatch(/duplicate/);
    expect(roots(bot)).toHaveLength(1);
  }, 10_000);

  it("renews the lease of a post held longer than the lease, so a redelivery meanwhile is not posted twice", async () => {
    bot = await startBot({ config: CONFIG, alarmLease: { leaseMs: 300, renewEveryMs: 100 } });
    bot.fake.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 1 });
    const message = alarm({ messageId: "m-renewed" });
    const first = deliver(bot, message);
    await bot.fake.waitFor((c) => c.method === "chat.postMessage" && c.status === 429, 5000);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await deliver(bot, message)).status).toBe(503);
    expect((await first).status).toBe(200);
    expect(roots(bot)).toHaveLength(1);
  }, 10_000);

  it("answers 500 when the post fails, so SNS redelivers, and posts on the redelivery", async () => {
    bot = await startBot({ config: CONFIG });
    bot.fake.failNext("chat.postMessage", { error: "internal_error" });
    const message = alarm({ messageId: "m-retry" });
    expect((await deliver(bot, message)).status).toBe(500);
    expect((await deliver(bot, message)).status).toBe(200);
    expect(roots(bot)).toHaveLength(1);
  });

  it("says when it cannot tell which endpoint an alarm watches", async () => {
    bot = await startBot({ config: CONFIG });
    const message = structuredClone(INNER);
    message.Trigger.Dimensions = [];
    message.AlarmDescription = "no id here";
    const signed = signSnsMessage(notificationFields({ TopicArn: TOPIC, Message: JSON.stringify(message) }), {
      version: "2",
      certUrl: TEST_CERT_URL,
    });
    expect((await deliver(bot, signed)).status).toBe(200);
    expect(blocksText(roots(bot)[0]!)).toMatch(/could not tell which endpoint.*\/vpce diagnose/);
  });
});

describe("alarms in the channel", () => {
  it("answers a repeat ALARM in the endpoint's recent thread, OK with recovered, INSUFFICIENT_DATA with a note", async () => {
    bot = await startBot({ config: CONFIG });
    await deliver(bot, alarm());
    const rootTs = String(roots(bot)[0]!.response.ts);
    await deliver(bot, alarm());
    await deliver(bot, alarm({ state: "INSUFFICIENT_DATA" }));
    await deliver(bot, alarm({ state: "OK" }));
    expect(roots(bot)).toHaveLength(1);
    const inThread = bot.fake
      .calls("chat.postMessage")
      .filter((c) => c.args.thread_ts === rootTs)
      .map(blocksText);
    expect(inThread.some((t) => /fired again/.test(t))).toBe(true);
    expect(inThread.some((t) => /insufficient data/.test(t))).toBe(true);
    expect(inThread.some((t) => /recovered at/.test(t))).toBe(true);
    expect(bot.fake.calls("chat.update").some((c) => c.args.ts === rootTs)).toBe(true);
  });

  it("groups endpoints beyond the 5th alarming within a minute into one storm root, edited as they arrive", async () => {
    bot = await startBot({ config: CONFIG });
    const endpoints = Array.from({ length: 8 }, (_, i) => `vpce-0${String(i).repeat(16)}`.slice(0, 22));
    for (const endpointId of endpoints) expect((await deliver(bot, alarm({ endpointId }))).status).toBe(200);
    const top = roots(bot);
    expect(top.map((c) => String(c.args.text))).toEqual([
      ...endpoints.slice(0, 5).map(() => expect.stringContaining("vpce-")),
      expect.stringMatching(/^🌩️ 1 endpoint alarming in us-east-1 \/ prod/),
    ]);
    const stormTs = String(top.at(-1)!.response.ts);
    const edits = bot.fake.calls("chat.update").filter((c) => c.args.ts === stormTs);
    expect(String(edits.at(-1)!.args.text)).toMatch(/^🌩️ 3 endpoints alarming in us-east-1 \/ prod/);
    const replies = bot.fake.calls("chat.postMessage").filter((c) => c.args.thread_ts === stormTs);
    expect(replies).toHaveLength(1);
    const listed = [
      replies[0]!,
      ...bot.fake.calls("chat.update").filter((c) => c.args.ts === replies[0]!.response.ts),
    ];
    for (const id of endpoints.slice(5)) expect(blocksText(listed.at(-1)!)).toContain(id);
  });

  it("refuses an alarm from an account that is not configured", async () => {
    bot = await startBot({ config: CONFIG });
    const message = structuredClone(INNER);
    message.AWSAccountId = "999999999999";
    message.AlarmArn = message.AlarmArn.replace(IDS.account, "999999999999");
    const signed = signSnsMessage(notificationFields({ TopicArn: TOPIC, Message: JSON.stringify(message) }), {
      version: "2",
      certUrl: TEST_CERT_URL,
    });
    expect((await deliver(bot, signed)).status).toBe(403);
    expect(bot.fake.calls("chat.postMessage")).toEqual([]);
  });
});

describe("alarm storms against Slack's rate limit", () => {
  it("posts every alarm, paced per channel, when Slack answers 429 beyond 1 post per second", async () => {
    bot = await startBot({
      config: CONFIG.replace("  defaultChannel:", "  stormThreshold: 2\n  defaultChannel:"),
      alarmPostIntervalMs: 1000,
    });
    bot.fake.rateLimit("chat.postMessage", 1);
    const endpoints = [
      "vpce-0aaaaaaaaaaaaaaa1",
      "vpce-0bbbbbbbbbbbbbbb2",
      "vpce-0ccccccccccccccc3",
      "vpce-0ddddddddddddddd4",
    ];
    const answers = await Promise.all(endpoints.map((endpointId) => deliver(bot, alarm({ endpointId }))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const posted = bot.fake
      .calls("chat.postMessage")
      .filter((c) => c.status === 200 && c.response.ok === true);
    const shown = [...posted, ...bot.fake.calls("chat.update")].map((c) => JSON.stringify(c.args));
    for (const id of endpoints) expect(shown.some((text) => text.includes(id))).toBe(true);
    expect(posted.filter((c) => /endpoints? alarming/.test(String(c.args.text)))).toHaveLength(1);
    expect(bot.fake.calls("chat.postMessage").some((c) => c.status === 429)).toBe(true);
  }, 60_000);
});

describe("an alarm that names no endpoint", () => {
  it("takes the endpoint from the route rule that matches the alarm name", async () => {
    const config = CONFIG.replace(
      `    - match: { account: prod, alarm: "vpce-*" }\n      channel: ${TEST_IDS.channel}\n`,
      `    - match: { account: prod, alarm: "vpce-*" }\n      channel: ${TEST_IDS.channel}\n      endpoint: ${IDS.endpoint}\n`,
    );
    expect(config).toContain(`endpoint: ${IDS.endpoint}`);
    bot = await startBot({ config });
    const message = structuredClone(INNER);
    message.Trigger.Dimensions = [];
    message.AlarmDescription = "no id here";
    const signed = signSnsMessage(notificationFields({ TopicArn: TOPIC, Message: JSON.stringify(message) }), {
      version: "2",
      certUrl: TEST_CERT_URL,
    });
    expect((await deliver(bot, signed)).status).toBe(200);
    expect(String(roots(bot)[0]!.args.text)).toContain(IDS.endpoint);
  });
});
