import { GetMetricDataCommand, type GetMetricDataCommandInput } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { collectMetrics, ENDPOINT_METRICS, metricPeriod } from "../../../src/aws/collectors/metrics.js";
import type { Endpoint } from "../../../src/diagnosis/snapshot.js";
import { healthyInterfaceSnapshot } from "../../support/snapshot-factory.js";
import { awsError, testClients, testContext, WINDOW_END, WINDOW_START } from "./telemetry-context.js";

const clients = testClients();
const cloudwatch = mockClient(clients.cloudwatch);
const endpoint = healthyInterfaceSnapshot().endpoint as Endpoint;

beforeEach(() => cloudwatch.reset());

function hours(count: number) {
  return { start: new Date(WINDOW_END.getTime() - count * 3_600_000), end: WINDOW_END };
}

const T1 = new Date("2026-11-23T11:01:00.000Z");
const T2 = new Date("2026-11-23T11:02:00.000Z");

describe("metricPeriod", () => {
  it("uses one-minute points up to 3 hours, five-minute beyond, coarser past 1,440 points", () => {
    expect(metricPeriod(hours(1))).toBe(60);
    expect(metricPeriod(hours(3))).toBe(60);
    expect(metricPeriod(hours(6))).toBe(300);
    expect(metricPeriod(hours(120))).toBe(300);
    expect(metricPeriod(hours(24 * 7))).toBe(3600);
    expect(metricPeriod(hours(24 * 90))).toBe(7200);
  });
});

describe("collectMetrics", () => {
  it("asks for the five metrics in one request, with the exact published dimension set", async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    await collectMetrics(testContext(clients), endpoint);
    const calls = cloudwatch.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input as GetMetricDataCommandInput;
    expect(input.StartTime).toEqual(WINDOW_START);
    expect(input.EndTime).toEqual(WINDOW_END);
    expect(input.ScanBy).toBe("TimestampAscending");
    expect(
      input.MetricDataQueries?.map((q) => [q.MetricStat?.Metric?.MetricName, q.MetricStat?.Stat]),
    ).toEqual([
      ["BytesProcessed", "Sum"],
      ["NewConnections", "Sum"],
      ["ActiveConnections", "Maximum"],
      ["PacketsDropped", "Sum"],
      ["RstPacketsReceived", "Sum"],
    ]);
    for (const query of input.MetricDataQueries ?? []) {
      expect(query.MetricStat?.Period).toBe(60);
      expect(query.MetricStat?.Metric?.Namespace).toBe("AWS/PrivateLinkEndpoints");
      expect(query.MetricStat?.Metric?.Dimensions).toEqual([
        { Name: "Endpoint Type", Value: "Interface" },
        { Name: "Service Name", Value: endpoint.serviceName },
        { Name: "VPC Endpoint Id", Value: endpoint.id },
        { Name: "VPC Id", Value: endpoint.vpcId },
      ]);
      expect(query.Id).toMatch(/^[a-z][A-Za-z0-9_]*$/);
    }
  });

  it("uses five-minute points for a long window", async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    await collectMetrics(testContext(clients, hours(12)), endpoint);
    const input = cloudwatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(input?.MetricDataQueries?.[0]?.MetricStat?.Period).toBe(300);
  });

  it("follows NextToken and joins each series' pages in time order", async () => {
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          { Id: "bytesProcessed", Timestamps: [T1], Values: [100], StatusCode: "PartialData" },
        ],
        NextToken: "page-2",
      })
      .resolves({
        MetricDataResults: [
          { Id: "bytesProcessed", Timestamps: [T2], Values: [250], StatusCode: "Complete" },
        ],
      });
    const ctx = testContext(clients);
    const series = await collectMetrics(ctx, endpoint);
    const calls = cloudwatch.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.NextToken).toBe("page-2");
    expect(series?.find((s) => s.name === "BytesProcessed")?.datapoints).toEqual([
      { timestamp: T1.toISOString(), value: 100 },
      { timestamp: T2.toISOString(), value: 250 },
    ]);
    expect(ctx.gaps).toEqual([]);
  });

  it("keeps 'no datapoints' (empty) apart from zero values", async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: "bytesProcessed", Timestamps: [T1, T2], Values: [0, 0], StatusCode: "Complete" },
        { Id: "newConnections", Timestamps: [], Values: [], StatusCode: "Complete" },
      ],
    });
    const series = await collectMetrics(testContext(clients), endpoint);
    expect(series?.map((s) => s.name)).toEqual(ENDPOINT_METRICS.map((m) => m.name));
    expect(series?.find((s) => s.name === "BytesProcessed")?.datapoints.map((p) => p.value)).toEqual([0, 0]);
    expect(series?.find((s) => s.name === "NewConnections")?.datapoints).toEqual([]);
    expect(series?.find((s) => s.name === "ActiveConnections")).toEqual({
      name: "ActiveConnections",
      statistic: "Maximum",
      datapoints: [],
    });
  });

  it("makes no call for a gateway endpoint, which publishes no metrics", async () => {
    const gateway = { ...endpoint, type: "Gateway" };
    expect(await collectMetrics(testContext(clients), gateway)).toEqual([]);
    expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });

  it("records a gap and returns nothing when the call is denied", async () => {
    cloudwatch.on(GetMetricDataCommand).rejects(awsError("AccessDenied"));
    const ctx = testContext(clients);
    expect(await collectMetrics(ctx, endpoint)).toBeUndefined();
    expect(ctx.gaps).toEqual([
      expect.objectContaining({
        source: "metrics",
        iamAction: "cloudwatch:GetMetricData",
        error: "AccessDenied",
      }),
    ]);
  });

  it("records throttling as a gap", async () => {
    cloudwatch.on(GetMetricDataCommand).rejects(awsError("Throttling", "Rate exceeded"));
    const ctx = testContext(clients);
    expect(await collectMetrics(ctx, endpoint)).toBeUndefined();
    expect(ctx.gaps[0]?.error).toBe("Throttling");
  });

  it("leaves out a series CloudWatch could not answer, and records a gap for it", async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: "bytesProcessed", Timestamps: [T1], Values: [5], StatusCode: "Complete" },
        { Id: "packetsDropped", Timestamps: [], Values: [], StatusCode: "Forbidden" },
      ],
    });
    const ctx = testContext(clients);
    const series = await collectMetrics(ctx, endpoint);
    expect(series?.map((s) => s.name)).not.toContain("PacketsDropped");
    expect(series).toHaveLength(4);
    expect(ctx.gaps).toEqual([
      expect.objectContaining({
        source: "metrics",
        error: "AccessDenied",
        message: expect.stringContaining("PacketsDropped"),
      }),
    ]);
  });
});
