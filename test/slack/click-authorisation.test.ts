import { afterEach, describe, expect, it } from "vitest";
import { TEST_IDS } from "../support/slack-signing.js";
import { IDS } from "../support/snapshot-factory.js";
import { type Bot, startBot } from "./bot-harness.js";

// Every click is checked against the report it names: the report's channel must be the clicking channel, and
// the person must pass the same channel, account and user rules as /vpce. Show details included.

const OTHER = "C0OTHER01";
const REJECT = `2 ${IDS.account} ${IDS.eniA} 10.0.3.25 10.0.1.10 40000 443 6 3 180 1795000000 1795000060 REJECT OK`;
const CONFIG = `accounts:
  - alias: prod
    id: "${IDS.account}"
    region: us-east-1
  - alias: staging
    id: "444455556666"
    region: us-east-1
channels:
  - id: ${TEST_IDS.channel}
    accounts: [prod]
    users: [${TEST_IDS.user}]
  - id: ${OTHER}
    accounts: [prod, staging]
`;

let bot: Bot;
afterEach(async () => bot?.stop());

type Button = { action_id: string; value: string };
interface Posted {
  rootTs: string;
  rerun: Button;
  exportButton: Button;
  toggle: Button;
  reply: { ts: string; thread_ts: string; blocks: unknown[] };
}

async function diagnosed(b: Bot): Promise<Posted> {
  await b.command(`diagnose ${IDS.endpoint}`);
  await b.waitForReports(1);
  const posts = b.fake.calls("chat.postMessage");
  const root = posts.find((c) => !c.args.thread_ts)!;
  const rootTs = String(root.response.ts);
  const actions = (root.args.blocks as Array<{ type: string; elements?: Button[] }>).find(
    (x) => x.type === "actions",
  )!;
  const reply = posts.find((c) => c.args.thread_ts === rootTs && /flow-logs/.test(String(c.args.text)))!;
  const blocks = reply.args.blocks as Array<{ accessory?: Button }>;
  return {
    rootTs,
    rerun: actions.elements!.find((e) => e.action_id === "vpce_rerun")!,
    exportButton: actions.elements!.find((e) => e.action_id === "vpce_export")!,
    toggle: blocks[0]!.accessory!,
    reply: { ts: String(reply.response.ts), thread_ts: rootTs, blocks },
  };
}

/** What the click did besides answering: updates, uploads and new posts after `since` calls. */
const actedOn = (b: Bot, since: number) =>
  b.fake
    .calls()
    .slice(since)
    .filter((c) => ["chat.update", "chat.postMessage", "files.getUploadURLExternal"].includes(c.method));

describe("a click naming a report", () => {
  it.each(["rerun", "export", "toggle"] as const)(
    "from another channel (%s) is refused with an ephemeral reason and does nothing",
    async (which) => {
      bot = await startBot({ config: CONFIG });
      bot.world.flowMessages = [REJECT];
      const posted = await diagnosed(bot);
      const button =
        which === "rerun" ? posted.rerun : which === "export" ? posted.exportButton : posted.toggle;
      const message = which === "toggle" ? posted.reply : { ts: posted.rootTs, blocks: [] };
      const since = bot.fake.calls().length;
      const { responseId } = await bot.click(button.action_id, button.value, message, TEST_IDS.user, OTHER);
      const answer = await bot.fake.waitForResponse((r) => r.id === responseId);
      expect(answer.body).toMatchObject({
        response_type: "ephemeral",
        text: expect.stringMatching(/belongs to another channel/),
      });
      expect(actedOn(bot, since)).toEqual([]);
      expect(bot.logs.some((l) => l.msg === "refused: the click names a report of another channel")).toBe(
        true,
      );
    },
  );

  it.each(["rerun", "toggle"] as const)(
    "by someone the channel's users list leaves out (%s) is refused like the command",
    async (which) => {
      bot = await startBot({ config: CONFIG });
      bot.world.flowMessages = [REJECT];
      const posted = await diagnosed(bot);
      const button = which === "rerun" ? posted.rerun : posted.toggle;
      const message = which === "toggle" ? posted.reply : { ts: posted.rootTs, blocks: [] };
      const since = bot.fake.calls().length;
      const { responseId } = await bot.click(button.action_id, button.value, message, "U0MALLORY");
      const answer = await bot.fake.waitForResponse((r) => r.id === responseId);
      expect(answer.body).toMatchObject({ text: expect.stringMatching(/not on the list of people/) });
      expect(actedOn(bot, since)).toEqual([]);
    },
  );

  it("for an account the channel may no longer diagnose is refused", async () => {
    bot = await startBot({ config: CONFIG });
    bot.world.flowMessages = [REJECT];
    const posted = await diagnosed(bot);
    const record = (await bot.store.get(posted.rerun.value))!;
    await bot.store.put({ ...record, request: { ...record.request, account: "staging" } });
    const since = bot.fake.calls().length;
    const { responseId } = await bot.click("vpce_rerun", posted.rerun.value, { ts: posted.rootTs });
    const answer = await bot.fake.waitForResponse((r) => r.id === responseId);
    expect(answer.body).toMatchObject({ text: expect.stringMatching(/may not diagnose account staging/) });
    expect(actedOn(bot, since)).toEqual([]);
  });

  it("from its own channel by an allowed person still works (Show details)", async () => {
    bot = await startBot({ config: CONFIG });
    bot.world.flowMessages = [REJECT];
    const posted = await diagnosed(bot);
    await bot.click(posted.toggle.action_id, posted.toggle.value, posted.reply);
    const shown = await bot.fake.waitFor((c) => c.method === "chat.update" && c.args.ts === posted.reply.ts);
    expect(JSON.stringify(shown.args.blocks)).toContain("Hide");
  });
});
