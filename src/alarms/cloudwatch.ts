import type { AlarmParseOptions, AlarmParseResult } from "./alarm-event.js";
import { accept, type Envelope, reject } from "./build.js";
import { watchedOfTrigger } from "./metric.js";
import { accountId, alarmState, type Fields, isoTime, quote, text } from "./read.js";
import { fromAlarmArn, regionFromDisplayName } from "./region.js";

/** True when the object looks like a CloudWatch alarm notification (what SNS carries in Message). */
export function isCloudWatchNotification(payload: Fields): boolean {
  return Object.hasOwn(payload, "AlarmName") || Object.hasOwn(payload, "NewStateValue");
}

function regionOfName(name: unknown, options: AlarmParseOptions): string | undefined {
  const displayName = text(name);
  return displayName && regionFromDisplayName(displayName, options.regionByName ?? (() => undefined));
}

// `Region` is a display name ("EU (Ireland)"), so the region code comes from `AlarmArn` when there is one.
/** A CloudWatch alarm notification (Trigger with one metric, or Trigger.Metrics for metric math) as an event. */
export function fromCloudWatch(
  message: Fields,
  envelope: Envelope | undefined,
  options: AlarmParseOptions,
): AlarmParseResult {
  const alarmName = text(message.AlarmName);
  if (!alarmName) return reject("the CloudWatch alarm notification has no AlarmName");
  const state = alarmState(message.NewStateValue);
  if (!state) {
    return reject(
      `the alarm's NewStateValue ${quote(message.NewStateValue)} is not ALARM, OK or INSUFFICIENT_DATA`,
    );
  }
  const changedAt = isoTime(message.StateChangeTime) ?? isoTime(envelope?.timestamp);
  if (!changedAt) {
    return reject(
      `the alarm notification has no valid StateChangeTime (got ${quote(message.StateChangeTime)})`,
    );
  }
  const arn = fromAlarmArn(text(message.AlarmArn));
  const account = accountId(message.AWSAccountId) ?? arn.accountId;
  if (!account) {
    return reject(`the alarm notification has no 12-digit AWSAccountId (got ${quote(message.AWSAccountId)})`);
  }
  const region = arn.region ?? regionOfName(message.Region, options);
  if (!region) {
    return reject(
      message.Region === undefined
        ? "cannot tell the alarm's region: the notification has neither AlarmArn nor Region"
        : `cannot tell the alarm's region: Region ${quote(message.Region)} is not a known region name`,
    );
  }
  const core = {
    source: envelope ? ("cloudwatch-sns" as const) : ("cloudwatch-raw" as const),
    alarmName,
    alarmArn: arn.arn,
    description: text(message.AlarmDescription),
    state,
    previousState: alarmState(message.OldStateValue),
    reason: typeof message.NewStateReason === "string" ? message.NewStateReason : "",
    changedAt,
    accountId: account,
    region,
  };
  return accept(core, watchedOfTrigger(message.Trigger), envelope, options);
}
