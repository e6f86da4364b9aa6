import { type MetricDataQuery, paginateGetMetricData } from "@aws-sdk/client-cloudwatch";
import type { Endpoint, MetricSeries } from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext } from "../context.js";
import { toGap } from "../errors.js";

// The endpoint's AWS/PrivateLinkEndpoints metrics over the window, in one GetMetricData request.

/** What we read for an endpoint: metric name and the statistic that answers our question. */
export const ENDPOINT_METRICS = [
  { id: "bytesProcessed", name: "BytesProcessed", statistic: "Sum" },
  { id: "newConnections", name: "NewConnections", statistic: "Sum" },
  { id: "activeConnections", name: "ActiveConnections", statistic: "Maximum" },
  { id: "packetsDropped", name: "PacketsDropped", statistic: "Sum" },
  { id: "rstPacketsReceived", name: "RstPacketsReceived", statistic: "Sum" },
] as const;

const NAMESPACE = "AWS/PrivateLinkEndpoints";
const MAX_POINTS_PER_SERIES = 1440;
const PAGE_CAP = 10;

/** One-minute points up to 3 h, five-minute beyond, coarser still so no series exceeds 1,440 points. */
export function metricPeriod(window: { start: Date; end: Date }): number {
  const seconds = Math.max(0, (window.end.getTime() - window.start.getTime()) / 1000);
  let period = seconds <= 3 * 3600 ? 60 : 300;
  while (seconds / period > MAX_POINTS_PER_SERIES) period = period < 3600 ? 3600 : period * 2;
  return period;
}

/**
 * The exact dimension set CloudWatch publishes per endpoint (AWS PrivateLink guide, "CloudWatch metrics for
 * AWS PrivateLink"); CloudWatch matches dimensions exactly, so a missing one returns nothing.
 */
export function endpointDimensions(endpoint: Endpoint): { Name: string; Value: string }[] {
  return [
    { Name: "Endpoint Type", Value: endpoint.type },
    { Name: "Service Name", Value: endpoint.serviceName },
    { Name: "VPC Endpoint Id", Value: endpoint.id },
    { Name: "VPC Id", Value: endpoint.vpcId },
  ];
}

/**
 * The five endpoint metrics over the window. A series with no datapoints means CloudWatch had no data (the
 * endpoint saw no traffic), which is not zero. Gateway endpoints publish no metrics: [] without a call.
 * A query CloudWatch could not answer is left out and recorded as a gap.
 */
export async function collectMetrics(
  ctx: CollectContext,
  endpoint: Endpoint,
): Promise<MetricSeries[] | undefined> {
  if (endpoint.type.toLowerCase() === "gateway") return [];
  const period = metricPeriod(ctx.window);
  const dimensions = endpointDimensions(endpoint);
  const queries: MetricDataQuery[] = ENDPOINT_METRICS.map((metric) => ({
    Id: metric.id,
    ReturnData: true,
    MetricStat: {
      Metric: { Namespace: NAMESPACE, MetricName: metric.name, Dimensions: dimensions },
      Period: period,
      Stat: metric.statistic,
    },
  }));
  const pages = await attempt(ctx, "metrics", "cloudwatch:GetMetricData", async () => {
    const collected = new Map<string, { timestamps: Date[]; values: number[]; status?: string }>();
    let count = 0;
    const paginator = paginateGetMetricData(
      { client: ctx.clients.cloudwatch },
      {
        MetricDataQueries: queries,
        StartTime: ctx.window.start,
        EndTime: ctx.window.end,
        ScanBy: "TimestampAscending",
      },
    );
    for await (const page of paginator) {
      for (const result of page.MetricDataResults ?? []) {
        if (!result.Id) continue;
        const series = collected.get(result.Id) ?? { timestamps: [], values: [] };
        series.timestamps.push(...(result.Timestamps ?? []));
        series.values.push(...(result.Values ?? []));
        if (result.StatusCode && result.StatusCode !== "Complete") series.status = result.StatusCode;
        else if (result.StatusCode === "Complete") series.status = undefined;
        collected.set(result.Id, series);
      }
      count += 1;
      if (count >= PAGE_CAP) break;
    }
    return collected;
  });
  if (!pages) return undefined;
  const out: MetricSeries[] = [];
  for (const metric of ENDPOINT_METRICS) {
    const series = pages.get(metric.id);
    if (series?.status === "Forbidden" || series?.status === "InternalError") {
      const error = new Error(`${metric.name} ${metric.statistic}: CloudWatch answered ${series.status}`);
      error.name = series.status === "Forbidden" ? "AccessDenied" : series.status;
      ctx.gaps.push(toGap("metrics", "cloudwatch:GetMetricData", error));
      continue;
    }
    const datapoints = (series?.timestamps ?? [])
      .map((timestamp, i) => ({ timestamp: new Date(timestamp).toISOString(), value: series?.values[i] }))
      .filter((point): point is { timestamp: string; value: number } => typeof point.value === "number")
      .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    out.push({ name: metric.name, statistic: metric.statistic, datapoints });
  }
  return out;
}
