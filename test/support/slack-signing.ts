import { createHmac, randomBytes } from "node:crypto";

// Requests exactly as Slack sends them to the bot: signed headers, form bodies, a local POST.

/** Slack's form content type, without a charset: Bolt's HTTPReceiver compares it verbatim. */
export const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

/** The headers Slack sends with a request: timestamp, `v0=` HMAC-SHA256 signature, content type, user agent. */
export function signSlackRequest(
  body: string,
  signingSecret: string,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const timestamp = String(Math.trunc(timestampSeconds));
  const signature = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex");
  return {
    "Content-Type": body.trimStart().startsWith("{") ? "application/json" : FORM_CONTENT_TYPE,
    "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    "X-Slack-Request-Timestamp": timestamp,
    "X-Slack-Signature": `v0=${signature}`,
  };
}

/** The fields of a slash-command request; `slashCommandBody` fills in the ones left out. */
export interface SlashCommandFields {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
  enterprise_id?: string;
}

/** Never answered: port 9 refuses connections, so a test that forgets `response_url` cannot reach the internet. */
export const UNREACHABLE_RESPONSE_URL = "http://127.0.0.1:9/response/unset";

/** Defaults for the ids Slack puts in every request (a test workspace, channel, user and app). */
export const TEST_IDS = {
  team: "T0FAKE0001",
  teamDomain: "vpce-doctor-test",
  channel: "C0123ABCD",
  channelName: "incidents",
  user: "U0456",
  userName: "alice",
  app: "A0FAKEAPP1",
} as const;

/** A fresh trigger_id, as Slack gives every command and click its own (the bot acts once per trigger_id). */
export function newTriggerId(): string {
  return `1234567890.1234567890.${randomBytes(16).toString("hex")}`;
}

/** `/vpce` as Slack posts it: `application/x-www-form-urlencoded`, fields in Slack's order. */
export function slashCommandBody(fields: Partial<SlashCommandFields> = {}): string {
  const all: SlashCommandFields = {
    token: "verification-token-unused",
    team_id: TEST_IDS.team,
    team_domain: TEST_IDS.teamDomain,
    channel_id: TEST_IDS.channel,
    channel_name: TEST_IDS.channelName,
    user_id: TEST_IDS.user,
    user_name: TEST_IDS.userName,
    command: "/vpce",
    text: "",
    api_app_id: TEST_IDS.app,
    is_enterprise_install: "false",
    response_url: UNREACHABLE_RESPONSE_URL,
    trigger_id: newTriggerId(),
    ...fields,
  };
  const entries = Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return new URLSearchParams(entries).toString();
}

/** A `block_actions` payload: Slack's envelope with test defaults, shallowly overridden by `payload`. */
export function blockActionsPayload(payload: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "block_actions",
    user: { id: TEST_IDS.user, username: TEST_IDS.userName, name: TEST_IDS.userName, team_id: TEST_IDS.team },
    api_app_id: TEST_IDS.app,
    token: "verification-token-unused",
    container: { type: "message", message_ts: "1700000000.000100", channel_id: TEST_IDS.channel },
    trigger_id: newTriggerId(),
    team: { id: TEST_IDS.team, domain: TEST_IDS.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: TEST_IDS.channel, name: TEST_IDS.channelName },
    response_url: UNREACHABLE_RESPONSE_URL,
    actions: [],
    ...payload,
  };
}

/** An interactivity request body as Slack posts it: one form field `payload=<json>`. */
export function blockActionsBody(payload: Record<string, unknown> = {}): string {
  return new URLSearchParams({ payload: JSON.stringify(blockActionsPayload(payload)) }).toString();
}

/** What the bot answered: HTTP status, raw text, and the text parsed as JSON when it is JSON. */
export interface BoltResponse {
  status: number;
  text: string;
  json: unknown;
  headers: Headers;
}

/** POSTs a (signed) body to the bot; refuses any host but 127.0.0.1 or localhost, so tests stay local. */
export async function postToBolt(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<BoltResponse> {
  const { hostname } = new URL(url);
  if (hostname !== "127.0.0.1" && hostname !== "localhost") {
    throw new Error(`postToBolt only posts to 127.0.0.1, not ${hostname}`);
  }
  const response = await fetch(url, { method: "POST", body, headers });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json, headers: response.headers };
}
