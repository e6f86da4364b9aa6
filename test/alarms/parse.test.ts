import { describe, expect, it } from "vitest";
import type { AlarmEvent } from "../../src/alarms/alarm-event.js";
import { parseAlarmMessage, regionFromDisplayName } from "../../src/alarms/parse.js";
import { regionDisplayNames } from "../../src/aws/regions.js";
import { fixture, fixtureText, innerMessage } from "./fixtures.js";

const names = regionDisplayNames();
const regionByName = (name: string) => names.get(name);
const ACCOUNT = "111122223333";
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:vpce-doctor-alarms`;
const ONE_LINE = /^[^\r\n\u0085\u2028\u2029]+$/;

const PAYMENTS = {
  alarmName: "vpce-payments-packets-dropped",
  alarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:vpce-payments-packets-dropped`,
  description: "Packets to the payments PrivateLink service are being dropped (runbook: PrivateLink checks)",
  accountId: ACCOUNT,
  region: "us-east-1",
  endpointId: "vpce-0a1b2c3d4e5f60718",
  endpointFrom: "dimension",
  namespace: "AWS/PrivateLinkEndpoints",
  metricName: "PacketsDropped",
  topicArn: TOPIC,
} as const;

const LEDGER = {
  source: "eventbridge",
  alarmName: "ledger-vpce-packets-dropped",
  description: "Ledger endpoint dropping packets",
  state: "ALARM",
  previousState: "OK",
  reason:
    "Threshold Crossed: 1 out of the last 1 datapoints [12.0 (14/01/26 13:26:00)] was greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).",
  accountId: ACCOUNT,
  endpointId: "vpce-0c0ffee0ddba11000",
  endpointFrom: "dimension",
  namespace: "AWS/PrivateLinkEndpoints",
  metricName: "PacketsDropped",
} as const;

