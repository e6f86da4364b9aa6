import type { EndpointRule } from "./endpoint.js";
import type { RegionByName } from "./region.js";

/** The three states a CloudWatch alarm can be in. */
export type AlarmState = "ALARM" | "OK" | "INSUFFICIENT_DATA";

/** Where an alarm's endpoint id was read: its `VPC Endpoint Id` dimension, its description, or a configured rule. */
export type EndpointSource = "dimension" | "description" | "rule";

/** One alarm state change, whichever way it arrived (SNS, SQS raw delivery, EventBridge): the input of routing. */
export interface AlarmEvent {
  /** `cloudwatch-sns`: a CloudWatch notification in an SNS envelope; `cloudwatch-raw`: the bare notification. */
  source: "cloudwatch-sns" | "cloudwatch-raw" | "eventbridge";
  alarmName: string;
  alarmArn?: string;
  description?: string;
  state: AlarmState;
  previousState?: AlarmState;
  /** CloudWatch's own sentence for the change ("Threshold Crossed: ..."); empty when it gave none. */
  reason: string;
  /** When the alarm changed state, as an ISO 8601 UTC timestamp. */
  changedAt: string;
  accountId: string;
  /** Region code (us-east-1), even when the notification named it for people ("US East (N. Virginia)"). */
  region: string;
  /** Lower-case vpce- id; absent when no dimension, description or rule named one. */
  endpointId?: string;
  endpointFrom?: EndpointSource;
  namespace?: string;
  metricName?: string;
  /** The SNS topic the notification came through, when it came through one. */
  topicArn?: string;
  /** The delivery's id for de-duplication: the SNS MessageId, else the EventBridge event id. */
  messageId?: string;
}

/** How the parser resolves what a notification leaves implicit. */
export interface AlarmParseOptions {
  /** Tried in order when neither a dimension nor the description names the endpoint. */
  endpointRules?: readonly EndpointRule[];
  /** Region display name -> code (wire `regionDisplayNames()` from aws/regions); needed only without an alarm ARN. */
  regionByName?: RegionByName;
}

/** An alarm event, or one line saying why the body is not one. */
export type AlarmParseResult = { ok: true; event: AlarmEvent } | { ok: false; reason: string };
