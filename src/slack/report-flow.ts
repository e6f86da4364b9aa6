import type { webApi } from "@slack/bolt";
import type { AccountConfig } from "../config/schema.js";
import { DEFAULT_DEADLINES } from "../diagnosis/deadline.js";
import type { DeliveredReport, Rerun } from "../diagnosis/delivery.js";
import type { DiagnosisRequest } from "../diagnosis/request.js";
import {
  type Collect,
  type Diagnosed,
  DiagnosisScheduler,
  type SchedulerDeps,
} from "../diagnosis/scheduler.js";
import type { DiagnosisTrigger } from "../observe/metrics.js";
import { renderProbeNote, userMention } from "../render/slack.js";
import { endpointMissing, renderEndpointMissing, renderSlowNotice } from "../render/slack-answers.js";
import type { SlackMessage } from "../render/slack-types.js";
import {
  newReportId,
  type ReportRecord,
  type ReportStore,
  type SlackPlacement,
} from "../state/report-store.js";
import { encodeRequestKey } from "./request-key.js";
import { type SlackTarget, SlackThreadDelivery } from "./thread-delivery.js";

type WebClient = webApi.WebClient;

export type { Collect };

/** What the report flow needs: what the scheduler needs (AWS collection, a logger, limits), the report store and probes. */
export interface ReportFlowDeps extends SchedulerDeps {
  store: ReportStore;
  /** The instance a report in `channel` may be probed from (its "Test from" button), or undefined: no button. */
  probeOffer?: (channel: string, request: DiagnosisRequest) => string | undefined;
}

/** A diagnosis done and not yet posted. */
export type Prepared = Diagnosed;

/** Where a report's root message sits. */
export interface Placement {
  channel: string;
  rootTs: string;
}

/** Tells the requester something only they see (ephemeral, through response_url). */
export type Tell = (message: SlackMessage) => Promise<void>;

/**
 * Reports as Slack threads: diagnoses through the scheduler, placed by the Slack thread delivery, remembered in
 * the report store with their placement so any replica can update them in place.
 */
export class ReportFlow {
  private readonly scheduler: DiagnosisScheduler;

  constructor(private readonly deps: ReportFlowDeps) {
    this.scheduler = new DiagnosisScheduler(deps);
  }

  /** Diagnoses waiting for a slot. */
  waiting(): number {
    return this.scheduler.waiting();
  }

  /** Diagnoses `request` and posts its thread in `channel`; returns the stored record. */
  async postNew(
    client: WebClient,
    channel: string,
    request: DiagnosisRequest,
    account: AccountConfig | undefined,
    trigger: string,
    target: Omit<SlackTarget, "channel"> = {},
  ): Promise<ReportRecord> {
    const prepared = await this.prepare(request, account);
    return this.publish(client, channel, request, account, trigger, prepared, target);
  }

  /**
   * A command's diagnosis: the requester hears "still waiting on <calls>" when AWS is slow, and an endpoint that is
   * missing, elsewhere or unreadable is answered to them alone, with no thread. Undefined when nothing was posted.
   */
  async forCommand(
    client: WebClient,
    channel: string,
    request: DiagnosisRequest,
    account: AccountConfig | undefined,
    trigger: string,
    tell: Tell,
  ): Promise<ReportRecord | undefined> {
    const prepared = await this.prepare(request, account, "command", this.slowNotice(request, tell));
    if (endpointMissing(prepared.report)) {
      const foundInRegions = prepared.snapshot.notFound?.foundInRegions;
      const accountLabel = account ? `${account.alias} (${account.id})` : prepared.report.account.id;
      await tell(
        renderEndpointMissing(prepared.report, {
          requestKey: encodeRequestKey(request),
          accountLabel,
          foundInRegions,
        }),
      );
      return undefined;
    }
    return this.publish(client, channel, request, account, trigger, prepared);
  }

