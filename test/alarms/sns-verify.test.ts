import { generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { snsStringToSign } from "../../src/alarms/sns-message.js";
import { type SnsMessage, SnsVerifier } from "../../src/alarms/sns-verify.js";
import {
  fakeCertificateFetch,
  notificationFields,
  type SignedSnsMessage,
  signSnsMessage,
  subscriptionConfirmationFields,
  TEST_CERT_URL,
  TEST_SIGNING_CERT_PEM,
} from "../support/sns-signing.js";

// Tests never reach the network: every verifier gets an injected fetchCertificate.

const NOW = Date.parse("2026-01-02T03:05:00Z");
const HOUR = 60 * 60 * 1000;

function verifierWith(
  options: { clock?: () => number; cacheTtlMs?: number; maxCachedCertificates?: number } = {},
) {
  const server = fakeCertificateFetch();
  const verifier = new SnsVerifier({
    fetchCertificate: server.fetchCertificate,
    clock: () => NOW,
    ...options,
  });
  return { verifier, calls: server.calls };
}

function signedNotification(version: "1" | "2" = "2", certUrl = TEST_CERT_URL): SignedSnsMessage {
  return signSnsMessage(notificationFields(), { version, certUrl });
}

async function expectRefused(body: unknown, reason: RegExp, verifier = verifierWith().verifier) {
  const result = await verifier.verify(body);
  expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
}

describe("snsStringToSign", () => {
  const base = {
    MessageId: "m-1",
    TopicArn: "arn:aws:sns:us-east-1:123456789012:t",
    Message: "line 1\nline 2",
    Timestamp: "2026-01-02T03:04:05.678Z",
    SignatureVersion: "1",
    Signature: "",
    SigningCertURL: TEST_CERT_URL,
  } as const;

  it("signs Message, MessageId, Subject, Timestamp, TopicArn, Type for a Notification with a Subject", () => {
    const message: SnsMessage = {
      ...base,
      Type: "Notification",
      Subject: "ALARM",
      UnsubscribeURL: "https://x",
    };
    expect(snsStringToSign(message)).toBe(
      "Message\nline 1\nline 2\nMessageId\nm-1\nSubject\nALARM\nTimestamp\n2026-01-02T03:04:05.678Z\n" +
        "TopicArn\narn:aws:sns:us-east-1:123456789012:t\nType\nNotification\n",
    );
  });

  it("leaves Subject out of a Notification that has none", () => {
    const message: SnsMessage = { ...base, Type: "Notification" };
    expect(snsStringToSign(message)).toBe(
      "Message\nline 1\nline 2\nMessageId\nm-1\nTimestamp\n2026-01-02T03:04:05.678Z\n" +
        "TopicArn\narn:aws:sns:us-east-1:123456789012:t\nType\nNotification\n",
    );
  });

  it.each(["SubscriptionConfirmation", "UnsubscribeConfirmation"] as const)(
    "signs Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type for a %s",
    (Type) => {
      const message: SnsMessage = { ...base, Type, SubscribeURL: "https://sub", Token: "tok" };
      expect(snsStringToSign(message)).toBe(
        "Message\nline 1\nline 2\nMessageId\nm-1\nSubscribeURL\nhttps://sub\nTimestamp\n2026-01-02T03:04:05.678Z\n" +
          `Token\ntok\nTopicArn\narn:aws:sns:us-east-1:123456789012:t\nType\n${Type}\n`,
      );
    },
  );
});

describe("SnsVerifier accepts messages SNS signed", () => {
  it.each(["1", "2"] as const)("a SignatureVersion %s Notification", async (version) => {
    const body = signedNotification(version);
    const { verifier, calls } = verifierWith();
    const result = await verifier.verify(body);
    expect(result).toEqual({ ok: true, message: body });
    expect(calls).toEqual([TEST_CERT_URL]);
  });

  it("a Notification without a Subject, and one whose Subject is null (as SQS and Lambda show it)", async () => {
    const { Subject: _, ...withoutSubject } = notificationFields();
    const body = signSnsMessage(withoutSubject, { version: "2", certUrl: TEST_CERT_URL });
    const { verifier } = verifierWith();
    expect(await verifier.verify(body)).toEqual({ ok: true, message: body });
    expect(await verifier.verify({ ...body, Subject: null })).toEqual({ ok: true, message: body });
  });

  it.each([
    ["SubscriptionConfirmation", "1"],
    ["SubscriptionConfirmation", "2"],
    ["UnsubscribeConfirmation", "2"],
  ] as const)("a %s (SignatureVersion %s)", async (Type, version) => {
    const body = signSnsMessage(subscriptionConfirmationFields({ Type }), {
      version,
      certUrl: TEST_CERT_URL,
    });
    expect(await verifierWith().verifier.verify(body)).toEqual({ ok: true, message: body });
  });

  it("returns only the SNS fields, not extra unsigned ones", async () => {
    const body = signedNotification();
    const result = await verifierWith().verifier.verify({ ...body, MessageAttributes: { a: 1 }, Extra: "x" });
    expect(result).toEqual({ ok: true, message: body });
  });

  it.each([
    "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem",
    "https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-abc.pem",
    "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem",
    "https://sns.cn-northwest-1.amazonaws.com.cn/SimpleNotificationService-abc.pem",
    "https://sns.ap-southeast-2.amazonaws.com:443/SimpleNotificationService-abc.pem",
  ])("a certificate at %s", async (certUrl) => {
    const { verifier, calls } = verifierWith();
    expect((await verifier.verify(signedNotification("2", certUrl))).ok).toBe(true);
    expect(calls).toEqual([certUrl.replace(":443", "")]);
  });
});

describe("SnsVerifier refuses forged messages", () => {
  it.each([
    ["Message", { Message: '{"AlarmName":"other"}' }],
    ["TopicArn", { TopicArn: "arn:aws:sns:us-east-1:999999999999:attacker" }],
    ["MessageId", { MessageId: "replayed" }],
    ["Timestamp", { Timestamp: "2030-01-01T00:00:00.000Z" }],
    ["Subject", { Subject: "OK: all fine" }],
    ["SignatureVersion", { SignatureVersion: "1" }],
  ])("with %s changed after signing", async (_field, change) => {
    await expectRefused({ ...signedNotification("2"), ...change }, /^signature does not match the message/);
  });

  it("with the Subject removed or added after signing", async () => {
    const { Subject: _, ...withoutSubject } = signedNotification();
    await expectRefused(withoutSubject, /^signature does not match/);
    const { Subject: __, ...fields } = notificationFields();
    const signedWithout = signSnsMessage(fields, { version: "1", certUrl: TEST_CERT_URL });
    await expectRefused({ ...signedWithout, Subject: "added" }, /^signature does not match/);
  });

  it("with a confirmation's Token or SubscribeURL changed after signing", async () => {
    const body = signSnsMessage(subscriptionConfirmationFields(), { version: "2", certUrl: TEST_CERT_URL });
    await expectRefused({ ...body, Token: "other" }, /^signature does not match/);
    await expectRefused(
      { ...body, SubscribeURL: "https://sns.us-east-1.amazonaws.com/?x" },
      /^signature does not/,
    );
  });

  it("signed by another key than the certificate's", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const body = signSnsMessage(notificationFields(), {
      version: "2",
      certUrl: TEST_CERT_URL,
      key: privateKey,
    });
    await expectRefused(body, /^signature does not match the message \(SignatureVersion 2\)$/);
  });

  it("whose Signature is not base64", async () => {
    await expectRefused({ ...signedNotification(), Signature: "not base64!" }, /^Signature is not base64$/);
    await expectRefused({ ...signedNotification(), Signature: "" }, /^Signature is not base64$/);
  });
});

