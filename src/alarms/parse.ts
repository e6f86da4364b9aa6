import type { AlarmParseOptions, AlarmParseResult } from "./alarm-event.js";
import { type Envelope, reject } from "./build.js";
import { fromCloudWatch, isCloudWatchNotification } from "./cloudwatch.js";
import { fromEventBridge, isEventBridgeEvent } from "./eventbridge.js";
import { type Fields, isFields, kindOf, quote, text } from "./read.js";

export { regionFromDisplayName } from "./region.js";

const EXPECTED =
  "expected an SNS notification (Type, Message), a CloudWatch alarm notification (AlarmName, NewStateValue) or an EventBridge event (detail-type)";

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

function isSnsEnvelope(value: Fields): boolean {
  return (
    typeof value.Type === "string" && (Object.hasOwn(value, "TopicArn") || Object.hasOwn(value, "Message"))
  );
}

function fromPayload(
  payload: Fields,
  envelope: Envelope | undefined,
  options: AlarmParseOptions,
): AlarmParseResult {
  if (isEventBridgeEvent(payload)) return fromEventBridge(payload, envelope, options);
  if (isCloudWatchNotification(payload)) return fromCloudWatch(payload, envelope, options);
  if (!envelope && Array.isArray(payload.Records)) {
    return reject("this is a Lambda event batch: parse each Records[].Sns on its own");
  }
  return reject(
    envelope
      ? "the SNS message is JSON but neither a CloudWatch alarm notification (AlarmName, NewStateValue) nor an EventBridge event (detail-type)"
      : `not an alarm: ${EXPECTED}`,
  );
}

function fromEnvelope(sns: Fields, options: AlarmParseOptions): AlarmParseResult {
  if (sns.Type === "SubscriptionConfirmation" || sns.Type === "UnsubscribeConfirmation") {
    return reject(`an SNS ${sns.Type} is not an alarm: the webhook answers it before parsing`);
  }
  if (sns.Type !== "Notification")
    return reject(`unknown SNS message type ${quote(sns.Type)}: expected Notification`);
  const envelope = { topicArn: text(sns.TopicArn), messageId: text(sns.MessageId), timestamp: sns.Timestamp };
  const parsed =
    typeof sns.Message === "string" ? parseJson(sns.Message) : { ok: true as const, value: sns.Message };
  if (!parsed.ok) {
    return reject(
      `the SNS message is plain text, not a CloudWatch alarm or EventBridge event (Subject ${quote(sns.Subject)})`,
    );
  }
  if (!isFields(parsed.value)) {
    return reject(
      `the SNS message is ${kindOf(parsed.value)}, not a CloudWatch alarm notification or EventBridge event`,
    );
  }
  return fromPayload(parsed.value, envelope, options);
}

function parseBody(body: unknown, options: AlarmParseOptions): AlarmParseResult {
  const parsed = typeof body === "string" ? parseJson(body) : { ok: true as const, value: body };
  if (!parsed.ok) return reject(`the body is not JSON: ${EXPECTED}`);
  if (!isFields(parsed.value))
    return reject(`the body is ${kindOf(parsed.value)}, not a JSON object: ${EXPECTED}`);
  return isSnsEnvelope(parsed.value)
    ? fromEnvelope(parsed.value, options)
    : fromPayload(parsed.value, undefined, options);
}

// Accepts an SNS envelope, a raw CloudWatch notification or an EventBridge event, parsed or as JSON text.
/** Reads an alarm from what a webhook or queue received; never throws: anything else is a one-line reason. */
export function parseAlarmMessage(body: unknown, options: AlarmParseOptions = {}): AlarmParseResult {
  try {
    return parseBody(body, options);
  } catch (error) {
    const detail = error instanceof Error ? quote(error.message) : kindOf(error);
    return reject(`could not read the alarm message: ${detail}`);
  }
}
