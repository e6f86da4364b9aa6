import type { AlarmParseOptions, AlarmParseResult } from "./alarm-event.js";
import { accept, type Envelope, reject } from "./build.js";
import { watchedOf } from "./metric.js";
import {
  accountId,
  alarmState,
  type Fields,
  fields,
  isoTime,
  list,
  quote,
  regionCode,
  text,
} from "./read.js";
import { fromAlarmArn } from "./region.js";

const SOURCE = "aws.cloudwatch";
const DETAIL_TYPE = "CloudWatch Alarm State Change";

/** True when the object looks like an EventBridge event (it has a `detail-type`). */
export function isEventBridgeEvent(payload: Fields): boolean {
  return Object.hasOwn(payload, "detail-type");
}

/** An EventBridge `CloudWatch Alarm State Change` event: region is a code, dimensions are a name -> value map. */
export function fromEventBridge(
  event: Fields,
  envelope: Envelope | undefined,
  options: AlarmParseOptions,
): AlarmParseResult {
  if (event.source !== SOURCE || event["detail-type"] !== DETAIL_TYPE) {
    const what = `${quote(event["detail-type"])} from ${quote(event.source)}`;
    return reject(`the EventBridge event is ${what}, not a "${DETAIL_TYPE}" from ${SOURCE}`);
  }
  const detail = fields(event.detail);
  const alarmName = text(detail?.alarmName);
  if (!detail || !alarmName) return reject(`the ${DETAIL_TYPE} event has no detail.alarmName`);
  const current = fields(detail.state) ?? {};
  const state = alarmState(current.value);
  if (!state)
    return reject(`the alarm's state.value ${quote(current.value)} is not ALARM, OK or INSUFFICIENT_DATA`);
  const changedAt = isoTime(current.timestamp) ?? isoTime(event.time);
  if (!changedAt) return reject(`the ${DETAIL_TYPE} event has no valid state.timestamp or time`);
  const arn = list(event.resources)
    .map((resource) => fromAlarmArn(text(resource)))
    .find((parsed) => parsed.arn !== undefined);
  const account = accountId(event.account) ?? arn?.accountId;
  if (!account)
    return reject(`the ${DETAIL_TYPE} event has no 12-digit account (got ${quote(event.account)})`);
  const region = regionCode(event.region) ?? arn?.region;
  if (!region) return reject(`the ${DETAIL_TYPE} event has no region code (got ${quote(event.region)})`);
  const configuration = fields(detail.configuration) ?? {};
  const core = {
    source: "eventbridge" as const,
    alarmName,
    alarmArn: arn?.arn,
    description: text(configuration.description),
    state,
    previousState: alarmState(fields(detail.previousState)?.value),
    reason: typeof current.reason === "string" ? current.reason : "",
    changedAt,
    accountId: account,
    region,
    messageId: text(event.id),
  };
  return accept(core, watchedOf(configuration.metrics), envelope, options);
}
