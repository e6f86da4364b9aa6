import { type Event, LookupEventsCommand, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  collectTrailEvents,
  eventSourceFor,
  parseTrailEvent,
  type RawTrail,
  SERVICE_PAGE_CAP,
  selectRelevantTrail,
  WRITE_PAGE_CAP,
} from "../../../src/aws/collectors/cloudtrail.js";
import { RateLimiter } from "../../../src/aws/rate-limit.js";
import type { TrailEvent } from "../../../src/diagnosis/snapshot.js";
import { IDS } from "../../support/snapshot-factory.js";
import {
  awsError,
  fakeTime,
  testClients,
  testContext,
  WINDOW_END,
  WINDOW_START,
} from "./telemetry-context.js";

const clients = testClients();
const trail = mockClient(clients.cloudtrail);
const ECR = "com.amazonaws.us-east-1.ecr.dkr";
const OTHER_ENDPOINT = "vpce-0999999999999999f";

beforeEach(() => trail.reset());

/** A limiter that never waits (for tests that are not about timing). */
function freeLimiter(): RateLimiter {
  return new RateLimiter(
    1_000,
    1_000,
    () => 0,
    async () => undefined,
  );
}

let sequence = 0;
function event(fields: {
  name: string;
  time: string;
  record?: Record<string, unknown>;
  resources?: string[];
  readOnly?: string;
  source?: string;
}): Event {
  sequence += 1;
  return {
    EventId: `evt-${sequence}`,
    EventName: fields.name,
    EventTime: new Date(fields.time),
    EventSource: fields.source ?? "ec2.amazonaws.com",
    ReadOnly: fields.readOnly ?? "false",
    Username: "alice",
    Resources: (fields.resources ?? []).map((name) => ({
      ResourceType: "AWS::EC2::Something",
      ResourceName: name,
    })),
    CloudTrailEvent: JSON.stringify({
      eventVersion: "1.08",
      userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice", userName: "alice" },
      eventTime: fields.time,
      eventSource: fields.source ?? "ec2.amazonaws.com",
      eventName: fields.name,
      sourceIPAddress: "203.0.113.7",
      ...fields.record,
    }),
  };
}

function denied(endpointId: string, errorCode = "AccessDenied"): Event {
  return event({
    name: "GetAuthorizationToken",
    time: "2026-11-23T11:40:00Z",
    source: "ecr.amazonaws.com",
    readOnly: "true",
    record: {
      errorCode,
      errorMessage:
        "User is not authorized to perform ecr:GetAuthorizationToken because no VPC endpoint policy allows it",
      vpcEndpointId: endpointId,
    },
  });
}

function isWriteStream(input: LookupEventsCommandInput): boolean {
  return input.LookupAttributes?.[0]?.AttributeKey === "ReadOnly";
}

describe("eventSourceFor", () => {
  it("maps AWS service names to their CloudTrail event source", () => {
    expect(eventSourceFor("com.amazonaws.us-east-1.ecr.api")).toBe("ecr.amazonaws.com");
    expect(eventSourceFor("com.amazonaws.us-east-1.ecr.dkr")).toBe("ecr.amazonaws.com");
    expect(eventSourceFor("com.amazonaws.eu-west-1.execute-api")).toBe("execute-api.amazonaws.com");
    expect(eventSourceFor("com.amazonaws.us-east-1.s3")).toBe("s3.amazonaws.com");
    expect(eventSourceFor("com.amazonaws.us-east-1.monitoring")).toBe("monitoring.amazonaws.com");
    expect(eventSourceFor("com.amazonaws.us-east-1.kms-fips")).toBe("kms.amazonaws.com");
    expect(eventSourceFor("com.amazonaws.ap-southeast-2.secretsmanager")).toBe(
      "secretsmanager.amazonaws.com",
    );
    expect(eventSourceFor("com.amazonaws.us-gov-west-1.sts")).toBe("sts.amazonaws.com");
    expect(eventSourceFor("com.amazonaws.us-east-1.sagemaker.runtime")).toBe("sagemaker.amazonaws.com");
    expect(eventSourceFor("com.amazonaws.us-east-1.newservice.api")).toBe("newservice.amazonaws.com");
  });

  it("has no event source for endpoint services that are not AWS services", () => {
    expect(eventSourceFor("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0")).toBeUndefined();
    expect(eventSourceFor("com.amazonaws.s3-global.accesspoint")).toBeUndefined();
    expect(eventSourceFor(undefined)).toBeUndefined();
  });
});