const EXPECTED: Array<[string, AlarmEvent]> = [
  [
    "cloudwatch-alarm-sns.json",
    {
      ...PAYMENTS,
      source: "cloudwatch-sns",
      state: "ALARM",
      previousState: "OK",
      reason:
        "Threshold Crossed: 3 out of the last 5 datapoints [42.0 (14/01/26 08:58:00), 17.0 (14/01/26 08:57:00), 9.0 (14/01/26 08:55:00)] were greater than the threshold (0.0) (minimum 3 datapoints for OK -> ALARM transition).",
      changedAt: "2026-01-14T09:00:12.718Z",
      messageId: "0d5c6b4a-3e2f-5a1b-9c8d-7e6f5a4b3c2d",
    },
  ],
  [
    "cloudwatch-ok.json",
    {
      ...PAYMENTS,
      source: "cloudwatch-sns",
      state: "OK",
      previousState: "ALARM",
      reason:
        "Threshold Crossed: no datapoints were received for 5 periods and 5 missing datapoints were treated as [NonBreaching].",
      changedAt: "2026-01-14T09:41:12.530Z",
      messageId: "8a7b6c5d-4e3f-5a2b-8c1d-0e9f8a7b6c5d",
    },
  ],
  [
    "cloudwatch-insufficient.json",
    {
      source: "cloudwatch-sns",
      alarmName: "orders-api-vpce-rst-packets",
      alarmArn: `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:orders-api-vpce-rst-packets`,
      description: "Orders API endpoint resets",
      state: "INSUFFICIENT_DATA",
      previousState: "OK",
      reason: "Insufficient Data: 5 datapoints were unknown.",
      changedAt: "2026-01-14T02:15:44.006Z",
      accountId: ACCOUNT,
      region: "eu-west-1",
      endpointId: "vpce-0123456789abcdef0",
      endpointFrom: "dimension",
      namespace: "AWS/PrivateLinkEndpoints",
      metricName: "RstPacketsReceived",
      topicArn: TOPIC,
      messageId: "3c2b1a09-8f7e-5d6c-b5a4-93827160f5e4",
    },
  ],
  [
    "cloudwatch-metric-math.json",
    {
      source: "cloudwatch-sns",
      alarmName: "shared-services-vpce-drop-ratio",
      alarmArn: `arn:aws:cloudwatch:ap-northeast-1:${ACCOUNT}:alarm:shared-services-vpce-drop-ratio`,
      description: "Dropped plus reset packets on the shared-services endpoint, per 5 minutes",
      state: "ALARM",
      previousState: "OK",
      reason:
        "Threshold Crossed: 2 out of the last 2 datapoints [64.0 (14/01/26 05:10:00), 31.0 (14/01/26 05:05:00)] were greater than the threshold (20.0) (minimum 2 datapoints for OK -> ALARM transition).",
      changedAt: "2026-01-14T05:15:31.220Z",
      accountId: ACCOUNT,
      region: "ap-northeast-1",
      endpointId: "vpce-0fedcba9876543210",
      endpointFrom: "dimension",
      namespace: "AWS/PrivateLinkEndpoints",
      metricName: "PacketsDropped",
      topicArn: TOPIC,
      messageId: "5e4d3c2b-1a09-5f8e-a7d6-c5b4a3928170",
    },
  ],
  [
    "cloudwatch-raw-message.json",
    {
      source: "cloudwatch-raw",
      alarmName: "analytics-vpce-packets-dropped",
      alarmArn: `arn:aws:cloudwatch:eu-central-1:${ACCOUNT}:alarm:analytics-vpce-packets-dropped`,
      state: "ALARM",
      previousState: "OK",
      reason:
        "Threshold Crossed: 1 out of the last 1 datapoints [128.0 (14/01/26 11:02:00)] was greater than the threshold (10.0) (minimum 1 datapoint for OK -> ALARM transition).",
      changedAt: "2026-01-14T11:03:05.134Z",
      accountId: ACCOUNT,
      region: "eu-central-1",
      endpointId: "vpce-0badc0ffee1234567",
      endpointFrom: "dimension",
      namespace: "AWS/PrivateLinkEndpoints",
      metricName: "PacketsDropped",
    },
  ],
  [
    "eventbridge-alarm.json",
    {
      ...LEDGER,
      alarmArn: `arn:aws:cloudwatch:eu-west-2:${ACCOUNT}:alarm:ledger-vpce-packets-dropped`,
      changedAt: "2026-01-14T13:27:09.412Z",
      region: "eu-west-2",
      messageId: "b9a1c7e3-5d2f-4e6a-8c0b-1f3e5a7c9d2b",
    },
  ],
  [
    "eventbridge-in-sns.json",
    {
      ...LEDGER,
      alarmArn: `arn:aws:cloudwatch:us-east-2:${ACCOUNT}:alarm:ledger-vpce-packets-dropped`,
      changedAt: "2026-01-14T14:02:51.008Z",
      region: "us-east-2",
      topicArn: TOPIC,
      messageId: "c1d2e3f4-a5b6-5c7d-8e9f-a0b1c2d3e4f5",
    },
  ],
  [
    "description-only.json",
    {
      source: "cloudwatch-sns",
      alarmName: "payments-privatelink-service-resets",
      alarmArn: `arn:aws:cloudwatch:us-west-2:${ACCOUNT}:alarm:payments-privatelink-service-resets`,
      description:
        "Resets on the payments service; consumers reach it through vpce-0abc1234def567890 (team: payments-platform)",
      state: "ALARM",
      previousState: "OK",
      reason:
        "Threshold Crossed: 1 out of the last 1 datapoints [57.0 (14/01/26 16:20:00)] was greater than the threshold (25.0) (minimum 1 datapoint for OK -> ALARM transition).",
      changedAt: "2026-01-14T16:21:48.993Z",
      accountId: ACCOUNT,
      region: "us-west-2",
      endpointId: "vpce-0abc1234def567890",
      endpointFrom: "description",
      namespace: "AWS/PrivateLinkServices",
      metricName: "RstPacketsSent",
      topicArn: TOPIC,
      messageId: "9f8e7d6c-5b4a-5392-8170-f6e5d4c3b2a1",
    },
  ],
  [
    "no-endpoint.json",
    {
      source: "cloudwatch-sns",
      alarmName: "vpc-privatelink-bytes-drop",
      alarmArn: `arn:aws:cloudwatch:us-east-2:${ACCOUNT}:alarm:vpc-privatelink-bytes-drop`,
      description: "PrivateLink traffic for the data VPC fell below its usual floor",
      state: "ALARM",
      previousState: "OK",
      reason:
        "Threshold Crossed: 3 out of the last 3 datapoints [1024.0 (14/01/26 17:40:00), 980.0 (14/01/26 17:35:00), 1500.0 (14/01/26 17:30:00)] were less than the threshold (100000.0) (minimum 3 datapoints for OK -> ALARM transition).",
      changedAt: "2026-01-14T17:45:33.301Z",
      accountId: ACCOUNT,
      region: "us-east-2",
      namespace: "AWS/PrivateLinkEndpoints",
      metricName: "BytesProcessed",
      topicArn: TOPIC,
      messageId: "2a3b4c5d-6e7f-5809-a1b2-c3d4e5f60718",
    },
  ],
];

