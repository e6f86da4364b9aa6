import type { AddressInfo } from "node:net";
import { App, LogLevel, verifySlackRequest } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "./fake-slack.js";
import {
  blockActionsBody,
  postToBolt,
  signSlackRequest,
  slashCommandBody,
  TEST_IDS,
  UNREACHABLE_RESPONSE_URL,
} from "./slack-signing.js";

// The worked example of https://docs.slack.dev/authentication/verifying-requests-from-slack/
const DOC = {
  secret: "8f742231b10e8888abcd99yyyzzz85a5",
  timestamp: 1531420618,
  body:
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V" +
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=" +
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN" +
    "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
  signature: "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
};
const SECRET = "test-signing-secret";

describe("signSlackRequest", () => {
  it("reproduces Slack's documented signature", () => {
    expect(signSlackRequest(DOC.body, DOC.secret, DOC.timestamp)).toEqual({
      "Content-Type": "application/x-www-form-urlencoded",
      "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
      "X-Slack-Request-Timestamp": "1531420618",
      "X-Slack-Signature": DOC.signature,
    });
  });

  it("signs with the current time by default, which Bolt's verifier accepts", () => {
    const body = slashCommandBody({ text: "help" });
    const headers = signSlackRequest(body, SECRET);
    expect(Math.abs(Number(headers["X-Slack-Request-Timestamp"]) - Date.now() / 1000)).toBeLessThan(5);
    const verify = (secret: string) =>
      verifySlackRequest({
        signingSecret: secret,
        body,
        headers: {
          "x-slack-signature": headers["X-Slack-Signature"]!,
          "x-slack-request-timestamp": Number(headers["X-Slack-Request-Timestamp"]),
        },
      });
    expect(() => verify(SECRET)).not.toThrow();
    expect(() => verify("another-secret")).toThrow(/signature mismatch/);
  });

  it("labels JSON bodies (Events API) as JSON", () => {
    expect(signSlackRequest('{"type":"url_verification"}', SECRET)["Content-Type"]).toBe("application/json");
  });
});

describe("request bodies", () => {
  it("encodes a slash command like Slack, in Slack's field order", () => {
    const body = slashCommandBody({
      text: "diagnose vpce-0abc1234 us-east-1 --window 24h",
      response_url: "http://x/r",
    });
    const fields = new URLSearchParams(body);
    expect([...fields.keys()]).toEqual([
      "token",
      "team_id",
      "team_domain",
      "channel_id",
      "channel_name",
      "user_id",
      "user_name",
      "command",
      "text",
      "api_app_id",
      "is_enterprise_install",
      "response_url",
      "trigger_id",
    ]);
    expect(body).toContain("command=%2Fvpce&text=diagnose+vpce-0abc1234+us-east-1+--window+24h");
    expect(fields.get("response_url")).toBe("http://x/r");
    expect(fields.get("channel_id")).toBe(TEST_IDS.channel);
  });

  it("defaults response_url to a local port that refuses, never the internet", () => {
    expect(new URLSearchParams(slashCommandBody()).get("response_url")).toBe(UNREACHABLE_RESPONSE_URL);
  });

  it("wraps block actions in one payload form field", () => {
    const body = blockActionsBody({ actions: [{ type: "button", action_id: "rerun", value: "r-1" }] });
    expect([...new URLSearchParams(body).keys()]).toEqual(["payload"]);
    expect(JSON.parse(new URLSearchParams(body).get("payload")!)).toMatchObject({
      type: "block_actions",
      user: { id: TEST_IDS.user },
      channel: { id: TEST_IDS.channel },
      actions: [{ action_id: "rerun", value: "r-1" }],
    });
  });

  it("refuses to post anywhere but 127.0.0.1", async () => {
    await expect(postToBolt("https://slack.com/slack/events", "", {})).rejects.toThrow(
      /only posts to 127.0.0.1/,
    );
  });
});

describe("a real Bolt app receiving signed requests, talking to the fake Web API", () => {
  let fake: FakeSlack;
  let app: App;
  let url: string;
  const seen: { command?: Record<string, unknown>; action?: Record<string, unknown> } = {};

  beforeAll(async () => {
    fake = await startFakeSlack();
    app = new App({
      token: "xoxb-test",
      signingSecret: SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl },
    });
    app.command("/vpce", async ({ command, ack, respond, say }) => {
      seen.command = { ...command };
      await ack({ response_type: "ephemeral", text: "Diagnosing..." });
      await respond({ text: "done by respond" });
      await say({ text: "done by say" });
    });
    app.action("rerun", async ({ ack, body, action }) => {
      seen.action = { body, action };
      await ack();
    });
    const server = await app.start({ port: 0, host: "127.0.0.1" });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });

  it("runs the command listener, acks in the HTTP response and reaches response_url and chat.postMessage", async () => {
    const body = slashCommandBody({ text: "diagnose vpce-0abc1234", response_url: fake.responseUrl("c1") });
    const response = await postToBolt(url, body, signSlackRequest(body, SECRET));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ response_type: "ephemeral", text: "Diagnosing..." });
    await expect(fake.waitForResponse((r) => r.id === "c1")).resolves.toMatchObject({
      body: { text: "done by respond" },
    });
    await expect(fake.waitFor((c) => c.method === "chat.postMessage")).resolves.toMatchObject({
      token: "xoxb-test",
      args: { channel: TEST_IDS.channel, text: "done by say" },
    });
    expect(seen.command).toMatchObject({
      command: "/vpce",
      text: "diagnose vpce-0abc1234",
      user_id: TEST_IDS.user,
    });
  });

  it("routes a signed block action by action_id", async () => {
    const body = blockActionsBody({
      actions: [{ type: "button", action_id: "rerun", block_id: "b", value: "r-1" }],
    });
    const response = await postToBolt(url, body, signSlackRequest(body, SECRET));
    expect(response.status).toBe(200);
    expect(seen.action).toMatchObject({ action: { action_id: "rerun", value: "r-1" } });
  });

  it("rejects a wrong signature and a stale timestamp with 401", async () => {
    const body = slashCommandBody({ text: "help" });
    expect((await postToBolt(url, body, signSlackRequest(body, "wrong-secret"))).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await postToBolt(url, body, signSlackRequest(body, SECRET, stale))).status).toBe(401);
  });
});
