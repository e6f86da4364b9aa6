import { afterEach, describe, expect, it } from "vitest";
import { assertWithinSlackLimits } from "../support/slack-limits.js";
import { postToBolt, signSlackRequest, slashCommandBody, TEST_IDS } from "../support/slack-signing.js";
import { IDS } from "../support/snapshot-factory.js";
import { type Bot, SIGNING_SECRET, startBot } from "./bot-harness.js";

// The real Bolt app on 127.0.0.1 with signed requests, a recording fake Slack Web API, AWS mocked.

const ID = IDS.endpoint;
const REJECT = `2 ${IDS.account} ${IDS.eniA} 10.0.3.25 10.0.1.10 40000 443 6 3 180 1795000000 1795000060 REJECT OK`;
let bot: Bot;
afterEach(async () => bot?.stop());

const ok = (c: { status: number; response: { ok?: boolean } }) => c.status === 200 && c.response.ok === true;
const posts = (b: Bot) => b.fake.calls("chat.postMessage").filter(ok);
const text = (blocks: unknown) => JSON.stringify(blocks);

async function diagnosed(b: Bot) {
  const ack = await b.command(`diagnose ${ID}`);
  await b.waitForReports(1);
  const root = posts(b).find((c) => !c.args.thread_ts)!;
  return { ack, root, rootTs: String(root.response.ts) };
}

