import type { webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { AlarmEvent, AlarmParseOptions } from "../alarms/alarm-event.js";
import type { ChannelQueue } from "../alarms/channel-queue.js";
import type { Intake, IntakeOutcome } from "../alarms/intake.js";
import { parseAlarmMessage } from "../alarms/parse.js";
import { routeAlarm } from "../alarms/route.js";
import type { StormDetector } from "../alarms/storm.js";
import { stormMember } from "../alarms/storm-state.js";
import type { AccountConfig, ConfigFile } from "../config/schema.js";
import type { DiagnosisRequest } from "../diagnosis/request.js";
import {
  type AlarmFacts,
  alarmInsufficientNote,
  alarmLead,
  alarmReasonDetails,
  alarmTrigger,
  renderAlarmNoEndpoint,
} from "../render/slack.js";
import type { AlarmMemory, AlarmThreadKey } from "../state/alarm-memory.js";
import type { ReportStore } from "../state/report-store.js";
import type { ReportFlow } from "./report-flow.js";
import type { StormThreads, StormWhere } from "./storm-thread.js";

/** What alarm handling needs: the config, the report thread machinery, memory, pacing and storm detection. */
export interface AlarmIntakeDeps {
  config: ConfigFile;
  client: webApi.WebClient;
  flow: ReportFlow;
  store: ReportStore;
  memory: AlarmMemory;
  queue: ChannelQueue;
  storm: StormDetector;
  /** The storm threads, kept in the shared state so replicas edit one thread. */
  storms: StormThreads;
  /** A new endpoint's alarm is held this long before it may open a root of its own (default 2 s): a storm opens one thread. */
  holdMs?: number;
  logger: Logger;
  parseOptions: AlarmParseOptions;
  clock?: () => number;
  /** How often a handler renews its MessageId's lease (default 20 s, a third of the 60 s lease). */
  renewEveryMs?: number;
}

/**
 * Turns a verified alarm message into Slack posts: a report thread on ALARM (or a fresh diagnosis in the
 * endpoint's recent thread), "recovered" with a confirming diagnosis on OK, a note on INSUFFICIENT_DATA,
 * and one grouped thread when more endpoints alarm at once than the storm threshold.
 */
export function createAlarmIntake(deps: AlarmIntakeDeps): Intake {
  const now = () => (deps.clock ?? Date.now)();

  return async (message, via): Promise<IntakeOutcome> => {
    const parsed = parseAlarmMessage(message, deps.parseOptions);
    if (!parsed.ok) {
      deps.logger.warn({ via, reason: parsed.reason }, "alarm message rejected");
      return { kind: "rejected", reason: parsed.reason };
    }
    const event = parsed.event;
    const log = deps.logger.child({
      alarm: event.alarmName,
      accountId: event.accountId,
      region: event.region,
      via,
    });
    const route = routeAlarm(deps.config, event);
    if ("refused" in route) {
      log.warn({ reason: route.refused }, "alarm refused");
      return { kind: "refused", reason: route.refused };
    }
    const messageId = event.messageId;
    if (!messageId) {
      await handle(event, route.channel, route.account).catch((error: unknown) => {
        log.error({ err: (error as Error).message }, "alarm could not be posted");
        throw error;
      });
      return { kind: "posted" };
    }
    const claim = await deps.memory.claim(messageId);
    if (claim === "done") {
      log.info({ messageId }, "duplicate alarm message");
      return { kind: "duplicate" };
    }
    if (claim === "handling") {
      log.info({ messageId }, "alarm message is already being handled");
      return { kind: "in-progress" };
    }
    // Keep the lease alive while posts wait their turn; if this process dies, it lapses and a redelivery wins.
    let renewing: Promise<void> = Promise.resolve();
    const renewal = setInterval(() => {
      renewing = deps.memory.renew(messageId).catch((error: unknown) => {
        log.warn({ messageId, err: (error as Error).message }, "could not renew the alarm's lease");
      });
    }, deps.renewEveryMs ?? 20_000);
    renewal.unref();
    // A renewal still on its way must land before the final write, or it would overwrite it.
    const stopRenewing = async () => {
      clearInterval(renewal);
      await renewing;
    };
    try {
      await handle(event, route.channel, route.account);
    } catch (error) {
      await stopRenewing();
      await deps.memory.forget(messageId);
      log.error({ err: (error as Error).message }, "alarm could not be posted");
      throw error;
    }
    await stopRenewing();
    await deps.memory.finish(messageId);
    return { kind: "posted" };
  };

  async function handle(event: AlarmEvent, channel: string, account: AccountConfig): Promise<void> {
    const facts: AlarmFacts = {
      name: event.alarmName,
      state: event.state,
      region: event.region,
      accountAlias: account.alias,
      reason: event.reason,
      changedAt: event.changedAt,
    };
    const paced = <T>(task: () => Promise<T>) => deps.queue.enqueue(channel, task);
    if (!event.endpointId) {
      await paced(() => deps.client.chat.postMessage({ channel, ...renderAlarmNoEndpoint(facts) }));
      return;
    }
    const key: AlarmThreadKey = {
      channel,
      accountId: event.accountId,
      region: event.region,
      endpointId: event.endpointId,
    };
    const thread = await deps.memory.threadFor(key);
    const record = thread ? await deps.store.get(thread.reportId) : undefined;
    const trigger = alarmTrigger(facts);
    const details = alarmReasonDetails(facts);
    const requester = `alarm:${event.alarmName}`.slice(0, 40);

    if (event.state === "OK" || event.state === "INSUFFICIENT_DATA") {
      if (!record) return;
      if (event.state === "INSUFFICIENT_DATA") {
        const note = alarmInsufficientNote(facts);
        await paced(() =>
          deps.flow.note(deps.client, record.placement.channel, record.placement.rootTs, note),
        );
        return;
      }
      const next = await paced(() =>
        deps.flow.rerun(deps.client, record, account, requester, "alarm", {
          lead: alarmLead(facts, "recovered"),
          trigger,
          details,
        }),
      );
      await deps.memory.rememberThread(key, {
        rootTs: next.placement.rootTs,
        reportId: next.id,
        openedAt: thread!.openedAt,
      });
      return;
    }

    if (record && thread) {
      const next = await paced(() =>
        deps.flow.rerun(deps.client, record, account, requester, "alarm", {
          lead: alarmLead(facts, "again"),
          trigger,
          details,
        }),
      );
      await deps.memory.rememberThread(key, {
        rootTs: next.placement.rootTs,
        reportId: next.id,
        openedAt: thread.openedAt,
      });
      return;
    }

    const request: DiagnosisRequest = {
      endpointId: event.endpointId,
      region: event.region,
      account: account.alias,
      windowHours: 1,
      requester: `alarm-${event.alarmName}`.slice(0, 48),
    };
    const arrived = now();
    deps.storm.record(channel, event.endpointId, arrived);
    await deps.storms.record(channel, event.endpointId, arrived);
    // Diagnose now (bounded per account), post in turn: the channel's pace applies to posts, not diagnoses.
    const prepared = await deps.flow.prepare(request, account, "alarm");
    const where: StormWhere = {
      channel,
      accountId: event.accountId,
      accountAlias: account.alias,
      region: event.region,
    };
    if (await inStorm(where, arrived)) {
      await deps.storms.join(where, stormMember(prepared.report));
      return;
    }
    const posted = await paced(() =>
      deps.flow.publish(deps.client, channel, request, account, trigger, prepared, { details }),
    );
    await deps.memory.rememberThread(key, {
      rootTs: posted.placement.rootTs,
      reportId: posted.id,
      openedAt: now(),
    });
  }

  /**
   * Whether an endpoint that alarmed at `arrived` belongs to a storm: decided once the hold is over (so the first
   * alarms of a storm wait for the rest instead of opening roots of their own), from this replica's count, the count
   * all replicas share, or a storm thread another replica opened.
   */
  async function inStorm(where: StormWhere, arrived: number): Promise<boolean> {
    const wait = arrived + (deps.holdMs ?? 2_000) - now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return deps.storm.inStorm(where.channel, now()) || (await deps.storms.inStorm(where, now()));
  }
}
