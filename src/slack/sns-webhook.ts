import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Intake } from "../alarms/intake.js";
import { checkSigningCertUrl } from "../alarms/sns-cert-url.js";
import type { SnsVerifier } from "../alarms/sns-verify.js";
import { type Metrics, NO_METRICS } from "../observe/metrics.js";

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
}

/**
 * POST /alarms/sns: verify the signature, accept only allowed topics (403 otherwise), confirm
 * subscriptions, and answer 2xx only once the alarm is posted (5xx on failure, so SNS redelivers).
 */
export function snsWebhook(deps: SnsWebhookDeps) {
  const metrics = deps.metrics ?? NO_METRICS;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    metrics.alarmReceived("sns");
    const answer = (status: number, text: string) => {
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
      res.end(`${text}\n`);
    };
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (error) {
      deps.logger.warn({ err: (error as Error).message }, "SNS webhook: unreadable body");
      metrics.alarmRefused("sns", "unreadable");
      answer(400, "not an SNS message");
      return;
    }
    const verified = await deps.verifier.verify(body);
    if (!verified.ok) {
      deps.logger.warn({ reason: verified.reason }, "SNS webhook: signature refused");
      metrics.alarmRefused("sns", "signature");
      answer(403, "signature refused");
      return;
    }
    const message = verified.message;
    if (!deps.topics.includes(message.TopicArn)) {
      deps.logger.warn({ topic: message.TopicArn, type: message.Type }, "SNS webhook: topic not allowed");
      metrics.alarmRefused("sns", "topic");
      answer(403, "topic not allowed");
      return;
    }
    if (message.Type === "SubscriptionConfirmation") {
      const url = checkSubscribeUrl(message.SubscribeURL);
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
      return;
    }
    if (message.Type !== "Notification") {
      deps.logger.info({ topic: message.TopicArn, type: message.Type }, "SNS webhook: nothing to do");
      answer(200, "ok");
      return;
    }
    const intake = deps.intake();
    if (!intake) {
      answer(503, "not ready");
      return;
    }
    try {
      const outcome = await intake(message, "https");
      if (outcome.kind === "duplicate" || outcome.kind === "in-progress") metrics.alarmDeduplicated("sns");
      if (outcome.kind === "rejected" || outcome.kind === "refused")
        metrics.alarmRefused("sns", outcome.kind);
      if (outcome.kind === "rejected") answer(400, outcome.reason);
      else if (outcome.kind === "refused") answer(403, outcome.reason);
      // A 5xx makes SNS try again later: by then it is posted (200 duplicate) or its holder died (handled).
      else if (outcome.kind === "in-progress") answer(503, "already being handled; retry later");
      else answer(200, outcome.kind);
    } catch {
      answer(500, "could not post the alarm; SNS will redeliver");
    }
  };
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

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
