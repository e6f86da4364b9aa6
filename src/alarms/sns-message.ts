// The JSON body Amazon SNS POSTs to an HTTP(S) subscriber, checked field by field, and its string to sign.
// Field lists: https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html,
// http-subscription-confirmation-json.html, http-unsubscribe-confirmation-json.html and
// sns-verify-signature-of-message-verify-message-signature.html (same guide).

/** The fields every SNS message carries, signed or not. */
interface SnsEnvelope {
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: "1" | "2";
  Signature: string;
  SigningCertURL: string;
}

/** A message published to the topic; `Subject` only when the publisher gave one. */
export interface SnsNotification extends SnsEnvelope {
  Type: "Notification";
  Subject?: string;
  UnsubscribeURL?: string;
}

/** Sent when the endpoint is subscribed (or unsubscribed): visit `SubscribeURL` to (re-)confirm. */
export interface SnsSubscriptionMessage extends SnsEnvelope {
  Type: "SubscriptionConfirmation" | "UnsubscribeConfirmation";
  SubscribeURL: string;
  Token: string;
}

/** An SNS message whose required fields are all strings; only verification says it came from SNS. */
export type SnsMessage = SnsNotification | SnsSubscriptionMessage;

/** The outcome of a check: the value, or a one-line reason. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const ENVELOPE = [
  "MessageId",
  "TopicArn",
  "Message",
  "Timestamp",
  "SignatureVersion",
  "Signature",
  "SigningCertURL",
];
const REQUIRED: Record<SnsMessage["Type"], readonly string[]> = {
  Notification: ENVELOPE,
  SubscriptionConfirmation: [...ENVELOPE, "SubscribeURL", "Token"],
  UnsubscribeConfirmation: [...ENVELOPE, "SubscribeURL", "Token"],
};
const OPTIONAL: Record<SnsMessage["Type"], readonly string[]> = {
  Notification: ["Subject", "UnsubscribeURL"],
  SubscriptionConfirmation: [],
  UnsubscribeConfirmation: [],
};

// The documented string-to-sign keys, in the documented (byte) order.
const SIGNED_NOTIFICATION = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"] as const;
const SIGNED_CONFIRMATION = [
  "Message",
  "MessageId",
  "SubscribeURL",
  "Timestamp",
  "Token",
  "TopicArn",
  "Type",
] as const;

/** A value quoted for a one-line reason: JSON, cut to 60 characters. */
function quote(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    text = typeof value;
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isMessageType(value: string): value is SnsMessage["Type"] {
  return Object.hasOwn(REQUIRED, value);
}

function own(body: object, key: string): unknown {
  return Object.hasOwn(body, key) ? (body as Record<string, unknown>)[key] : undefined;
}

/** Checks the body is an SNS message: known Type, string fields, SignatureVersion 1 or 2; copies only those. */
export function parseSnsMessage(body: unknown): Checked<SnsMessage> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return {
      ok: false,
      reason: `body is not a JSON object (got ${Array.isArray(body) ? "array" : quote(body)})`,
    };
  }
  const type = own(body, "Type");
  if (typeof type !== "string") return { ok: false, reason: `field "Type" is missing or not a string` };
  if (!isMessageType(type)) return { ok: false, reason: `unsupported Type ${quote(type)}` };
  const copy: Record<string, string> = { Type: type };
  for (const key of REQUIRED[type]) {
    const value = own(body, key);
    if (value === undefined || value === null)
      return { ok: false, reason: `${type} is missing field "${key}"` };
    if (typeof value !== "string") return { ok: false, reason: `${type} field "${key}" is not a string` };
    copy[key] = value;
  }
  for (const key of OPTIONAL[type]) {
    const value = own(body, key);
    if (value === undefined || value === null) continue;
    if (typeof value !== "string") return { ok: false, reason: `${type} field "${key}" is not a string` };
    copy[key] = value;
  }
  if (copy.SignatureVersion !== "1" && copy.SignatureVersion !== "2") {
    return {
      ok: false,
      reason: `unsupported SignatureVersion ${quote(copy.SignatureVersion)} (expected "1" or "2")`,
    };
  }
  return { ok: true, value: copy as unknown as SnsMessage };
}

/** "Key\nValue\n" for each documented key in order; a Notification's Subject only when present. */
export function snsStringToSign(message: SnsMessage): string {
  const keys = message.Type === "Notification" ? SIGNED_NOTIFICATION : SIGNED_CONFIRMATION;
  const fields = message as unknown as Record<string, unknown>;
  let text = "";
  for (const key of keys) {
    const value = fields[key];
    if (typeof value === "string") text += `${key}\n${value}\n`;
  }
  return text;
}
