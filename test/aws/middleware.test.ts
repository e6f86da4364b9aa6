import { Readable } from "node:stream";
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { countCalls, createCallCounter, fixedLatency, observeCalls } from "../../src/aws/middleware.js";

const OK = `<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><vpcSet><item><vpcId>vpc-1</vpcId></item></vpcSet></DescribeVpcsResponse>`;
const FAIL = `<Response><Errors><Error><Code>InternalError</Code><Message>boom</Message></Error></Errors><RequestID>r</RequestID></Response>`;

/** A real EC2 client whose HTTP layer answers from `statuses` in turn (500 = retryable error, 200 = one VPC). */
function ec2Answering(statuses: number[], maxAttempts: number) {
  const sent: number[] = [];
  const client = new EC2Client({
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
    maxAttempts,
    retryMode: "standard",
    requestHandler: {
      handle: async () => {
        const statusCode = statuses[sent.length] ?? 200;
        sent.push(Date.now());
        const body = Readable.from([Buffer.from(statusCode === 200 ? OK : FAIL)]);
        return { response: { statusCode, headers: { "content-type": "text/xml" }, body } };
      },
    },
  });
  return { client, sent };
}

describe("countCalls", () => {
  it("counts every HTTP attempt, retries included, per IAM action", async () => {
    const counter = createCallCounter();
    const { client, sent } = ec2Answering([500, 200], 3);
    client.middlewareStack.use(countCalls(counter));
    const out = await client.send(new DescribeVpcsCommand({}));
    expect(out.Vpcs?.[0]?.VpcId).toBe("vpc-1");
    expect(sent).toHaveLength(2);
    expect(counter).toEqual({ count: 2, byAction: { "ec2:DescribeVpcs": 2 } });
  });

  it("counts failed attempts too", async () => {
    const counter = createCallCounter();
    const { client } = ec2Answering([500], 1);
    client.middlewareStack.use(countCalls(counter));
    await expect(client.send(new DescribeVpcsCommand({}))).rejects.toThrow(/boom/);
    expect(counter.count).toBe(1);
  });
});

describe("fixedLatency", () => {
  it("delays each attempt by the given milliseconds", async () => {
    const { client } = ec2Answering([500, 200], 2);
    client.middlewareStack.use(fixedLatency(40));
    const started = Date.now();
    await client.send(new DescribeVpcsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 40 - 5);
  });
});

describe("observeCalls", () => {
  it("reports each attempt with its IAM action, and the error name of failed ones", async () => {
    const seen: Array<[string, string | undefined]> = [];
    const { client } = ec2Answering([500, 200], 3);
    client.middlewareStack.use(observeCalls((action, error) => seen.push([action, error])));
    await client.send(new DescribeVpcsCommand({}));
    expect(seen).toEqual([
      ["ec2:DescribeVpcs", "InternalError"],
      ["ec2:DescribeVpcs", undefined],
    ]);
  });

  it("reports the final failure when retries run out", async () => {
    const seen: Array<[string, string | undefined]> = [];
    const { client } = ec2Answering([500, 500], 2);
    client.middlewareStack.use(observeCalls((action, error) => seen.push([action, error])));
    await expect(client.send(new DescribeVpcsCommand({}))).rejects.toThrow(/boom/);
    expect(seen).toEqual([
      ["ec2:DescribeVpcs", "InternalError"],
      ["ec2:DescribeVpcs", "InternalError"],
    ]);
  });
});