  /** The diagnosis half of `postNew`, so callers that pace posts can diagnose ahead of their turn. */
  prepare(
    request: DiagnosisRequest,
    account: AccountConfig | undefined,
    trigger: DiagnosisTrigger = "command",
    onSlow?: (waitingOn: string[]) => void,
  ): Promise<Prepared> {
    return this.scheduler.diagnose(request, account, trigger, onSlow);
  }

  /** The posting half of `postNew`: the root message (in a thread when placed there) and its replies. */
  async publish(
    client: WebClient,
    channel: string,
    request: DiagnosisRequest,
    account: AccountConfig | undefined,
    trigger: string,
    prepared: Prepared,
    target: Omit<SlackTarget, "channel"> & { details?: string } = {},
  ): Promise<ReportRecord> {
    const empty = { channel, rootTs: "", replies: {} };
    const record = this.recordOf(newReportId(), request, account, trigger, prepared, empty);
    if (target.details) record.triggerDetails = target.details;
    record.placement = await new SlackThreadDelivery(client).open(this.delivered(record), {
      channel,
      ...target,
    });
    await this.deps.store.put(record);
    return record;
  }

  /**
   * Runs the record's request again (as `userId`, with 24 h when extending), updates the thread in place and
   * replies with what changed. The caller holds the report's lock.
   */
  async rerun(
    client: WebClient,
    record: ReportRecord,
    account: AccountConfig | undefined,
    userId: string,
    kind: "rerun" | "extend" | "alarm",
    alarm?: { lead: string; trigger: string; details?: string },
  ): Promise<ReportRecord> {
    const thread = new SlackThreadDelivery(client);
    const before = this.delivered(record);
    await thread.busy(before, record.placement, true);
    const request: DiagnosisRequest = {
      ...record.request,
      requester: userId,
      windowHours: kind === "extend" ? 24 : record.request.windowHours,
    };
    const prepared = await this.prepare(request, account, kind).catch(async (error) => {
      await thread.busy(before, record.placement, false);
      throw error;
    });
    // An alarm thread keeps its alarm's trigger line (escaped by the renderer), whoever reruns it; else who clicked.
    // Never a mention built from an alarm's name.
    const trigger =
      alarm?.trigger ??
      (record.triggerDetails
        ? record.trigger
        : `${userMention(userId)} via ${kind === "extend" ? "Extend to 24 h" : "Rerun"}`);
    const next = this.recordOf(record.id, request, account, trigger, prepared, record.placement);
    const details = alarm ? alarm.details : record.triggerDetails;
    if (details) next.triggerDetails = details;
    const why: Rerun = { userId, kind, lead: alarm?.lead };
    next.placement = await thread.refresh(before, this.delivered(next), record.placement, why);
    await this.deps.store.put(next);
    return next;
  }

  /**
   * For a click on a report the store no longer holds: run the request again and update that thread in place (the
   * root, and the replies found through conversations.replies). At most one new post: the rerun note, and not even
   * that when `quiet` (Show details or Show all checks on a forgotten report).
   */
  async revive(
    client: WebClient,
    at: Placement,
    request: DiagnosisRequest,
    account: AccountConfig | undefined,
    userId: string,
    options: { quiet?: boolean; expand?: string; trigger?: string } = {},
  ): Promise<ReportRecord> {
    const thread = new SlackThreadDelivery(client);
    const prepared = await this.prepare(request, account, "revive");
    const found = await thread.rediscover(at.channel, at.rootTs);
    const trigger = options.trigger ?? `${userMention(userId)} via Rerun`;
    const record = this.recordOf(newReportId(), request, account, trigger, prepared, found);
    const why: Rerun = { userId, kind: "expired" };
    const refresh = { quiet: true, silent: options.quiet, expand: options.expand };
    record.placement = await thread.refresh(undefined, this.delivered(record), found, why, refresh);
    await this.deps.store.put(record);
    return record;
  }