describe("parseTrailEvent", () => {
  it("reads identity, source address, error and the endpoint from the CloudTrailEvent JSON", () => {
    const parsed = parseTrailEvent(denied(IDS.endpoint));
    expect(parsed).toMatchObject({
      eventName: "GetAuthorizationToken",
      eventSource: "ecr.amazonaws.com",
      eventTime: "2026-11-23T11:40:00.000Z",
      username: "alice",
      principalArn: "arn:aws:iam::111122223333:user/alice",
      sourceIp: "203.0.113.7",
      errorCode: "AccessDenied",
      vpcEndpointId: IDS.endpoint,
      readOnly: true,
    });
    expect(parsed?.errorMessage).toContain("VPC endpoint policy");
  });

  it("collects resource ids from Resources and from request parameters and response elements", () => {
    const parsed = parseTrailEvent(
      event({
        name: "AuthorizeSecurityGroupIngress",
        time: "2026-11-23T11:10:00Z",
        resources: [IDS.sgEndpoint],
        record: {
          requestParameters: {
            groupId: IDS.sgEndpoint,
            ipPermissions: { items: [{ groups: [IDS.sgClient] }] },
          },
          responseElements: {
            securityGroupRuleSet: { items: [{ securityGroupRuleId: "sgr-0123456789abcdef0" }] },
          },
        },
      }),
    );
    expect(parsed?.resourceIds.sort()).toEqual([IDS.sgClient, IDS.sgEndpoint].sort());
    expect(parsed?.readOnly).toBe(false);
  });

  it("survives a CloudTrailEvent that is not JSON", () => {
    const parsed = parseTrailEvent({
      EventId: "x",
      EventName: "ModifyVpcEndpoint",
      EventTime: new Date("2026-11-23T11:00:00Z"),
      ReadOnly: "false",
      CloudTrailEvent: "{not json",
      Resources: [{ ResourceName: IDS.endpoint }],
    });
    expect(parsed).toEqual({
      eventId: "x",
      eventName: "ModifyVpcEndpoint",
      eventTime: "2026-11-23T11:00:00.000Z",
      resourceIds: [IDS.endpoint],
      readOnly: false,
    });
  });
});

