import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { HealthClient } from "@aws-sdk/client-health";
import { Route53Client } from "@aws-sdk/client-route-53";
import { Route53ResolverClient } from "@aws-sdk/client-route53resolver";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsClients, CollectContext } from "../../../src/aws/context.js";

// Real SDK clients (to be wrapped by aws-sdk-client-mock) and a collect context over a fixed one-hour window.

const config = {
  region: "us-east-1",
  credentials: { accessKeyId: "x", secretAccessKey: "y" },
  maxAttempts: 1,
};

/** One client per service, never retrying. */
export function testClients(): AwsClients {
  return {
    ec2: new EC2Client(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    cloudwatch: new CloudWatchClient(config),
    logs: new CloudWatchLogsClient(config),
    cloudtrail: new CloudTrailClient(config),
    route53: new Route53Client(config),
    route53resolver: new Route53ResolverClient(config),
    health: new HealthClient(config),
    sts: new STSClient(config),
  };
}

export const WINDOW_START = new Date("2026-11-23T11:00:00.000Z");
export const WINDOW_END = new Date("2026-11-23T12:00:00.000Z");

/** A context over [11:00, 12:00] UTC in us-east-1 with no gaps yet. */
export function testContext(
  clients: AwsClients,
  window = { start: WINDOW_START, end: WINDOW_END },
): CollectContext {
  return { clients, region: "us-east-1", window, gaps: [] };
}

/** An SDK-shaped service error. */
export function awsError(name: string, message = `${name} for test`): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** A clock that only moves when a limiter sleeps; `time.now` is the fake time in milliseconds. */
export function fakeTime(start = 0) {
  const time = { now: start, sleeps: [] as number[] };
  const clock = () => time.now;
  const sleep = async (ms: number) => {
    time.sleeps.push(ms);
    time.now += ms;
  };
  return { time, clock, sleep };
}
