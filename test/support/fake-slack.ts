import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQuery } from "node:querystring";

// A local stand-in for the Slack Web API and response_url hooks, for a real WebClient or Bolt app
// pointed at it with `slackApiUrl: fake.apiUrl`. It records every request and answers like Slack.

/** One request to a Web API method (every attempt, including the ones answered 429 or an error). */
export interface RecordedCall {
  method: string;
  /** Decoded arguments: form values stay strings except JSON-encoded ones (`blocks`, `files`...), parsed. */
  args: Record<string, unknown>;
  /** Bearer token (or `token` argument) the request carried. */
  token: string | undefined;
  /** The request's Content-Type (WebClient: `application/x-www-form-urlencoded`). */
  contentType: string | undefined;
  /** Date.now() when it arrived. */
  at: number;
  status: number;
  response: Record<string, unknown>;
}

/** One POST to a response_url built by `fake.responseUrl(id)`. */
export interface RecordedResponse {
  id: string;
  body: unknown;
  at: number;
}

/** The bytes POSTed to an upload_url handed out by files.getUploadURLExternal. */
export interface RecordedUpload {
  fileId: string;
  bytes: Buffer;
  /** Multipart filename (WebClient sends the file as form field `body`), when multipart. */
  filename: string | undefined;
  at: number;
}

/** How `failNext` answers: an HTTP status (429 with Retry-After) or a Slack error with HTTP 200. */
export type Failure = { status: number; retryAfterSeconds?: number } | { error: string };

/** Answers a method the fake does not know, or overrides one it does. */
export type MethodHandler = (args: Record<string, unknown>, call: { token: string | undefined }) => object;

/** Options for `startFakeSlack`. */
export interface FakeSlackOptions {
  /** usergroups.users.list answers: user-group id -> member user ids. */
  usergroups?: Record<string, string[]>;
}

/** The running fake; see the file comment. */
export interface FakeSlack {
  /** `http://127.0.0.1:<port>/api/`, for `new WebClient(token, { slackApiUrl })`. */
  apiUrl: string;
  /** `http://127.0.0.1:<port>`. */
  baseUrl: string;
  /** The bot's identity, as auth.test reports it. */
  bot: { userId: string; botId: string; teamId: string };
  /** A response_url on this server; POSTs to it are recorded under `id`. */
  responseUrl(id: string): string;
  /** Every recorded Web API request (all attempts, in arrival order), optionally of one method. */
  calls(method?: string): RecordedCall[];
  /** Every POST to a response_url, optionally for one id. */
  responses(id?: string): RecordedResponse[];
  /** Every file body POSTed to an upload_url. */
  uploads(): RecordedUpload[];
  /** Answers the next `times` calls of `method` with `failure` (before token and rate-limit checks). */
  failNext(method: string, failure: Failure, times?: number): void;
  /** Answers 429 + Retry-After: 1 once more than N calls of `method` arrive within 1 s for one channel. */
  rateLimit(method: string, perSecondPerChannel: number): void;
  /** Sets the members usergroups.users.list returns for a user group. */
  setUsergroup(usergroupId: string, userIds: string[]): void;
  /** Installs (or overrides) the answer of a method. */
  handle(method: string, handler: MethodHandler): void;
  /** Polls every 10 ms until a recorded call matches; rejects after timeoutMs (default 2000), naming what came. */
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** Like waitFor, for response_url posts. */
  waitForResponse(
    predicate: (response: RecordedResponse) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedResponse>;
  /** Forgets recordings, pending failures and rate limits; keeps messages (ts stay unique), user groups, handlers. */
  reset(): void;
  /** Closes the server and its open connections. */
  stop(): Promise<void>;
}

const JSON_ARGS = new Set(["blocks", "attachments", "files", "metadata", "view", "user_auth_blocks"]);
const BOT = { userId: "U0FAKEBOT1", botId: "B0FAKEBOT1", teamId: "T0FAKE0001", appId: "A0FAKEAPP1" };

interface Part {
  name: string;
  filename: string | undefined;
  data: Buffer;
}

interface Message {
  channel: string;
  ts: string;
  message: Record<string, unknown>;
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const calls: RecordedCall[] = [];
  const responses: RecordedResponse[] = [];
  const uploads: RecordedUpload[] = [];
  const failures = new Map<string, Failure[]>();
  const limits = new Map<string, number>();
  const accepted = new Map<string, number[]>();
  const handlers = new Map<string, MethodHandler>();
  const usergroups = new Map(Object.entries(options.usergroups ?? {}));
  const messages = new Map<string, Message>();
  const pendingFiles = new Map<string, { filename: string; length: number; uploaded?: Buffer }>();
  let tsCounter = 0;
  let fileCounter = 0;
  let baseUrl = "";

