import { describe, expect, it } from "vitest";
import { parseSnsMessage, type SnsMessage } from "../../src/alarms/sns-message.js";
import { precheckSnsMessage, topicRegion } from "../../src/alarms/sns-precheck.js";
import { notificationFields, signSnsMessage, TEST_CERT_URL } from "../support/sns-signing.js";

// The webhook's checks before any certificate is fetched: allowed topic, a recent Timestamp, and a
// certificate on the SNS host of the topic's own region.

const NOW = Date.parse("2026-06-01T12:00:00Z");
const TOPIC = "arn:aws:sns:us-east-1:123456789012:vpce-doctor-alarms";

function message(overrides: Record<string, string> = {}): SnsMessage {
  const signed = signSnsMessage(
    notificationFields({ TopicArn: TOPIC, Timestamp: new Date(NOW).toISOString() }),
    {
      version: "2",
      certUrl: TEST_CERT_URL,
    },
  );
  const parsed = parseSnsMessage({ ...signed, ...overrides });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

describe("precheckSnsMessage", () => {
  it("passes a fresh message from an allowed topic with its region's certificate", () => {
    expect(precheckSnsMessage(message(), [TOPIC], NOW)).toEqual({ ok: true, value: message() });
  });

  it.each([
    ["a topic that is not allowed", { TopicArn: `${TOPIC}-other` }, "topic not allowed"],
    [
      "a Timestamp over an hour old (a replay)",
      { Timestamp: new Date(NOW - 3_600_001).toISOString() },
      "Timestamp is more than an hour old",
    ],
    [
      "a Timestamp over 5 minutes ahead",
      { Timestamp: new Date(NOW + 300_001).toISOString() },
      "Timestamp is in the future",
    ],
    ["a Timestamp that is no date", { Timestamp: "yesterday" }, "Timestamp is not a date"],
    [
      "a certificate in another region",
      { SigningCertURL: "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-x.pem" },
      "SigningCertURL is not the SNS host of the topic's region",
    ],
    [
      "a certificate off the SNS hosts",
      { SigningCertURL: "https://example.com/SimpleNotificationService-x.pem" },
      "SigningCertURL is not the SNS host of the topic's region",
    ],
  ])("refuses %s", (_name, overrides, reason) => {
    expect(precheckSnsMessage(message(overrides), [TOPIC, `${TOPIC}-x`], NOW)).toEqual({ ok: false, reason });
  });

  it("accepts a message an hour old and one 5 minutes ahead (SNS retries, clock skew)", () => {
    for (const at of [NOW - 3_600_000, NOW + 300_000])
      expect(precheckSnsMessage(message({ Timestamp: new Date(at).toISOString() }), [TOPIC], NOW).ok).toBe(
        true,
      );
  });
});

describe("topicRegion", () => {
  it("reads the region of a topic ARN in any partition, and nothing from other strings", () => {
    expect(topicRegion(TOPIC)).toBe("us-east-1");
    expect(topicRegion("arn:aws-cn:sns:cn-north-1:123456789012:t")).toBe("cn-north-1");
    expect(topicRegion("arn:aws:sqs:us-east-1:123456789012:q")).toBeUndefined();
    expect(topicRegion("not an arn")).toBeUndefined();
  });
});
