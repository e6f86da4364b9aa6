import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Intake } from "../alarms/intake.js";
import { checkSigningCertUrl } from "../alarms/sns-cert-url.js";
import { parseSnsMessage } from "../alarms/sns-message.js";
import { precheckSnsMessage } from "../alarms/sns-precheck.js";
import type { SnsMessage, SnsVerifier } from "../alarms/sns-verify.js";
import { type Metrics, NO_METRICS } from "../observe/metrics.js";
import { BodyTooLargeError, readBody } from "./read-body.js";

const MAX_BODY_BYTES = 256 * 1024;

/** What the SNS webhook needs: the verifier, the allowed topics, the intake, and how to confirm a subscription. */
export interface SnsWebhookDeps {
  verifier: SnsVerifier;
  topics: readonly string[];
  intake: () => Intake | undefined;
  /** GETs a SubscribeURL (injectable: tests never leave 127.0.0.1). */
  confirm: (url: string) => Promise<void>;
  logger: Logger;
  metrics?: Metrics;
  /** Milliseconds since the epoch, for the messages' Timestamp; default Date.now. */
  clock?: () => number;
}

type Answer = (status: number, text: string) => void;

/**
 * POST /alarms/sns: cheap checks first (body size, shape, allowed topic, Timestamp within the hour, certificate
 * on the topic's regional SNS host), then the signature; confirm subscriptions, and answer 2xx only once the
 * alarm is posted (5xx on failure, so SNS redelivers).
 */
export function snsWebhook(deps: SnsWebhookDeps) {
  const metrics = deps.metrics ?? NO_METRICS;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    metrics.alarmReceived("sns");
    const answer: Answer = (status, text) => {
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
      res.end(`${text}\n`);
    };
    const message = await screen(req, deps, answer);
    if (!message) return;
    if (message.Type === "SubscriptionConfirmation") return confirmSubscription(message, deps, answer);
    if (message.Type !== "Notification") {
      deps.logger.info({ topic: message.TopicArn, type: message.Type }, "SNS webhook: nothing to do");
      answer(200, "ok");
      return;
    }
    await deliver(message, deps, answer);
  };
}

/** The verified message from an allowed topic, or undefined once the refusal is answered and logged. */
async function screen(
  req: IncomingMessage,
  deps: SnsWebhookDeps,
  answer: Answer,
): Promise<SnsMessage | undefined> {
  const metrics = deps.metrics ?? NO_METRICS;
  let parsed: ReturnType<typeof parseSnsMessage>;
  try {
    parsed = parseSnsMessage(JSON.parse((await readBody(req, MAX_BODY_BYTES)).toString("utf8")));
  } catch (error) {
    deps.logger.warn({ err: (error as Error).message }, "SNS webhook: unreadable body");
    metrics.alarmRefused("sns", "unreadable");
    answer(error instanceof BodyTooLargeError ? 413 : 400, "not an SNS message");
    return undefined;
  }
  const checked = parsed.ok
    ? precheckSnsMessage(parsed.value, deps.topics, (deps.clock ?? Date.now)())
    : parsed;
  if (!checked.ok) {
    const topic = checked.reason === "topic not allowed";
    deps.logger.warn(
      { reason: checked.reason },
      `SNS webhook: ${topic ? "topic not allowed" : "message refused"}`,
    );
    metrics.alarmRefused("sns", topic ? "topic" : "signature");
    answer(403, topic ? "topic not allowed" : "message refused");
    return undefined;
  }
  const verified = await deps.verifier.verify(checked.value);
  if (!verified.ok) {
    deps.logger.warn({ reason: verified.reason }, "SNS webhook: signature refused");
    metrics.alarmRefused("sns", "signature");
    // Not even checked (the certificate fetch budget is spent): SNS redelivers a 5xx later.
    if (verified.retryable) answer(503, "cannot check the signature now; retry later");
    else answer(403, "signature refused");
    return undefined;
  }
  return verified.message;
}

async function confirmSubscription(message: SnsMessage, deps: SnsWebhookDeps, answer: Answer): Promise<void> {
  const url = checkSubscribeUrl((message as { SubscribeURL: string }).SubscribeURL);
  if (!url) {
    deps.logger.warn({ topic: message.TopicArn }, "SNS webhook: SubscribeURL is not an SNS https URL");
    answer(403, "bad SubscribeURL");
    return;
  }
  try {
    await deps.confirm(url);
    deps.logger.info({ topic: message.TopicArn }, "SNS subscription confirmed");
    answer(200, "confirmed");
  } catch (error) {
    deps.logger.error(
      { topic: message.TopicArn, err: (error as Error).message },
      "SNS subscription confirmation failed",
    );
    answer(502, "confirmation failed");
  }
}

async function deliver(message: SnsMessage, deps: SnsWebhookDeps, answer: Answer): Promise<void> {
  const metrics = deps.metrics ?? NO_METRICS;
  const intake = deps.intake();
  if (!intake) {
    answer(503, "not ready");
    return;
  }
  try {
    const outcome = await intake(message, "https");
    if (outcome.kind === "duplicate" || outcome.kind === "in-progress") metrics.alarmDeduplicated("sns");
    if (outcome.kind === "rejected" || outcome.kind === "refused") metrics.alarmRefused("sns", outcome.kind);
    if (outcome.kind === "rejected") answer(400, outcome.reason);
    else if (outcome.kind === "refused") answer(403, outcome.reason);
    // A 5xx makes SNS try again later: by then it is posted (200 duplicate) or its holder died (handled).
    else if (outcome.kind === "in-progress") answer(503, "already being handled; retry later");
    else answer(200, outcome.kind);
  } catch {
    answer(500, "could not post the alarm; SNS will redeliver");
  }
}

/** The SubscribeURL when it is https on an SNS host of an AWS partition (the same rule as certificates). */
function checkSubscribeUrl(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    const asCert = new URL(url.href);
    asCert.search = "";
    asCert.pathname = "/x.pem";
    return checkSigningCertUrl(asCert.href).ok ? url.href : undefined;
  } catch {
    return undefined;
  }
}
