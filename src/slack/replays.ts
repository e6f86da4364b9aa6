import { createHash } from "node:crypto";
import type { AllMiddlewareArgs, AnyMiddlewareArgs } from "@slack/bolt";
import type { Logger } from "pino";
import type { ReportStore } from "../state/report-store.js";

// A signed request may arrive twice: Slack retries (X-Slack-Retry-Num) or someone replays a captured one within
// the 5 minutes its signature is valid. A command or click is acted on once per trigger_id: the claim is a lock
// in the report store (shared by replicas), left to expire after those 5 minutes.

type Args = AnyMiddlewareArgs & AllMiddlewareArgs;

/** The key a request is claimed under: its trigger_id, else a hash of the whole body. */
export function deliveryKey(body: unknown): string {
  const trigger = (body as { trigger_id?: unknown } | null)?.trigger_id;
  if (typeof trigger === "string" && trigger !== "" && trigger.length <= 200) return `delivery:${trigger}`;
  return `delivery:${createHash("sha256").update(JSON.stringify(body)).digest("base64url")}`;
}

/** Global middleware: acks a command or click already handled (a retry or a replay) and runs nothing. */
export function dropRepeats(store: ReportStore, logger: Logger) {
  return async (args: Args): Promise<void> => {
    const body = args.body as { type?: string; command?: string };
    const interactive = typeof body.command === "string" || body.type === "block_actions";
    if (!interactive || (await store.tryLock(deliveryKey(body)))) return args.next();
    const ack = (args as { ack?: () => Promise<void> }).ack;
    await ack?.();
    logger.info(
      { retryNum: (args.context as { retryNum?: number }).retryNum, kind: body.command ?? body.type },
      "Slack request already handled: a retry or a replay, acked and dropped",
    );
  };
}
