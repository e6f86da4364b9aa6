// npm run bench:thread: what a responder sees, in numbers.
// 1. Channel posts per diagnosis for every bundled example: each example's report delivered as a Slack thread
//    (the real delivery and renderer) to a client that counts posts; a missing endpoint is answered privately.
// 2. With AWS stalled, through the real Bolt app and the fake Slack (AWS mocked, DescribeNetworkAcls never
//    answering, production limits: 10 s a call, 25 s a diagnosis, the note at 8 s): time to the "still waiting"
//    note and to the partial report.
// 3. The same with every AWS call going to a TCP server that accepts and never answers (the real SDK).
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { DescribeNetworkAclsCommand } from "@aws-sdk/client-ec2";
import { createClients } from "../src/aws/clients.js";
import { collectSnapshot } from "../src/aws/collect.js";
import { createCallCounter } from "../src/aws/middleware.js";
import { RateLimiter } from "../src/aws/rate-limit.js";
import { parseSnapshot } from "../src/diagnosis/load-snapshot.js";
import { diagnoseSnapshot, runDiagnosis } from "../src/diagnosis/run.js";
import { endpointMissing } from "../src/render/slack-answers.js";
import { SlackThreadDelivery } from "../src/slack/thread-delivery.js";
import { startBot } from "../test/slack/bot-harness.js";
import { IDS } from "../test/support/snapshot-factory.js";

async function postsPerExample(): Promise<void> {
  const dir = new URL("../examples/", import.meta.url);
  console.log("| example | verdict | channel posts |\n|---|---|---|");
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort()) {
    const snapshot = parseSnapshot(readFileSync(new URL(name, dir), "utf8"), name);
    const report = diagnoseSnapshot(snapshot);
    let posts = 0;
    const client = {
      chat: { postMessage: async () => ({ ok: true, channel: "C1", ts: `${++posts}.0` }) },
    } as never;
    if (!endpointMissing(report)) {
      const delivered = {
        id: "r1",
        trigger: "<@U1> via /vpce",
        requestKey: "k",
        report,
        snapshot,
        startedAt: 0,
      };
      await new SlackThreadDelivery(client).open(delivered, { channel: "C1" });
    }
    const cause = report.verdict.cause ? `, ${report.verdict.cause}` : "";
    console.log(
      `| ${name} | ${report.verdict.status}${cause} | ${posts === 0 ? "0 (private answer)" : posts} |`,
    );
  }
}

async function stalledThroughBolt(): Promise<void> {
  const bot = await startBot();
  try {
    bot.world.serve("ec2", DescribeNetworkAclsCommand, () => new Promise(() => {}));
    const started = Date.now();
    const ack = await bot.command(`diagnose ${IDS.endpoint}`);
    const note = await bot.fake.waitForResponse(
      (r) => r.id === ack.responseId && /still waiting/.test(JSON.stringify(r.body)),
      15_000,
    );
    await bot.waitForReports(1, 40_000);
    const done = Date.now() - started;
    console.log(`\nAWS stalled (DescribeNetworkAcls never answers), through Bolt and the fake Slack:`);
    console.log(
      `  "still waiting" note after ${((note.at - started) / 1000).toFixed(1)} s: ${JSON.stringify((note.body as { text: string }).text)}`,
    );
    console.log(
      `  partial report posted after ${(done / 1000).toFixed(1)} s; posts: ${bot.fake.calls("chat.postMessage").length}`,
    );
  } finally {
    await bot.stop();
  }
}

async function blackHoled(): Promise<void> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const started = Date.now();
  let noteAt = 0;
  const { report } = await runDiagnosis(
    { endpointId: IDS.endpoint, region: "us-east-1", windowHours: 1, requester: "U1" },
    {
      collect: (r) => {
        const counter = createCallCounter();
        const clients = createClients({
          region: r.region,
          credentials: { accessKeyId: "x", secretAccessKey: "y" },
          counter,
        });
        const input = {
          endpointId: r.endpointId,
          region: r.region,
          accountId: IDS.account,
          windowHours: 1,
          now: new Date(),
        };
        return collectSnapshot(input, clients, { counter, limiter: new RateLimiter(1000, 100) });
      },
      onSlow: () => {
        noteAt = Date.now() - started;
      },
    },
  );
  const done = Date.now() - started;
  for (const socket of sockets) socket.destroy();
  server.close();
  console.log(`\nEvery AWS call to a TCP server that never answers (the real SDK, production limits):`);
  console.log(
    `  note after ${(noteAt / 1000).toFixed(1)} s; report after ${(done / 1000).toFixed(1)} s; verdict ${report.verdict.status}`,
  );
  console.log(`  gaps: ${report.gaps.map((g) => g.message).join("; ")}`);
}

await postsPerExample();
await stalledThroughBolt();
await blackHoled();
