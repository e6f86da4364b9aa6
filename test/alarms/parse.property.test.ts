import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AlarmParseResult } from "../../src/alarms/alarm-event.js";
import { parseAlarmMessage } from "../../src/alarms/parse.js";
import { regionDisplayNames } from "../../src/aws/regions.js";
import { fixture, innerMessage } from "./fixtures.js";

const names = regionDisplayNames();
const regionByName = (name: string) => names.get(name);
const ONE_LINE = /^[^\r\n\u0085\u2028\u2029]+$/;

function expectEventOrOneLine(result: AlarmParseResult): void {
  if (result.ok) return;
  expect(result.reason.trim()).not.toBe("");
  expect(result.reason).toMatch(ONE_LINE);
  // The catch-all in parseAlarmMessage is a safety net: no input should need it.
  expect(result.reason).not.toMatch(/^could not read the alarm message/);
}

const parse = (body: unknown) =>
  parseAlarmMessage(body, { regionByName, endpointRules: [{ alarm: "*", endpointId: "vpce-11111111" }] });

describe("parseAlarmMessage never throws", () => {
  it("on any JSON value, parsed or as text", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectEventOrOneLine(parse(value));
        expectEventOrOneLine(parse(JSON.stringify(value)));
      }),
      { numRuns: 500 },
    );
  });

  it("on anything at all", () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withNullPrototype: true, withMap: true, withDate: true }),
        (value) => {
          expectEventOrOneLine(parse(value));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("on any text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" })), (text) => {
        expectEventOrOneLine(parse(text));
      }),
      { numRuns: 500 },
    );
  });

  const KEYS = {
    "cloudwatch-alarm-sns.json": Object.keys(innerMessage("cloudwatch-alarm-sns.json")),
    "cloudwatch-metric-math.json": Object.keys(innerMessage("cloudwatch-metric-math.json")),
  };

  it.each(Object.entries(KEYS))("on %s with any of its fields replaced by any JSON value", (name, keys) => {
    const message = innerMessage(name);
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...keys, "Trigger"), fc.jsonValue()),
        fc.boolean(),
        (changes, wrap) => {
          const changed = { ...message, ...changes };
          expectEventOrOneLine(
            parse(wrap ? { ...fixture(name), Message: JSON.stringify(changed) } : changed),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("on the EventBridge event with any part of its detail replaced by any JSON value", () => {
    const event = fixture("eventbridge-alarm.json");
    const detail = event.detail as Record<string, unknown>;
    const detailKeys = fc.constantFrom(...Object.keys(detail));
    const eventKeys = fc.constantFrom(...Object.keys(event).filter((key) => key !== "detail"));
    fc.assert(
      fc.property(
        fc.dictionary(detailKeys, fc.jsonValue()),
        fc.dictionary(eventKeys, fc.jsonValue()),
        (inner, outer) => {
          expectEventOrOneLine(parse({ ...event, ...outer, detail: { ...detail, ...inner } }));
        },
      ),
      { numRuns: 300 },
    );
  });
});

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: length, maxLength: length });
const endpointIdArb = fc.oneof(hex(8), hex(17)).map((digits) => `vpce-${digits}`);
const accountArb = fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 12, maxLength: 12 });
const stateArb = fc.constantFrom("ALARM", "OK", "INSUFFICIENT_DATA" as const);
const nameArb = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 255 })
  .filter((name) => name.trim() !== "");
const dateArb = fc.date({
  min: new Date("2000-01-01T00:00:00Z"),
  max: new Date("2099-12-31T23:59:59Z"),
  noInvalidDate: true,
});

// How CloudWatch has spelled a region over the years: the SDK's name, "EU (Ireland)", "US East - N. Virginia".
function spell(name: string, style: "sdk" | "eu" | "dashed"): string {
  if (style === "eu") return name.replace(/^Europe \(/, "EU (");
  if (style === "dashed") return name.replace(/^(.+) \((.+)\)$/, "$1 - $2");
  return name;
}

const notificationArb = fc.record({
  alarmName: nameArb,
  state: stateArb,
  previousState: stateArb,
  reason: fc.string({ unit: "grapheme" }),
  changed: dateArb,
  accountId: accountArb,
  region: fc.constantFrom(...names.entries()),
  spelling: fc.constantFrom("sdk", "eu", "dashed" as const),
  withArn: fc.boolean(),
  endpointId: endpointIdArb,
  upperId: fc.boolean(),
  inDescription: fc.boolean(),
  text: fc.string({ unit: "grapheme", maxLength: 40 }),
  capitalKeys: fc.boolean(),
  envelope: fc.option(
    fc.record({ messageId: fc.uuid(), topic: fc.stringMatching(/^[A-Za-z0-9_-]{1,256}$/) }),
    {
      nil: undefined,
    },
  ),
});

describe("parseAlarmMessage round-trips a CloudWatch notification", () => {
  it("keeps every field, whatever the names, states, regions and endpoint", () => {
    fc.assert(
      fc.property(notificationArb, (n) => {
        const [regionName, region] = n.region;
        const id = n.upperId ? n.endpointId.toUpperCase() : n.endpointId;
        const dimension = n.capitalKeys
          ? { Value: id, Name: "VPC Endpoint Id" }
          : { value: id, name: "VPC Endpoint Id" };
        const description = n.inDescription ? `${n.text} ${id} ${n.text}` : null;
        const message = {
          AlarmName: n.alarmName,
          AlarmDescription: description,
          AWSAccountId: n.accountId,
          NewStateValue: n.state,
          NewStateReason: n.reason,
          StateChangeTime: n.changed.toISOString().replace("Z", "+0000"),
          Region: spell(regionName, n.spelling),
          ...(n.withArn
            ? { AlarmArn: `arn:aws:cloudwatch:${region}:${n.accountId}:alarm:${n.alarmName}` }
            : {}),
          OldStateValue: n.previousState,
          Trigger: {
            MetricName: "PacketsDropped",
            Namespace: "AWS/PrivateLinkEndpoints",
            Dimensions: [
              { value: "Interface", name: "Endpoint Type" },
              ...(n.inDescription ? [] : [dimension]),
            ],
          },
        };
        const topicArn = n.envelope && `arn:aws:sns:${region}:${n.accountId}:${n.envelope.topic}`;
        const body = n.envelope
          ? {
              Type: "Notification",
              MessageId: n.envelope.messageId,
              TopicArn: topicArn,
              Message: JSON.stringify(message),
            }
          : message;
        const result = parseAlarmMessage(JSON.stringify(body), { regionByName });
        expect(result).toStrictEqual({
          ok: true,
          event: {
            source: n.envelope ? "cloudwatch-sns" : "cloudwatch-raw",
            alarmName: n.alarmName,
            ...(n.withArn ? { alarmArn: message.AlarmArn } : {}),
            ...(description ? { description } : {}),
            state: n.state,
            previousState: n.previousState,
            reason: n.reason,
            changedAt: n.changed.toISOString(),
            accountId: n.accountId,
            region,
            endpointId: n.endpointId,
            endpointFrom: n.inDescription ? "description" : "dimension",
            namespace: "AWS/PrivateLinkEndpoints",
            metricName: "PacketsDropped",
            ...(n.envelope ? { topicArn, messageId: n.envelope.messageId } : {}),
          },
        });
      }),
      { numRuns: 300 },
    );
  });
});
