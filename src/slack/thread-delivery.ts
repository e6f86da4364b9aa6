import type { webApi } from "@slack/bolt";
import type { DeliveredReport, ReportDelivery, Rerun } from "../diagnosis/delivery.js";
import {
  failingChecks,
  parseToggleActionId,
  renderAlsoNoticed,
  renderFindingReply,
  renderNote,
  renderRerunReply,
  renderRoot,
} from "../render/slack.js";
import type { SlackMessage } from "../render/slack-types.js";
import type { SlackPlacement } from "../state/report-store.js";

type WebClient = webApi.WebClient;

/** Where a new report goes: a channel, or (a storm's member) a reply in a thread with no per-check replies. */
export interface SlackTarget {
  channel: string;
  threadTs?: string;
  compact?: boolean;
}

/** At most this many channel posts for a new report: root, failing replies, then "Also noticed" if there is room. */
const QUIET_POSTS = 3;

/** The Slack thread as a delivery: the root is the answer, one reply per failing check, one "Also noticed". */
export class SlackThreadDelivery implements ReportDelivery<SlackPlacement, SlackTarget> {
  constructor(private readonly client: WebClient) {}

  /** Posts the root, then one reply per failing check, then "Also noticed" while the thread stays within 3 posts. */
  async open(report: DeliveredReport, target: SlackTarget): Promise<SlackPlacement> {
    const root = await this.post(
      target.channel,
      renderRoot(report.report, rootContext(report)),
      target.threadTs,
    );
    const placement: SlackPlacement = { channel: root.channel, rootTs: root.ts, replies: {} };
    if (target.compact) return placement;
    for (const check of failingChecks(report.report)) {
      const message = renderFindingReply(report.report, check, replyContext(report, false));
      placement.replies[check.id] = (await this.post(placement.channel, message, placement.rootTs)).ts;
    }
    const noticed = renderAlsoNoticed(report.report, { requestKey: report.requestKey });
    if (noticed && 1 + Object.keys(placement.replies).length < QUIET_POSTS) {
      placement.noticedTs = (await this.post(placement.channel, noticed, placement.rootTs)).ts;
    }
    return placement;
  }

  /** Shows "Rerunning…" on the root, or restores it. */
  async busy(report: DeliveredReport, placement: SlackPlacement, busy: boolean): Promise<void> {
    const context = { ...rootContext(report), ...(busy ? { busy: "rerunning" as const } : {}) };
    await this.update(placement.channel, placement.rootTs, renderRoot(report.report, context));
  }

  /**
   * Updates the root and every reply in place and posts the rerun note; a failing check with no reply yet gets one
   * (unless `quiet`: a revived thread posts nothing but the note, the note naming what fails).
   */
  async refresh(
    before: DeliveredReport | undefined,
    after: DeliveredReport,
    placement: SlackPlacement,
    why: Rerun,
    options: { quiet?: boolean; silent?: boolean; expand?: string } = {},
  ): Promise<SlackPlacement> {
    const next: SlackPlacement = { ...placement, replies: { ...placement.replies } };
    await this.update(next.channel, next.rootTs, renderRoot(after.report, rootContext(after)));
    if (!options.silent) {
      const note = renderRerunReply(before?.report, after.report, why);
      await this.post(next.channel, note, next.rootTs);
    }
    await this.refreshReplies(before, after, next, options);
    const afterFix =
      before !== undefined && failingChecks(before.report).length > failingChecks(after.report).length;
    const noticed = renderAlsoNoticed(after.report, { afterFix, requestKey: after.requestKey });
    if (next.noticedTs && noticed) await this.update(next.channel, next.noticedTs, noticed);
    return next;
  }

  /** Shows or hides one reply's details: the intent comes from the button, so a repeat click changes nothing. */
  async toggle(
    report: DeliveredReport,
    placement: SlackPlacement,
    checkId: string,
    show: boolean,
    ts?: string,
  ) {
    const check = report.report.checks.find((c) => c.id === checkId);
    const at = ts ?? placement.replies[checkId];
    if (!check || !at) return;
    await this.update(
      placement.channel,
      at,
      renderFindingReply(report.report, check, replyContext(report, show)),
    );
  }

