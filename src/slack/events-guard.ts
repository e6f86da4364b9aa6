import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import { verifySlackRequest } from "@slack/bolt";
import type { Logger } from "pino";
import { BodyTooLargeError, readBody } from "./read-body.js";

// What stands in front of Bolt's HTTP receiver on POST /slack/events: the body is capped before anything reads
// it, the signature and timestamp (past and future) are checked, and the payload's shape is validated, so Bolt
// only ever sees a signed object it can handle. Slack sends a few KiB; the cap leaves room for a
// block_actions payload that carries a whole 50-block message.

/** The largest /slack/events body read: the same cap as /alarms/sns. */
export const MAX_SLACK_BODY_BYTES = 256 * 1024;
/** How far a request's signed timestamp may lie from the clock, either way (Slack's rule: 5 minutes). */
const MAX_SKEW_SECONDS = 5 * 60;
const FORM = "application/x-www-form-urlencoded";

/** What the guard needs: the signing secret, where to log, and (for tests) the clock and the paths it covers. */
export interface EventsGuardOptions {
  signingSecret: string;
  logger: Logger;
  clock?: () => number;
  endpoints?: readonly string[];
}

/** A bodied request Bolt can already use: it reads `rawBody` instead of the stream. */
type Buffered = IncomingMessage & { rawBody?: Buffer };

/** Wraps Bolt's request listener: POSTs to the events endpoint pass only once screened; the rest go straight on. */
export function guardSlackEvents(next: RequestListener, options: EventsGuardOptions): RequestListener {
  const endpoints = options.endpoints ?? ["/slack/events"];
  return (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "POST" || !endpoints.includes(path)) return next(req, res);
    screen(req as Buffered, options).then(
      (refusal) => {
        if (refusal) return answer(res, refusal.status, refusal.text);
        next(req, res);
      },
      (error: unknown) => {
        options.logger.error({ err: (error as Error).message }, "Slack request: could not be screened");
        answer(res, 500, "internal error");
      },
    );
  };
}

interface Refusal {
  status: number;
  text: string;
}

async function screen(req: Buffered, options: EventsGuardOptions): Promise<Refusal | undefined> {
  const log = options.logger;
  let body: Buffer;
  try {
    body = await readBody(req, MAX_SLACK_BODY_BYTES);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    log.warn({ limit: MAX_SLACK_BODY_BYTES }, "Slack request refused: body too large");
    return { status: 413, text: "body too large" };
  }
  req.rawBody = body;
  const text = body.toString("utf8");
  const form = req.headers["content-type"] === FORM ? parseQuery(text) : undefined;
  // Slack's ssl_check carries no signature; Bolt answers it and strips anything smuggled with it.
  if (form?.ssl_check === "1") return undefined;
  const unsigned = signatureProblem(req, text, options);
  if (unsigned) {
    log.warn({ reason: unsigned }, "Slack request refused: not signed by Slack");
    return { status: 401, text: "not signed by Slack" };
  }
  const malformed = shapeProblem(text, form);
  if (malformed) {
    log.warn({ reason: malformed }, "Slack request refused: malformed payload");
    return { status: 400, text: "malformed payload" };
  }
  return undefined;
}

/** Why the request is not Slack's (timestamp outside ±5 minutes, bad signature), or undefined when it is. */
function signatureProblem(
  req: IncomingMessage,
  text: string,
  options: EventsGuardOptions,
): string | undefined {
  const signature = req.headers["x-slack-signature"];
  const stamp = req.headers["x-slack-request-timestamp"];
  if (typeof signature !== "string" || typeof stamp !== "string" || !/^\d{1,12}$/.test(stamp))
    return "missing signature or timestamp";
  const now = (options.clock ?? Date.now)();
  if (Math.abs(now / 1000 - Number(stamp)) > MAX_SKEW_SECONDS) return "timestamp more than 5 minutes away";
  try {
    verifySlackRequest({
      signingSecret: options.signingSecret,
      body: text,
      headers: { "x-slack-signature": signature, "x-slack-request-timestamp": Number(stamp) },
      nowMilliseconds: now,
    });
    return undefined;
  } catch {
    return "signature mismatch";
  }
}

/**
 * Why the body is not a payload Bolt can handle, or undefined: a form is a slash command (string `command`) or
 * carries `payload`, a JSON object with a string `type`; a JSON body is an object with a string `type`.
 */
function shapeProblem(text: string, form: ReturnType<typeof parseQuery> | undefined): string | undefined {
  if (form && form.payload === undefined) {
    return typeof form.command === "string" ? undefined : "a form with neither command nor payload";
  }
  const json = form ? form.payload : text;
  if (typeof json !== "string") return "payload given more than once";
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return "payload is not JSON";
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return "payload is not an object";
  return typeof (parsed as { type?: unknown }).type === "string" ? undefined : "payload has no type";
}

function answer(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  // Close the connection: whatever the client still sends is not read into memory.
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: "close" });
  res.end(`${text}\n`);
}