  /** Posts a short note (mrkdwn, already escaped by the caller) in a report's thread. */
  note(client: WebClient, channel: string, threadTs: string, text: string): Promise<string> {
    return new SlackThreadDelivery(client).note(channel, threadTs, text);
  }

  /** Shows (`show`) or hides the details of one check's reply; no stored state changes. */
  async toggle(
    client: WebClient,
    record: ReportRecord,
    checkId: string,
    show: boolean,
    ts?: string,
  ): Promise<void> {
    await new SlackThreadDelivery(client).toggle(this.delivered(record), record.placement, checkId, show, ts);
  }

  /** Uploads the report's snapshot JSON into its thread. */
  exportSnapshot(client: WebClient, record: ReportRecord): Promise<void> {
    return new SlackThreadDelivery(client).exportSnapshot(this.delivered(record), record.placement);
  }

  /**
   * The "Test from" click: the record's request run again from `instanceId` with the client probe, as `userId`;
   * the thread is updated in place and says who ran the probe on which instance. The stored request keeps the
   * instance but not the probe, so a later Rerun never sends a command. The caller holds the report's lock.
   */
  async probe(
    client: WebClient,
    record: ReportRecord,
    account: AccountConfig | undefined,
    userId: string,
    instanceId: string,
  ): Promise<ReportRecord> {
    const thread = new SlackThreadDelivery(client);
    const before = this.delivered(record);
    await thread.busy(before, record.placement, true);
    const source = { kind: "instance" as const, value: instanceId };
    const request: DiagnosisRequest = { ...record.request, source, requester: userId, probe: true };
    const prepared = await this.prepare(request, account, "command").catch(async (error) => {
      await thread.busy(before, record.placement, false);
      throw error;
    });
    const trigger = `${userMention(userId)} via Test from ${instanceId}`;
    const stored: DiagnosisRequest = { ...request, probe: undefined };
    const next = this.recordOf(record.id, stored, account, trigger, prepared, record.placement);
    next.placement = await thread.refresh(before, this.delivered(next), record.placement, {
      userId,
      kind: "rerun",
    });
    await this.deps.store.put(next);
    const check = prepared.report.checks.find((c) => c.id === "client-probe");
    await thread.note(
      record.placement.channel,
      record.placement.rootTs,
      renderProbeNote(userId, instanceId, check),
    );
    return next;
  }

  /** A record as the delivery sees it, with the probe button where this channel offers it. */
  private delivered(record: ReportRecord): DeliveredReport {
    const probeFrom = this.deps.probeOffer?.(record.placement.channel, record.request);
    return { ...delivered(record), ...(probeFrom ? { probeFrom } : {}) };
  }

  private slowNotice(request: DiagnosisRequest, tell: Tell): (waitingOn: string[]) => void {
    const limits = { ...DEFAULT_DEADLINES, ...this.scheduler.deadlines };
    return (waitingOn) => {
      const notice = renderSlowNotice(request.endpointId, waitingOn, limits.slowNoticeMs, limits.totalMs);
      tell(notice).catch((error: unknown) =>
        this.deps.logger.warn({ err: String(error) }, "could not tell the requester that AWS is slow"),
      );
    };
  }

  private recordOf(
    id: string,
    request: DiagnosisRequest,
    account: AccountConfig | undefined,
    trigger: string,
    prepared: Prepared,
    placement: SlackPlacement,
  ): ReportRecord {
    const { report, snapshot, startedAt } = prepared;
    return { id, request, accountAlias: account?.alias, placement, trigger, startedAt, report, snapshot };
  }
}

/** A stored record as the delivery sees it. */
export function delivered(record: ReportRecord): DeliveredReport {
  return {
    id: record.id,
    trigger: record.trigger,
    accountAlias: record.accountAlias,
    requestKey: encodeRequestKey(record.request),
    report: record.report,
    snapshot: record.snapshot,
    startedAt: record.startedAt,
  };
}
