import type { webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { AccountConfig } from "../config/schema.js";
import type { Report } from "../diagnosis/report.js";
import type { DiagnosisRequest } from "../diagnosis/request.js";
import { type DiagnosisSettings, runDiagnosis } from "../diagnosis/run.js";
import type { Snapshot } from "../diagnosis/snapshot.js";
import type { DiagnosisTrigger, Metrics } from "../observe/metrics.js";
import {
  problemChecks,
  renderFindingReply,
  renderPassedReply,
  renderRerunReply,
  renderRoot,
  userMention,
} from "../render/slack.js";
import type { SlackMessage } from "../render/slack-types.js";
import { newReportId, type ReportRecord, type ReportStore } from "../state/report-store.js";
import { encodeRequestKey } from "./request-key.js";
import { RunQueue } from "./run-queue.js";

type WebClient = webApi.WebClient;

/** Collects a snapshot for a request in an account (undefined: the bot's own credentials). */
export type Collect = (request: DiagnosisRequest, account: AccountConfig | undefined) => Promise<Snapshot>;

/** What the report thread needs: AWS collection, the report store, a logger and a clock. */
export interface ReportFlowDeps {
  collect: Collect;
  store: ReportStore;
  logger: Logger;
  clock?: () => number;
  /** At most this many diagnoses run at once in this process (default 16). */
  concurrency?: number;
  /** At most this many diagnoses run at once against one account, so a storm cannot flood its APIs (default 4). */
  perAccount?: number;
  /** Where finished diagnoses and the queue depth are reported (default: nowhere). */
  metrics?: Metrics;
  /** The config's suppressions and service ports, applied to every diagnosis. */
  settings?: DiagnosisSettings;
}

/** A diagnosis done and not yet posted. */
export interface Prepared {
  report: Report;
  snapshot: Snapshot;
  startedAt: number;
}

/** Where a report's root message sits. */
export interface Placement {
  channel: string;
  rootTs: string;
}

/** Runs diagnoses and keeps their Slack threads: post a new one, rerun in place, toggle details. */
export class ReportFlow {
  private readonly queue: RunQueue;
  private readonly accountQueues = new Map<string, RunQueue>();

  constructor(private readonly deps: ReportFlowDeps) {
    this.queue = new RunQueue(deps.concurrency ?? 16);
    deps.metrics?.queueDepth("diagnoses", () => this.waiting());
  }

  /** Diagnoses waiting for a slot, in the global queue and the per-account ones. */
  waiting(): number {
    let depth = this.queue.depth;
    for (const queue of this.accountQueues.values()) depth += queue.depth;
    return depth;
  }

  private accountQueue(account: AccountConfig | undefined): RunQueue {
    const key = account?.id ?? "ambient";
    let queue = this.accountQueues.get(key);
    if (!queue) {
      queue = new RunQueue(this.deps.perAccount ?? 4);
      this.accountQueues.set(key, queue);
    }
    return queue;
  }

  private now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  /** Diagnoses `request` and posts the root message and its thread in `channel`; returns the stored record. */
  async postNew(
    client: WebClient,
    channel: string,
    request: DiagnosisRequest,
    account: AccountConfig | undefined,
    trigger: string,
    placement: { threadTs?: string; compact?: boolean } = {},
  ): Promise<ReportRecord> {
    const prepared = await this.prepare(request, account);
    return this.publish(client, channel, request, account, trigger, prepared, placement);
  }

  /** The diagnosis half of `postNew`, so callers that pace posts can diagnose ahead of their turn. */
  async prepare(
    request: DiagnosisRequest,
    account: AccountConfig | undefined,
    trigger: DiagnosisTrigger = "command",
  ): Promise<Prepared> {
    const startedAt = Math.floor(this.now() / 1000);
    const { report, snapshot } = await this.diagnose(request, account, trigger);
    return { report, snapshot, startedAt };
  }

  /** The posting half of `postNew`: the root message (in a thread when placed there) and its replies. */
  async publish(
    client: WebClient,
    channel: string,
    request: DiagnosisRequest,
    account: AccountConfig | undefined,
    trigger: string,
    prepared: Prepared,
    placement: { threadTs?: string; compact?: boolean } = {},
  ): Promise<ReportRecord> {
    const { report, snapshot, startedAt } = prepared;
    const id = newReportId();
    const root = renderRoot(report, this.rootContext(id, request, trigger, startedAt, account));
    const posted = await client.chat.postMessage({
      channel,
      ...root,
      thread_ts: placement.threadTs,
      unfurl_links: false,
      unfurl_media: false,
    });
    const record: ReportRecord = {
      id,
      request,
      accountAlias: account?.alias,
      channel: posted.channel ?? channel,
      rootTs: posted.ts!,
      replies: {},
      expanded: [],
      trigger,
      startedAt,
      report,
      snapshot,
    };
    await this.deps.store.put(record);
    // In a storm every endpoint's report is itself a reply in one shared thread: no per-check replies there.
    if (placement.compact) return record;
    await this.postThread(client, record);
    await this.deps.store.put(record);
    return record;
  }

  /**
   * Runs the record's request again (as `userId`, with `windowHours` when extending), updates the root in
   * place and replies with what changed. The caller holds the report's lock.
   */
  async rerun(
    client: WebClient,
    record: ReportRecord,
    account: AccountConfig | undefined,
    userId: string,
    kind: "rerun" | "extend" | "alarm",
    alarm?: { lead: string; trigger: string },
  ): Promise<ReportRecord> {
    const before = record.report;
    await this.update(
      client,
      record.channel,
      record.rootTs,
      renderRoot(before, { ...this.contextOf(record), busy: "rerunning" }),
    );
    const request: DiagnosisRequest = {
      ...record.request,
      requester: userId,
      windowHours: kind === "extend" ? 24 : record.request.windowHours,
    };
    const startedAt = Math.floor(this.now() / 1000);
    const { report, snapshot } = await this.diagnose(request, account, kind).catch(async (error) => {
      await this.update(client, record.channel, record.rootTs, renderRoot(before, this.contextOf(record)));
      throw error;
    });
    const next: ReportRecord = {
      ...record,
      request,
      report,
      snapshot,
      startedAt,
      // An alarm's own trigger line (escaped by the renderer), else who clicked: never a mention built from an alarm.
      trigger:
        alarm?.trigger ?? `${userMention(userId)} via ${kind === "extend" ? "Extend to 24 h" : "Rerun"}`,
    };
    await this.update(client, next.channel, next.rootTs, renderRoot(report, this.contextOf(next)));
    await this.reply(client, next, renderRerunReply(before, report, { userId, kind, lead: alarm?.lead }));
    await this.refreshThread(client, next, before);
    await this.deps.store.put(next);
    return next;
  }

  /**
   * For a click on a report the store no longer holds: run the request again, update that root message in
   * place, say so in the thread, and keep the new report under a new id.
   */
  async revive(
    client: WebClient,
    placement: Placement,
    request: DiagnosisRequest,
    account: AccountConfig | undefined,
    userId: string,
  ): Promise<ReportRecord> {
    const startedAt = Math.floor(this.now() / 1000);
    const { report, snapshot } = await this.diagnose(request, account, "revive");
    const record: ReportRecord = {
      id: newReportId(),
      request,
      accountAlias: account?.alias,
      channel: placement.channel,
      rootTs: placement.rootTs,
      replies: {},
      expanded: [],
      trigger: `${userMention(userId)} via Rerun`,
      startedAt,
      report,
      snapshot,
    };
    await this.update(client, record.channel, record.rootTs, renderRoot(report, this.contextOf(record)));
    await this.deps.store.put(record);
    await this.reply(client, record, renderRerunReply(undefined, report, { userId, kind: "expired" }));
    await this.postThread(client, record);
    await this.deps.store.put(record);
    return record;
  }

  /** Posts a short note (mrkdwn, already escaped by the caller) in a report's thread. */
  async note(client: WebClient, channel: string, threadTs: string, text: string): Promise<string> {
    const out = await client.chat.postMessage({
      channel,
      thread_ts: threadTs,
      text,
      blocks: [{ type: "section", text: { type: "mrkdwn", text } }],
      unfurl_links: false,
      unfurl_media: false,
    });
    return out.ts!;
  }

  /** Shows or hides the details of one check's reply. */
  async toggle(client: WebClient, record: ReportRecord, checkId: string): Promise<ReportRecord> {
    const check = record.report.checks.find((c) => c.id === checkId);
    const ts = record.replies[checkId];
    if (!check || !ts) return record;
    const expanded = record.expanded.includes(checkId)
      ? record.expanded.filter((id) => id !== checkId)
      : [...record.expanded, checkId];
    const next = { ...record, expanded };
    await this.update(
      client,
      record.channel,
      ts,
      renderFindingReply(record.report, check, this.replyContext(next, checkId)),
    );
    await this.deps.store.put(next);
    return next;
  }

  /** Uploads the report's snapshot JSON into its thread. */
  async exportSnapshot(client: WebClient, record: ReportRecord): Promise<void> {
    const stamp = record.snapshot.collectedAt.replace(/[:.]/g, "-");
    await client.files.uploadV2({
      channel_id: record.channel,
      thread_ts: record.rootTs,
      filename: `${record.request.endpointId}-${stamp}.json`,
      title: `Snapshot of ${record.request.endpointId} (${record.request.region})`,
      content: `${JSON.stringify(record.snapshot, null, 2)}\n`,
      initial_comment: `Snapshot of ${record.request.endpointId}: diagnose it offline with \`vpce-doctor diagnose --snapshot <file>\``,
    });
  }

  private async diagnose(
    request: DiagnosisRequest,
    account: AccountConfig | undefined,
    trigger: DiagnosisTrigger,
  ) {
    const started = this.now();
    let result: Awaited<ReturnType<typeof runDiagnosis>>;
    try {
      result = await this.accountQueue(account).run(() =>
        this.queue.run(() =>
          runDiagnosis(request, {
            collect: (r) => this.deps.collect(r, account),
            settings: this.deps.settings,
          }),
        ),
      );
    } catch (error) {
      this.deps.metrics?.diagnosis(trigger, "error", (this.now() - started) / 1000);
      throw error;
    }
    this.deps.metrics?.diagnosis(trigger, result.report.verdict.status, (this.now() - started) / 1000);
    this.deps.logger.info(
      {
        endpointId: request.endpointId,
        region: request.region,
        account: account?.alias ?? "ambient",
        requester: request.requester,
        verdict: result.report.verdict.status,
        cause: result.report.verdict.cause,
        durationMs: result.report.stats.durationMs,
        awsCalls: result.report.stats.awsCalls,
      },
      "diagnosis done",
    );
    return result;
  }

  private rootContext(
    reportId: string,
    request: DiagnosisRequest,
    trigger: string,
    startedAt: number,
    account: AccountConfig | undefined,
  ) {
    return {
      reportId,
      requestKey: encodeRequestKey(request),
      trigger,
      startedAt,
      accountAlias: account?.alias,
    };
  }

  private contextOf(record: ReportRecord) {
    return {
      reportId: record.id,
      requestKey: encodeRequestKey(record.request),
      trigger: record.trigger,
      startedAt: record.startedAt,
      accountAlias: record.accountAlias,
    };
  }

  private replyContext(record: ReportRecord, checkId: string) {
    return {
      reportId: record.id,
      requestKey: encodeRequestKey(record.request),
      expanded: record.expanded.includes(checkId),
    };
  }

  private async postThread(client: WebClient, record: ReportRecord): Promise<void> {
    for (const check of problemChecks(record.report)) {
      record.replies[check.id] = await this.reply(
        client,
        record,
        renderFindingReply(record.report, check, this.replyContext(record, check.id)),
      );
    }
    record.passedTs = await this.reply(client, record, renderPassedReply(record.report));
  }

  private async refreshThread(client: WebClient, record: ReportRecord, before: Report): Promise<void> {
    const problems = problemChecks(record.report);
    for (const check of problems) {
      const ts = record.replies[check.id];
      const message = renderFindingReply(record.report, check, this.replyContext(record, check.id));
      if (ts) await this.update(client, record.channel, ts, message);
      else record.replies[check.id] = await this.reply(client, record, message);
    }
    for (const [checkId, ts] of Object.entries(record.replies)) {
      if (problems.some((c) => c.id === checkId)) continue;
      const check =
        record.report.checks.find((c) => c.id === checkId) ?? before.checks.find((c) => c.id === checkId);
      if (check)
        await this.update(
          client,
          record.channel,
          ts,
          renderFindingReply(record.report, check, this.replyContext(record, checkId)),
        );
    }
    const passed = renderPassedReply(record.report);
    if (record.passedTs) await this.update(client, record.channel, record.passedTs, passed);
    else record.passedTs = await this.reply(client, record, passed);
  }

  private async reply(client: WebClient, record: ReportRecord, message: SlackMessage): Promise<string> {
    const out = await client.chat.postMessage({
      channel: record.channel,
      thread_ts: record.rootTs,
      ...message,
      unfurl_links: false,
      unfurl_media: false,
    });
    return out.ts!;
  }

  private async update(client: WebClient, channel: string, ts: string, message: SlackMessage): Promise<void> {
    await client.chat.update({ channel, ts, ...message });
  }
}