describe("collectTrailEvents", () => {
  it("reads write events and the service's events over the window, 50 a page", async () => {
    trail.on(LookupEventsCommand).resolves({ Events: [] });
    const ctx = testContext(clients);
    const raw = await collectTrailEvents(ctx, { endpointId: IDS.endpoint, serviceName: ECR }, freeLimiter());
    expect(raw).toEqual({ writes: [], denied: [], scannedEvents: 0, truncated: false });
    const inputs = trail.commandCalls(LookupEventsCommand).map((call) => call.args[0].input);
    expect(inputs).toHaveLength(2);
    expect(inputs).toContainEqual({
      LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "false" }],
      StartTime: WINDOW_START,
      EndTime: WINDOW_END,
      MaxResults: 50,
      NextToken: undefined,
    });
    expect(inputs).toContainEqual(
      expect.objectContaining({
        LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: "ecr.amazonaws.com" }],
      }),
    );
    expect(ctx.gaps).toEqual([]);
  });

  it("reads only write events for a custom endpoint service", async () => {
    trail.on(LookupEventsCommand).resolves({ Events: [] });
    await collectTrailEvents(
      testContext(clients),
      { endpointId: IDS.endpoint, serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0" },
      freeLimiter(),
    );
    const inputs = trail.commandCalls(LookupEventsCommand).map((call) => call.args[0].input);
    expect(inputs).toHaveLength(1);
    expect(inputs[0]?.LookupAttributes).toEqual([{ AttributeKey: "ReadOnly", AttributeValue: "false" }]);
  });

  it("follows NextToken up to 4 write pages and 2 service pages, then reports truncation", async () => {
    let page = 0;
    trail.on(LookupEventsCommand).callsFake((input: LookupEventsCommandInput) => {
      page += 1;
      const events = isWriteStream(input)
        ? [event({ name: "CreateTags", time: "2026-11-23T11:05:00Z", resources: [IDS.endpoint] })]
        : [denied(IDS.endpoint)];
      return { Events: events, NextToken: `token-${page}` };
    });
    const raw = await collectTrailEvents(
      testContext(clients),
      { endpointId: IDS.endpoint, serviceName: ECR },
      freeLimiter(),
    );
    const inputs = trail.commandCalls(LookupEventsCommand).map((call) => call.args[0].input);
    expect(inputs.filter(isWriteStream)).toHaveLength(WRITE_PAGE_CAP);
    expect(inputs.filter((input) => !isWriteStream(input))).toHaveLength(SERVICE_PAGE_CAP);
    expect(inputs.filter(isWriteStream).map((input) => input.NextToken)[0]).toBeUndefined();
    expect(
      inputs.filter(isWriteStream).every((input, i) => i === 0 || input.NextToken?.startsWith("token-")),
    ).toBe(true);
    expect(raw?.truncated).toBe(true);
    expect(raw?.scannedEvents).toBe(WRITE_PAGE_CAP + SERVICE_PAGE_CAP);
  });

  it("is not truncated when the last page has no NextToken", async () => {
    trail.on(LookupEventsCommand).resolvesOnce({ Events: [], NextToken: "more" }).resolves({ Events: [] });
    const raw = await collectTrailEvents(testContext(clients), { endpointId: IDS.endpoint }, freeLimiter());
    expect(trail.commandCalls(LookupEventsCommand)).toHaveLength(2);
    expect(raw?.truncated).toBe(false);
  });

  it("keeps only the service's denials through this endpoint, filtered in code", async () => {
    trail.on(LookupEventsCommand).callsFake((input: LookupEventsCommandInput) =>
      isWriteStream(input)
        ? { Events: [] }
        : {
            Events: [
              denied(IDS.endpoint),
              denied(IDS.endpoint, "AccessDeniedException"),
              denied(IDS.endpoint, "Client.UnauthorizedOperation"),
              denied(OTHER_ENDPOINT),
              denied(IDS.endpoint, "ThrottlingException"),
              event({ name: "BatchGetImage", time: "2026-11-23T11:41:00Z", source: "ecr.amazonaws.com" }),
            ],
          },
    );
    const raw = await collectTrailEvents(
      testContext(clients),
      { endpointId: IDS.endpoint, serviceName: ECR },
      freeLimiter(),
    );
    expect(raw?.denied.map((e) => e.errorCode)).toEqual([
      "AccessDenied",
      "AccessDeniedException",
      "Client.UnauthorizedOperation",
    ]);
    expect(raw?.scannedEvents).toBe(6);
  });

  it("sends every request of both streams through the limiter: never more than 2 a second", async () => {
    const { time, clock, sleep } = fakeTime(5_000);
    const limiter = new RateLimiter(2, 1, clock, sleep);
    const sentAt: number[] = [];
    trail.on(LookupEventsCommand).callsFake(() => {
      sentAt.push(time.now);
      return { Events: [], NextToken: "more" };
    });
    await collectTrailEvents(testContext(clients), { endpointId: IDS.endpoint, serviceName: ECR }, limiter);
    expect(sentAt).toHaveLength(WRITE_PAGE_CAP + SERVICE_PAGE_CAP);
    for (const start of sentAt) {
      expect(sentAt.filter((t) => t >= start && t < start + 1_000).length).toBeLessThanOrEqual(2);
    }
  });

  it("records a gap and returns nothing when the first page is denied", async () => {
    trail.on(LookupEventsCommand).rejects(awsError("AccessDeniedException"));
    const ctx = testContext(clients);
    const raw = await collectTrailEvents(ctx, { endpointId: IDS.endpoint, serviceName: ECR }, freeLimiter());
    expect(raw).toBeUndefined();
    expect(ctx.gaps[0]).toMatchObject({
      source: "cloudTrail",
      iamAction: "cloudtrail:LookupEvents",
      error: "AccessDenied",
    });
  });

  it("returns nothing when the service stream fails, so no denial reads as none", async () => {
    trail.on(LookupEventsCommand).callsFake((input: LookupEventsCommandInput) => {
      if (isWriteStream(input)) return { Events: [] };
      throw awsError("ThrottlingException", "Rate exceeded");
    });
    const ctx = testContext(clients);
    const raw = await collectTrailEvents(ctx, { endpointId: IDS.endpoint, serviceName: ECR }, freeLimiter());
    expect(raw).toBeUndefined();
    expect(ctx.gaps).toEqual([
      {
        source: "cloudTrail",
        iamAction: "cloudtrail:LookupEvents",
        error: "Throttling",
        message: "Rate exceeded",
      },
    ]);
  });

  it("keeps the pages read before a later page is throttled, marked truncated, with a gap", async () => {
    trail
      .on(LookupEventsCommand)
      .resolvesOnce({
        Events: [
          event({ name: "ModifyVpcEndpoint", time: "2026-11-23T11:20:00Z", resources: [IDS.endpoint] }),
        ],
        NextToken: "more",
      })
      .rejects(awsError("ThrottlingException"));
    const ctx = testContext(clients);
    const raw = await collectTrailEvents(ctx, { endpointId: IDS.endpoint }, freeLimiter());
    expect(raw?.writes.map((e) => e.eventName)).toEqual(["ModifyVpcEndpoint"]);
    expect(raw?.truncated).toBe(true);
    expect(ctx.gaps).toHaveLength(1);
    expect(ctx.gaps[0]?.error).toBe("Throttling");
  });
});