  const nextTs = (): string => {
    tsCounter += 1;
    const micros = tsCounter * 100;
    return `${1_700_000_000 + Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
  };

  const builtIn = new Map<string, MethodHandler>(
    Object.entries({
      "auth.test": () => ({
        ok: true,
        url: "https://vpce-doctor-test.slack.com/",
        team: "vpce-doctor test",
        user: "vpce-doctor",
        team_id: BOT.teamId,
        user_id: BOT.userId,
        bot_id: BOT.botId,
        is_enterprise_install: false,
      }),
      "chat.postMessage": (args) => {
        const channel = str(args.channel);
        if (!channel) return { ok: false, error: "channel_not_found" };
        const invalid = invalidContent(args);
        if (invalid) return invalid;
        const ts = nextTs();
        const message = messageOf(args, ts);
        messages.set(`${channel}/${ts}`, { channel, ts, message });
        return { ok: true, channel, ts, message };
      },
      "chat.update": (args) => {
        const channel = str(args.channel);
        const ts = str(args.ts);
        if (!channel) return { ok: false, error: "channel_not_found" };
        const existing = messages.get(`${channel}/${ts}`);
        if (!existing) return { ok: false, error: "message_not_found" };
        const invalid = invalidContent(args);
        if (invalid) return invalid;
        const message = messageOf(args, existing.ts);
        if (existing.message.thread_ts !== undefined) message.thread_ts = existing.message.thread_ts;
        existing.message = message;
        return { ok: true, channel, ts: existing.ts, text: message.text, message };
      },
      "chat.postEphemeral": (args) => {
        if (!str(args.channel)) return { ok: false, error: "channel_not_found" };
        if (!str(args.user)) return { ok: false, error: "user_not_in_channel" };
        const invalid = invalidContent(args);
        if (invalid) return invalid;
        return { ok: true, message_ts: nextTs() };
      },
      "conversations.replies": (args) => {
        const channel = str(args.channel);
        const ts = str(args.ts);
        if (!messages.has(`${channel}/${ts}`)) return { ok: false, error: "thread_not_found" };
        const thread = [...messages.values()]
          .filter((m) => m.channel === channel && (m.ts === ts || m.message.thread_ts === ts))
          .sort((a, b) => Number(a.ts) - Number(b.ts))
          .map((m) => m.message);
        return { ok: true, messages: thread, has_more: false };
      },
      "usergroups.users.list": (args) => {
        const users = usergroups.get(str(args.usergroup));
        return users ? { ok: true, users: [...users] } : { ok: false, error: "no_such_subteam" };
      },
      "files.getUploadURLExternal": (args) => {
        const filename = str(args.filename);
        const length = Number(args.length);
        if (!filename || !Number.isInteger(length) || length < 0)
          return { ok: false, error: "invalid_arguments" };
        fileCounter += 1;
        const fileId = `F0FAKE${String(fileCounter).padStart(5, "0")}`;
        pendingFiles.set(fileId, { filename, length });
        return { ok: true, upload_url: `${baseUrl}/upload/v1/${fileId}`, file_id: fileId };
      },
      "files.completeUploadExternal": (args) => {
        const files = Array.isArray(args.files)
          ? (args.files as { id?: string; title?: string }[])
          : undefined;
        if (!files || files.length === 0) return { ok: false, error: "invalid_arguments" };
        const done: Record<string, unknown>[] = [];
        for (const file of files) {
          const pending = pendingFiles.get(file.id ?? "");
          if (!pending?.uploaded) return { ok: false, error: "file_not_found" };
          done.push({
            id: file.id,
            created: Math.floor(Date.now() / 1000),
            name: pending.filename,
            title: file.title ?? pending.filename,
            size: pending.uploaded.length,
            user: BOT.userId,
            channels: args.channel_id ? [args.channel_id] : [],
          });
        }
        return { ok: true, files: done };
      },
    } satisfies Record<string, MethodHandler>),
  );

  const failureFor = (method: string): Failure | undefined => failures.get(method)?.shift();

  const overLimit = (method: string, channel: string, now: number): boolean => {
    const limit = limits.get(method);
    if (limit === undefined) return false;
    const key = `${method} ${channel}`;
    const recent = (accepted.get(key) ?? []).filter((at) => now - at < 1000);
    accepted.set(key, recent);
    if (recent.length >= limit) return true;
    recent.push(now);
    return false;
  };

  const apiCall = async (req: IncomingMessage, res: ServerResponse, method: string, raw: Buffer) => {
    const args = decodeArgs(req, raw);
    const token = bearer(req) ?? (typeof args.token === "string" ? args.token : undefined);
    const at = Date.now();
    const record = (
      status: number,
      response: Record<string, unknown>,
      headers: Record<string, string> = {},
    ) => {
      calls.push({ method, args, token, contentType: req.headers["content-type"], at, status, response });
      send(res, status, response, headers);
    };
    const failure = failureFor(method);
    if (failure && "status" in failure) {
      const retry = failure.retryAfterSeconds ?? (failure.status === 429 ? 1 : undefined);
      const headers: Record<string, string> = retry === undefined ? {} : { "Retry-After": String(retry) };
      return record(
        failure.status,
        { ok: false, error: failure.status === 429 ? "ratelimited" : "fatal_error" },
        headers,
      );
    }
    if (failure) return record(200, { ok: false, error: failure.error });
    if (!token) return record(200, { ok: false, error: "not_authed" });
    // Socket Mode's apps.connections.open takes only an app-level token; every other method a bot token.
    const appLevel = method === "apps.connections.open";
    if (appLevel && token.startsWith("xox"))
      return record(200, { ok: false, error: "not_allowed_token_type" });
    if (!token.startsWith(appLevel ? "xapp-" : "xox"))
      return record(200, { ok: false, error: "invalid_auth" });
    if (overLimit(method, str(args.channel ?? args.channel_id), at)) {
      return record(429, { ok: false, error: "ratelimited" }, { "Retry-After": "1" });
    }
    const handler = handlers.get(method) ?? builtIn.get(method);
    const response = handler ? handler(args, { token }) : { ok: false, error: "unknown_method" };
    return record(200, response as Record<string, unknown>);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
      const api = /^\/api\/([\w.]+)$/.exec(path);
      const upload = /^\/upload\/v1\/(\w+)$/.exec(path);
      const hook = /^\/response\/([^/]+)$/.exec(path);
      if (api) {
        apiCall(req, res, api[1]!, raw).catch((error: unknown) =>
          send(res, 500, { ok: false, error: String(error) }),
        );
      } else if (upload && req.method === "POST") {
        const fileId = upload[1]!;
        const pending = pendingFiles.get(fileId);
        if (!pending) return send(res, 404, { ok: false, error: "file_not_found" });
        const part = isMultipart(req) ? parseMultipart(req, raw)[0] : undefined;
        const bytes = part ? part.data : raw;
        pending.uploaded = bytes;
        uploads.push({ fileId, bytes, filename: part?.filename, at: Date.now() });
        res.writeHead(200, { "Content-Type": "text/plain" }).end(`OK - ${bytes.length}`);
      } else if (hook && req.method === "POST") {
        const text = raw.toString("utf8");
        responses.push({ id: decodeURIComponent(hook[1]!), body: parseJson(text) ?? text, at: Date.now() });
        send(res, 200, { ok: true });
      } else {
        send(res, 404, { ok: false, error: "not_found" });
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const poll = <T>(find: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> =>
    new Promise((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const tick = () => {
        const found = find();
        if (found !== undefined) return resolve(found);
        if (Date.now() >= deadline)
          return reject(new Error(`fake Slack: nothing matched in ${timeoutMs} ms; ${describe()}`));
        setTimeout(tick, 10);
      };
      tick();
    });

  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    bot: { userId: BOT.userId, botId: BOT.botId, teamId: BOT.teamId },
    responseUrl: (id) => `${baseUrl}/response/${encodeURIComponent(id)}`,
    calls: (method) => calls.filter((call) => method === undefined || call.method === method),
    responses: (id) => responses.filter((response) => id === undefined || response.id === id),
    uploads: () => [...uploads],
    failNext: (method, failure, times = 1) => {
      failures.set(method, [
        ...(failures.get(method) ?? []),
        ...Array.from({ length: times }, () => failure),
      ]);
    },
    rateLimit: (method, perSecondPerChannel) => limits.set(method, perSecondPerChannel),
    setUsergroup: (usergroupId, userIds) => usergroups.set(usergroupId, [...userIds]),
    handle: (method, handler) => handlers.set(method, handler),
    waitFor: (predicate, timeoutMs = 2000) =>
      poll(
        () => calls.find(predicate),
        timeoutMs,
        () => `calls so far: ${calls.map((call) => call.method).join(", ") || "none"}`,
      ),
    waitForResponse: (predicate, timeoutMs = 2000) =>
      poll(
        () => responses.find(predicate),
        timeoutMs,
        () => `response_url posts so far: ${responses.map((r) => r.id).join(", ") || "none"}`,
      ),
    reset: () => {
      for (const list of [calls, responses, uploads]) list.length = 0;
      for (const map of [failures, limits, accepted]) map.clear();
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function str(value: unknown): string {
  return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
}

function messageOf(args: Record<string, unknown>, ts: string): Record<string, unknown> {
  const message: Record<string, unknown> = {
    type: "message",
    user: BOT.userId,
    bot_id: BOT.botId,
    app_id: BOT.appId,
    team: BOT.teamId,
    text: str(args.text),
    ts,
  };
  if (args.blocks !== undefined) message.blocks = args.blocks;
  if (args.thread_ts !== undefined) message.thread_ts = str(args.thread_ts);
  return message;
}

function invalidContent(args: Record<string, unknown>): Record<string, unknown> | undefined {
  const { blocks } = args;
  if (blocks !== undefined && (!Array.isArray(blocks) || blocks.length > 50)) {
    return {
      ok: false,
      error: "invalid_blocks",
      response_metadata: { messages: ["[ERROR] no more than 50 items allowed [json-pointer:/blocks]"] },
    };
  }
  const empty = !str(args.text) && !(Array.isArray(blocks) && blocks.length > 0) && !args.attachments;
  return empty ? { ok: false, error: "no_text" } : undefined;
}

function send(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  res
    .writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers })
    .end(JSON.stringify(body));
}

function bearer(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  return match?.[1];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isMultipart(req: IncomingMessage): boolean {
  return (req.headers["content-type"] ?? "").startsWith("multipart/form-data");
}

function decodeArgs(req: IncomingMessage, raw: Buffer): Record<string, unknown> {
  const contentType = req.headers["content-type"] ?? "";
  const query = parseQuery(new URL(req.url ?? "/", "http://127.0.0.1").search.slice(1));
  const fields: Record<string, unknown> = { ...query };
  if (contentType.startsWith("application/json")) {
    Object.assign(fields, parseJson(raw.toString("utf8")) ?? {});
    return fields;
  }
  if (isMultipart(req)) {
    for (const part of parseMultipart(req, raw)) {
      fields[part.name] = part.filename === undefined ? part.data.toString("utf8") : part.data;
    }
  } else {
    Object.assign(fields, parseQuery(raw.toString("utf8")));
  }
  for (const [key, value] of Object.entries(fields)) {
    if (JSON_ARGS.has(key) && typeof value === "string") fields[key] = parseJson(value) ?? value;
  }
  return fields;
}

function parseMultipart(req: IncomingMessage, raw: Buffer): Part[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(req.headers["content-type"] ?? "");
  const delimiter = Buffer.from(`--${boundary?.[1] ?? boundary?.[2] ?? ""}`);
  const parts: Part[] = [];
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const next = raw.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const section = raw.subarray(start + delimiter.length + 2, next - 2);
    const split = section.indexOf("\r\n\r\n");
    const head = section.subarray(0, split).toString("utf8");
    const name = /name="([^"]*)"/.exec(head)?.[1] ?? "";
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    parts.push({ name, filename, data: Buffer.from(section.subarray(split + 4)) });
    start = next;
  }
  return parts;
}
