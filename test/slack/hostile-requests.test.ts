import { afterEach, describe, expect, it } from "vitest";
import { postToBolt, signSlackRequest, slashCommandBody } from "../support/slack-signing.js";
import { IDS } from "../support/snapshot-factory.js";
import { type Bot, SIGNING_SECRET, startBot } from "./bot-harness.js";

// Requests an attacker (or a misbehaving sender) can make to /slack/events: signed bodies Bolt cannot handle,
// timestamps far in the future, oversized bodies, and retries or replays of a command already handled.

let bot: Bot;
afterEach(async () => bot?.stop());

const now = () => Math.floor(Date.now() / 1000);
const signed = (body: string, at = now()) =>
  postToBolt(bot.url, body, signSlackRequest(body, SIGNING_SECRET, at));
const roots = (b: Bot) =>
  b.fake
    .calls("chat.postMessage")
    .filter((c) => c.status === 200 && c.response.ok === true && !c.args.thread_ts);

describe("payloads Bolt cannot handle", () => {
  it.each([
    ["payload=null", "payload=null"],
    ["payload=[]", "payload=%5B%5D"],
    ["a payload without a type", `payload=${encodeURIComponent("{}")}`],
    ["a payload that is not JSON", "payload=%7Bnope"],
    ["a form with neither command nor payload", "team_id=T1&text=x"],
    ["a JSON null body", "null"],
    ["a JSON string body", '"event_callback"'],
  ])("answers a signed %s with 400 and one log line, and keeps serving", async (_name, body) => {
    bot = await startBot();
    const response = await signed(body);
    expect(response.status).toBe(400);
    expect(bot.logs.filter((l) => l.msg === "Slack request refused: malformed payload")).toHaveLength(1);
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
    const command = await bot.command("help");
    expect(command.status).toBe(200);
  });
});

describe("signatures and timestamps", () => {
  it.each([
    ["10 minutes in the future", 600],
    ["6 minutes in the past", -360],
  ])("refuses a correctly signed request stamped %s with 401", async (_name, offset) => {
    bot = await startBot();
    const response = await signed(slashCommandBody({ text: `diagnose ${IDS.endpoint}` }), now() + offset);
    expect(response.status).toBe(401);
    expect(bot.logs.find((l) => l.msg === "Slack request refused: not signed by Slack")).toMatchObject({
      reason: "timestamp more than 5 minutes away",
    });
    expect(bot.world.started()).toEqual([]);
  });

  it("answers Slack's unsigned ssl_check, and nothing smuggled with it runs", async () => {
    bot = await startBot();
    const body = `ssl_check=1&${slashCommandBody({ text: `diagnose ${IDS.endpoint}` })}`;
    const response = await postToBolt(bot.url, body, { "Content-Type": "application/x-www-form-urlencoded" });
    expect(response.status).toBe(200);
    expect(bot.world.started()).toEqual([]);
  });

  it("refuses a signed body over 256 KiB with 413 without reading it", async () => {
    bot = await startBot();
    const body = slashCommandBody({ text: "x".repeat(300 * 1024) });
    const response = await signed(body);
    expect(response.status).toBe(413);
    expect(bot.logs.filter((l) => l.msg === "Slack request refused: body too large")).toHaveLength(1);
  });
});

describe("retries and replays of a command", () => {
  it("opens one thread for a command Slack retries (X-Slack-Retry-Num) or someone replays", async () => {
    bot = await startBot();
    const body = slashCommandBody({
      text: `diagnose ${IDS.endpoint}`,
      response_url: bot.fake.responseUrl("r"),
    });
    const first = await signed(body);
    expect(first.status).toBe(200);
    await bot.waitForReports(1);
    const retry = await postToBolt(bot.url, body, {
      ...signSlackRequest(body, SIGNING_SECRET),
      "X-Slack-Retry-Num": "1",
      "X-Slack-Retry-Reason": "http_timeout",
    });
    const replay = await signed(body);
    expect([retry.status, replay.status]).toEqual([200, 200]);
    expect([retry.text, replay.text]).toEqual(["", ""]);
    expect(roots(bot)).toHaveLength(1);
    const dropped = bot.logs.filter((l) => /already handled: a retry or a replay/.test(String(l.msg)));
    expect(dropped.map((l) => l.retryNum)).toEqual([1, undefined]);
  });

  it("runs two commands with the same text (two trigger_ids) twice", async () => {
    bot = await startBot();
    await bot.command(`diagnose ${IDS.endpoint}`);
    await bot.command(`diagnose ${IDS.endpoint}`);
    await bot.fake.waitFor(() => roots(bot).length === 2, 5000);
    expect(roots(bot)).toHaveLength(2);
  });
});
