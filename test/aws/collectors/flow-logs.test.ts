// biome-ignore-all lint/suspicious/noTemplateCurlyInString: flow-log formats use AWS placeholders, not templates
import { FilterLogEventsCommand, type FilterLogEventsCommandInput } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeFlowLogsCommand } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  collectFlowLogConfigs,
  collectFlowRecords,
  FLOW_PAGE_CAP,
} from "../../../src/aws/collectors/flow-logs.js";
import type { FlowLog, NetworkInterface } from "../../../src/diagnosis/snapshot.js";
import { IDS } from "../../support/snapshot-factory.js";
import { awsError, testClients, testContext, WINDOW_END, WINDOW_START } from "./telemetry-context.js";

const clients = testClients();
const ec2 = mockClient(clients.ec2);
const logs = mockClient(clients.logs);

beforeEach(() => {
  ec2.reset();
  logs.reset();
});

const GROUP = "/vpc/flow-logs";
const ENIS: NetworkInterface[] = [
  {
    id: IDS.eniA,
    subnetId: IDS.subnetA,
    privateIpAddresses: ["10.0.1.10"],
    ipv6Addresses: [],
    securityGroupIds: [IDS.sgEndpoint],
  },
  {
    id: IDS.eniB,
    subnetId: IDS.subnetB,
    privateIpAddresses: ["10.0.2.10"],
    ipv6Addresses: ["2600:1f18::10"],
    securityGroupIds: [IDS.sgEndpoint],
  },
];
const VPC_FLOW_LOG: FlowLog = {
  id: "fl-0123456789abcdef0",
  resourceId: IDS.vpc,
  trafficType: "ALL",
  destinationType: "cloud-watch-logs",
  logGroupName: GROUP,
};

function line(eni: string, src: string, dst: string, dstPort: number, action: string): string {
  return `2 111122223333 ${eni} ${src} ${dst} 49152 ${dstPort} 6 3 180 1700000000 1700000060 ${action} OK`;
}

function logEvent(message: string, stream = `${IDS.eniA}-all`) {
  return { logStreamName: stream, message, timestamp: 1_700_000_000_000, eventId: message.slice(0, 20) };
}

describe("collectFlowLogConfigs", () => {
  it("filters by resource id server-side, follows NextToken and normalises", async () => {
    ec2
      .on(DescribeFlowLogsCommand)
      .resolvesOnce({
        FlowLogs: [
          {
            FlowLogId: "fl-1",
            ResourceId: IDS.vpc,
            TrafficType: "ALL",
            LogDestinationType: "cloud-watch-logs",
            LogGroupName: GROUP,
            LogFormat: "${interface-id} ${action}",
            DeliverLogsStatus: "SUCCESS",
          },
        ],
        NextToken: "page-2",
      })
      .resolves({
        FlowLogs: [
          {
            FlowLogId: "fl-2",
            ResourceId: IDS.subnetA,
            TrafficType: "REJECT",
            LogDestinationType: "cloud-watch-logs",
            LogDestination: "arn:aws:logs:us-east-1:111122223333:log-group:/from/arn:*",
            DeliverLogsStatus: "FAILED",
            DeliverLogsErrorMessage: "Access error",
          },
          {
            FlowLogId: "fl-3",
            ResourceId: IDS.eniA,
            TrafficType: "ALL",
            LogDestinationType: "s3",
            LogDestination: "arn:aws:s3:::flow-bucket/prefix",
          },
        ],
      });
    const ctx = testContext(clients);
    const ids = [IDS.vpc, IDS.subnetA, IDS.eniA, IDS.vpc];
    const flowLogs = await collectFlowLogConfigs(ctx, ids);
    const calls = ec2.commandCalls(DescribeFlowLogsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args[0].input.Filter).toEqual([
      { Name: "resource-id", Values: [IDS.vpc, IDS.subnetA, IDS.eniA] },
    ]);
    expect(calls[1]?.args[0].input.NextToken).toBe("page-2");
    expect(flowLogs).toEqual([
      {
        id: "fl-1",
        resourceId: IDS.vpc,
        trafficType: "ALL",
        destinationType: "cloud-watch-logs",
        logGroupName: GROUP,
        logFormat: "${interface-id} ${action}",
        deliverStatus: "SUCCESS",
      },
      {
        id: "fl-2",
        resourceId: IDS.subnetA,
        trafficType: "REJECT",
        destinationType: "cloud-watch-logs",
        logGroupName: "/from/arn",
        destination: "arn:aws:logs:us-east-1:111122223333:log-group:/from/arn:*",
        deliverStatus: "FAILED",
        deliverError: "Access error",
      },
      {
        id: "fl-3",
        resourceId: IDS.eniA,
        trafficType: "ALL",
        destinationType: "s3",
        destination: "arn:aws:s3:::flow-bucket/prefix",
      },
    ]);
    expect(ctx.gaps).toEqual([]);
  });

  it("makes no call without resource ids", async () => {
    expect(await collectFlowLogConfigs(testContext(clients), [])).toEqual([]);
    expect(ec2.commandCalls(DescribeFlowLogsCommand)).toHaveLength(0);
  });

  it("records a gap, not an empty list, when denied", async () => {
    ec2.on(DescribeFlowLogsCommand).rejects(awsError("UnauthorizedOperation"));
    const ctx = testContext(clients);
    expect(await collectFlowLogConfigs(ctx, [IDS.vpc])).toBeUndefined();
    expect(ctx.gaps).toEqual([
      expect.objectContaining({
        source: "flowLogs",
        iamAction: "ec2:DescribeFlowLogs",
        error: "AccessDenied",
      }),
    ]);
  });
});

