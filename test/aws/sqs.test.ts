import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createSqsClient,
  createSqsQueue,
  MAX_MESSAGES,
  regionFromQueueUrl,
  VISIBILITY_SECONDS,
  WAIT_SECONDS,
} from "../../src/aws/sqs.js";

const QUEUE = "https://sqs.eu-west-1.amazonaws.com/111122223333/vpce-doctor-alarms";

describe("createSqsQueue", () => {
  let sqs: AwsClientStub<SQSClient>;
  beforeEach(() => {
    sqs = mockClient(SQSClient);
  });
  afterEach(() => sqs.restore());

  it("long-polls for up to 10 messages, hiding them for 300 s", async () => {
    sqs.on(ReceiveMessageCommand).resolves({});
    expect(await createSqsQueue(QUEUE).receive()).toEqual([]);
    expect(sqs.commandCalls(ReceiveMessageCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: QUEUE, WaitTimeSeconds: 20, MaxNumberOfMessages: 10, VisibilityTimeout: 300 },
    ]);
    expect([WAIT_SECONDS, MAX_MESSAGES, VISIBILITY_SECONDS]).toEqual([20, 10, 300]);
  });

  it("returns id, receipt handle and body, skipping a message with no receipt handle", async () => {
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [
        { MessageId: "m1", ReceiptHandle: "h1", Body: '{"a":1}' },
        { MessageId: "m2", ReceiptHandle: "h2" },
        { MessageId: "m3", Body: "{}" },
      ],
    });
    expect(await createSqsQueue(QUEUE).receive()).toEqual([
      { id: "m1", receiptHandle: "h1", body: '{"a":1}' },
      { id: "m2", receiptHandle: "h2", body: "" },
    ]);
  });

  it("passes the abort signal to the SDK and rejects with its error", async () => {
    const controller = new AbortController();
    sqs
      .on(ReceiveMessageCommand)
      .rejects(Object.assign(new Error("Request aborted"), { name: "AbortError" }));
    await expect(createSqsQueue(QUEUE).receive(controller.signal)).rejects.toThrow("Request aborted");
    expect((sqs.commandCalls(ReceiveMessageCommand)[0]!.args as unknown[])[1]).toEqual({
      abortSignal: controller.signal,
    });
  });

  it("deletes by receipt handle", async () => {
    sqs.on(DeleteMessageCommand).resolves({});
    await createSqsQueue(QUEUE).remove("AQEB-handle");
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: QUEUE, ReceiptHandle: "AQEB-handle" },
    ]);
  });

  it("binds the client to the queue URL's region unless one is given", async () => {
    const regions: string[] = [];
    sqs.on(DeleteMessageCommand).callsFake(async (_input, getClient) => {
      regions.push(await getClient().config.region());
      return {};
    });
    await createSqsQueue(QUEUE).remove("h");
    await createSqsQueue(QUEUE, { region: "us-west-2" }).remove("h");
    expect(regions).toEqual(["eu-west-1", "us-west-2"]);
  });
});

describe("regionFromQueueUrl", () => {
  it.each([
    ["https://sqs.eu-west-1.amazonaws.com/111122223333/q", "eu-west-1"],
    ["https://sqs.us-gov-west-1.amazonaws.com/111122223333/q", "us-gov-west-1"],
    ["https://sqs.cn-north-1.amazonaws.com.cn/111122223333/q", "cn-north-1"],
    ["https://sqs-fips.us-east-2.amazonaws.com/111122223333/q.fifo", "us-east-2"],
    ["https://vpce-0abc-1xyz.sqs.ap-southeast-2.vpce.amazonaws.com/111122223333/q", "ap-southeast-2"],
    ["https://eu-central-1.queue.amazonaws.com/111122223333/q", "eu-central-1"],
    ["https://ap-northeast-1.queue.amazonaws.com.cn/111122223333/q", "ap-northeast-1"],
  ])("reads %s as %s", (url, region) => {
    expect(regionFromQueueUrl(url)).toBe(region);
  });

  it.each([
    "http://127.0.0.1:5000/123456789012/q",
    "https://queue.example.com/123456789012/q",
    "https://sqs.eu-west-1.example.com/123456789012/q",
    "not a url",
  ])("finds no region in %s", (url) => {
    expect(regionFromQueueUrl(url)).toBeUndefined();
  });
});

describe("createSqsClient", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("never lets the QueueUrl's host override the configured endpoint, and sets none itself", async () => {
    const client = createSqsClient(QUEUE, { maxAttempts: 2 });
    expect(client.config.useQueueUrlAsEndpoint).toBe(false);
    expect(client.config.isCustomEndpoint).toBe(false);
    expect(client.config.retryMode).toBe("standard");
    expect(await client.config.maxAttempts()).toBe(2);
  });

  it("uses a VPC-endpoint queue URL's host as the endpoint, and FIPS for an sqs-fips host", async () => {
    const vpce = createSqsClient("https://vpce-0abc-1xyz.sqs.eu-west-1.vpce.amazonaws.com/111122223333/q");
    expect(vpce.config.isCustomEndpoint).toBe(true);
    expect(await vpce.config.endpoint!()).toMatchObject({
      hostname: "vpce-0abc-1xyz.sqs.eu-west-1.vpce.amazonaws.com",
    });
    const fips = createSqsClient("https://sqs-fips.us-east-1.amazonaws.com/111122223333/q");
    expect(await fips.config.useFipsEndpoint()).toBe(true);
    expect(await fips.config.region()).toBe("us-east-1");
  });

  it("falls back to the SDK's region chain when the URL names none", async () => {
    vi.stubEnv("AWS_REGION", "ca-central-1");
    expect(await createSqsClient("http://127.0.0.1:5000/123456789012/q").config.region()).toBe(
      "ca-central-1",
    );
  });

  it("sends to AWS_ENDPOINT_URL when set, else to the region's SQS endpoint (no request leaves the process)", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "testing");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "testing");
    vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
    vi.stubEnv("AWS_ENDPOINT_URL_SQS", undefined);
    vi.stubEnv("AWS_PROFILE", undefined);
    vi.stubEnv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566");
    expect(await hostOf(QUEUE)).toBe("http://127.0.0.1:4566");
    vi.stubEnv("AWS_ENDPOINT_URL", undefined);
    expect(await hostOf("https://eu-central-1.queue.amazonaws.com/111122223333/q")).toBe(
      "https://sqs.eu-central-1.amazonaws.com",
    );
  });
});

/** Where the client would send a receive for `queueUrl`: a build-step middleware records it and stops the call. */
async function hostOf(queueUrl: string): Promise<string> {
  const client = createSqsClient(queueUrl, { maxAttempts: 1 });
  client.middlewareStack.add(
    () => async (args) => {
      const request = args.request as { protocol: string; hostname: string; port?: number };
      throw new Error(`${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ""}`);
    },
    { step: "build", name: "probe" },
  );
  const error = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl })).catch((e: Error) => e);
  return (error as Error).message;
}
