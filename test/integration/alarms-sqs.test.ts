import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { SqsAlarmPoller } from "../../src/alarms/sqs-poller.js";
import { createSqsQueue } from "../../src/aws/sqs.js";
import { createLogger } from "../../src/log.js";
import { fixture } from "../alarms/fixtures.js";
import { type Bot, startBot } from "../slack/bot-harness.js";
import { TEST_IDS } from "../support/slack-signing.js";
import { IDS } from "../support/snapshot-factory.js";
import { useMoto } from "./cli-harness.js";
import { MOTO_DEFAULT_ACCOUNT, TEST_CREDENTIALS } from "./world.js";

// The whole SQS path: a CloudWatch alarm published to an SNS topic in moto, delivered to an SQS queue,
// long-polled by the real poller, handled by the real alarm intake of the real Bolt app, posted to a
// fake Slack; the message is deleted only after the post.

const motoUrl = inject("motoUrl");
const moto = { endpoint: motoUrl, region: "us-east-1", credentials: TEST_CREDENTIALS, maxAttempts: 1 };
const sns = new SNSClient(moto);
const sqs = new SQSClient(moto);
const alarm = fixture("cloudwatch-alarm-sns.json") as { Message: string; Subject: string };
let bot: Bot | undefined;

beforeAll(() => useMoto(motoUrl));
afterEach(async () => bot?.stop());

async function pipeline(name: string) {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: Attributes!.QueueArn! }));
  return {
    topicArn: TopicArn!,
    queueUrl: `https://sqs.us-east-1.amazonaws.com/${MOTO_DEFAULT_ACCOUNT}/${name}`,
    motoQueueUrl: QueueUrl!,
  };
}

function config(topicArn: string) {
  return `accounts:
  - alias: prod
    id: "${IDS.account}"
    region: us-east-1
alarms:
  topics: [${topicArn}]
  defaultChannel: ${TEST_IDS.channel}
`;
}

describe("alarms through SNS -> SQS", () => {
  it("posts the report for an alarm published to the topic, then deletes the message", async () => {
    const { topicArn, queueUrl, motoQueueUrl } = await pipeline(`vpce-alarms-e2e-${process.pid}`);
    bot = await startBot({ config: config(topicArn) });
    await sns.send(
      new PublishCommand({ TopicArn: topicArn, Message: alarm.Message, Subject: alarm.Subject }),
    );
    const poller = new SqsAlarmPoller({
      queue: createSqsQueue(queueUrl, { maxAttempts: 1 }),
      intake: bot.intake!,
      topics: [topicArn],
      logger: createLogger({}, "silent"),
    });
    expect(await poller.pollOnce()).toEqual({ deleted: 1, kept: 0 });
    const root = bot.fake.calls("chat.postMessage").find((c) => !c.args.thread_ts && c.response.ok === true);
    expect(root?.args.channel).toBe(TEST_IDS.channel);
    expect(JSON.stringify(root?.args.blocks)).toContain("vpce-payments-packets-dropped");
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: motoQueueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesNotVisible: "0",
    });
  });

  it("keeps the message when Slack refuses the post, so nothing is lost", async () => {
    const { topicArn, queueUrl, motoQueueUrl } = await pipeline(`vpce-alarms-keep-${process.pid}`);
    bot = await startBot({ config: config(topicArn) });
    bot.fake.failNext("chat.postMessage", { error: "internal_error" });
    await sns.send(
      new PublishCommand({ TopicArn: topicArn, Message: alarm.Message, Subject: alarm.Subject }),
    );
    const poller = new SqsAlarmPoller({
      queue: createSqsQueue(queueUrl, { maxAttempts: 1 }),
      intake: bot.intake!,
      topics: [topicArn],
      logger: createLogger({}, "silent"),
    });
    expect(await poller.pollOnce()).toEqual({ deleted: 0, kept: 1 });
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: motoQueueUrl,
        AttributeNames: ["ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    expect(Attributes?.ApproximateNumberOfMessagesNotVisible).toBe("1");
  });
});