describe("parseAlarmMessage: fixtures", () => {
  it.each(EXPECTED)("reads %s", (name, event) => {
    expect(parseAlarmMessage(fixture(name), { regionByName })).toStrictEqual({ ok: true, event });
  });

  it.each(EXPECTED)("reads %s the same from its JSON text (an SQS body)", (name, event) => {
    expect(parseAlarmMessage(fixtureText(name), { regionByName })).toStrictEqual({ ok: true, event });
  });

  it("needs no region table while the notification carries its AlarmArn", () => {
    expect(parseAlarmMessage(fixture("cloudwatch-insufficient.json"))).toMatchObject({
      ok: true,
      event: { region: "eu-west-1" },
    });
  });

  it("answers a SubscriptionConfirmation with a reason, not an event", () => {
    const result = parseAlarmMessage(fixture("subscription-confirmation.json"));
    expect(result).toEqual({
      ok: false,
      reason: "an SNS SubscriptionConfirmation is not an alarm: the webhook answers it before parsing",
    });
  });
});

/** The CloudWatch notification of a fixture, changed, wrapped back in its SNS envelope. */
function envelopeWith(
  name: string,
  change: (message: Record<string, unknown>) => void,
): Record<string, unknown> {
  const message = innerMessage(name);
  change(message);
  return { ...fixture(name), Message: JSON.stringify(message) };
}

describe("parseAlarmMessage: region", () => {
  it.each([
    ["US East (N. Virginia)", "us-east-1"],
    ["EU (Ireland)", "eu-west-1"],
    ["EU (Frankfurt)", "eu-central-1"],
    ["Europe (London)", "eu-west-2"],
    ["EU - Ireland", "eu-west-1"],
    ["US East - N. Virginia", "us-east-1"],
    ["Asia Pacific (Tokyo)", "ap-northeast-1"],
    ["  South America  (Sao Paulo) ", "sa-east-1"],
    ["China (Ningxia)", "cn-northwest-1"],
    ["AWS GovCloud (US-West)", "us-gov-west-1"],
  ])("maps the display name %j to %s", (name, code) => {
    expect(regionFromDisplayName(name, regionByName)).toBe(code);
  });

  it.each(["Atlantis (Deep)", "", "us-east-1", "EU"])("knows no region named %j", (name) => {
    expect(regionFromDisplayName(name, regionByName)).toBeUndefined();
  });

  it("maps Region when the notification has no AlarmArn (pre-2019 notifications)", () => {
    const body = envelopeWith("cloudwatch-insufficient.json", (message) => {
      delete message.AlarmArn;
      message.Region = "EU - Ireland";
    });
    const result = parseAlarmMessage(body, { regionByName });
    expect(result).toMatchObject({ ok: true, event: { region: "eu-west-1", accountId: ACCOUNT } });
    expect(result.ok && result.event.alarmArn).toBeUndefined();
  });

  it("reads the region and account from AlarmArn when AWSAccountId is not an account id", () => {
    const body = envelopeWith("cloudwatch-ok.json", (message) => {
      message.AWSAccountId = "EXAMPLE";
      message.Region = "somewhere new";
    });
    expect(parseAlarmMessage(body)).toMatchObject({
      ok: true,
      event: { region: "us-east-1", accountId: ACCOUNT },
    });
  });

  it("rejects an unknown Region without an AlarmArn", () => {
    const body = envelopeWith("cloudwatch-ok.json", (message) => {
      delete message.AlarmArn;
      message.Region = "Atlantis (Deep)";
    });
    expect(parseAlarmMessage(body, { regionByName })).toEqual({
      ok: false,
      reason: `cannot tell the alarm's region: Region "Atlantis (Deep)" is not a known region name`,
    });
  });
});