describe("SnsVerifier refuses certificates from anywhere but SNS", () => {
  it.each([
    ["https://evil.com/cert.pem", /host "evil\.com" is not an Amazon SNS host/],
    ["https://sns.us-east-1.amazonaws.com.evil.com/cert.pem", /is not an Amazon SNS host/],
    ["https://amazonaws.com/cert.pem", /is not an Amazon SNS host/],
    ["https://us-east-1.amazonaws.com/cert.pem", /is not an Amazon SNS host/],
    ["https://sqs.us-east-1.amazonaws.com/cert.pem", /is not an Amazon SNS host/],
    ["https://sns.s3-us-west-2.amazonaws.com/cert.pem", /is not an Amazon SNS host/],
    ["https://sns.us-east-1.amazonaws.com./cert.pem", /is not an Amazon SNS host/],
    ["https://evilsns.us-east-1.amazonaws.com/cert.pem", /is not an Amazon SNS host/],
    [
      "https://sns.us-east-1.amazonaws.com.cn/cert.pem",
      /pairs region us-east-1 with the wrong partition domain/,
    ],
    [
      "https://sns.cn-north-1.amazonaws.com/cert.pem",
      /pairs region cn-north-1 with the wrong partition domain/,
    ],
    ["https://52.94.0.1/cert.pem", /host "52\.94\.0\.1" is not an Amazon SNS host/],
    ["https://[::1]/cert.pem", /is not an Amazon SNS host/],
    ["http://sns.us-east-1.amazonaws.com/cert.pem", /^SigningCertURL must use https, not http:$/],
    ["file:///etc/passwd.pem", /must use https, not file:/],
    ["https://user:pw@sns.us-east-1.amazonaws.com/cert.pem", /^SigningCertURL carries credentials$/],
    ["https://evil.com@sns.us-east-1.amazonaws.com/cert.pem", /carries credentials/],
    ["https://sns.us-east-1.amazonaws.com@evil.com/cert.pem", /carries credentials/],
    ["https://sns.us-east-1.amazonaws.com:8443/cert.pem", /^SigningCertURL names port 8443$/],
    ["https://sns.us-east-1.amazonaws.com/cert.txt", /^SigningCertURL path does not end with \.pem$/],
    ["https://sns.us-east-1.amazonaws.com/?x=cert.pem", /has a query or fragment/],
    ["https://sns.us-east-1.amazonaws.com/cert.pem#frag", /has a query or fragment/],
    ["sns.us-east-1.amazonaws.com/cert.pem", /^SigningCertURL is not a URL$/],
    [`https://sns.us-east-1.amazonaws.com/${"a".repeat(3000)}.pem`, /^SigningCertURL is too long$/],
  ])("%s", async (certUrl, reason) => {
    const { verifier, calls } = verifierWith();
    await expectRefused(signedNotification("2", certUrl), reason, verifier);
    expect(calls).toEqual([]);
  });
});

