import type { Logger } from "../log.js";
import { type Metrics, NO_METRICS } from "../observe/metrics.js";
import type { AlarmQueue, QueuedMessage } from "./alarm-queue.js";
import type { Intake, IntakeOutcome } from "./intake.js";

// Feeds the alarm queue (SNS -> SQS, for bots without a public endpoint) to the intake. A message is deleted
// only once its report is posted (or it is a known duplicate); anything else stays on the queue, reappears
// after its visibility timeout and ends in the queue's dead-letter queue under its redrive policy.

/** First pause after a failed receive; it doubles with each further failure. */
export const FIRST_BACKOFF_MS = 1_000;

/** Longest pause between failed receives. */
export const MAX_BACKOFF_MS = 30_000;

/** What the poller reads from, feeds, trusts and logs to; `sleep` is injectable for tests. */
export interface SqsAlarmPollerOptions {
  queue: AlarmQueue;
  intake: Intake;
  /** SNS topic ARNs whose envelopes are accepted: the queue policy limits senders, this double-checks. */
  topics: readonly string[];
  logger: Logger;
  metrics?: Metrics;
  sleep?: (ms: number) => Promise<void>;
}

/** What one poll did with its batch: messages deleted, and messages left on the queue. */
export interface PollResult {
  deleted: number;
  kept: number;
}

type Verdict = "deleted" | "kept";

/** Long-polls the alarm queue and hands each message to the intake, deleting only what was posted. */
export class SqsAlarmPoller {
  private readonly queue: AlarmQueue;
  private readonly intake: Intake;
  private readonly topics: ReadonlySet<string>;
  private readonly logger: Logger;
  private readonly metrics: Metrics;
  private readonly sleep: (ms: number) => Promise<void>;
  private controller: AbortController | undefined;
  private loop: Promise<void> | undefined;

  constructor(options: SqsAlarmPollerOptions) {
    this.queue = options.queue;
    this.intake = options.intake;
    this.topics = new Set(options.topics);
    this.logger = options.logger;
    this.metrics = options.metrics ?? NO_METRICS;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Polls in the background until stop(); does nothing when already polling. */
  start(): void {
    if (this.loop) return;
    this.controller = new AbortController();
    this.loop = this.run(this.controller.signal);
  }

  /** Stops polling (abandoning a pending long poll) and resolves once the messages in hand are handled. */
  async stop(): Promise<void> {
    const loop = this.loop;
    this.controller?.abort();
    await loop;
    if (this.loop === loop) {
      this.loop = undefined;
      this.controller = undefined;
    }
  }

  /** One receive, then the whole batch handled concurrently; rejects only when the receive fails. */
  pollOnce(): Promise<PollResult> {
    return this.poll();
  }

  private async poll(signal?: AbortSignal): Promise<PollResult> {
    const messages = await this.queue.receive(signal);
    const verdicts = await Promise.all(messages.map((message) => this.handle(message)));
    const deleted = verdicts.filter((verdict) => verdict === "deleted").length;
    return { deleted, kept: verdicts.length - deleted };
  }

  private async run(signal: AbortSignal): Promise<void> {
    let backoff = 0;
    while (!signal.aborted) {
      try {
        await this.poll(signal);
        backoff = 0;
      } catch (error) {
        if (signal.aborted) break;
        backoff = backoff === 0 ? FIRST_BACKOFF_MS : Math.min(backoff * 2, MAX_BACKOFF_MS);
        this.logger.error({ err: errorText(error), retryInMs: backoff }, "alarm queue: receive failed");
        await this.pause(backoff, signal);
      }
    }
  }

  /** Sleeps `ms`, or less when `signal` aborts first. */
  private pause(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener("abort", done);
        resolve();
      };
      signal.addEventListener("abort", done, { once: true });
      this.sleep(ms).then(done, done);
    });
  }

  private async handle(message: QueuedMessage): Promise<Verdict> {
    const log = this.logger.child({ messageId: message.id });
    this.metrics.alarmReceived("sqs");
    let json: unknown;
    try {
      json = JSON.parse(message.body);
    } catch (error) {
      log.warn({ err: errorText(error) }, "alarm queue: body is not JSON, left to the redrive policy");
      this.metrics.alarmRefused("sqs", "unreadable");
      return "kept";
    }
    const envelope = snsEnvelope(json);
    if (envelope && !(typeof envelope.topic === "string" && this.topics.has(envelope.topic))) {
      log.warn({ topic: envelope.topic }, "alarm queue: SNS topic not allowed, left to the redrive policy");
      this.metrics.alarmRefused("sqs", "topic");
      return "kept";
    }
    let outcome: IntakeOutcome;
    try {
      outcome = await this.intake(json, "sqs");
    } catch (error) {
      log.error({ err: errorText(error) }, "alarm queue: intake failed, the message will be redelivered");
      return "kept";
    }
    if (outcome.kind === "duplicate" || outcome.kind === "in-progress") this.metrics.alarmDeduplicated("sqs");
    if (outcome.kind === "in-progress") {
      log.info("alarm queue: already being handled, left to reappear after its visibility timeout");
      return "kept";
    }
    if (outcome.kind === "rejected" || outcome.kind === "refused") {
      this.metrics.alarmRefused("sqs", outcome.kind);
      log.warn(
        { outcome: outcome.kind, reason: outcome.reason },
        "alarm queue: not acted on, left to the redrive policy",
      );
      return "kept";
    }
    try {
      await this.queue.remove(message.receiptHandle);
      return "deleted";
    } catch (error) {
      log.error(
        { err: errorText(error), outcome: outcome.kind },
        "alarm queue: delete failed, it will come back as a duplicate",
      );
      return "kept";
    }
  }
}

/** The topic of an SNS envelope (a JSON object with Type and TopicArn); undefined for anything else. */
function snsEnvelope(json: unknown): { topic: unknown } | undefined {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  return "Type" in json && "TopicArn" in json ? { topic: json.TopicArn } : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