describe("the bot's HTTP server", () => {
  it("answers /healthz", async () => {
    bot = await startBot();
    const response = await fetch(`${bot.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it.each([
    [
      "unsigned",
      (_body: string) =>
        ({
          "Content-Type": "application/x-www-form-urlencoded",
          "X-Slack-Request-Timestamp": String(Math.floor(Date.now() / 1000)),
        }) as Record<string, string>,
    ],
    ["wrong signature", (body: string) => signSlackRequest(body, "not-the-secret")],
    [
      "stale timestamp",
      (body: string) => signSlackRequest(body, SIGNING_SECRET, Math.floor(Date.now() / 1000) - 600),
    ],
  ])("refuses a %s request with 401 and does nothing", async (_name, headers) => {
    bot = await startBot();
    const body = slashCommandBody({ text: `diagnose ${ID}` });
    const response = await postToBolt(bot.url, body, headers(body));
    expect(response.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(bot.fake.calls("chat.postMessage")).toEqual([]);
    expect(bot.world.started()).toEqual([]);
  });
});

describe("/vpce diagnose", () => {
  it("acks with an ephemeral line, then posts the root (the answer) and one reply per failing check", async () => {
    bot = await startBot();
    bot.world.flowMessages = [REJECT];
    const { ack, root, rootTs } = await diagnosed(bot);
    expect(ack.status).toBe(200);
    expect(ack.json).toEqual({ response_type: "ephemeral", text: `Diagnosing ${ID} in us-east-1 (prod)...` });
    expect(root.args.channel).toBe(TEST_IDS.channel);
    expect(String(root.args.text)).toContain(ID);
    expect(text(root.args.blocks)).toContain("flow-logs");
    expect(text(root.args.blocks)).toContain("<@U0456> via /vpce");
    const replies = posts(bot).filter((c) => c.args.thread_ts === rootTs);
    expect(replies[0]!.args.text).toMatch(/flow-logs/);
    expect(replies.length).toBeLessThanOrEqual(2);
    expect(replies.some((c) => /passed/.test(String(c.args.text)))).toBe(false);
    for (const call of posts(bot))
      assertWithinSlackLimits({ text: String(call.args.text), blocks: call.args.blocks as never });
    expect(bot.logs.some((l) => l.msg === "diagnosis done" && l.cause === "flow-logs")).toBe(true);
  });

  it("shows and hides a finding's details by updating that reply", async () => {
    bot = await startBot();
    bot.world.flowMessages = [REJECT];
    const { rootTs } = await diagnosed(bot);
    const reply = posts(bot).find(
      (c) => c.args.thread_ts === rootTs && /flow-logs/.test(String(c.args.text)),
    )!;
    const button = (reply.args.blocks as Array<{ accessory?: { action_id: string; value: string } }>)[0]!
      .accessory!;
    const message = {
      ts: String(reply.response.ts),
      thread_ts: rootTs,
      blocks: reply.args.blocks as unknown[],
    };
    await bot.click(button.action_id, button.value, message);
    const shown = await bot.fake.waitFor((c) => c.method === "chat.update" && c.args.ts === message.ts);
    expect(text(shown.args.blocks)).toContain("```");
    expect(text(shown.args.blocks)).toContain("Hide");
    const hide = (shown.args.blocks as Array<{ accessory?: { action_id: string; value: string } }>)[0]!
      .accessory!;
    await bot.click(hide.action_id, hide.value, message);
    await bot.fake.waitFor(
      (c) =>
        c.method === "chat.update" &&
        c.args.ts === message.ts &&
        text(c.args.blocks).includes("Show details"),
    );
  });

  it("reruns in place and says what changed", async () => {
    bot = await startBot();
    bot.world.flowMessages = [REJECT];
    const { root, rootTs } = await diagnosed(bot);
    const rerun = (
      root.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>
    )
      .find((b) => b.type === "actions")!
      .elements!.find((e) => e.action_id === "vpce_rerun")!;
    bot.world.flowMessages = [];
    await bot.click(
      "vpce_rerun",
      rerun.value,
      { ts: rootTs, blocks: root.args.blocks as unknown[] },
      "U0777",
    );
    await bot.waitForReports(2);
    const diff = posts(bot).find((c) => /Rerun by <@U0777>/.test(text(c.args.blocks)))!;
    expect(text(diff.args.blocks)).toMatch(/fixed flow-logs/);
    const updates = bot.fake.calls("chat.update").filter((c) => c.args.ts === rootTs);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(text(updates.at(-1)!.args.blocks)).not.toContain("Rerunning");
  });

  it("never starts two runs for a double click", async () => {
    bot = await startBot();
    const { root, rootTs } = await diagnosed(bot);
    const value = (
      root.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>
    )
      .find((b) => b.type === "actions")!
      .elements!.find((e) => e.action_id === "vpce_rerun")!.value;
    const before = bot.world.started().filter((c) => c === "DescribeVpcEndpoints").length;
    bot.world.delayMs = 150;
    const [first, second] = await Promise.all([
      bot.click("vpce_rerun", value, { ts: rootTs }),
      bot.click("vpce_rerun", value, { ts: rootTs }),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    await bot.waitForReports(2, 8000);
    await bot.fake.waitForResponse((r) => /already under way/.test(JSON.stringify(r.body)));
    expect(bot.world.started().filter((c) => c === "DescribeVpcEndpoints").length - before).toBe(1);
  });

  it("exports the snapshot into the thread", async () => {
    bot = await startBot();
    const { root, rootTs } = await diagnosed(bot);
    const value = (
      root.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>
    )
      .find((b) => b.type === "actions")!
      .elements!.find((e) => e.action_id === "vpce_export")!.value;
    await bot.click("vpce_export", value, { ts: rootTs });
    const done = await bot.fake.waitFor((c) => c.method === "files.completeUploadExternal" && ok(c), 5000);
    expect(done.args.thread_ts).toBe(rootTs);
    const upload = bot.fake.uploads().at(-1)!;
    expect(JSON.parse(upload.bytes.toString()).endpointId).toBe(ID);
  });

  it("reruns a report the store no longer holds in place, and says so in one note", async () => {
    bot = await startBot();
    const { root, rootTs } = await diagnosed(bot);
    const before = posts(bot).length;
    await bot.click("vpce_rerun", "r-forgotten-id", { ts: rootTs, blocks: root.args.blocks as unknown[] });
    await bot.waitForReports(2);
    const added = posts(bot).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]!.args.thread_ts).toBe(rootTs);
    expect(text(added[0]!.args.blocks)).toMatch(/no longer in memory/);
    expect(bot.fake.calls("chat.update").some((c) => c.args.ts === rootTs)).toBe(true);
  });

  it("posts the root even when Slack answers 429 once (Retry-After honoured)", async () => {
    bot = await startBot();
    bot.fake.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 1 });
    await diagnosed(bot);
    const attempts = bot.fake.calls("chat.postMessage");
    expect(attempts[0]!.status).toBe(429);
    expect(posts(bot).some((c) => !c.args.thread_ts)).toBe(true);
  }, 15_000);

  it("tells the person through response_url when Slack refuses the post", async () => {
    bot = await startBot();
    bot.fake.failNext("chat.postMessage", { error: "not_in_channel" });
    const ack = await bot.command(`diagnose ${ID}`);
    const said = await bot.fake.waitForResponse(
      (r) => r.id === ack.responseId && /invite it/.test(JSON.stringify(r.body)),
      5000,
    );
    expect(JSON.stringify(said.body)).toContain("ephemeral");
  });
});