describe("selectRelevantTrail", () => {
  function trailEvent(
    id: string,
    time: string,
    resourceIds: string[],
    extra: Partial<TrailEvent> = {},
  ): TrailEvent {
    return { eventId: id, eventName: "Change", eventTime: time, resourceIds, ...extra };
  }

  const raw: RawTrail = {
    writes: [
      trailEvent("a", "2026-11-23T11:10:00.000Z", [IDS.sgEndpoint]),
      trailEvent("b", "2026-11-23T11:50:00.000Z", [IDS.endpoint]),
      trailEvent("c", "2026-11-23T11:30:00.000Z", ["sg-0fffffffffffffff0"]),
      trailEvent("d", "2026-11-23T11:20:00.000Z", [IDS.naclMain, "subnet-0fffffffffffffff9"]),
      trailEvent("e", "2026-11-23T11:25:00.000Z", [IDS.endpoint], {
        errorCode: "AccessDenied",
        vpcEndpointId: IDS.endpoint,
      }),
    ],
    denied: [
      trailEvent("x", "2026-11-23T11:05:00.000Z", [], {
        errorCode: "AccessDenied",
        vpcEndpointId: IDS.endpoint,
      }),
      trailEvent("y", "2026-11-23T11:45:00.000Z", [], {
        errorCode: "AccessDenied",
        vpcEndpointId: IDS.endpoint,
      }),
    ],
    scannedEvents: 57,
    truncated: true,
  };

  it("keeps changes to the endpoint or its resources, newest first", () => {
    const selected = selectRelevantTrail(raw, IDS.endpoint, [IDS.sgEndpoint, IDS.naclMain]);
    expect(selected.changes.map((e) => e.eventId)).toEqual(["b", "e", "d", "a"]);
  });

  it("keeps denials through the endpoint from both streams, newest first, once each", () => {
    const selected = selectRelevantTrail(raw, IDS.endpoint, []);
    expect(selected.accessDenied.map((e) => e.eventId)).toEqual(["y", "e", "x"]);
    expect(selected.changes.map((e) => e.eventId)).toEqual(["b", "e"]);
  });

  it("reports what was scanned and whether the page cap was hit", () => {
    expect(selectRelevantTrail(raw, IDS.endpoint, [])).toMatchObject({ scannedEvents: 57, truncated: true });
  });
});
