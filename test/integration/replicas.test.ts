import { afterEach, describe, expect, inject, it } from "vitest";
import { DynamoStateStore } from "../../src/aws/dynamodb-state.js";
import { StateAlarmMemory } from "../../src/state/alarm-memory.js";
import { INTERFACE_ENDPOINT } from "../aws/collect-world.js";
import { type Bot, startBot } from "../slack/bot-harness.js";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.js";
import { IDS } from "../support/snapshot-factory.js";
import { alarmConfig, deliverSns, signedAlarm } from "../support/sns-alarm.js";
import { createStateTable, motoDynamo } from "./state-table.js";

// Two replicas of the real Bolt app, one Slack workspace (one fake Web API) and one state table in moto:
// what runs behind a load balancer. AWS reads of the diagnosed account stay mocked (the harness's world).

const motoUrl = inject("motoUrl");
const client = motoDynamo(motoUrl);
const CONFIG = alarmConfig();

let fake: FakeSlack;
let state: DynamoStateStore;
let bots: Bot[] = [];
afterEach(async () => {
  await Promise.all(bots.map((b) => b.stop()));
  bots = [];
  await fake?.stop();
});

async function twoReplicas(): Promise<[Bot, Bot]> {
  const table = await createStateTable(client);
  state = new DynamoStateStore({ table, client });
  fake = await startFakeSlack();
  const replica = () => startBot({ config: CONFIG, fake, state: new DynamoStateStore({ table, client }) });
  bots = [await replica(), await replica()];
  return bots as [Bot, Bot];
}

type Blocks = Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
const text = (blocks: unknown) => JSON.stringify(blocks);
const roots = () =>
  fake
    .calls("chat.postMessage")
    .filter((c) => c.status === 200 && c.response.ok === true && !c.args.thread_ts);

