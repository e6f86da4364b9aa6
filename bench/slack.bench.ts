// npm run bench:slack: 200 correctly signed /vpce commands fired at once at the real Bolt app on 127.0.0.1.
// Prints ack latency (Slack allows 3 s; target p99 < 100 ms) and the time from command to root message with
// every AWS call (mocked) taking a fixed latency. The Web API is the local fake that records every call; the
// load comes from a worker thread so it does not share the bot's event loop.
import { Worker } from "node:worker_threads";
import { SIGNING_SECRET, startBot } from "../test/slack/bot-harness.js";
import { IDS } from "../test/support/snapshot-factory.js";

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 200);
const AWS_LATENCY_MS = Number(process.env.BENCH_AWS_LATENCY_MS ?? 100);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function fire(url: string, count: number, responseUrl: string) {
  return new Promise<{ sentAt: number; results: Array<{ ms: number; status: number; diagnosing: boolean }> }>(
    (resolve, reject) => {
      const worker = new Worker(new URL("./slack-load.worker.mjs", import.meta.url), {
        workerData: { url, secret: SIGNING_SECRET, count, text: `diagnose ${IDS.endpoint}`, responseUrl },
      });
      worker.once("message", resolve);
      worker.once("error", reject);
    },
  );
}

const bot = await startBot();
try {
  bot.world.delayMs = AWS_LATENCY_MS;
  await fire(bot.url, 5, bot.fake.responseUrl("warm-up"));
  await bot.fake.waitFor(
    () => bot.fake.calls("chat.postMessage").filter((c) => !c.args.thread_ts).length >= 5,
    30_000,
  );
  bot.fake.reset();
  const before = bot.world.started().length;
  const { sentAt, results } = await fire(bot.url, COMMANDS, bot.fake.responseUrl("bench"));
  const isRoot = (c: { method: string; args: Record<string, unknown>; status: number }) =>
    c.method === "chat.postMessage" && !c.args.thread_ts && c.status === 200;
  const deadline = Date.now() + 120_000;
  while (bot.fake.calls().filter(isRoot).length < COMMANDS && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const roots = bot.fake
    .calls()
    .filter(isRoot)
    .map((c) => c.at - sentAt);
  const ackMs = results.map((r) => r.ms);
  const awsPerDiagnosis = (bot.world.started().length - before) / COMMANDS;
  console.log(
    `vpce-doctor Slack benchmark: ${COMMANDS} signed /vpce commands at once, every AWS call ${AWS_LATENCY_MS} ms,`,
  );
  console.log("at most 16 diagnoses at a time; 5 warm-up commands first\n");
  console.table({
    "ack latency ms": {
      p50: Math.round(percentile(ackMs, 50)),
      p99: Math.round(percentile(ackMs, 99)),
      max: Math.round(Math.max(...ackMs)),
    },
    "command -> root message ms": {
      p50: percentile(roots, 50),
      p99: percentile(roots, 99),
      max: Math.max(...roots),
    },
  });
  console.log(
    `acked 200 with "Diagnosing...": ${results.filter((r) => r.status === 200 && r.diagnosing).length} / ${COMMANDS}`,
  );
  console.log(
    `root messages posted: ${roots.length} / ${COMMANDS}; AWS calls per diagnosis: ${awsPerDiagnosis.toFixed(1)}`,
  );
  console.log(
    `ack p99 / Slack's 3 s budget: ${(percentile(ackMs, 99) / 3000).toFixed(3)}; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  );
} finally {
  await bot.stop();
}
