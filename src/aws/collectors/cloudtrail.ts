import { type Event, type LookupAttribute, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import type { CloudTrail, TrailEvent } from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext, sharedRead } from "../context.js";
import type { RateLimiter } from "../rate-limit.js";

// Recent CloudTrail management events: changes to the endpoint's resources, and requests the endpoint denied.
// LookupEvents takes one lookup attribute per call and cannot filter by error code, so two capped streams
// run side by side and the rest of the filtering happens here.

/** Pages of write events (ReadOnly=false) read over the window. */
export const WRITE_PAGE_CAP = 4;
/** Pages of the endpoint's service's events read to find denials through the endpoint. */
export const SERVICE_PAGE_CAP = 2;
const PAGE_SIZE = 50;
const ACTION = "cloudtrail:LookupEvents";

/** Everything read from CloudTrail, before it is narrowed to the endpoint's resources. */
export interface RawTrail {
  /** Write events in the window, parsed. */
  writes: TrailEvent[];
  /** Events of the endpoint's service denied through this endpoint. */
  denied: TrailEvent[];
  scannedEvents: number;
  truncated: boolean;
}

const RESOURCE_ID = /\b(?:vpce|sg|acl|rtb|subnet|eni|vpc)-[0-9a-f]{8,17}\b/g;

/** CloudTrail event source by service part of the service name; unlisted services use their first label. */
const EVENT_SOURCES: Record<string, string> = {
  "ecr.api": "ecr",
  "ecr.dkr": "ecr",
  "execute-api": "execute-api",
  "ecs-agent": "ecs",
  "ecs-telemetry": "ecs",
  "kinesis-streams": "kinesis",
  "kinesis-firehose": "firehose",
  "git-codecommit": "codecommit",
  "codeartifact.api": "codeartifact",
  "codeartifact.repositories": "codeartifact",
  "sagemaker.api": "sagemaker",
  "sagemaker.runtime": "sagemaker",
  "bedrock-runtime": "bedrock",
  "bedrock-agent": "bedrock",
  "bedrock-agent-runtime": "bedrock",
  "email-smtp": "ses",
  elasticmapreduce: "elasticmapreduce",
  "rds-data": "rds-data",
  s3: "s3",
  sts: "sts",
  kms: "kms",
  secretsmanager: "secretsmanager",
  ssm: "ssm",
  ssmmessages: "ssmmessages",
  ec2messages: "ec2messages",
  logs: "logs",
  monitoring: "monitoring",
  sqs: "sqs",
  sns: "sns",
  events: "events",
  states: "states",
  lambda: "lambda",
  dynamodb: "dynamodb",
  ec2: "ec2",
  elasticloadbalancing: "elasticloadbalancing",
};

/**
 * The CloudTrail event source for an AWS service's endpoint service name (`com.amazonaws.us-east-1.ecr.dkr` ->
 * `ecr.amazonaws.com`); undefined for endpoint services that are not AWS services.
 */
export function eventSourceFor(serviceName: string | undefined): string | undefined {
  const match = serviceName?.match(/^com\.amazonaws\.[a-z]{2}(?:-[a-z]+)+-\d+\.([a-z0-9.-]+)$/);
  if (!match?.[1]) return undefined;
  const service = match[1].replace(/-fips$/, "");
  const source = EVENT_SOURCES[service] ?? service.split(".")[0];
  return source ? `${source}.amazonaws.com` : undefined;
}

/** True for the error codes a denied request is logged with. */
export function isDeniedError(code: string | undefined): boolean {
  return code !== undefined && (/^AccessDenied/.test(code) || code === "Client.UnauthorizedOperation");
}

interface CloudTrailRecord {
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  sourceIPAddress?: string;
  errorCode?: string;
  errorMessage?: string;
  vpcEndpointId?: string;
  readOnly?: boolean;
  userIdentity?: {
    arn?: string;
    userName?: string;
    sessionContext?: { sessionIssuer?: { userName?: string } };
  };
  requestParameters?: unknown;
  responseElements?: unknown;
}

