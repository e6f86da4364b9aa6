// npm run bench:state: what shared state costs. Two replicas of the real Bolt app share one DynamoDB table
// in moto_server; commands, button clicks and alarms (each delivered to both replicas, as a redelivery
// landing on the other replica would be) go through them. Printed: DynamoDB requests per action, the size
// stored per report (gzip vs raw JSON), and that each alarm was posted once. AWS reads of the diagnosed
// account are the mocked account of the collector tests; Slack is the local fake.
import { gunzipSync } from "node:zlib";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoStateStore } from "../src/aws/dynamodb-state.js";
import { startMoto } from "../test/integration/moto.js";
import { createStateTable } from "../test/integration/state-table.js";
import { TEST_CREDENTIALS } from "../test/integration/world.js";
import { startBot } from "../test/slack/bot-harness.js";
import { startFakeSlack } from "../test/support/fake-slack.js";
import { IDS } from "../test/support/snapshot-factory.js";
import { alarmConfig, deliverSns, signedAlarm } from "../test/support/sns-alarm.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
// Every alarm gets its own root here (no storm thread), so each post can be counted.
const CONFIG = alarmConfig("  stormThreshold: 1000\n");

const moto = await startMoto();
try {
  const client = new DynamoDBClient({
    endpoint: moto.url,
    region: "us-east-1",
    credentials: TEST_CREDENTIALS,
  });
  const requests: Record<string, number> = {};
  const stored = { reports: 0, gzipBytes: 0, rawBytes: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName).replace(/Command$/, "");
      requests[name] = (requests[name] ?? 0) + 1;
      const item = (args.input as { Item?: { pk?: { S?: string }; v?: { B?: Uint8Array } } }).Item;
      if (name === "PutItem" && item?.pk?.S?.startsWith("report:") && item.v?.B) {
        stored.reports += 1;
        stored.gzipBytes += item.v.B.byteLength;
        stored.rawBytes += gunzipSync(item.v.B).byteLength;
      }
      return next(args);
    },
    { step: "initialize", name: "benchCounter" },
  );
  const table = await createStateTable(client);
  const fake = await startFakeSlack();
  const replica = () => startBot({ config: CONFIG, fake, state: new DynamoStateStore({ table, client }) });
  const bots = [await replica(), await replica()];
  const total = () => Object.values(requests).reduce((a, b) => a + b, 0);
  const measure = async (what: string, times: number, act: (i: number) => Promise<void>) => {
    const before = { ...requests };
    const start = total();
    for (let i = 0; i < times; i += 1) await act(i);
    const per = (total() - start) / times;
    const detail = Object.entries(requests)
      .map(([name, n]) => [name, n - (before[name] ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .map(([name, n]) => `${name} ${(n / times).toFixed(1)}`)
      .join(", ");
    console.log(`${what.padEnd(44)} ${per.toFixed(1).padStart(5)} DynamoDB requests each (${detail})`);
  };
  type Blocks = Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
  const roots = () => fake.calls("chat.postMessage").filter((c) => !c.args.thread_ts && c.status === 200);
  const rootTsList: Array<{ ts: string; value: string }> = [];

  await measure("/vpce diagnose (report posted, thread stored)", ROUNDS, async (i) => {
    const before = roots().length;
    await bots[i % 2]!.command(`diagnose ${IDS.endpoint} us-east-1`);
    const root = await fake.waitFor(() => roots().length > before, 10_000).then(() => roots().at(-1)!);
    await bots[i % 2]!.waitForReports(Math.floor(i / 2) + 1, 10_000);
    const value = (root.args.blocks as Blocks)
      .find((b) => b.type === "actions")!
      .elements!.find((e) => e.action_id === "vpce_rerun")!.value;
    rootTsList.push({ ts: String(root.response.ts), value });
  });
  await measure("Rerun clicked on the other replica", ROUNDS, async (i) => {
    const { ts, value } = rootTsList[i]!;
    const before = fake
      .calls("chat.postMessage")
      .filter((c) => /Rerun by/.test(JSON.stringify(c.args))).length;
    await bots[(i + 1) % 2]!.click("vpce_rerun", value, { ts });
    await fake.waitFor(
      () =>
        fake.calls("chat.postMessage").filter((c) => /Rerun by/.test(JSON.stringify(c.args))).length > before,
      10_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
  const rootsBefore = roots().length;
  await measure("alarm delivered to both replicas", ROUNDS, async (i) => {
    const message = signedAlarm({ endpointId: `vpce-0${(0xa000 + i).toString(16).padStart(16, "0")}` });
    await Promise.all(bots.map((b) => deliverSns(b.baseUrl, message)));
  });
  const alarmRoots = roots().length - rootsBefore;
  console.log(
    `alarms posted / delivered twice: ${alarmRoots} / ${ROUNDS} (each posted once: ${alarmRoots === ROUNDS})`,
  );
  console.log(
    `stored per report: ${(stored.gzipBytes / stored.reports / 1024).toFixed(1)} KiB gzip of ${(stored.rawBytes / stored.reports / 1024).toFixed(1)} KiB JSON (ratio ${(stored.gzipBytes / stored.rawBytes).toFixed(3)}; DynamoDB's item limit is 400 KB)`,
  );
  console.log(`Scan or Query requests: ${(requests.Scan ?? 0) + (requests.Query ?? 0)}`);
  for (const bot of bots) await bot.stop();
  await fake.stop();
} finally {
  await moto.stop();
}
