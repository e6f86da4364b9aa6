import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { AlarmQueue } from "../../src/alarms/alarm-queue.js";
import type { Intake, IntakeOutcome } from "../../src/alarms/intake.js";
import { SqsAlarmPoller } from "../../src/alarms/sqs-poller.js";
import { createSqsClient, createSqsQueue } from "../../src/aws/sqs.js";
import { createLogger } from "../../src/log.js";
import { fixture } from "../alarms/fixtures.js";
import { useMoto } from "./cli-harness.js";
import { MOTO_DEFAULT_ACCOUNT, TEST_CREDENTIALS } from "./world.js";

// SNS topic -> SQS queue in moto, read by the real createSqsQueue (which finds moto only through
// AWS_ENDPOINT_URL) and the real SqsAlarmPoller. The queue URL is given in its AWS form, as in the config.

const motoUrl = inject("motoUrl");
const REGION = "us-east-1";
const fixtures = { endpoint: motoUrl, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
const sns = new SNSClient(fixtures);
const sqs = new SQSClient(fixtures);
const alarm = fixture("cloudwatch-alarm-sns.json") as { Message: string; Subject: string };
const silent = createLogger({}, "silent");
let serial = 0;

/** A fresh topic and queue, the queue subscribed to the topic (raw delivery optional). */
async function topicAndQueue(raw = false) {
  serial += 1;
  const name = `vpce-doctor-alarms-${process.pid}-${serial}`;
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: "sqs",
      Endpoint: Attributes!.QueueArn!,
      ...(raw ? { Attributes: { RawMessageDelivery: "true" } } : {}),
    }),
  );
  const publish = () =>
    sns.send(new PublishCommand({ TopicArn, Message: alarm.Message, Subject: alarm.Subject }));
  const awsQueueUrl = `https://sqs.${REGION}.amazonaws.com/${MOTO_DEFAULT_ACCOUNT}/${name}`;
  return { topicArn: TopicArn!, motoQueueUrl: QueueUrl!, awsQueueUrl, publish };
}

/** Visible and in-flight message counts, as SQS reports them. */
async function counts(queueUrl: string) {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return {
    visible: Number(Attributes!.ApproximateNumberOfMessages),
    inFlight: Number(Attributes!.ApproximateNumberOfMessagesNotVisible),
  };
}

function recordingIntake(answer: () => IntakeOutcome = () => ({ kind: "posted" })) {
  const calls: Array<{ json: unknown; via: string }> = [];
  const intake: Intake = async (json, via) => {
    calls.push({ json, via });
    return answer();
  };
  return { intake, calls };
}

/** The real queue, also remembering the receipt handles it handed out. */
function recordingQueue(queueUrl: string): AlarmQueue & { handles: string[] } {
  const queue = createSqsQueue(queueUrl, { maxAttempts: 1 });
  const handles: string[] = [];
  return {
    handles,
    receive: async (signal) => {
      const messages = await queue.receive(signal);
      handles.push(...messages.map((m) => m.receiptHandle));
      return messages;
    },
    remove: (handle) => queue.remove(handle),
  };
}

beforeAll(async () => {
  useMoto(motoUrl);
  // Guard: the product's client must resolve to moto, never to the AWS host in the queue URL.
  const client = createSqsClient(`https://sqs.${REGION}.amazonaws.com/${MOTO_DEFAULT_ACCOUNT}/guard`);
  client.middlewareStack.add(
    () => async (args) => {
      throw new Error(`host=${(args.request as { hostname: string }).hostname}`);
    },
    { step: "build", name: "guard" },
  );
  const guard = await client.send(new ReceiveMessageCommand({ QueueUrl: "guard" })).catch((e: Error) => e);
  expect((guard as Error).message).toBe("host=127.0.0.1");
});

describe("SQS alarm queue fed by SNS (moto)", () => {
  it("receives the SNS envelope, hands it to the intake and deletes it once posted", async () => {
    const world = await topicAndQueue();
    await world.publish();
    const { intake, calls } = recordingIntake();
    const poller = new SqsAlarmPoller({
      queue: createSqsQueue(world.awsQueueUrl, { maxAttempts: 1 }),
      intake,
      topics: [world.topicArn],
      logger: silent,
    });

    expect(await poller.pollOnce()).toEqual({ deleted: 1, kept: 0 });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.via).toBe("sqs");
    expect(calls[0]!.json).toMatchObject({
      Type: "Notification",
      TopicArn: world.topicArn,
      Subject: alarm.Subject,
      Message: alarm.Message,
    });
    expect(await counts(world.motoQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("keeps a message whose intake throws: hidden for the visibility timeout, then delivered again", async () => {
    const world = await topicAndQueue();
    await world.publish();
    const queue = recordingQueue(world.awsQueueUrl);
    const failing = new SqsAlarmPoller({
      queue,
      intake: async () => {
        throw new Error("chat.postMessage failed");
      },
      topics: [world.topicArn],
      logger: silent,
    });

    expect(await failing.pollOnce()).toEqual({ deleted: 0, kept: 1 });
    expect(await counts(world.motoQueueUrl)).toEqual({ visible: 0, inFlight: 1 });

    // Skip the 300 s wait: end the message's invisibility, as its timeout would.
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: world.motoQueueUrl,
        ReceiptHandle: queue.handles[0]!,
        VisibilityTimeout: 0,
      }),
    );
    const { intake, calls } = recordingIntake();
    const retry = new SqsAlarmPoller({ queue, intake, topics: [world.topicArn], logger: silent });
    expect(await retry.pollOnce()).toEqual({ deleted: 1, kept: 0 });
    expect(calls[0]!.json).toMatchObject({ TopicArn: world.topicArn, Message: alarm.Message });
    expect(await counts(world.motoQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("keeps an envelope from a topic that is not allowed, without calling the intake", async () => {
    const world = await topicAndQueue();
    await world.publish();
    const { intake, calls } = recordingIntake();
    const poller = new SqsAlarmPoller({
      queue: createSqsQueue(world.awsQueueUrl, { maxAttempts: 1 }),
      intake,
      topics: ["arn:aws:sns:us-east-1:123456789012:some-other-topic"],
      logger: silent,
    });

    expect(await poller.pollOnce()).toEqual({ deleted: 0, kept: 1 });
    expect(calls).toEqual([]);
    expect(await counts(world.motoQueueUrl)).toEqual({ visible: 0, inFlight: 1 });
  });

  it("with raw message delivery, hands over the CloudWatch notification itself", async () => {
    const world = await topicAndQueue(true);
    await world.publish();
    const { intake, calls } = recordingIntake();
    const poller = new SqsAlarmPoller({
      queue: createSqsQueue(world.awsQueueUrl, { maxAttempts: 1 }),
      intake,
      topics: [world.topicArn],
      logger: silent,
    });

    expect(await poller.pollOnce()).toEqual({ deleted: 1, kept: 0 });
    expect(calls.map((c) => c.json)).toEqual([JSON.parse(alarm.Message)]);
    expect(await counts(world.motoQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });
});
