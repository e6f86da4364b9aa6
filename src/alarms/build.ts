import type { AlarmEvent, AlarmParseOptions, AlarmParseResult } from "./alarm-event.js";
import { findEndpoint } from "./endpoint.js";
import type { WatchedMetric } from "./metric.js";

/** What the SNS envelope adds to the message inside it. */
export interface Envelope {
  topicArn?: string;
  messageId?: string;
  timestamp?: unknown;
}

/** A rejection: one line, never empty. */
export function reject(reason: string): AlarmParseResult {
  return { ok: false, reason };
}

type Core = Omit<AlarmEvent, "endpointId" | "endpointFrom" | "namespace" | "metricName" | "topicArn">;

/** The finished event: the endpoint resolved by precedence, the metric and envelope added, absent fields left out. */
export function accept(
  core: Core,
  watched: WatchedMetric | undefined,
  envelope: Envelope | undefined,
  options: AlarmParseOptions,
): AlarmParseResult {
  const found = findEndpoint(
    watched?.endpointId,
    core.description,
    core.alarmName,
    options.endpointRules ?? [],
  );
  const event: AlarmEvent = {
    ...core,
    ...found,
    namespace: watched?.namespace,
    metricName: watched?.metricName,
    topicArn: envelope?.topicArn,
    messageId: envelope?.messageId ?? core.messageId,
  };
  const present = Object.entries(event).filter(([, value]) => value !== undefined);
  return { ok: true, event: Object.fromEntries(present) as unknown as AlarmEvent };
}
