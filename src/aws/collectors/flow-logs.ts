import { FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { type FlowLog as AwsFlowLog, paginateDescribeFlowLogs } from "@aws-sdk/client-ec2";
import type { FlowLog, FlowRecord, FlowRecords, NetworkInterface } from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext } from "../context.js";
import { errorName } from "../errors.js";
import { flowLogFields, parseWithAnyFormat } from "./flow-log-format.js";

// Flow-log configuration for the endpoint's VPC, subnets and ENIs, and the REJECT records of its ENIs.

/** FilterLogEvents pages read per log group before the result is marked truncated. */
export const FLOW_PAGE_CAP = 10;
/** Log events read per log group before the result is marked truncated. */
export const FLOW_EVENT_CAP = 10_000;
const FILTER_ACTION = "logs:FilterLogEvents";
const ID_BATCH = 200;

function logGroupFromArn(arn: string | undefined): string | undefined {
  const match = arn?.match(/^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/);
  return match?.[1];
}

function normaliseFlowLog(flowLog: AwsFlowLog): FlowLog | undefined {
  if (!flowLog.FlowLogId || !flowLog.ResourceId) return undefined;
  const destinationType = flowLog.LogDestinationType ?? "cloud-watch-logs";
  const out: FlowLog = { id: flowLog.FlowLogId, resourceId: flowLog.ResourceId, destinationType };
  if (flowLog.TrafficType) out.trafficType = flowLog.TrafficType;
  const logGroupName =
    flowLog.LogGroupName ||
    (destinationType === "cloud-watch-logs" ? logGroupFromArn(flowLog.LogDestination) : undefined);
  if (logGroupName) out.logGroupName = logGroupName;
  if (flowLog.LogDestination) out.destination = flowLog.LogDestination;
  if (flowLog.LogFormat) out.logFormat = flowLog.LogFormat;
  if (flowLog.DeliverLogsStatus) out.deliverStatus = flowLog.DeliverLogsStatus;
  if (flowLog.DeliverLogsErrorMessage) out.deliverError = flowLog.DeliverLogsErrorMessage;
  return out;
}

/** The flow logs attached to any of `resourceIds` (VPC, subnet or ENI ids), filtered server-side. */
export async function collectFlowLogConfigs(
  ctx: CollectContext,
  resourceIds: string[],
): Promise<FlowLog[] | undefined> {
  const ids = [...new Set(resourceIds)];
  if (ids.length === 0) return [];
  return attempt(ctx, "flowLogs", "ec2:DescribeFlowLogs", async () => {
    const found = new Map<string, FlowLog>();
    for (let i = 0; i < ids.length; i += ID_BATCH) {
      const filter = [{ Name: "resource-id", Values: ids.slice(i, i + ID_BATCH) }];
      for await (const page of paginateDescribeFlowLogs({ client: ctx.clients.ec2 }, { Filter: filter })) {
        for (const flowLog of page.FlowLogs ?? []) {
          const normalised = normaliseFlowLog(flowLog);
          if (normalised) found.set(normalised.id, normalised);
        }
      }
    }
    return [...found.values()];
  });
}

/** The CloudWatch Logs stream VPC flow logs write one ENI's records to. */
export function eniStreamName(eniId: string): string {
  return `${eniId}-all`;
}

/** A log group to read and the formats of the flow logs writing into it. */
interface GroupPlan {
  logGroupName: string;
  formats: string[][];
}

/** Flow logs that deliver to CloudWatch Logs and can log rejected traffic of the ENIs, by log group. */
function planGroups(flowLogs: FlowLog[], enis: NetworkInterface[]): GroupPlan[] {
  const eniIds = new Set(enis.map((eni) => eni.id));
  const subnetIds = new Set(enis.flatMap((eni) => (eni.subnetId ? [eni.subnetId] : [])));
  const groups = new Map<string, GroupPlan>();
  for (const flowLog of flowLogs) {
    if (flowLog.destinationType !== "cloud-watch-logs" || !flowLog.logGroupName) continue;
    if (flowLog.trafficType?.toUpperCase() === "ACCEPT") continue;
    const covers =
      eniIds.has(flowLog.resourceId) ||
      subnetIds.has(flowLog.resourceId) ||
      flowLog.resourceId.startsWith("vpc-");
    if (!covers) continue;
    const plan = groups.get(flowLog.logGroupName) ?? { logGroupName: flowLog.logGroupName, formats: [] };
    const fields = flowLogFields(flowLog.logFormat);
    if (!plan.formats.some((known) => known.join(" ") === fields.join(" "))) plan.formats.push(fields);
    groups.set(flowLog.logGroupName, plan);
  }
  return [...groups.values()];
}

const MISSING_STREAM: unique symbol = Symbol("missing-stream");

/** FilterLogEvents fails the whole request when any listed stream (or the group) does not exist. */
function isNotFound(error: unknown): boolean {
  return errorName(error) === "ResourceNotFoundException";
}

interface StreamRead {
  events: { message: string; stream?: string }[];
  pages: number;
  truncated: boolean;
}

