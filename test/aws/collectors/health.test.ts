import { DescribeEventsCommand, type DescribeEventsCommandInput } from "@aws-sdk/client-health";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  collectHealth,
  HEALTH_SERVICES,
  SUBSCRIPTION_REQUIRED_MESSAGE,
} from "../../../src/aws/collectors/health.js";
import { awsError, testClients, testContext, WINDOW_END, WINDOW_START } from "./telemetry-context.js";

const clients = testClients();
const health = mockClient(clients.health);

beforeEach(() => health.reset());

const OPEN = {
  arn: "arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_ABC",
  service: "EC2",
  eventTypeCode: "AWS_EC2_OPERATIONAL_ISSUE",
  eventTypeCategory: "issue",
  region: "us-east-1",
  startTime: new Date("2026-11-23T10:00:00Z"),
  lastUpdatedTime: new Date("2026-11-23T11:30:00Z"),
  statusCode: "open",
} as const;
const CLOSED = {
  arn: "arn:aws:health:us-east-1::event/VPC/AWS_VPC_OPERATIONAL_ISSUE/AWS_VPC_OPERATIONAL_ISSUE_XYZ",
  service: "VPC",
  eventTypeCode: "AWS_VPC_OPERATIONAL_ISSUE",
  eventTypeCategory: "issue",
  region: "us-east-1",
  startTime: new Date("2026-11-23T11:05:00Z"),
  endTime: new Date("2026-11-23T11:45:00Z"),
  lastUpdatedTime: new Date("2026-11-23T11:50:00Z"),
  statusCode: "closed",
} as const;

function isRecentQuery(input: DescribeEventsCommandInput): boolean {
  return input.filter?.lastUpdatedTimes !== undefined;
}

describe("collectHealth", () => {
  it("asks for open and upcoming events, and for events updated in the window, in the endpoint's region", async () => {
    health.on(DescribeEventsCommand).resolves({ events: [] });
    const ctx = testContext(clients);
    expect(await collectHealth(ctx)).toEqual({ status: "ok", events: [] });
    const inputs = health.commandCalls(DescribeEventsCommand).map((call) => call.args[0].input);
    expect(inputs).toHaveLength(2);
    expect(inputs[0]?.filter).toEqual({
      services: HEALTH_SERVICES,
      regions: ["us-east-1"],
      eventStatusCodes: ["open", "upcoming"],
    });
    expect(inputs[1]?.filter).toEqual({
      services: HEALTH_SERVICES,
      regions: ["us-east-1"],
      lastUpdatedTimes: [{ from: WINDOW_START, to: WINDOW_END }],
    });
    expect(HEALTH_SERVICES).toEqual(expect.arrayContaining(["EC2", "VPC"]));
    expect(ctx.gaps).toEqual([]);
  });

  it("merges both queries once per event, newest update first, normalised to ISO strings", async () => {
    health.on(DescribeEventsCommand).callsFake((input: DescribeEventsCommandInput) => ({
      events: isRecentQuery(input) ? [CLOSED, OPEN] : [OPEN],
    }));
    const result = await collectHealth(testContext(clients));
    expect(result).toEqual({
      status: "ok",
      events: [
        {
          arn: CLOSED.arn,
          service: "VPC",
          eventTypeCode: "AWS_VPC_OPERATIONAL_ISSUE",
          statusCode: "closed",
          region: "us-east-1",
          startTime: "2026-11-23T11:05:00.000Z",
          endTime: "2026-11-23T11:45:00.000Z",
          lastUpdatedTime: "2026-11-23T11:50:00.000Z",
        },
        {
          arn: OPEN.arn,
          service: "EC2",
          eventTypeCode: "AWS_EC2_OPERATIONAL_ISSUE",
          statusCode: "open",
          region: "us-east-1",
          startTime: "2026-11-23T10:00:00.000Z",
          lastUpdatedTime: "2026-11-23T11:30:00.000Z",
        },
      ],
    });
  });

  it("follows nextToken", async () => {
    health
      .on(DescribeEventsCommand)
      .resolvesOnce({ events: [OPEN], nextToken: "page-2" })
      .resolves({ events: [] });
    await collectHealth(testContext(clients));
    const inputs = health.commandCalls(DescribeEventsCommand).map((call) => call.args[0].input);
    expect(inputs).toHaveLength(3);
    expect(inputs[1]?.nextToken).toBe("page-2");
  });

  it("says a support plan is needed instead of recording a gap", async () => {
    health
      .on(DescribeEventsCommand)
      .rejects(
        awsError(
          "SubscriptionRequiredException",
          "The AWS account is not subscribed to AWS Premium Support.",
        ),
      );
    const ctx = testContext(clients);
    expect(await collectHealth(ctx)).toEqual({
      status: "subscription-required",
      message: SUBSCRIPTION_REQUIRED_MESSAGE,
    });
    expect(SUBSCRIPTION_REQUIRED_MESSAGE).toBe(
      "The AWS Health API needs a Business, Enterprise On-Ramp or Enterprise Support plan",
    );
    expect(ctx.gaps).toEqual([]);
  });

  it("records a gap for any other failure", async () => {
    health.on(DescribeEventsCommand).rejects(awsError("AccessDeniedException"));
    const ctx = testContext(clients);
    expect(await collectHealth(ctx)).toBeUndefined();
    expect(ctx.gaps).toEqual([
      expect.objectContaining({
        source: "health",
        iamAction: "health:DescribeEvents",
        error: "AccessDenied",
      }),
    ]);
  });

  it("records throttling as a gap", async () => {
    health.on(DescribeEventsCommand).rejects(awsError("ThrottlingException"));
    const ctx = testContext(clients);
    expect(await collectHealth(ctx)).toBeUndefined();
    expect(ctx.gaps[0]?.error).toBe("Throttling");
  });
});
