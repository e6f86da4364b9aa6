// A signed CloudWatch alarm notification for the SNS webhook, and its delivery over HTTP.
import { randomUUID } from "node:crypto";
import { innerMessage } from "../alarms/fixtures.js";
import { TEST_IDS } from "./slack-signing.js";
import { IDS } from "./snapshot-factory.js";
import { notificationFields, signSnsMessage, TEST_CERT_URL } from "./sns-signing.js";

/** The topic the alarm tests' configs allow. */
export const ALARM_TOPIC = `arn:aws:sns:us-east-1:${IDS.account}:vpce-doctor-alarms`;

/** A config with account prod, channel C0123ABCD allowed to diagnose it, and alarms from ALARM_TOPIC posted there. */
export function alarmConfig(extraAlarmKeys = ""): string {
  return `accounts:
  - alias: prod
    id: "${IDS.account}"
    region: us-east-1
channels:
  - id: ${TEST_IDS.channel}
    accounts: [prod]
alarms:
  topics: [${ALARM_TOPIC}]
  defaultChannel: ${TEST_IDS.channel}
${extraAlarmKeys}`;
}

/** What to change in the fixture alarm (cloudwatch-alarm-sns.json); the rest stays as recorded. */
export interface AlarmOptions {
  state?: string;
  endpointId?: string;
  name?: string;
  messageId?: string;
  topic?: string;
  /** CloudWatch's NewStateReason. */
  reason?: string;
  /** No `VPC Endpoint Id` dimension and this description (so nothing names the endpoint). */
  withoutEndpoint?: string;
}

/** The fixture alarm for `IDS.endpoint`, edited by `options`, signed with the test certificate (v2). */
export function signedAlarm(options: AlarmOptions = {}) {
  // biome-ignore lint/suspicious/noExplicitAny: the notification is edited field by field
  const message: any = innerMessage("cloudwatch-alarm-sns.json");
  message.NewStateValue = options.state ?? "ALARM";
  message.AlarmName = options.name ?? message.AlarmName;
  message.AlarmArn = message.AlarmArn.replace(/alarm:.*$/, `alarm:${message.AlarmName}`);
  for (const d of message.Trigger.Dimensions)
    if (d.name === "VPC Endpoint Id") d.value = options.endpointId ?? IDS.endpoint;
  if (options.reason !== undefined) message.NewStateReason = options.reason;
  if (options.withoutEndpoint !== undefined) {
    message.Trigger.Dimensions = [];
    message.AlarmDescription = options.withoutEndpoint;
  }
  return signSnsMessage(
    notificationFields({
      MessageId: options.messageId ?? randomUUID(),
      TopicArn: options.topic ?? ALARM_TOPIC,
      Message: JSON.stringify(message),
    }),
    { version: "2", certUrl: TEST_CERT_URL },
  );
}

/** POSTs an SNS message to a bot's `/alarms/sns` as SNS does, returning the status and body. */
export async function deliverSns(baseUrl: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl}/alarms/sns`, {
    method: "POST",
    headers: { "content-type": "text/plain; charset=UTF-8", "x-amz-sns-message-type": "Notification" },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}
