import { randomBytes, randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { quantile, rssSampler, startCertificateHost, streamPost } from "../support/floods.js";
import { ALARM_TOPIC, alarmConfig, deliverSns, signedAlarm } from "../support/sns-alarm.js";
import { TEST_CERT_URL, TEST_SIGNING_CERT_PEM } from "../support/sns-signing.js";
import { type Bot, startBot } from "./bot-harness.js";

// Floods an attacker can send without any secret, against the real Bolt server on 127.0.0.1: oversized
// bodies on /slack/events, and unsigned SNS messages whose certificate URLs point at real SNS hosts.
// Assertions are on counts and ratios; the figures (RSS, fetches, /healthz p99) are printed for the README.

const MiB = 1024 * 1024;
let bot: Bot | undefined;
let stopHost: (() => Promise<void>) | undefined;
afterEach(async () => {
  await bot?.stop();
  await stopHost?.();
  bot = undefined;
  stopHost = undefined;
});

/** GETs /healthz once; answers the status and the milliseconds it took. */
async function healthz(baseUrl: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/healthz`);
  await response.text();
  return { status: response.status, ms: performance.now() - started };
}

/** Probes /healthz one request after another until `flood` settles; answers every probe. */
async function probeDuring<T>(baseUrl: string, flood: Promise<T>): Promise<{ result: T; probes: number[] }> {
  const probes: number[] = [];
  let settled = false;
  const watched = flood.finally(() => {
    settled = true;
  });
  while (!settled) {
    const probe = await healthz(baseUrl);
    expect(probe.status).toBe(200);
    probes.push(probe.ms);
  }
  return { result: await watched, probes };
}

describe("four unsigned 50 MB posts to /slack/events", () => {
  it("are refused with 413 before their bodies are read, so memory stays flat", async () => {
    bot = await startBot();
    const sampler = rssSampler();
    const posts = await Promise.all(
      [false, false, true, true].map((chunked) => streamPost(bot!.url, 50 * MiB, chunked)),
    );
    const rss = sampler.stop();
    const sent = posts.reduce((total, post) => total + post.sent, 0);
    console.info(
      `oversized-body flood: statuses ${posts.map((p) => p.status ?? p.error).join(",")}; ` +
        `RSS ${rss.startMiB} -> peak ${rss.peakMiB} MiB (+${rss.growthMiB}); ${Math.round(sent / MiB)} MiB written`,
    );
    expect(posts.map((post) => post.status ?? post.error)).toEqual([413, 413, 413, 413]);
    // 200 MiB offered: the bot may grow by a small fraction of it, never by the bodies themselves.
    expect(rss.growthMiB).toBeLessThan(0.1 * 200);
    expect(bot.logs.filter((l) => /body too large/.test(String(l.msg)))).toHaveLength(4);
  }, 60_000);
});

describe("500 unsigned SNS messages with certificate URLs on a real SNS host", () => {
  it("cause at most a handful of certificate fetches, keep the cached certificate, and /healthz answers", async () => {
    const goodPath = new URL(TEST_CERT_URL).pathname;
    const host = await startCertificateHost(TEST_SIGNING_CERT_PEM, goodPath);
    stopHost = host.stop;
    bot = await startBot({ config: alarmConfig(), fetchCertificate: host.fetchCertificate });
    expect((await deliverSns(bot.baseUrl, signedAlarm())).status).toBe(200);
    expect(host.requests).toEqual([goodPath]);

    const unsigned = (i: number) => ({
      Type: "Notification",
      MessageId: randomUUID(),
      TopicArn: ALARM_TOPIC,
      Message: "{}",
      Timestamp: new Date().toISOString(),
      SignatureVersion: "2",
      Signature: randomBytes(256).toString("base64"),
      SigningCertURL: `https://sns.us-east-1.amazonaws.com/SimpleNotificationService-${i}${randomUUID()}.pem`,
    });
    const flood = Promise.all(Array.from({ length: 500 }, (_, i) => deliverSns(bot!.baseUrl, unsigned(i))));
    const { result, probes } = await probeDuring(bot.baseUrl, flood);
    const fetches = host.requests.length - 1;
    console.info(
      `unsigned SNS flood: ${fetches} certificate fetches for 500 messages; statuses ${[...new Set(result.map((r) => r.status))].join(",")}; ` +
        `/healthz p50 ${quantile(probes, 0.5).toFixed(1)} ms, p99 ${quantile(probes, 0.99).toFixed(1)} ms over ${probes.length} probes`,
    );
    expect(result.every((answer) => answer.status === 403 || answer.status === 503)).toBe(true);
    expect(fetches).toBeLessThanOrEqual(5);
    expect(probes.length).toBeGreaterThan(0);

    // The certificate in use was not evicted: the next genuine alarm verifies without fetching it again.
    expect((await deliverSns(bot.baseUrl, signedAlarm())).status).toBe(200);
    expect(host.requests.filter((path) => path === goodPath)).toHaveLength(1);
  }, 60_000);
});
