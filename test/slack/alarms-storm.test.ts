import type { Event } from "@aws-sdk/client-cloudtrail";
import { DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { STORM_EXPORT_ACTION } from "../../src/render/slack-storm.js";
import type { SlackMessage } from "../../src/render/slack-types.js";
import { memoryStateStore } from "../../src/state/bot-memory.js";
import { INTERFACE_ENDPOINT } from "../aws/collect-world.js";
import { type FakeSlack, type RecordedCall, startFakeSlack } from "../support/fake-slack.js";
import { assertWithinSlackLimits } from "../support/slack-limits.js";
import { TEST_IDS } from "../support/slack-signing.js";
import { IDS } from "../support/snapshot-factory.js";
import { alarmConfig, deliverSns, signedAlarm } from "../support/sns-alarm.js";
import { type Bot, startBot } from "./bot-harness.js";

// Alarm storms through the SNS webhook of the real Bolt app, against the fake Slack Web API: one root edited as
// diagnoses finish, one reply per cause, Export all, and two replicas sharing one state editing one thread.

const EDIT_EVERY_MS = 200;
const STORM = { holdMs: 300, editEveryMs: EDIT_EVERY_MS, editsPerSecond: 1_000 };
let bots: Bot[] = [];
let shared: FakeSlack | undefined;
afterEach(async () => {
  await Promise.all(bots.map((b) => b.stop()));
  bots = [];
  await shared?.stop();
  shared = undefined;
});

const ENDPOINTS = Array.from({ length: 12 }, (_, i) => `vpce-0${i.toString(16).padStart(16, "0")}`);

async function stormBot(options: Parameters<typeof startBot>[0] = {}): Promise<Bot> {
  const bot = await startBot({ config: alarmConfig(), storm: STORM, ...options });
  for (const id of ENDPOINTS) bot.world.endpoints.set(id, { ...INTERFACE_ENDPOINT, VpcEndpointId: id });
  bots.push(bot);
  return bot;
}

/** The endpoint's security group admits nothing since jane revoked its rule: every endpoint fails on it. */
function breakSecurityGroup(bot: Bot): void {
  bot.world.serve("ec2", DescribeSecurityGroupsCommand, () => ({
    SecurityGroups: [
      { GroupId: IDS.sgEndpoint, GroupName: "ssm-endpoint", VpcId: IDS.vpc, IpPermissions: [] },
    ],
  }));
  const revoked: Event = {
    EventId: "11111111-2222-3333-4444-555555555555",
    EventName: "RevokeSecurityGroupIngress",
    EventTime: new Date(Date.now() - 10 * 60_000),
    EventSource: "ec2.amazonaws.com",
    Username: "jane",
    Resources: [{ ResourceType: "AWS::EC2::SecurityGroup", ResourceName: IDS.sgEndpoint }],
    CloudTrailEvent: JSON.stringify({ readOnly: false, requestParameters: { groupId: IDS.sgEndpoint } }),
  };
  bot.world.trailEvents = [revoked];
}

const accepted = (c: RecordedCall) => c.status === 200 && c.response.ok === true;
const messageOf = (c: RecordedCall): SlackMessage => ({
  text: String(c.args.text),
  blocks: c.args.blocks as SlackMessage["blocks"],
});

/** What each message shows last: its post, or its newest edit. */
function latest(fake: FakeSlack): Map<string, RecordedCall> {
  const shown = new Map<string, RecordedCall>();
  for (const call of fake.calls().filter(accepted)) {
    if (call.method === "chat.postMessage") shown.set(String(call.response.ts), call);
    if (call.method === "chat.update") shown.set(String(call.args.ts), call);
  }
  return shown;
}

function rootsOf(fake: FakeSlack): RecordedCall[] {
  return fake.calls("chat.postMessage").filter((c) => accepted(c) && !c.args.thread_ts);
}

function expectEditsCoalesced(fake: FakeSlack): void {
  const byTs = new Map<string, number[]>();
  for (const call of fake.calls("chat.update").filter(accepted))
    byTs.set(String(call.args.ts), [...(byTs.get(String(call.args.ts)) ?? []), call.at]);
  for (const times of byTs.values())
    for (let i = 1; i < times.length; i += 1)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(EDIT_EVERY_MS - 20);
}

describe("an alarm storm", () => {
  it("opens one root, edits it as diagnoses finish and names every endpoint, every message within Slack's limits", async () => {
    const bot = await stormBot();
    const answers = await Promise.all(
      ENDPOINTS.map((endpointId) => deliverSns(bot.baseUrl, signedAlarm({ endpointId }))),
    );
    expect(answers.map((a) => a.status)).toEqual(ENDPOINTS.map(() => 200));
    const roots = rootsOf(bot.fake);
    expect(roots).toHaveLength(1);
    const shown = latest(bot.fake);
    const root = shown.get(String(roots[0]!.response.ts))!;
    expect(String(root.args.text)).toMatch(/^🌩️ 12 endpoints alarming in us-east-1 \/ prod/);
    const all = [...shown.values()].map((c) => JSON.stringify(c.args.blocks)).join("\n");
    for (const id of ENDPOINTS) expect(all).toContain(id);
    for (const call of bot.fake.calls().filter((c) => /^chat\.(postMessage|update)$/.test(c.method)))
      assertWithinSlackLimits(messageOf(call));
    expect(bot.fake.calls("chat.postMessage").filter(accepted)).toHaveLength(2);
    expectEditsCoalesced(bot.fake);
  });

  it("shows one security-group cause once: its count, the group, who changed it, and the fix", async () => {
    const bot = await stormBot();
    breakSecurityGroup(bot);
    await Promise.all(ENDPOINTS.map((endpointId) => deliverSns(bot.baseUrl, signedAlarm({ endpointId }))));
    const shown = latest(bot.fake);
    const rootTs = String(rootsOf(bot.fake)[0]!.response.ts);
    const root = JSON.stringify(shown.get(rootTs)!.args.blocks);
    expect(root).toContain("*12 endpoints*");
    expect(root).toContain(`Shared resource: \`${IDS.sgEndpoint}\``);
    expect(root).toMatch(/changed by jane at <!date\^\d+/);
    expect(root.match(/```aws ec2 authorize-security-group-ingress/g)).toHaveLength(1);
    const replies = bot.fake
      .calls("chat.postMessage")
      .filter((c) => accepted(c) && c.args.thread_ts === rootTs);
    expect(replies).toHaveLength(1);
    const reply = shown.get(String(replies[0]!.response.ts))!;
    for (const id of ENDPOINTS) expect(JSON.stringify(reply.args.blocks)).toContain(id);
  });

  it("exports every endpoint, verdict, cause and fix as CSV and JSON, only from the storm's channel", async () => {
    const bot = await stormBot();
    breakSecurityGroup(bot);
    await Promise.all(ENDPOINTS.map((endpointId) => deliverSns(bot.baseUrl, signedAlarm({ endpointId }))));
    const rootTs = String(rootsOf(bot.fake)[0]!.response.ts);
    const blocks = latest(bot.fake).get(rootTs)!.args.blocks as Array<{
      elements?: Array<{ action_id: string; value: string }>;
    }>;
    const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === STORM_EXPORT_ACTION)!;

    await bot.click(STORM_EXPORT_ACTION, button.value, { ts: rootTs }, TEST_IDS.user, "C0OTHER001");
    const refused = await bot.fake.waitForResponse(() => true);
    expect(JSON.stringify(refused.body)).toContain("no longer kept here");

    await bot.click(STORM_EXPORT_ACTION, button.value, { ts: rootTs });
    const done = await bot.fake.waitFor((c) => c.method === "files.completeUploadExternal" && accepted(c));
    expect(done.args).toMatchObject({ channel_id: TEST_IDS.channel, thread_ts: rootTs });
    const files = bot.fake.uploads();
    const names = bot.fake.calls("files.getUploadURLExternal").map((c) => String(c.args.filename));
    expect(names).toEqual([expect.stringMatching(/\.csv$/), expect.stringMatching(/\.json$/)]);
    const csv = files[0]!.bytes.toString("utf8").trim().split("\n");
    expect(csv).toHaveLength(13);
    expect(csv[1]).toMatch(
      /^"vpce-0[0-9a-f]{16}","broken","security-groups",.*"aws ec2 authorize-security-group-ingress/,
    );
    const json = JSON.parse(files[1]!.bytes.toString("utf8")) as { endpoints: Array<{ endpointId: string }> };
    expect(json.endpoints.map((e) => e.endpointId).sort()).toEqual([...ENDPOINTS].sort());
  });

  it("is one thread when two replicas sharing one state each receive half of its alarms", async () => {
    shared = await startFakeSlack();
    const state = memoryStateStore();
    const [a, b] = [await stormBot({ fake: shared, state }), await stormBot({ fake: shared, state })];
    const answers = await Promise.all(
      ENDPOINTS.map((endpointId, i) => deliverSns((i % 2 ? a : b).baseUrl, signedAlarm({ endpointId }))),
    );
    expect(answers.map((x) => x.status)).toEqual(ENDPOINTS.map(() => 200));
    expect(rootsOf(shared)).toHaveLength(1);
    const all = [...latest(shared).values()].map((c) => JSON.stringify(c.args.blocks)).join("\n");
    for (const id of ENDPOINTS) expect(all).toContain(id);
    expect(String(latest(shared).get(String(rootsOf(shared)[0]!.response.ts))!.args.text)).toMatch(
      /^🌩️ 12 endpoints/,
    );
    expectEditsCoalesced(shared);
  });
});
