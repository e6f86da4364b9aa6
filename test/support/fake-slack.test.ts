import {
  ErrorCode,
  type Logger,
  LogLevel,
  retryPolicies,
  WebClient,
  type WebClientOptions,
} from "@slack/web-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "./fake-slack.js";

const TOKEN = "xoxb-test-token";
let fake: FakeSlack;

const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

function client(options: WebClientOptions = {}, token: string | null = TOKEN): WebClient {
  return new WebClient(token ?? undefined, {
    slackApiUrl: fake.apiUrl,
    logger: quiet,
    retryConfig: retryPolicies.rapidRetryPolicy,
    ...options,
  });
}

const blocks = [
  { type: "header", text: { type: "plain_text", text: "vpce-0a1b2c3d4e5f60718: broken" } },
  { type: "section", text: { type: "mrkdwn", text: "*Security groups* drop 443 & more <3" } },
  {
    type: "actions",
    elements: [
      { type: "button", action_id: "rerun", value: "r-1", text: { type: "plain_text", text: "Rerun" } },
    ],
  },
];

beforeAll(async () => {
  fake = await startFakeSlack({ usergroups: { S0789: ["U0456", "U0457"] } });
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

describe("fake Slack Web API", () => {
  it("serves on 127.0.0.1 with an apiUrl ending in /api/", () => {
    expect(fake.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it("round-trips chat.postMessage from a real WebClient, decoding the form and its JSON blocks", async () => {
    const result = await client().chat.postMessage({ channel: "C0123ABCD", text: "vpce: broken", blocks });
    expect(result).toMatchObject({
      ok: true,
      channel: "C0123ABCD",
      message: { text: "vpce: broken", blocks },
    });
    expect(result.ts).toMatch(/^\d{10}\.\d{6}$/);
    const [call] = fake.calls("chat.postMessage");
    expect(call).toMatchObject({
      method: "chat.postMessage",
      token: TOKEN,
      contentType: "application/x-www-form-urlencoded",
      status: 200,
      args: { channel: "C0123ABCD", text: "vpce: broken", blocks },
    });
    expect(call!.at).toBeLessThanOrEqual(Date.now());
  });

  it("hands out unique increasing ts, threads replies and updates only messages it posted", async () => {
    const web = client();
    const root = await web.chat.postMessage({ channel: "C1", text: "root" });
    const reply = await web.chat.postMessage({ channel: "C1", text: "reply", thread_ts: root.ts! });
    expect(Number(reply.ts)).toBeGreaterThan(Number(root.ts));
    expect(reply.message).toMatchObject({ thread_ts: root.ts, bot_id: fake.bot.botId });

    const updated = await web.chat.update({ channel: "C1", ts: root.ts!, text: "root v2", blocks });
    expect(updated).toMatchObject({
      ok: true,
      channel: "C1",
      ts: root.ts,
      text: "root v2",
      message: { blocks },
    });
    await expect(web.chat.update({ channel: "C1", ts: "1.000001", text: "x" })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: "message_not_found" },
    });
    await expect(web.chat.update({ channel: "C2", ts: root.ts!, text: "x" })).rejects.toMatchObject({
      data: { error: "message_not_found" },
    });
  });

  it("answers like Slack for bad content: no text, more than 50 blocks", async () => {
    const web = client();
    await expect(web.chat.postMessage({ channel: "C1", text: "" })).rejects.toMatchObject({
      data: { error: "no_text" },
    });
    const many = Array.from({ length: 51 }, () => ({ type: "divider" }));
    await expect(web.chat.postMessage({ channel: "C1", text: "t", blocks: many })).rejects.toMatchObject({
      data: { error: "invalid_blocks" },
    });
  });

  it("retries a 429 after Retry-After and records both attempts", async () => {
    fake.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    const result = await client().chat.postMessage({ channel: "C1", text: "after the limit" });
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.calls("chat.postMessage").map((call) => [call.status, call.response.error])).toEqual([
      [429, "ratelimited"],
      [200, undefined],
    ]);
  });

  it("fails the next N calls with a Slack error, then behaves again", async () => {
    fake.failNext("chat.postMessage", { error: "channel_not_found" }, 2);
    const web = client();
    for (let i = 0; i < 2; i++) {
      await expect(web.chat.postMessage({ channel: "C1", text: "x" })).rejects.toMatchObject({
        code: ErrorCode.PlatformError,
        data: { ok: false, error: "channel_not_found" },
      });
    }
    await expect(web.chat.postMessage({ channel: "C1", text: "x" })).resolves.toMatchObject({ ok: true });
  });

  it("rate-limits per channel per second", async () => {
    fake.rateLimit("chat.postMessage", 1);
    const web = client({ rejectRateLimitedCalls: true });
    await web.chat.postMessage({ channel: "C1", text: "first" });
    await expect(web.chat.postMessage({ channel: "C1", text: "second" })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 1,
    });
    await expect(web.chat.postMessage({ channel: "C2", text: "other channel" })).resolves.toMatchObject({
      ok: true,
    });
  });

  it("posts ephemeral messages", async () => {
    const result = await client().chat.postEphemeral({ channel: "C1", user: "U0456", text: "only you" });
    expect(result.ok).toBe(true);
    expect(result.message_ts).toMatch(/^\d{10}\.\d{6}$/);
  });

  it("answers auth.test with the bot's identity, and rejects missing or malformed tokens", async () => {
    await expect(client().auth.test()).resolves.toMatchObject({
      ok: true,
      user_id: fake.bot.userId,
      bot_id: fake.bot.botId,
      team_id: fake.bot.teamId,
    });
    await expect(client({}, null).auth.test()).rejects.toMatchObject({ data: { error: "not_authed" } });
    await expect(client({}, "nope").auth.test()).rejects.toMatchObject({ data: { error: "invalid_auth" } });
  });

  it("lists user-group members from options and setUsergroup", async () => {
    const web = client();
    await expect(web.usergroups.users.list({ usergroup: "S0789" })).resolves.toMatchObject({
      users: ["U0456", "U0457"],
    });
    fake.setUsergroup("S0999", ["U1"]);
    await expect(web.usergroups.users.list({ usergroup: "S0999" })).resolves.toMatchObject({ users: ["U1"] });
    await expect(web.usergroups.users.list({ usergroup: "S0000" })).rejects.toMatchObject({
      data: { error: "no_such_subteam" },
    });
  });

  it("answers unknown methods with unknown_method unless a handler is installed", async () => {
    const web = client();
    await expect(web.conversations.info({ channel: "C1" })).rejects.toMatchObject({
      data: { error: "unknown_method" },
    });
    fake.handle("conversations.info", (args) => ({
      ok: true,
      channel: { id: args.channel, name: "incidents" },
    }));
    await expect(web.conversations.info({ channel: "C1" })).resolves.toMatchObject({
      channel: { id: "C1", name: "incidents" },
    });
  });

  it("uploads a file end to end with files.uploadV2 and records its bytes", async () => {
    const content = JSON.stringify({ endpointId: "vpce-0a1b2c3d4e5f60718", gaps: [] });
    const result = await client().files.uploadV2({
      channel_id: "C1",
      thread_ts: "1700000000.000100",
      filename: "snapshot.json",
      title: "Snapshot",
      content,
      initial_comment: "Export snapshot",
    });
    expect(result.ok).toBe(true);

    const [getUrl] = fake.calls("files.getUploadURLExternal");
    expect(getUrl!.args).toMatchObject({
      filename: "snapshot.json",
      length: String(Buffer.byteLength(content)),
    });
    const [upload] = fake.uploads();
    expect(upload!.bytes.toString("utf8")).toBe(content);
    expect(upload!.fileId).toBe(getUrl!.response.file_id);
    const [complete] = fake.calls("files.completeUploadExternal");
    expect(complete!.args).toMatchObject({
      files: [{ id: upload!.fileId, title: "Snapshot" }],
      channel_id: "C1",
      thread_ts: "1700000000.000100",
      initial_comment: "Export snapshot",
    });
    expect(complete!.response).toMatchObject({
      ok: true,
      files: [{ id: upload!.fileId, size: content.length }],
    });
  });

  it("refuses to complete an upload whose bytes never arrived", async () => {
    const web = client();
    const url = await web.files.getUploadURLExternal({ filename: "a.txt", length: 3 });
    await expect(
      web.files.completeUploadExternal({ files: [{ id: url.file_id! }], channel_id: "C1" }),
    ).rejects.toMatchObject({ data: { error: "file_not_found" } });
  });

  it("accepts JSON bodies as Slack does", async () => {
    const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-8", Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ channel: "C1", text: "json", blocks }),
    });
    expect(await response.json()).toMatchObject({ ok: true });
    expect(fake.calls("chat.postMessage")[0]!.args).toEqual({ channel: "C1", text: "json", blocks });
  });

  it("records POSTs to response_url and waits for them", async () => {
    const url = fake.responseUrl("cmd-1");
    expect(url).toBe(`${fake.baseUrl}/response/cmd-1`);
    const posted = fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ response_type: "ephemeral", text: "Diagnosing..." }),
    });
    const response = await fake.waitForResponse((r) => r.id === "cmd-1");
    expect(response.body).toEqual({ response_type: "ephemeral", text: "Diagnosing..." });
    expect((await posted).status).toBe(200);
    expect(fake.responses("cmd-1")).toHaveLength(1);
    expect(fake.responses("other")).toEqual([]);
  });

  it("waitFor resolves on a later call and times out naming what it saw", async () => {
    const waiting = fake.waitFor(
      (call) => call.method === "chat.postMessage" && call.args.text === "late",
      2000,
    );
    setTimeout(() => void client().chat.postMessage({ channel: "C1", text: "late" }), 50);
    await expect(waiting).resolves.toMatchObject({ args: { text: "late" } });
    await expect(fake.waitFor((call) => call.method === "chat.delete", 50)).rejects.toThrow(
      /nothing matched in 50 ms; calls so far: chat.postMessage/,
    );
  });
});
