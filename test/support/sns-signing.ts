import { createPrivateKey, createSign, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";

// SNS messages as Amazon SNS signs them, but with the test-only key of test/fixtures/sns/ (see its README).
// The string to sign is rebuilt here on purpose, independently of src/alarms/, from
// https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message-verify-message-signature.html.

const FIXTURES = new URL("../fixtures/sns/", import.meta.url);

/** The test certificate's PEM (self-signed, CN=sns.amazonaws.com, valid 2000 to 2199). */
export const TEST_SIGNING_CERT_PEM = readFileSync(new URL("test-signing-cert.pem", FIXTURES), "utf8");
/** The test private key that matches TEST_SIGNING_CERT_PEM. */
export const TEST_SIGNING_KEY = createPrivateKey(
  readFileSync(new URL("test-signing-key.pem", FIXTURES), "utf8"),
);

/** A SigningCertURL of the shape SNS uses in us-east-1; tests serve TEST_SIGNING_CERT_PEM for it. */
export const TEST_CERT_URL =
  "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem";

/** The fields SNS signs (plus the unsigned UnsubscribeURL) before SignatureVersion, Signature and SigningCertURL. */
export interface SnsFieldsToSign {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
  UnsubscribeURL?: string;
}

/** A message body as SNS POSTs it: the fields plus the signature and where its certificate is. */
export type SignedSnsMessage = SnsFieldsToSign & {
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
};

/** How to sign: version "1" is SHA1withRSA, "2" SHA256withRSA; `key` defaults to the test key. */
export interface SnsSigningOptions {
  version: "1" | "2";
  certUrl: string;
  key?: KeyObject;
}

const NOTIFICATION_KEYS = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"] as const;
const CONFIRMATION_KEYS = [
  "Message",
  "MessageId",
  "SubscribeURL",
  "Timestamp",
  "Token",
  "TopicArn",
  "Type",
] as const;

/** AWS's string to sign: "Key\nValue\n" for each listed key present, in the documented order. */
export function snsTestStringToSign(fields: SnsFieldsToSign): string {
  const keys = fields.Type === "Notification" ? NOTIFICATION_KEYS : CONFIRMATION_KEYS;
  return keys
    .filter((key) => typeof fields[key] === "string")
    .map((key) => `${key}\n${fields[key]}\n`)
    .join("");
}

/** Signs `fields` like SNS does and returns the whole message body. */
export function signSnsMessage(fields: SnsFieldsToSign, options: SnsSigningOptions): SignedSnsMessage {
  const algorithm = options.version === "1" ? "RSA-SHA1" : "RSA-SHA256";
  const signer = createSign(algorithm);
  signer.update(snsTestStringToSign(fields), "utf8");
  const Signature = signer.sign(options.key ?? TEST_SIGNING_KEY, "base64");
  return { ...fields, SignatureVersion: options.version, Signature, SigningCertURL: options.certUrl };
}

const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:vpce-doctor-alarms";

/** A CloudWatch alarm Notification's fields; `overrides` replace any of them. */
export function notificationFields(overrides: Partial<SnsFieldsToSign> = {}): SnsFieldsToSign {
  return {
    Type: "Notification",
    MessageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
    TopicArn: TOPIC_ARN,
    Subject: 'ALARM: "vpce-errors" in US East (N. Virginia)',
    Message: JSON.stringify({
      AlarmName: "vpce-errors",
      NewStateValue: "ALARM",
      Region: "US East (N. Virginia)",
    }),
    // Now: the webhook refuses a message older than an hour as a replay.
    Timestamp: new Date().toISOString(),
    UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC_ARN}:sub`,
    ...overrides,
  };
}

/** A SubscriptionConfirmation's fields; `overrides` replace any of them (Type too, for an UnsubscribeConfirmation). */
export function subscriptionConfirmationFields(overrides: Partial<SnsFieldsToSign> = {}): SnsFieldsToSign {
  return {
    Type: "SubscriptionConfirmation",
    MessageId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
    Token: "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0-test-token",
    TopicArn: TOPIC_ARN,
    Message: `You have chosen to subscribe to the topic ${TOPIC_ARN}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC_ARN}&Token=0f1e2d3c4b5a6978-test-token`,
    // Now: the webhook refuses a message older than an hour as a replay.
    Timestamp: new Date().toISOString(),
    ...overrides,
  };
}

/** A fetchCertificate for SnsVerifier that serves `pem` for any URL and records the URLs asked for. */
export function fakeCertificateFetch(pem: string = TEST_SIGNING_CERT_PEM): {
  fetchCertificate: (url: string) => Promise<string>;
  calls: string[];
} {
  const calls: string[] = [];
  return {
    calls,
    fetchCertificate: async (url: string) => {
      calls.push(url);
      return pem;
    },
  };
}
