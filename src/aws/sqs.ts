import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { AlarmQueue, QueuedMessage } from "../alarms/alarm-queue.js";
import { type CallObserver, observeCalls } from "./middleware.js";

// The bot's own alarm queue (SNS -> SQS), read with the bot's own credentials: sqs:ReceiveMessage and
// sqs:DeleteMessage belong in the bot's policy and the queue policy, never in READ_ACTIONS (target accounts).

/** Long poll: SQS holds each receive open up to 20 s (its maximum) until a message arrives. */
export const WAIT_SECONDS = 20;

/** The most messages one receive may return (SQS's maximum). */
export const MAX_MESSAGES = 10;

// A received message stays hidden this long. Deletion happens only after the report is posted, so the
// whole diagnosis (AssumeRole, ~20 reads with retries) plus Slack posting, paced at one post a second per
// channel behind other alarms, must fit, or SQS hands the message out again while it is still being
// handled. Five minutes is ample for that and still short enough that a crash costs a five-minute delay.
/** Seconds a received message stays invisible to other receivers (see above). */
export const VISIBILITY_SECONDS = 300;

const REGION = "([a-z]{2}(?:-[a-z]+)+-\\d+)";
const SQS_HOST = new RegExp(`(?:^|\\.)sqs(?:-fips)?\\.${REGION}\\.(?:vpce\\.)?amazonaws\\.com(?:\\.cn)?$`);
const LEGACY_HOST = new RegExp(`^${REGION}\\.queue\\.amazonaws\\.com(?:\\.cn)?$`);

/** The region in a queue URL's host (sqs.<region>…, <region>.queue…), or undefined for other hosts. */
export function regionFromQueueUrl(queueUrl: string): string | undefined {
  const host = URL.canParse(queueUrl) ? new URL(queueUrl).hostname.toLowerCase() : "";
  return (SQS_HOST.exec(host) ?? LEGACY_HOST.exec(host))?.[1];
}

/** Options for the queue's client; without a region it comes from the URL, then the SDK's default chain. */
export interface SqsQueueOptions {
  region?: string;
  maxAttempts?: number;
  /** Told of every attempt and its outcome (the bot's /metrics). */
  onCall?: CallObserver;
}

// The SDK's default (useQueueUrlAsEndpoint) sends every call to the QueueUrl's host even when
// AWS_ENDPOINT_URL(_SQS) is set; turned off, the endpoint comes from that variable or the region. A
// VPC-endpoint queue URL (vpce-….sqs.<region>.vpce.amazonaws.com) is the one host used as given.
/** The SQS client for `queueUrl`: the bot's own credentials, region from the URL unless given. */
export function createSqsClient(queueUrl: string, options: SqsQueueOptions = {}): SQSClient {
  const url = URL.canParse(queueUrl) ? new URL(queueUrl) : undefined;
  const region = options.region ?? regionFromQueueUrl(queueUrl);
  return new SQSClient({
    retryMode: "standard",
    useQueueUrlAsEndpoint: false,
    ...(region ? { region } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(url?.hostname.startsWith("vpce-") ? { endpoint: url.origin } : {}),
    ...(url?.hostname.startsWith("sqs-fips.") ? { useFipsEndpoint: true } : {}),
  });
}

/** The alarm queue at `queueUrl`: long-polled receives of up to 10 messages, deletion by receipt handle. */
export function createSqsQueue(queueUrl: string, options: SqsQueueOptions = {}): AlarmQueue {
  const client = createSqsClient(queueUrl, options);
  if (options.onCall) client.middlewareStack.use(observeCalls(options.onCall));
  return {
    async receive(signal?: AbortSignal): Promise<QueuedMessage[]> {
      const out = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          WaitTimeSeconds: WAIT_SECONDS,
          MaxNumberOfMessages: MAX_MESSAGES,
          VisibilityTimeout: VISIBILITY_SECONDS,
        }),
        signal ? { abortSignal: signal } : {},
      );
      return (out.Messages ?? []).flatMap((m) =>
        m.ReceiptHandle
          ? [{ id: m.MessageId ?? "", receiptHandle: m.ReceiptHandle, body: m.Body ?? "" }]
          : [],
      );
    },
    async remove(receiptHandle: string): Promise<void> {
      await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));
    },
  };
}