describe("SnsVerifier refuses malformed bodies", () => {
  it.each([
    [null, /^body is not a JSON object \(got null\)$/],
    [[], /^body is not a JSON object \(got array\)$/],
    ["{}", /^body is not a JSON object \(got "\{\}"\)$/],
    [42, /^body is not a JSON object/],
    [undefined, /^body is not a JSON object/],
    [{}, /^field "Type" is missing or not a string$/],
    [{ Type: 7 }, /^field "Type" is missing or not a string$/],
    [{ Type: "Alarm" }, /^unsupported Type "Alarm"$/],
    [{ Type: "toString" }, /^unsupported Type "toString"$/],
  ])("%j", async (body, reason) => {
    await expectRefused(body, reason);
  });

  it.each([
    "MessageId",
    "TopicArn",
    "Message",
    "Timestamp",
    "SignatureVersion",
    "Signature",
    "SigningCertURL",
  ])("a Notification without %s", async (field) => {
    const body: Record<string, unknown> = { ...signedNotification() };
    delete body[field];
    await expectRefused(body, new RegExp(`^Notification is missing field "${field}"$`));
    await expectRefused(
      { ...body, [field]: 1 },
      new RegExp(`^Notification field "${field}" is not a string$`),
    );
  });

  it.each(["SubscribeURL", "Token"])("a SubscriptionConfirmation without %s", async (field) => {
    const body: Record<string, unknown> = {
      ...signSnsMessage(subscriptionConfirmationFields(), { version: "2", certUrl: TEST_CERT_URL }),
    };
    delete body[field];
    await expectRefused(body, new RegExp(`^SubscriptionConfirmation is missing field "${field}"$`));
  });

  it("fields inherited rather than own", async () => {
    await expectRefused(Object.create(signedNotification()), /^field "Type" is missing/);
  });

  it("a Subject that is not a string", async () => {
    await expectRefused(
      { ...signedNotification(), Subject: 5 },
      /^Notification field "Subject" is not a string$/,
    );
  });

  it.each(["3", "0", "", "1.0", "v2"])("SignatureVersion %j", async (version) => {
    await expectRefused(
      { ...signedNotification(), SignatureVersion: version },
      /^unsupported SignatureVersion ".*" \(expected "1" or "2"\)$/,
    );
  });
});

