import type { App, CustomRoute } from "@slack/bolt";
import type { Logger } from "pino";
import { ChannelQueue } from "../alarms/channel-queue.js";
import type { Intake } from "../alarms/intake.js";
import type { RegionByName } from "../alarms/region.js";
import { SnsVerifier } from "../alarms/sns-verify.js";
import { StormDetector } from "../alarms/storm.js";
import type { ConfigFile } from "../config/schema.js";
import type { InFlight } from "../lifecycle/in-flight.js";
import type { Metrics } from "../observe/metrics.js";
import { type AlarmMemory, MemoryAlarmMemory } from "../state/alarm-memory.js";
import type { ReportStore } from "../state/report-store.js";
import { MemoryStateStore, type StateStore } from "../state/state-store.js";
import { registerStormActions } from "./actions/storm-actions.js";
import { createAlarmIntake } from "./alarm-intake.js";
import type { ReportFlow } from "./report-flow.js";
import { snsWebhook } from "./sns-webhook.js";
import { StormThreads } from "./storm-thread.js";
import { UserGroups } from "./user-groups.js";

/** What the alarm side needs from the composition root; the optional parts have production defaults. */
export interface AlarmSideOptions {
  config: ConfigFile;
  flow: ReportFlow;
  store: ReportStore;
  logger: Logger;
  regionByName: RegionByName;
  verifier?: SnsVerifier;
  confirm?: (url: string) => Promise<void>;
  memory?: AlarmMemory;
  queue?: ChannelQueue;
  clock?: () => number;
  metrics?: Metrics;
  /** Webhook deliveries are tracked here so shutdown waits for their posts. */
  work?: InFlight;
  /** How often a handler renews its MessageId's lease (default 20 s). */
  renewEveryMs?: number;
  /** Slack user-group memberships (the Export all button checks who may read the storm's account). */
  userGroups?: UserGroups;
  /** Where storm threads are kept (the bot's shared state; default this process's memory). */
  state?: StateStore;
  /** How long a new alarm is held before it may open its own root, and how often a storm thread is edited (ms). */
  stormTimings?: { holdMs?: number; editEveryMs?: number; editsPerSecond?: number };
}

/** GETs an SNS SubscribeURL (already checked to be https on an SNS host), with a time limit. */
async function confirmSubscription(url: string): Promise<void> {
  const response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`SubscribeURL answered ${response.status}`);
}

/**
 * The alarm intake and its HTTP route (`POST /alarms/sns`): routes go into the Bolt app's server; `attach`
 * builds the intake once the app (and so its Web API client) exists.
 */
export function createAlarmSide(options: AlarmSideOptions): {
  routes: CustomRoute[];
  attach: (app: App) => Intake;
  /** The storm threads, once attached (the Export all button reads them). */
  storms: () => StormThreads | undefined;
} {
  let intake: Intake | undefined;
  let storms: StormThreads | undefined;
  const alarms = options.config.alarms;
  const webhook = snsWebhook({
    verifier: options.verifier ?? new SnsVerifier(),
    topics: alarms?.topics ?? [],
    intake: () => intake,
    confirm: options.confirm ?? confirmSubscription,
    logger: options.logger.child({ component: "sns-webhook" }),
    metrics: options.metrics,
    clock: options.clock,
  });
  const work = options.work;
  const routes: CustomRoute[] = alarms
    ? [
        {
          path: "/alarms/sns",
          method: ["POST"],
          handler: work ? (req, res) => work.track(webhook(req, res)) : webhook,
        },
      ]
    : [];
  return {
    routes,
    storms: () => storms,
    attach(app) {
      // A little over Slack's 1 post per second per channel, so paced posts never land on the limit's edge.
      const queue = options.queue ?? new ChannelQueue({ intervalMs: 1_100 });
      options.metrics?.queueDepth("alarm_posts", () => queue.depth);
      const logger = options.logger.child({ component: "alarms" });
      storms = new StormThreads({
        client: app.client,
        state: options.state ?? new MemoryStateStore({ clock: options.clock }),
        queue,
        logger,
        clock: options.clock,
        editEveryMs: options.stormTimings?.editEveryMs,
        editsPerSecond: options.stormTimings?.editsPerSecond,
        threshold: alarms?.stormThreshold ?? 5,
      });
      registerStormActions(app, {
        storms: () => storms,
        config: options.config,
        userGroups: options.userGroups ?? new UserGroups(),
        logger,
      });
      intake = createAlarmIntake({
        config: options.config,
        client: app.client,
        flow: options.flow,
        store: options.store,
        memory:
          options.memory ?? new MemoryAlarmMemory({ threadWindowMs: (alarms?.threadHours ?? 6) * 3_600_000 }),
        queue,
        storm: new StormDetector({ threshold: alarms?.stormThreshold ?? 5 }),
        storms,
        holdMs: options.stormTimings?.holdMs,
        logger,
        parseOptions: {
          regionByName: options.regionByName,
          endpointRules: (alarms?.routes ?? []).flatMap((route) =>
            route.endpoint ? [{ alarm: route.match.alarm ?? "*", endpointId: route.endpoint }] : [],
          ),
        },
        clock: options.clock,
        renewEveryMs: options.renewEveryMs,
      });
      return intake;
    },
  };
}
