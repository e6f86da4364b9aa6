import { SNS_CERT_HOST } from "./sns-cert-url.js";
import type { Checked, SnsMessage } from "./sns-message.js";

// What the SNS webhook checks before any signature work, because it costs nothing and needs no network: the
// topic is allowed, the message is recent (a replay after a restart, when memory forgot its MessageId, is
// refused by its signed Timestamp), and its certificate sits on the SNS host of the topic's own region.

/** How old a message may be: SNS's longest HTTP retry policy spans an hour. */
export const MAX_MESSAGE_AGE_MS = 60 * 60 * 1000;
/** How far ahead of the clock a Timestamp may be (clock skew), as for Slack's signed timestamps. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/** The message when every cheap check passes, else a one-line reason (the webhook answers 403). */
export type Precheck = Checked<SnsMessage>;

/** The region of an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>), if it is one. */
export function topicRegion(topicArn: string): string | undefined {
  const parts = topicArn.split(":");
  return parts.length === 6 && parts[0] === "arn" && parts[2] === "sns" ? parts[3] : undefined;
}

/** The region named by a SigningCertURL's host, when it is an SNS host. */
function certificateRegion(url: string): string | undefined {
  try {
    return SNS_CERT_HOST.exec(new URL(url).hostname)?.[1];
  } catch {
    return undefined;
  }
}

/** Checks the allowed topic, the Timestamp's age (at most an hour old, 5 minutes ahead) and the certificate's region. */
export function precheckSnsMessage(message: SnsMessage, topics: readonly string[], now: number): Precheck {
  if (!topics.includes(message.TopicArn)) return { ok: false, reason: "topic not allowed" };
  const sent = Date.parse(message.Timestamp);
  if (!Number.isFinite(sent)) return { ok: false, reason: "Timestamp is not a date" };
  if (now - sent > MAX_MESSAGE_AGE_MS) return { ok: false, reason: "Timestamp is more than an hour old" };
  if (sent - now > MAX_FUTURE_SKEW_MS) return { ok: false, reason: "Timestamp is in the future" };
  const region = certificateRegion(message.SigningCertURL);
  if (region === undefined || region !== topicRegion(message.TopicArn)) {
    return { ok: false, reason: "SigningCertURL is not the SNS host of the topic's region" };
  }
  return { ok: true, value: message };
}