describe("SnsVerifier's signing certificates", () => {
  it("reports a fetch that fails, refuses that URL for a minute without fetching, then tries again", async () => {
    let attempts = 0;
    let now = NOW;
    const verifier = new SnsVerifier({
      clock: () => now,
      fetchCertificate: async () => {
        attempts += 1;
        throw new Error("connect ECONNREFUSED\n 127.0.0.1:443");
      },
    });
    await expectRefused(
      signedNotification(),
      /^could not fetch the signing certificate: connect ECONNREFUSED 127\.0\.0\.1:443$/,
      verifier,
    );
    now += 59_999;
    await expectRefused(
      signedNotification(),
      /^the signing certificate could not be fetched a moment ago$/,
      verifier,
    );
    expect(attempts).toBe(1);
    now += 1;
    await expectRefused(signedNotification(), /^could not fetch/, verifier);
    expect(attempts).toBe(2);
  });

  it("reports a fetch that throws synchronously or answers something other than a certificate", async () => {
    const throwing = new SnsVerifier({
      fetchCertificate: () => {
        throw new TypeError("boom");
      },
    });
    await expectRefused(signedNotification(), /^could not fetch the signing certificate: boom$/, throwing);
    const html = new SnsVerifier({ fetchCertificate: async () => "<html>not a cert</html>" });
    await expectRefused(
      signedNotification(),
      /^the signing certificate is not a PEM X\.509 certificate$/,
      html,
    );
    const nothing = new SnsVerifier({ fetchCertificate: async () => undefined as unknown as string });
    await expectRefused(signedNotification(), /^the signing certificate fetch returned no text$/, nothing);
  });

  it("fetches a certificate once for two messages, including two at once", async () => {
    const { verifier, calls } = verifierWith();
    const [first, second] = await Promise.all([
      verifier.verify(signedNotification("1")),
      verifier.verify(signedNotification("2")),
    ]);
    const third = await verifier.verify(
      signSnsMessage(subscriptionConfirmationFields(), { version: "2", certUrl: TEST_CERT_URL }),
    );
    expect([first.ok, second.ok, third.ok]).toEqual([true, true, true]);
    expect(calls).toEqual([TEST_CERT_URL]);
  });

  it("fetches again once the cached certificate is older than the TTL", async () => {
    let now = NOW;
    const { verifier, calls } = verifierWith({ clock: () => now, cacheTtlMs: HOUR });
    expect((await verifier.verify(signedNotification())).ok).toBe(true);
    now += HOUR - 1;
    expect((await verifier.verify(signedNotification())).ok).toBe(true);
    expect(calls).toHaveLength(1);
    now += 1;
    expect((await verifier.verify(signedNotification())).ok).toBe(true);
    expect(calls).toHaveLength(2);
  });

  it("keeps at most maxCachedCertificates URLs, dropping the least recently used", async () => {
    const { verifier, calls } = verifierWith({ maxCachedCertificates: 2 });
    const at = (region: string) => `https://sns.${region}.amazonaws.com/SimpleNotificationService-x.pem`;
    for (const region of ["us-east-1", "us-east-2", "us-east-1", "eu-west-1", "us-east-1", "us-east-2"]) {
      expect((await verifier.verify(signedNotification("2", at(region)))).ok).toBe(true);
    }
    expect(calls).toEqual([at("us-east-1"), at("us-east-2"), at("eu-west-1"), at("us-east-2")]);
  });

  it.each([
    ["before it is valid", Date.parse("1999-12-31T23:59:59Z")],
    ["after it expired", Date.parse("2200-01-01T00:00:00Z")],
  ])("refuses a certificate %s", async (_when, now) => {
    const { verifier } = verifierWith({ clock: () => now });
    await expectRefused(
      signedNotification(),
      /^the signing certificate is valid only from Jan {2}1 00:00:00 2000 GMT to Dec 31 23:59:59 2199 GMT$/,
      verifier,
    );
  });

  it("refuses options that make no sense", () => {
    expect(() => new SnsVerifier({ cacheTtlMs: -1 })).toThrow(RangeError);
    expect(() => new SnsVerifier({ maxCachedCertificates: 0 })).toThrow(RangeError);
  });
});