describe("parseAlarmMessage: endpoint", () => {
  const rules = [
    { alarm: "orders-*", endpointId: "vpce-11111111" },
    { alarm: "vpc-privatelink-*", endpointId: "not-an-endpoint" },
    { alarm: "vpc-*-bytes-drop", endpointId: "VPCE-22222222" },
    { alarm: "*", endpointId: "vpce-33333333" },
  ];

  it("falls back to the first matching rule with a valid id, lower-cased", () => {
    const result = parseAlarmMessage(fixture("no-endpoint.json"), { endpointRules: rules });
    expect(result).toMatchObject({ ok: true, event: { endpointId: "vpce-22222222", endpointFrom: "rule" } });
  });

  it.each(["vpc-privatelink", "privatelink-*", "vpc.privatelink.bytes.drop", "VPC-*"])(
    "takes no rule whose glob %j does not match the whole name",
    (alarm) => {
      const result = parseAlarmMessage(fixture("no-endpoint.json"), {
        endpointRules: [{ alarm, endpointId: "vpce-11111111" }],
      });
      expect(result.ok && result.event.endpointId).toBeUndefined();
    },
  );

  it("prefers the dimension to the description, and the description to a rule", () => {
    const both = envelopeWith("cloudwatch-alarm-sns.json", (message) => {
      message.AlarmDescription = "see vpce-0abc1234def567890";
    });
    expect(parseAlarmMessage(both, { endpointRules: rules })).toMatchObject({
      ok: true,
      event: { endpointId: "vpce-0a1b2c3d4e5f60718", endpointFrom: "dimension" },
    });
    expect(parseAlarmMessage(fixture("description-only.json"), { endpointRules: rules })).toMatchObject({
      ok: true,
      event: { endpointId: "vpce-0abc1234def567890", endpointFrom: "description" },
    });
  });

  it.each([
    ["endpoint VPCE-0ABC1234 (prod)", "vpce-0abc1234"],
    ["endpoint:vpce-0abc1234def567890.", "vpce-0abc1234def567890"],
    ["service vpce-svc-0123456789abcdef0 only", undefined],
    ["almost vpce-0abc123 or vpce-0abc12345 or vpce-0abc1234def56789", undefined],
    ["myvpce-0abc1234", undefined],
  ])("reads the description %j as %s", (description, endpointId) => {
    const body = envelopeWith("no-endpoint.json", (message) => {
      message.AlarmDescription = description;
    });
    const result = parseAlarmMessage(body);
    expect(result.ok && result.event.endpointId).toBe(endpointId ?? undefined);
  });

  it("reads Name/Value dimension keys and skips an endpoint dimension whose value is not an id", () => {
    const body = envelopeWith("no-endpoint.json", (message) => {
      (message.Trigger as Record<string, unknown>).Dimensions = [
        { name: "VPC Endpoint Id", value: "vpce-nothex00" },
        { Name: "VPC Endpoint Id", Value: "vpce-0abc1234" },
      ];
    });
    expect(parseAlarmMessage(body)).toMatchObject({
      ok: true,
      event: { endpointId: "vpce-0abc1234", endpointFrom: "dimension" },
    });
  });
});