describe("collectFlowRecords", () => {
  it("reads the ENIs' streams over the window with a REJECT pattern", async () => {
    logs.on(FilterLogEventsCommand).resolves({ events: [] });
    const ctx = testContext(clients);
    const records = await collectFlowRecords(ctx, [VPC_FLOW_LOG], ENIS);
    const calls = logs.commandCalls(FilterLogEventsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toMatchObject({
      logGroupName: GROUP,
      logStreamNames: [`${IDS.eniA}-all`, `${IDS.eniB}-all`],
      startTime: WINDOW_START.getTime(),
      endTime: WINDOW_END.getTime(),
      filterPattern: "REJECT",
    });
    expect(records).toEqual([
      {
        logGroupName: GROUP,
        streams: [`${IDS.eniA}-all`, `${IDS.eniB}-all`],
        rejects: [],
        scannedEvents: 0,
        truncated: false,
      },
    ]);
    expect(ctx.gaps).toEqual([]);
  });

  it("filters in code: only REJECTs on the ENIs or their addresses survive", async () => {
    const reject = line(IDS.eniA, "10.0.3.15", "10.0.1.10", 443, "REJECT");
    const rejectByAddress = line("eni-0ffffffffffffff01", "10.0.3.15", "2600:1f18::10", 443, "REJECT");
    logs.on(FilterLogEventsCommand).resolves({
      events: [
        logEvent(reject),
        logEvent(rejectByAddress, `${IDS.eniB}-all`),
        logEvent(line(IDS.eniA, "10.0.3.15", "10.0.1.10", 443, "ACCEPT")),
        logEvent(line("eni-0ffffffffffffff01", "10.9.9.9", "10.9.9.8", 443, "REJECT")),
        logEvent(`2 111122223333 ${IDS.eniA} - - - - - - - 1700000000 1700000060 - NODATA`),
        logEvent("REJECT but not a flow-log line"),
      ],
    });
    const [records] = (await collectFlowRecords(testContext(clients), [VPC_FLOW_LOG], ENIS)) ?? [];
    expect(records?.rejects.map((r) => r.raw)).toEqual([reject, rejectByAddress]);
    expect(records?.rejects[0]).toMatchObject({
      interfaceId: IDS.eniA,
      dstPort: 443,
      action: "REJECT",
      protocol: 6,
    });
    expect(records?.scannedEvents).toBe(6);
  });

  it("parses with the flow log's custom format and takes the ENI from its stream when the format lacks it", async () => {
    const custom: FlowLog = { ...VPC_FLOW_LOG, logFormat: "${srcaddr} ${dstaddr} ${dstport} ${action}" };
    logs.on(FilterLogEventsCommand).resolves({
      events: [logEvent("10.0.3.15 10.0.9.9 443 REJECT", `${IDS.eniB}-all`)],
    });
    const [records] = (await collectFlowRecords(testContext(clients), [custom], ENIS)) ?? [];
    expect(records?.rejects).toEqual([
      {
        raw: "10.0.3.15 10.0.9.9 443 REJECT",
        srcAddr: "10.0.3.15",
        dstAddr: "10.0.9.9",
        dstPort: 443,
        action: "REJECT",
        interfaceId: IDS.eniB,
      },
    ]);
  });

  it("reads each log group once, and skips flow logs that cannot hold the ENIs' rejects", async () => {
    logs.on(FilterLogEventsCommand).resolves({ events: [] });
    const flowLogs: FlowLog[] = [
      VPC_FLOW_LOG,
      { ...VPC_FLOW_LOG, id: "fl-subnet", resourceId: IDS.subnetA },
      { ...VPC_FLOW_LOG, id: "fl-eni", resourceId: IDS.eniB, logGroupName: "/eni/group" },
      {
        ...VPC_FLOW_LOG,
        id: "fl-s3",
        destinationType: "s3",
        logGroupName: undefined,
        destination: "arn:aws:s3:::b",
      },
      { ...VPC_FLOW_LOG, id: "fl-accept", logGroupName: "/accept/only", trafficType: "ACCEPT" },
      {
        ...VPC_FLOW_LOG,
        id: "fl-client",
        resourceId: "subnet-0ffffffffffffff09",
        logGroupName: "/client/subnet",
      },
    ];
    const records = await collectFlowRecords(testContext(clients), flowLogs, ENIS);
    const groups = logs.commandCalls(FilterLogEventsCommand).map((call) => call.args[0].input.logGroupName);
    expect(groups).toEqual([GROUP, "/eni/group"]);
    expect(records?.map((r) => r.logGroupName)).toEqual([GROUP, "/eni/group"]);
  });

  it("returns an empty list when no flow log writes to CloudWatch Logs", async () => {
    const s3Only: FlowLog = { ...VPC_FLOW_LOG, destinationType: "s3", logGroupName: undefined };
    expect(await collectFlowRecords(testContext(clients), [s3Only], ENIS)).toEqual([]);
    expect(logs.commandCalls(FilterLogEventsCommand)).toHaveLength(0);
  });

  it("follows nextToken up to the page cap and reports truncation", async () => {
    logs.on(FilterLogEventsCommand).callsFake((input: FilterLogEventsCommandInput) => ({
      events: [logEvent(line(IDS.eniA, "10.0.3.15", "10.0.1.10", 443, "REJECT"))],
      nextToken: `${input.nextToken ?? ""}x`,
    }));
    const [records] = (await collectFlowRecords(testContext(clients), [VPC_FLOW_LOG], ENIS)) ?? [];
    const calls = logs.commandCalls(FilterLogEventsCommand);
    expect(calls).toHaveLength(FLOW_PAGE_CAP);
    expect(calls[1]?.args[0].input.nextToken).toBe("x");
    expect(records?.truncated).toBe(true);
    expect(records?.rejects).toHaveLength(FLOW_PAGE_CAP);
  });

  it("is not truncated when the last page has no nextToken", async () => {
    logs.on(FilterLogEventsCommand).resolvesOnce({ events: [], nextToken: "more" }).resolves({ events: [] });
    const [records] = (await collectFlowRecords(testContext(clients), [VPC_FLOW_LOG], ENIS)) ?? [];
    expect(logs.commandCalls(FilterLogEventsCommand)).toHaveLength(2);
    expect(records?.truncated).toBe(false);
  });

  it("when one ENI's stream does not exist, reads the others one by one and lists only those found", async () => {
    const reject = line(IDS.eniA, "10.0.3.15", "10.0.1.10", 443, "REJECT");
    logs.on(FilterLogEventsCommand).callsFake((input: FilterLogEventsCommandInput) => {
      if (input.logStreamNames?.includes(`${IDS.eniB}-all`)) {
        throw awsError("ResourceNotFoundException", "The specified log stream does not exist.");
      }
      return { events: [logEvent(reject)] };
    });
    const ctx = testContext(clients);
    const [records] = (await collectFlowRecords(ctx, [VPC_FLOW_LOG], ENIS)) ?? [];
    const streams = logs
      .commandCalls(FilterLogEventsCommand)
      .map((call) => call.args[0].input.logStreamNames);
    expect(streams).toEqual([
      [`${IDS.eniA}-all`, `${IDS.eniB}-all`],
      [`${IDS.eniA}-all`],
      [`${IDS.eniB}-all`],
    ]);
    expect(records?.streams).toEqual([`${IDS.eniA}-all`]);
    expect(records?.rejects.map((r) => r.raw)).toEqual([reject]);
    expect(ctx.gaps).toEqual([]);
  });

  it("reports a missing log group as no streams read, not as a failure", async () => {
    logs
      .on(FilterLogEventsCommand)
      .rejects(awsError("ResourceNotFoundException", "The specified log group does not exist."));
    const ctx = testContext(clients);
    const records = await collectFlowRecords(ctx, [VPC_FLOW_LOG], ENIS);
    expect(records).toEqual([
      { logGroupName: GROUP, streams: [], rejects: [], scannedEvents: 0, truncated: false },
    ]);
    expect(ctx.gaps).toEqual([]);
  });

  it("records a gap and returns nothing when FilterLogEvents is denied", async () => {
    logs.on(FilterLogEventsCommand).rejects(awsError("AccessDeniedException"));
    const ctx = testContext(clients);
    expect(await collectFlowRecords(ctx, [VPC_FLOW_LOG], ENIS)).toBeUndefined();
    expect(ctx.gaps).toEqual([
      expect.objectContaining({
        source: "flowRecords",
        iamAction: "logs:FilterLogEvents",
        error: "AccessDenied",
      }),
    ]);
  });

  it("keeps what was read before a later page is throttled, marked truncated, with a gap", async () => {
    const reject = line(IDS.eniA, "10.0.3.15", "10.0.1.10", 443, "REJECT");
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [logEvent(reject)], nextToken: "more" })
      .rejects(awsError("ThrottlingException"));
    const ctx = testContext(clients);
    const [records] = (await collectFlowRecords(ctx, [VPC_FLOW_LOG], ENIS)) ?? [];
    expect(records?.rejects).toHaveLength(1);
    expect(records?.truncated).toBe(true);
    expect(ctx.gaps).toEqual([expect.objectContaining({ source: "flowRecords", error: "Throttling" })]);
  });
});