describe("SnsVerifier never throws", () => {
  const { verifier } = verifierWith();

  it("answers ok:false with a one-line reason for any JSON value", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const result = await verifier.verify(value);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.reason).toMatch(/^[^\n]+$/);
      }),
      { numRuns: 500 },
    );
  });

  it("answers ok:false for SNS-shaped objects with arbitrary field values", async () => {
    const field = fc.oneof(fc.string(), fc.jsonValue());
    const shaped = fc.record(
      {
        Type: fc.oneof(
          fc.constantFrom("Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"),
          field,
        ),
        MessageId: field,
        TopicArn: field,
        Subject: field,
        Message: field,
        Timestamp: field,
        SignatureVersion: fc.oneof(fc.constantFrom("1", "2"), field),
        Signature: fc.oneof(fc.base64String({ minLength: 4 }), field),
        SigningCertURL: fc.oneof(fc.constant(TEST_CERT_URL), fc.webUrl(), field),
        SubscribeURL: field,
        Token: field,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(shaped, async (value) => {
        const result = await verifier.verify(value);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.reason).toMatch(/^[^\n]+$/);
      }),
      { numRuns: 500 },
    );
  });

  it("answers ok:false when any signed field of a valid message is changed", async () => {
    const signed = signedNotification("2");
    const keys = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn"] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...keys), fc.string(), async (key, value) => {
        fc.pre(value !== signed[key]);
        expect((await verifier.verify({ ...signed, [key]: value })).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("answers ok:false when reading the body throws", async () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
        getOwnPropertyDescriptor() {
          throw new Error("trap");
        },
      },
    );
    await expectRefused(hostile, /^verification failed unexpectedly \(Error\)$/);
  });
});

describe("SnsVerifier under a flood of certificate URLs", () => {
  const at = (i: number) => `https://sns.us-east-1.amazonaws.com/SimpleNotificationService-${i}.pem`;

  it("fetches a burst of new URLs, then one a minute, and answers the rest retryable without fetching", async () => {
    let now = NOW;
    const calls: string[] = [];
    const verifier = new SnsVerifier({
      clock: () => now,
      fetchCertificate: async (url) => {
        calls.push(url);
        throw new Error("HTTP 404");
      },
    });
    const results = [];
    for (let i = 0; i < 20; i += 1) results.push(await verifier.verify(signedNotification("2", at(i))));
    expect(calls).toHaveLength(4);
    expect(results.slice(4)).toEqual(
      Array(16).fill({ ok: false, reason: "too many new signing certificate URLs lately", retryable: true }),
    );
    now += 60_000;
    await verifier.verify(signedNotification("2", at(100)));
    await verifier.verify(signedNotification("2", at(101)));
    expect(calls).toHaveLength(5);
  });

  it("runs at most two fetches at once; a third waits for nothing and is retryable", async () => {
    const release: Array<() => void> = [];
    const verifier = new SnsVerifier({
      clock: () => NOW,
      fetchCertificate: (url) =>
        new Promise((resolve) =>
          release.push(() => resolve(url.includes("-0") ? TEST_SIGNING_CERT_PEM : "")),
        ),
    });
    const first = verifier.verify(signedNotification("2", at(0)));
    const second = verifier.verify(signedNotification("2", at(1)));
    expect(await verifier.verify(signedNotification("2", at(2)))).toEqual({
      ok: false,
      reason: "too many signing certificates are being fetched",
      retryable: true,
    });
    for (const go of release) go();
    expect((await first).ok).toBe(true);
    expect((await second).ok).toBe(false);
  });

  it("never evicts a certificate in use for URLs that verified nothing", async () => {
    const { verifier, calls } = verifierWith({ maxCachedCertificates: 1 });
    expect((await verifier.verify(signedNotification())).ok).toBe(true);
    // Real certificates at other SNS URLs, but carrying messages they did not sign.
    const other = signSnsMessage(notificationFields(), { version: "2", certUrl: at(7) });
    const forged = { ...other, Message: "changed" };
    expect((await verifier.verify(forged)).ok).toBe(false);
    expect((await verifier.verify(signedNotification())).ok).toBe(true);
    expect(calls).toEqual([TEST_CERT_URL, at(7)]);
  });
});
