import { DescribeNetworkAclsCommand } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeSlack, type RecordedCall, startFakeSlack } from "../support/fake-slack.js";
import { assertWithinSlackLimits } from "../support/slack-limits.js";
import { IDS } from "../support/snapshot-factory.js";
import { ALARM_TOPIC, deliverSns, signedAlarm } from "../support/sns-alarm.js";
import { type Bot, startBot } from "./bot-harness.js";

// Issue 11 through the real Bolt app and the fake Slack: a quiet thread whose root is the answer, buttons that
// never repost (also after a restart), a deadline on AWS, and private answers for a missing endpoint.

const ID = IDS.endpoint;
const REJECT = `2 ${IDS.account} ${IDS.eniA} 10.0.3.25 10.0.1.10 40000 443 6 3 180 1795000000 1795000060 REJECT OK`;
const bots: Bot[] = [];
let fake: FakeSlack | undefined;
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
  await fake?.stop();
  fake = undefined;
});

const ok = (c: RecordedCall) => c.status === 200 && c.response.ok === true;
const posts = (b: Bot) => b.fake.calls("chat.postMessage").filter(ok);
const text = (value: unknown) => JSON.stringify(value);
type Button = { action_id: string; value: string };

async function start(options: Parameters<typeof startBot>[0] = {}): Promise<Bot> {
  const bot = await startBot(options);
  bots.push(bot);
  return bot;
}

async function diagnose(bot: Bot, command = `diagnose ${ID}`) {
  const ack = await bot.command(command);
  const record = await bot.waitForReports(bot.reports.length + 1);
  const root = posts(bot).find((c) => c.response.ts === record.placement.rootTs)!;
  return {
    ack,
    record,
    root,
    thread: posts(bot).filter((c) => c.args.thread_ts === record.placement.rootTs),
  };
}

describe("a diagnosis with one cause", () => {
  it("posts at most 3 messages; the root holds the fix command and the account it must run in", async () => {
    const bot = await start();
    bot.world.flowMessages = [REJECT];
    const { root, thread } = await diagnose(bot);
    expect(1 + thread.length).toBeLessThanOrEqual(3);
    const rootText = text(root.args.blocks);
    expect(rootText).toMatch(/\*Fix\* — run in account prod \(111122223333\), us-east-1/);
    expect(rootText).toContain("```aws ec2 ");
    expect(rootText).toContain("Show all checks");
    expect(thread[0]!.args.text).toMatch(/flow-logs/);
    for (const call of posts(bot))
      assertWithinSlackLimits({ text: String(call.args.text), blocks: call.args.blocks as never });
  });

  it("reads /vpce vpce-… as diagnose", async () => {
    const bot = await start();
    const { ack, record } = await diagnose(bot, ID);
    expect(ack.json).toMatchObject({ text: `Diagnosing ${ID} in us-east-1 (prod)...` });
    expect(record.request.endpointId).toBe(ID);
  });
});

describe("Show details / Hide", () => {
  it("carries its intent in the button: a repeat or a late click renders what it says, nothing stored", async () => {
    const bot = await start();
    bot.world.flowMessages = [REJECT];
    const { thread, record } = await diagnose(bot);
    const reply = thread[0]!;
    const show = (reply.args.blocks as Array<{ accessory: Button }>)[0]!.accessory;
    expect(show.action_id).toBe("vpce_toggle:show:flow-logs");
    const message = { ts: String(reply.response.ts), thread_ts: record.placement.rootTs };
    const hide = { ...show, action_id: "vpce_toggle:hide:flow-logs" };
    await Promise.all([
      bot.click(show.action_id, show.value, message),
      bot.click(hide.action_id, hide.value, message),
    ]);
    await bot.click(hide.action_id, hide.value, message);
    await bot.fake.waitFor(() => bot.fake.calls("chat.update").length === 3);
    const last = bot.fake.calls("chat.update").at(-1)!;
    expect(text(last.args.blocks)).toContain("Show details");
    expect(bot.reports).toHaveLength(1);
  });
});

describe("after a restart (memory forgotten)", () => {
  async function twoBots() {
    fake = await startFakeSlack();
    const first = await start({ fake });
    first.world.flowMessages = [REJECT];
    const posted = await diagnose(first);
    await first.stop();
    bots.splice(bots.indexOf(first), 1);
    const second = await start({ fake });
    second.world.flowMessages = [REJECT];
    return { second, posted };
  }

  it("a Rerun on the old thread updates it in place: one new post, the rerun note", async () => {
    const { second, posted } = await twoBots();
    const rootTs = posted.record.placement.rootTs;
    const before = posts(second).length;
    const rerun = (posted.root.args.blocks as Array<{ type: string; elements?: Button[] }>)
      .find((b) => b.type === "actions")!
      .elements!.find((e) => e.action_id === "vpce_rerun")!;
    await second.click("vpce_rerun", rerun.value, {
      ts: rootTs,
      blocks: posted.root.args.blocks as unknown[],
    });
    const revived = await second.waitForReports(1);
    const added = posts(second).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]!.args.thread_ts).toBe(rootTs);
    const updated = new Set(
      second.fake
        .calls("chat.update")
        .filter(ok)
        .map((c) => c.args.ts),
    );
    expect(updated.has(rootTs)).toBe(true);
    expect(updated.has(String(posted.thread[0]!.response.ts))).toBe(true);
    expect(revived.placement.replies["flow-logs"]).toBe(String(posted.thread[0]!.response.ts));
  });

  it("Show details on a forgotten reply reruns quietly and expands that reply, posting nothing", async () => {
    const { second, posted } = await twoBots();
    const reply = posted.thread[0]!;
    const show = (reply.args.blocks as Array<{ accessory: Button }>)[0]!.accessory;
    const before = posts(second).length;
    const message = {
      ts: String(reply.response.ts),
      thread_ts: posted.record.placement.rootTs,
      blocks: reply.args.blocks as unknown[],
    };
    await second.click(show.action_id, show.value, message);
    await second.waitForReports(1);
    expect(posts(second).slice(before)).toEqual([]);
    const expanded = second.fake
      .calls("chat.update")
      .filter((c) => c.args.ts === message.ts)
      .at(-1)!;
    expect(text(expanded.args.blocks)).toContain("Hide");
  });
});

