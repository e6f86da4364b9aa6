import { type Event, type EventFilter, paginateDescribeEvents } from "@aws-sdk/client-health";
import type { Health, HealthEvent } from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext, sharedRead } from "../context.js";
import { errorName } from "../errors.js";

// AWS Health events that could explain a broken endpoint: EC2, VPC and PrivateLink in the endpoint's region.

/**
 * Health service codes to ask for. EC2 and VPC are documented codes (AWS_EC2_OPERATIONAL_ISSUE,
 * AWS_VPC_OPERATIONAL_ISSUE); PRIVATELINK could not be confirmed from public docs. An unknown code matches
 * nothing and is not an error, so listing it costs nothing.
 */
export const HEALTH_SERVICES = ["EC2", "VPC", "PRIVATELINK"];

/** What the snapshot says when the account's support plan does not include the Health API. */
export const SUBSCRIPTION_REQUIRED_MESSAGE =
  "The AWS Health API needs a Business, Enterprise On-Ramp or Enterprise Support plan";

const PAGE_CAP = 5;
const NO_SUBSCRIPTION: unique symbol = Symbol("subscription-required");

function normalise(event: Event): HealthEvent | undefined {
  if (!event.arn || !event.service || !event.eventTypeCode || !event.statusCode) return undefined;
  const out: HealthEvent = {
    arn: event.arn,
    service: event.service,
    eventTypeCode: event.eventTypeCode,
    statusCode: event.statusCode,
  };
  if (event.region) out.region = event.region;
  if (event.startTime) out.startTime = event.startTime.toISOString();
  if (event.endTime) out.endTime = event.endTime.toISOString();
  if (event.lastUpdatedTime) out.lastUpdatedTime = event.lastUpdatedTime.toISOString();
  return out;
}

/**
 * Open and upcoming events, plus events updated inside the window (closed recently): two DescribeEvents
 * queries, because one filter ANDs its fields. Newest update first. Without a support plan that includes the
 * Health API the result says so instead of recording a gap.
 */
export async function collectHealth(ctx: CollectContext): Promise<Health | undefined> {
  const base: EventFilter = { services: HEALTH_SERVICES, regions: [ctx.region] };
  const filters: EventFilter[] = [
    { ...base, eventStatusCodes: ["open", "upcoming"] },
    { ...base, lastUpdatedTimes: [{ from: ctx.window.start, to: ctx.window.end }] },
  ];
  // The region's events, not the endpoint's: one read serves every diagnosis of a storm (copied before sorting).
  const key = `health:DescribeEvents:${ctx.window.end.getTime() - ctx.window.start.getTime()}`;
  const shared = await attempt(ctx, "health", "health:DescribeEvents", () =>
    sharedRead(ctx, key, async () => {
      const found = new Map<string, HealthEvent>();
      try {
        for (const filter of filters) {
          let pages = 0;
          for await (const page of paginateDescribeEvents(
            { client: ctx.clients.health },
            { filter, maxResults: 100 },
          )) {
            for (const event of page.events ?? []) {
              const normalised = normalise(event);
              if (normalised) found.set(normalised.arn, normalised);
            }
            pages += 1;
            if (pages >= PAGE_CAP) break;
          }
        }
      } catch (error) {
        if (errorName(error) === "SubscriptionRequiredException") return NO_SUBSCRIPTION;
        throw error;
      }
      return [...found.values()];
    }),
  );
  if (shared === undefined) return undefined;
  if (shared === NO_SUBSCRIPTION)
    return { status: "subscription-required", message: SUBSCRIPTION_REQUIRED_MESSAGE };
  const events = structuredClone(shared);
  events.sort((a, b) => (b.lastUpdatedTime ?? "").localeCompare(a.lastUpdatedTime ?? ""));
  return { status: "ok", events };
}