function parseRecord(json: string | undefined): CloudTrailRecord {
  if (!json) return {};
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === "object" ? (parsed as CloudTrailRecord) : {};
  } catch {
    return {};
  }
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function isoTime(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Normalises one LookupEvents event, reading details from its CloudTrailEvent JSON. */
export function parseTrailEvent(event: Event): TrailEvent | undefined {
  const record = parseRecord(event.CloudTrailEvent);
  const eventTime = isoTime(event.EventTime ?? str(record.eventTime));
  const eventName = event.EventName ?? str(record.eventName);
  if (!event.EventId || !eventName || !eventTime) return undefined;
  const ids = new Set<string>();
  for (const resource of event.Resources ?? []) {
    for (const id of resource.ResourceName?.match(RESOURCE_ID) ?? []) ids.add(id);
  }
  const payload = JSON.stringify([record.requestParameters ?? null, record.responseElements ?? null]);
  for (const id of payload.match(RESOURCE_ID) ?? []) ids.add(id);
  const out: TrailEvent = { eventId: event.EventId, eventName, eventTime, resourceIds: [...ids] };
  const eventSource = event.EventSource ?? str(record.eventSource);
  if (eventSource) out.eventSource = eventSource;
  const username =
    str(event.Username) ??
    str(record.userIdentity?.userName) ??
    str(record.userIdentity?.sessionContext?.sessionIssuer?.userName);
  if (username) out.username = username;
  const principalArn = str(record.userIdentity?.arn);
  if (principalArn) out.principalArn = principalArn;
  const sourceIp = str(record.sourceIPAddress);
  if (sourceIp) out.sourceIp = sourceIp;
  const errorCode = str(record.errorCode);
  if (errorCode) out.errorCode = errorCode;
  const errorMessage = str(record.errorMessage);
  if (errorMessage) out.errorMessage = errorMessage;
  const vpcEndpointId = str(record.vpcEndpointId);
  if (vpcEndpointId) out.vpcEndpointId = vpcEndpointId;
  if (typeof record.readOnly === "boolean") out.readOnly = record.readOnly;
  else if (event.ReadOnly === "true" || event.ReadOnly === "false") out.readOnly = event.ReadOnly === "true";
  return out;
}

interface StreamResult {
  events: TrailEvent[];
  scanned: number;
  truncated: boolean;
}

/**
 * Reads up to `pageCap` pages for one lookup attribute, each request after a limiter token. Undefined when the
 * first page failed (gap recorded); a later failure keeps what was read and marks it truncated.
 */
async function readStream(
  ctx: CollectContext,
  attribute: LookupAttribute,
  pageCap: number,
  limiter: RateLimiter,
): Promise<StreamResult | undefined> {
  const result: StreamResult = { events: [], scanned: 0, truncated: false };
  let nextToken: string | undefined;
  for (let page = 0; ; page += 1) {
    if (page >= pageCap) {
      result.truncated = true;
      break;
    }
    const token = nextToken;
    const response = await attempt(ctx, "cloudTrail", ACTION, () =>
      sharedRead(ctx, lookupKey(ctx, attribute, token), async () => {
        await limiter.take();
        return ctx.clients.cloudtrail.send(
          new LookupEventsCommand({
            LookupAttributes: [attribute],
            StartTime: ctx.window.start,
            EndTime: ctx.window.end,
            MaxResults: PAGE_SIZE,
            NextToken: token,
          }),
        );
      }),
    );
    if (!response) {
      if (page === 0) return undefined;
      result.truncated = true;
      break;
    }
    for (const event of response.Events ?? []) {
      result.scanned += 1;
      const parsed = parseTrailEvent(event);
      if (parsed) result.events.push(parsed);
    }
    nextToken = response.NextToken || undefined;
    if (!nextToken) break;
  }
  return result;
}

/**
 * The shared-reads key of one LookupEvents page: the account's writes (or the service's events) over a window of
 * this length, not the endpoint's, so a storm's diagnoses make these lookups once per shared-reads TTL, not once
 * per endpoint (LookupEvents allows 2 requests a second per account and region).
 */
function lookupKey(ctx: CollectContext, attribute: LookupAttribute, token: string | undefined): string {
  const hours = (ctx.window.end.getTime() - ctx.window.start.getTime()) / 3_600_000;
  return `${ACTION}:${attribute.AttributeKey}=${attribute.AttributeValue}:${hours}h:${token ?? ""}`;
}

/**
 * Reads write events in the window and, for AWS services, the service's events denied through this endpoint.
 * Both streams run concurrently; every request waits for the shared per-account limiter.
 */
export async function collectTrailEvents(
  ctx: CollectContext,
  args: { endpointId: string; serviceName?: string },
  limiter: RateLimiter,
): Promise<RawTrail | undefined> {
  const eventSource = eventSourceFor(args.serviceName);
  const [writes, service] = await Promise.all([
    readStream(ctx, { AttributeKey: "ReadOnly", AttributeValue: "false" }, WRITE_PAGE_CAP, limiter),
    eventSource
      ? readStream(
          ctx,
          { AttributeKey: "EventSource", AttributeValue: eventSource },
          SERVICE_PAGE_CAP,
          limiter,
        )
      : Promise.resolve<StreamResult>({ events: [], scanned: 0, truncated: false }),
  ]);
  if (!writes || !service) return undefined;
  return {
    writes: writes.events,
    denied: service.events.filter(
      (event) => isDeniedError(event.errorCode) && event.vpcEndpointId === args.endpointId,
    ),
    scannedEvents: writes.scanned + service.scanned,
    truncated: writes.truncated || service.truncated,
  };
}

function newestFirst(a: TrailEvent, b: TrailEvent): number {
  return b.eventTime.localeCompare(a.eventTime);
}

/**
 * Narrows what was read to the snapshot's view: changes that touched the endpoint or one of `resourceIds`
 * (its VPC, subnets, security groups, NACLs, route tables, ENIs), and requests denied through the endpoint,
 * newest first.
 */
export function selectRelevantTrail(raw: RawTrail, endpointId: string, resourceIds: string[]): CloudTrail {
  const relevant = new Set([endpointId, ...resourceIds]);
  const changes = raw.writes
    .filter((event) => event.resourceIds.some((id) => relevant.has(id)))
    .sort(newestFirst);
  const denied = new Map<string, TrailEvent>();
  for (const event of [...raw.denied, ...raw.writes]) {
    if (isDeniedError(event.errorCode) && event.vpcEndpointId === endpointId)
      denied.set(event.eventId, event);
  }
  return {
    changes,
    accessDenied: [...denied.values()].sort(newestFirst),
    scannedEvents: raw.scannedEvents,
    truncated: raw.truncated,
  };
}