describe("AWS that does not answer", () => {
  it("tells the requester what it waits on, then posts the partial report with the gap, never a pass", async () => {
    const bot = await start({ deadlines: { callTimeoutMs: 10_000, totalMs: 1_500, slowNoticeMs: 300 } });
    bot.world.serve("ec2", DescribeNetworkAclsCommand, () => new Promise(() => {}));
    const started = Date.now();
    const ack = await bot.command(`diagnose ${ID}`);
    const slow = await bot.fake.waitForResponse(
      (r) => r.id === ack.responseId && /still waiting on/.test(text(r.body)),
    );
    const slowAt = slow.at - started;
    expect(text(slow.body)).toContain("ec2:DescribeNetworkAcls");
    const record = await bot.waitForReports(1);
    const reportAt = Date.now() - started;
    expect(slowAt).toBeLessThan(1_500);
    expect(reportAt).toBeLessThan(5_000);
    const acls = record.report.checks.find((c) => c.id === "network-acls")!;
    expect(acls.status).toBe("unknown");
    const thread = posts(bot)
      .map((c) => text(c.args.blocks))
      .join("\n");
    expect(thread).toContain("ec2:DescribeNetworkAcls did not answer within 1.5 s");
    expect(thread).not.toMatch(/ec2:DescribeNetworkAcls[^"]*(AccessDenied|Error:)/);
  });
});

describe("an endpoint that is not there", () => {
  it("is answered to the requester alone, naming the id and what to do; nothing in the channel", async () => {
    const bot = await start();
    bot.world.endpoints.clear();
    const ack = await bot.command(`diagnose ${ID}`);
    const said = await bot.fake.waitForResponse(
      (r) => r.id === ack.responseId && /is not in/.test(text(r.body)),
    );
    expect(said.body).toMatchObject({ response_type: "ephemeral" });
    expect(text(said.body)).toContain(ID);
    expect(text(said.body)).toMatch(/Check the id, the region and --account/);
    expect(bot.fake.calls("chat.postMessage")).toEqual([]);
  });

  it("is answered privately when it cannot be read either", async () => {
    const bot = await start();
    bot.world.failures.set("DescribeVpcEndpoints", "UnauthorizedOperation");
    const ack = await bot.command(`diagnose ${ID}`);
    const said = await bot.fake.waitForResponse(
      (r) => r.id === ack.responseId && /could not read/.test(text(r.body)),
    );
    expect(text(said.body)).toContain("the role lacks ec2:DescribeVpcEndpoints");
    expect(text(said.body)).not.toContain("refused");
    expect(bot.fake.calls("chat.postMessage")).toEqual([]);
  });
});

describe("an alarm thread", () => {
  const CONFIG = `accounts:
  - alias: prod
    id: "${IDS.account}"
    region: us-east-1
channels:
  - id: C0123ABCD
    accounts: [prod]
alarms:
  topics: [${ALARM_TOPIC}]
  defaultChannel: C0123ABCD
`;

  it("keeps its trigger line through OK and a person's Rerun, never a mention built from the alarm", async () => {
    const bot = await start({ config: CONFIG });
    await deliverSns(bot.baseUrl, signedAlarm());
    const root = posts(bot).find((c) => !c.args.thread_ts)!;
    const rootTs = String(root.response.ts);
    expect((await deliverSns(bot.baseUrl, signedAlarm({ state: "OK" }))).status).toBe(200);
    const rerun = (root.args.blocks as Array<{ type: string; elements?: Button[] }>)
      .find((b) => b.type === "actions")!
      .elements!.find((e) => e.action_id === "vpce_rerun")!;
    const stored = bot.reports.length;
    await bot.click("vpce_rerun", rerun.value, { ts: rootTs });
    await bot.waitForReports(stored + 1);
    const updates = bot.fake.calls("chat.update").filter((c) => c.args.ts === rootTs);
    for (const update of updates.slice(-2)) {
      expect(text(update.args.blocks)).toMatch(/triggered by alarm \*vpce-payments-packets-dropped\*/);
      expect(text(update.args.blocks).match(/<!date\^/g)!.length).toBe(1);
    }
    expect(text(bot.fake.calls())).not.toContain("<@alarm");
  });
});