/**
 * Reads REJECT events of the given streams, following nextToken up to the caps. Returns MISSING_STREAM when
 * a listed stream does not exist, undefined when the first page failed (gap recorded); a later failure keeps
 * what was read and marks it truncated.
 */
async function readStreams(
  ctx: CollectContext,
  logGroupName: string,
  streams: string[],
  budget: { pages: number; events: number },
): Promise<StreamRead | typeof MISSING_STREAM | undefined> {
  const read: StreamRead = { events: [], pages: 0, truncated: false };
  let nextToken: string | undefined;
  do {
    if (read.pages >= budget.pages || read.events.length >= budget.events) {
      read.truncated = true;
      break;
    }
    const token = nextToken;
    const page = await attempt(ctx, "flowRecords", FILTER_ACTION, async () => {
      try {
        return await ctx.clients.logs.send(
          new FilterLogEventsCommand({
            logGroupName,
            logStreamNames: streams,
            startTime: ctx.window.start.getTime(),
            endTime: ctx.window.end.getTime(),
            filterPattern: "REJECT",
            limit: Math.min(FLOW_EVENT_CAP, budget.events - read.events.length),
            nextToken: token,
          }),
        );
      } catch (error) {
        if (read.pages === 0 && isNotFound(error)) return MISSING_STREAM;
        throw error;
      }
    });
    if (page === MISSING_STREAM) return MISSING_STREAM;
    if (page === undefined) {
      if (read.pages === 0) return undefined;
      read.truncated = true;
      break;
    }
    read.pages += 1;
    for (const event of page.events ?? []) {
      if (event.message) read.events.push({ message: event.message, stream: event.logStreamName });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return read;
}

/**
 * Reads one group: all ENI streams in one request; if one of them does not exist (no record delivered for that
 * ENI yet, or no such group), each stream alone, so a missing stream costs only itself and `streams` lists the
 * streams that exist. Undefined when a read failed.
 */
async function readGroup(
  ctx: CollectContext,
  logGroupName: string,
  streams: string[],
): Promise<{ streams: string[]; read: StreamRead } | undefined> {
  const all = await readStreams(ctx, logGroupName, streams, { pages: FLOW_PAGE_CAP, events: FLOW_EVENT_CAP });
  if (all === undefined) return undefined;
  if (all !== MISSING_STREAM) return { streams, read: all };
  const found: string[] = [];
  const merged: StreamRead = { events: [], pages: 0, truncated: false };
  for (const stream of streams) {
    const budget = { pages: FLOW_PAGE_CAP - merged.pages, events: FLOW_EVENT_CAP - merged.events.length };
    if (budget.pages <= 0 || budget.events <= 0) {
      merged.truncated = true;
      break;
    }
    const one = await readStreams(ctx, logGroupName, [stream], budget);
    if (one === MISSING_STREAM) continue;
    if (one === undefined) return undefined;
    found.push(stream);
    merged.events.push(...one.events);
    merged.pages += one.pages;
    merged.truncated ||= one.truncated;
  }
  return { streams: found, read: merged };
}

/** True for records that show traffic to or from the endpoint's ENIs being rejected. */
function isEndpointReject(record: FlowRecord, eniIds: Set<string>, addresses: Set<string>): boolean {
  if (record.action !== "REJECT") return false;
  if (record.interfaceId && eniIds.has(record.interfaceId)) return true;
  return (
    (record.srcAddr !== undefined && addresses.has(record.srcAddr)) ||
    (record.dstAddr !== undefined && addresses.has(record.dstAddr))
  );
}

/**
 * REJECT records of the endpoint's ENIs from every CloudWatch Logs group a covering flow log writes to, read
 * from the per-ENI streams over the window. The server-side "REJECT" pattern only narrows the read: every
 * line is parsed with its flow log's format and filtered again here.
 */
export async function collectFlowRecords(
  ctx: CollectContext,
  flowLogs: FlowLog[],
  enis: NetworkInterface[],
): Promise<FlowRecords[] | undefined> {
  if (enis.length === 0) return [];
  const eniIds = new Set(enis.map((eni) => eni.id));
  const addresses = new Set(enis.flatMap((eni) => [...eni.privateIpAddresses, ...eni.ipv6Addresses]));
  const streamToEni = new Map(enis.map((eni) => [eniStreamName(eni.id), eni.id]));
  const streams = [...streamToEni.keys()];
  const results: FlowRecords[] = [];
  for (const plan of planGroups(flowLogs, enis)) {
    const group = await readGroup(ctx, plan.logGroupName, streams);
    if (!group) return undefined;
    const rejects: FlowRecord[] = [];
    for (const event of group.read.events) {
      const parsed = parseWithAnyFormat(event.message, plan.formats);
      if (!parsed) continue;
      const record = parsed.record;
      const streamEni = event.stream ? streamToEni.get(event.stream) : undefined;
      if (!record.interfaceId && streamEni) record.interfaceId = streamEni;
      if (isEndpointReject(record, eniIds, addresses)) rejects.push(record);
    }
    results.push({
      logGroupName: plan.logGroupName,
      streams: group.streams,
      rejects,
      scannedEvents: group.read.events.length,
      truncated: group.read.truncated,
    });
  }
  return results;
}