describe("parseAlarmMessage: rejections", () => {
  const sns = (extra: Record<string, unknown>) => ({ Type: "Notification", TopicArn: TOPIC, ...extra });
  const eventbridge = fixture("eventbridge-alarm.json");
  const cloudwatch = innerMessage("cloudwatch-alarm-sns.json");

  it.each<[string, unknown, RegExp]>([
    ["text that is not JSON", "ALARM: payments", /^the body is not JSON: expected an SNS notification/],
    ["a number", 42, /^the body is the number 42, not a JSON object/],
    ["null", null, /^the body is null, not a JSON object/],
    ["an array", [cloudwatch], /^the body is an array, not a JSON object/],
    ["JSON text of a string", '"hello"', /^the body is a string, not a JSON object/],
    ["an empty object", {}, /^not an alarm: expected an SNS notification \(Type, Message\)/],
    ["a Lambda SNS batch", { Records: [{ Sns: fixture("cloudwatch-ok.json") }] }, /Lambda event batch/],
    [
      "an UnsubscribeConfirmation",
      sns({ Type: "UnsubscribeConfirmation" }),
      /UnsubscribeConfirmation is not an alarm/,
    ],
    [
      "an unknown SNS type",
      sns({ Type: "Weird" }),
      /^unknown SNS message type "Weird": expected Notification$/,
    ],
    ["a plain-text SNS message", sns({ Message: "Hello", Subject: "Test" }), /plain text.*Subject "Test"/],
    ["an SNS message that is an array", sns({ Message: "[1]" }), /^the SNS message is an array/],
    ["an SNS message of another JSON", sns({ Message: '{"hello":1}' }), /neither a CloudWatch alarm/],
    [
      "another EventBridge event",
      { ...eventbridge, "detail-type": "CloudWatch Alarm Configuration Change" },
      /^the EventBridge event is "CloudWatch Alarm Configuration Change" from "aws.cloudwatch", not a/,
    ],
    ["an EventBridge event without detail", { ...eventbridge, detail: null }, /no detail.alarmName/],
    ["a notification without AlarmName", { ...cloudwatch, AlarmName: "  " }, /has no AlarmName/],
    [
      "an unknown state",
      { ...cloudwatch, NewStateValue: "PANIC\nNOW" },
      /^the alarm's NewStateValue "PANIC\\nNOW" is not ALARM, OK or INSUFFICIENT_DATA$/,
    ],
    [
      "a bad StateChangeTime",
      { ...cloudwatch, StateChangeTime: "yesterday" },
      /no valid StateChangeTime \(got "yesterday"\)/,
    ],
    [
      "no account anywhere",
      { ...cloudwatch, AWSAccountId: 111122223333, AlarmArn: undefined },
      /no 12-digit AWSAccountId \(got the number 111122223333\)/,
    ],
    [
      "an EventBridge event without a region",
      { ...eventbridge, region: "Europe (London)", resources: [] },
      /no region code \(got "Europe \(London\)"\)/,
    ],
  ])("rejects %s", (_, body, reason) => {
    const result = parseAlarmMessage(body, { regionByName });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(reason);
      expect(result.reason).toMatch(ONE_LINE);
    }
  });

  it("takes the envelope Timestamp when the notification has no StateChangeTime", () => {
    const body = envelopeWith("cloudwatch-ok.json", (message) => {
      delete message.StateChangeTime;
    });
    expect(parseAlarmMessage(body)).toMatchObject({
      ok: true,
      event: { changedAt: "2026-01-14T09:41:12.602Z" },
    });
  });
});

describe("parseAlarmMessage: a notification with no region at all", () => {
  it("says neither AlarmArn nor Region is there", () => {
    const body = envelopeWith("cloudwatch-ok.json", (message) => {
      delete message.AlarmArn;
      delete message.Region;
    });
    expect(parseAlarmMessage(body, { regionByName })).toEqual({
      ok: false,
      reason: "cannot tell the alarm's region: the notification has neither AlarmArn nor Region",
    });
  });
});