describe("two replicas on one DynamoDB table", () => {
  it("posts an alarm SNS delivered to both exactly once", async () => {
    const [a, b] = await twoReplicas();
    const message = signedAlarm({ messageId: `m-both-${Date.now()}` });
    const answers = await Promise.all([deliverSns(a.baseUrl, message), deliverSns(b.baseUrl, message)]);
    // One replica posts (200); the other sees the live claim (503, so SNS would try again later) or, had the
    // post already finished, the done claim (200 duplicate)...
    const said = answers.map((r) => `${r.status} ${r.text.trim()}`);
    expect(said.filter((s) => s === "200 posted")).toHaveLength(1);
    expect(said.filter((s) => s !== "200 posted")).toEqual([
      expect.stringMatching(/^(503 already being handled; retry later|200 duplicate)$/),
    ]);
    // ...and that later try, on either replica, is a duplicate.
    expect(await deliverSns(b.baseUrl, message)).toEqual({ status: 200, text: "duplicate\n" });
    expect(await deliverSns(a.baseUrl, message)).toEqual({ status: 200, text: "duplicate\n" });
    expect(roots()).toHaveLength(1);
    expect(text(roots()[0]!.args.blocks)).toContain(IDS.endpoint);
  });

  it("takes over an alarm whose first handler died once its lease lapses", async () => {
    const [a] = await twoReplicas();
    const messageId = `m-orphan-${Date.now()}`;
    // A replica that claimed the message and died: its lease is never renewed or finished.
    const dead = new StateAlarmMemory(state, { leaseMs: 400 });
    expect(await dead.claim(messageId)).toBe("new");
    const message = signedAlarm({ messageId });
    expect(await deliverSns(a.baseUrl, message)).toEqual({
      status: 503,
      text: "already being handled; retry later\n",
    });
    expect(roots()).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await deliverSns(a.baseUrl, message)).toEqual({ status: 200, text: "posted\n" });
    expect(roots()).toHaveLength(1);
  });

  it("answers a repeat alarm on the other replica in the thread the first one opened", async () => {
    const [a, b] = await twoReplicas();
    await deliverSns(a.baseUrl, signedAlarm());
    const rootTs = String(roots()[0]!.response.ts);
    expect((await deliverSns(b.baseUrl, signedAlarm({ state: "OK" }))).status).toBe(200);
    expect(roots()).toHaveLength(1);
    const reply = await fake.waitFor(
      (c) =>
        c.method === "chat.postMessage" &&
        c.args.thread_ts === rootTs &&
        /recovered/i.test(text(c.args.blocks)),
      5000,
    );
    expect(reply.status).toBe(200);
  });

  it("runs a button clicked on either replica, and a double click across both starts one rerun", async () => {
    const [a, b] = await twoReplicas();
    await a.command(`diagnose ${IDS.endpoint} us-east-1`);
    const root = await fake.waitFor(
      (c) => c.method === "chat.postMessage" && !c.args.thread_ts && c.status === 200,
      5000,
    );
    const rootTs = String(root.response.ts);
    const value = (root.args.blocks as Blocks)
      .find((block) => block.type === "actions")!
      .elements!.find((e) => e.action_id === "vpce_rerun")!.value;

    const exportValue = (root.args.blocks as Blocks)
      .find((block) => block.type === "actions")!
      .elements!.find((e) => e.action_id === "vpce_export")!.value;
    await b.click("vpce_export", exportValue, { ts: rootTs });
    const uploaded = await fake.waitFor(
      (c) => c.method === "files.completeUploadExternal" && c.status === 200,
      5000,
    );
    expect(uploaded.args.thread_ts).toBe(rootTs);
    expect(JSON.parse(fake.uploads().at(-1)!.bytes.toString()).endpointId).toBe(IDS.endpoint);

    a.world.delayMs = 150;
    b.world.delayMs = 150;
    const before = a.world.started().length + b.world.started().length;
    await Promise.all([
      b.click("vpce_rerun", value, { ts: rootTs }, "U0777"),
      a.click("vpce_rerun", value, { ts: rootTs }, "U0888"),
    ]);
    await fake.waitFor((c) => c.method === "chat.postMessage" && /Rerun by/.test(text(c.args.blocks)), 8000);
    await fake.waitForResponse((r) => /already under way/.test(JSON.stringify(r.body)), 5000);
    const endpointReads = [...a.world.started(), ...b.world.started()]
      .slice(before)
      .filter((command) => command === "DescribeVpcEndpoints");
    expect(endpointReads).toHaveLength(1);
    expect(fake.calls("chat.postMessage").filter((c) => /Rerun by/.test(text(c.args.blocks)))).toHaveLength(
      1,
    );
  });

  it("edits one storm thread when each replica receives half of a storm's alarms", async () => {
    const table = await createStateTable(client);
    fake = await startFakeSlack();
    const ids = Array.from({ length: 10 }, (_, i) => `vpce-0${i.toString(16).padStart(16, "0")}`);
    const replica = async () => {
      const bot = await startBot({
        config: CONFIG,
        fake,
        state: new DynamoStateStore({ table, client }),
        storm: { holdMs: 2_000, editEveryMs: 200, editsPerSecond: 1_000 },
      });
      for (const id of ids) bot.world.endpoints.set(id, { ...INTERFACE_ENDPOINT, VpcEndpointId: id });
      return bot;
    };
    bots = [await replica(), await replica()];
    const answers = await Promise.all(
      ids.map((endpointId, i) => deliverSns(bots[i % 2]!.baseUrl, signedAlarm({ endpointId }))),
    );
    expect(answers.map((a) => a.status)).toEqual(ids.map(() => 200));
    expect(roots()).toHaveLength(1);
    const rootTs = String(roots()[0]!.response.ts);
    const shown = [...fake.calls("chat.postMessage"), ...fake.calls("chat.update")]
      .filter((c) => c.status === 200 && c.response.ok === true)
      .map((c) => text(c.args.blocks))
      .join("\n");
    for (const id of ids) expect(shown).toContain(id);
    const rootEdits = fake.calls("chat.update").filter((c) => c.args.ts === rootTs);
    expect(String(rootEdits.at(-1)?.args.text)).toMatch(/^🌩️ 10 endpoints alarming/);
  }, 30_000);
});