describe("authorisation", () => {
  it("refuses a channel the config does not list, posts nothing and logs a warning", async () => {
    bot = await startBot();
    const ack = await bot.command(`diagnose ${ID} --account prod`, { channel_id: "C0OTHER01" });
    expect(JSON.stringify(ack.json)).toMatch(/ephemeral.*C0OTHER01/);
    await new Promise((r) => setTimeout(r, 100));
    expect(bot.fake.calls("chat.postMessage")).toEqual([]);
    expect(bot.logs.some((l) => l.level === 40 && l.channel === "C0OTHER01" && l.user === "U0456")).toBe(
      true,
    );
  });

  it("refuses a user who is not listed, and admits a member of a listed user group", async () => {
    const config = `accounts:\n  - alias: prod\n    id: "${IDS.account}"\n    region: us-east-1\nchannels:\n  - id: ${TEST_IDS.channel}\n    accounts: [prod]\n    users: [U0999, S0ONCALL1]\n`;
    bot = await startBot({ config });
    bot.fake.setUsergroup("S0ONCALL1", ["U0777"]);
    const refused = await bot.command(`diagnose ${ID}`);
    expect(JSON.stringify(refused.json)).toMatch(/not on the list/);
    const admitted = await bot.command(`diagnose ${ID}`, { user_id: "U0777" });
    expect(JSON.stringify(admitted.json)).toMatch(/Diagnosing/);
  });
});

describe("bad commands", () => {
  it.each([
    ["diagnose", /endpoint id/i],
    ["diagnose vpce-123", /not a VPC endpoint id/],
    [`diagnose ${ID} us-east-9`, /unknown AWS region/],
    [`diagnose ${ID} --account staging`, /staging/],
    [`diagnose ${ID} --window 3d`, /window/],
    [`diagnose ${ID} --from not-an-ip`, /not a source/],
    ["frobnicate", /frobnicate/],
  ])("%s gets an ephemeral error with the usage, and nothing is posted", async (command, message) => {
    bot = await startBot();
    const ack = await bot.command(command);
    expect(ack.status).toBe(200);
    const json = ack.json as { response_type: string; text: string };
    expect(json.response_type).toBe("ephemeral");
    expect(json.text).toMatch(message);
    expect(json.text).toMatch(/Usage: `\/vpce diagnose/);
    expect(bot.fake.calls("chat.postMessage")).toEqual([]);
  });

  it("answers help and accounts", async () => {
    bot = await startBot();
    expect(JSON.stringify((await bot.command("help")).json)).toMatch(/vpce-doctor\* diagnoses/);
    expect(JSON.stringify((await bot.command("accounts")).json)).toMatch(/prod.*111122223333/);
  });
});

describe("several accounts for one channel", () => {
  const config = `accounts:
  - alias: prod
    id: "${IDS.account}"
    region: us-east-1
  - alias: dev
    id: "444455556666"
    region: us-east-1
channels:
  - id: ${TEST_IDS.channel}
    accounts: [prod, dev]
`;

  it("looks the endpoint up in each and diagnoses it in the one that has it", async () => {
    bot = await startBot({
      config,
      locate: (accounts) => ({ found: accounts.filter((a) => a.alias === "dev"), failed: [] }),
    });
    const ack = await bot.command(`diagnose ${ID}`);
    expect(JSON.stringify(ack.json)).toContain("Looking for");
    await bot.fake.waitForResponse(
      (r) => r.id === ack.responseId && /Diagnosing .* \(dev\)/.test(JSON.stringify(r.body)),
    );
    const root = await bot.fake.waitFor(
      (c) => c.method === "chat.postMessage" && !c.args.thread_ts && ok(c),
      5000,
    );
    expect(text(root.args.blocks)).toContain("dev");
  });

  it("says so and lists the aliases when no account has it", async () => {
    bot = await startBot({
      config,
      locate: () => ({ found: [], failed: [{ alias: "dev", message: "AccessDenied: no" }] }),
    });
    const ack = await bot.command(`diagnose ${ID}`);
    const said = await bot.fake.waitForResponse(
      (r) => r.id === ack.responseId && /none of/.test(JSON.stringify(r.body)),
    );
    expect(JSON.stringify(said.body)).toMatch(/prod, dev.*could not search dev/);
    expect(bot.fake.calls("chat.postMessage")).toEqual([]);
  });

  it("asks for --account when more than one has it", async () => {
    bot = await startBot({ config, locate: (accounts) => ({ found: [...accounts], failed: [] }) });
    const ack = await bot.command(`diagnose ${ID}`);
    await bot.fake.waitForResponse(
      (r) => r.id === ack.responseId && /name one with --account/.test(JSON.stringify(r.body)),
    );
  });
});