  /** Posts a short note (mrkdwn the caller escaped) in a thread; returns its ts. */
  async note(channel: string, threadTs: string, text: string): Promise<string> {
    return (await this.post(channel, renderNote(text), threadTs)).ts;
  }

  /** Uploads the report's snapshot JSON into its thread. */
  async exportSnapshot(report: DeliveredReport, placement: SlackPlacement): Promise<void> {
    const { request, snapshot } = { request: report.report, snapshot: report.snapshot };
    const stamp = snapshot.collectedAt.replace(/[:.]/g, "-");
    await this.client.files.uploadV2({
      channel_id: placement.channel,
      thread_ts: placement.rootTs,
      filename: `${request.endpointId}-${stamp}.json`,
      title: `Snapshot of ${request.endpointId} (${request.region})`,
      content: `${JSON.stringify(snapshot, null, 2)}\n`,
      initial_comment: `Snapshot of ${request.endpointId}: diagnose it offline with \`vpce-doctor diagnose --snapshot <file>\``,
    });
  }

  /**
   * The replies of a thread this process no longer remembers, found with conversations.replies: each failing
   * check's reply (by its toggle's check id) and the "Also noticed" reply.
   */
  async rediscover(channel: string, rootTs: string): Promise<SlackPlacement> {
    const placement: SlackPlacement = { channel, rootTs, replies: {} };
    const answer = await this.client.conversations.replies({ channel, ts: rootTs, limit: 200 });
    for (const message of (answer.messages ?? []) as ThreadMessage[]) {
      if (!message.ts || message.ts === rootTs) continue;
      const checkId = toggleCheckOf(message);
      if (checkId) placement.replies[checkId] = message.ts;
      else if (/^Also noticed on /.test(message.text ?? "")) placement.noticedTs = message.ts;
    }
    return placement;
  }

  private async refreshReplies(
    before: DeliveredReport | undefined,
    after: DeliveredReport,
    placement: SlackPlacement,
    options: { quiet?: boolean; expand?: string },
  ): Promise<void> {
    const failing = failingChecks(after.report);
    for (const check of failing) {
      const ts = placement.replies[check.id];
      const message = renderFindingReply(
        after.report,
        check,
        replyContext(after, options.expand === check.id),
      );
      if (ts) await this.update(placement.channel, ts, message);
      else if (!options.quiet)
        placement.replies[check.id] = (await this.post(placement.channel, message, placement.rootTs)).ts;
    }
    for (const [checkId, ts] of Object.entries(placement.replies)) {
      if (failing.some((c) => c.id === checkId)) continue;
      const check =
        after.report.checks.find((c) => c.id === checkId) ??
        before?.report.checks.find((c) => c.id === checkId);
      const message =
        check && renderFindingReply(after.report, check, replyContext(after, options.expand === checkId));
      if (message) await this.update(placement.channel, ts, message);
    }
  }

  private async post(channel: string, message: SlackMessage, threadTs?: string) {
    const out = await this.client.chat.postMessage({
      channel,
      ...message,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      unfurl_links: false,
      unfurl_media: false,
    });
    return { channel: out.channel ?? channel, ts: out.ts! };
  }

  private async update(channel: string, ts: string, message: SlackMessage): Promise<void> {
    await this.client.chat.update({ channel, ts, ...message });
  }
}

type ThreadMessage = { ts?: string; text?: string; blocks?: Array<{ accessory?: { action_id?: string } }> };

function toggleCheckOf(message: ThreadMessage): string | undefined {
  return parseToggleActionId(message.blocks?.[0]?.accessory?.action_id ?? "")?.checkId;
}

function rootContext(report: DeliveredReport) {
  return {
    reportId: report.id,
    requestKey: report.requestKey,
    trigger: report.trigger,
    startedAt: report.startedAt,
    accountAlias: report.accountAlias,
    ...(report.probeFrom ? { probeFrom: report.probeFrom } : {}),
  };
}

function replyContext(report: DeliveredReport, expanded: boolean) {
  return { reportId: report.id, requestKey: report.requestKey, expanded };
}
