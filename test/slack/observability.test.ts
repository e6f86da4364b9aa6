import { afterEach, describe, expect, it } from "vitest";
import { gracefulShutdown } from "../../src/lifecycle/shutdown.js";
import { createLogger } from "../../src/log.js";
import { IDS } from "../support/snapshot-factory.js";
import { ALARM_TOPIC, alarmConfig, deliverSns, signedAlarm } from "../support/sns-alarm.js";
import { type Bot, startBot } from "./bot-harness.js";

// /metrics, /healthz and graceful shutdown on the real Bolt server, driven as Slack and SNS drive it.

const ID = IDS.endpoint;
const ALARMS = alarmConfig();

let bot: Bot;
afterEach(async () => bot?.stop());

async function scrape(b: Bot): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${b.baseUrl}/metrics`);
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

/** The value of one sample line, e.g. value(text, 'vpce_doctor_diagnoses_total{trigger="command",verdict="healthy"}'). */
function value(text: string, sample: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

async function diagnosed(b: Bot) {
  await b.command(`diagnose ${ID} us-east-1`);
  return b.fake.waitFor(
    (c) => c.method === "chat.postMessage" && !c.args.thread_ts && c.status === 200,
    5000,
  );
}

describe("/metrics", () => {
  it("counts diagnoses by trigger and verdict, their duration, the queue depth and process metrics", async () => {
    bot = await startBot();
    await diagnosed(bot);
    await bot.fake.waitFor(
      (c) => c.method === "chat.postMessage" && /passed/i.test(JSON.stringify(c.args)),
      5000,
    );
    const { status, type, text } = await scrape(bot);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(value(text, 'vpce_doctor_diagnoses_total{trigger="command",verdict="healthy"}')).toBe(1);
    expect(value(text, 'vpce_doctor_diagnosis_duration_seconds_count{trigger="command"}')).toBe(1);
    expect(value(text, 'vpce_doctor_queue_depth{queue="diagnoses"}')).toBe(0);
    expect(text).toContain("vpce_doctor_process_resident_memory_bytes");
  });

  it("labels a diagnosis with a denied read by its verdict, unknown, never healthy", async () => {
    bot = await startBot();
    bot.world.failures.set("DescribeSecurityGroups", "UnauthorizedOperation");
    await diagnosed(bot);
    const { text } = await scrape(bot);
    expect(value(text, 'vpce_doctor_diagnoses_total{trigger="command",verdict="unknown"}')).toBe(1);
    expect(text).not.toMatch(/verdict="healthy"/);
  });

  it("counts Slack API errors by method and error, retried 429s included", async () => {
    bot = await startBot();
    bot.fake.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 1 });
    await diagnosed(bot);
    bot.fake.failNext("chat.postMessage", { error: "not_in_channel" });
    await bot.command(`diagnose ${ID} us-east-1`);
    await bot.fake.waitForResponse((r) => /invite it/.test(JSON.stringify(r.body)), 5000);
    const { text } = await scrape(bot);
    expect(
      value(text, 'vpce_doctor_slack_api_errors_total{method="chat.postMessage",error="ratelimited"}'),
    ).toBe(1);
    expect(
      value(text, 'vpce_doctor_slack_api_errors_total{method="chat.postMessage",error="not_in_channel"}'),
    ).toBe(1);
  }, 15_000);

  it("counts alarms received, deduplicated and refused", async () => {
    bot = await startBot({ config: ALARMS });
    const message = signedAlarm({ messageId: "m-metrics" });
    await deliverSns(bot.baseUrl, message);
    await deliverSns(bot.baseUrl, message);
    await deliverSns(bot.baseUrl, { ...message, Signature: "Zm9yZ2Vk" });
    await deliverSns(bot.baseUrl, signedAlarm({ topic: `${ALARM_TOPIC}-other` }));
    const { text } = await scrape(bot);
    expect(value(text, 'vpce_doctor_alarms_received_total{source="sns"}')).toBe(4);
    expect(value(text, 'vpce_doctor_alarms_deduplicated_total{source="sns"}')).toBe(1);
    expect(value(text, 'vpce_doctor_alarms_refused_total{source="sns",reason="signature"}')).toBe(1);
    expect(value(text, 'vpce_doctor_alarms_refused_total{source="sns",reason="topic"}')).toBe(1);
    expect(value(text, 'vpce_doctor_diagnoses_total{trigger="alarm",verdict="healthy"}')).toBe(1);
    expect(value(text, 'vpce_doctor_queue_depth{queue="alarm_posts"}')).toBe(0);
  });
});

describe("graceful shutdown", () => {
  it("finishes a diagnosis under way, refuses new connections, fails /healthz while draining and exits 0", async () => {
    bot = await startBot();
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
    bot.world.delayMs = 200;
    const ack = await bot.command(`diagnose ${ID} us-east-1`);
    expect(ack.status).toBe(200);
    expect(bot.work.size).toBeGreaterThan(0);

    const exits: number[] = [];
    const lines: Array<Record<string, unknown>> = [];
    const shutdown = gracefulShutdown({
      work: bot.work,
      stopAccepting: [() => bot.stopAccepting()],
      logger: createLogger({ LOG_LEVEL: "info" }, "info", {
        write: (line: string) => void lines.push(JSON.parse(line)),
      }),
      timeoutMs: 20_000,
      exit: (code) => void exits.push(code),
    });
    const done = shutdown("SIGTERM");
    expect(bot.work.draining).toBe(true);
    await done;

    expect(exits).toEqual([0]);
    expect(bot.fake.calls("chat.postMessage").some((c) => !c.args.thread_ts && c.status === 200)).toBe(true);
    expect(bot.work.size).toBe(0);
    expect(lines.map((l) => l.msg)).toEqual([
      "shutting down: taking no new work, finishing what is under way",
      "shut down cleanly",
    ]);
    await expect(fetch(`${bot.baseUrl}/healthz`)).rejects.toThrow();
  });

  it("answers 503 on /healthz once draining, so load balancers stop sending work", async () => {
    bot = await startBot();
    bot.work.drain();
    const response = await fetch(`${bot.baseUrl}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ok: false, draining: true });
  });
});
