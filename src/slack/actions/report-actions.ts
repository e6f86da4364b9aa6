import type { App, BlockAction, ButtonAction, RespondFn, webApi } from "@slack/bolt";
import type { AccountConfig } from "../../config/schema.js";
import type { DiagnosisRequest } from "../../diagnosis/request.js";
import { ACTION_IDS, parseToggleActionId, userMention } from "../../render/slack.js";
import { renderAllChecks } from "../../render/slack-answers.js";
import type { SlackMessage } from "../../render/slack-types.js";
import type { ReportRecord } from "../../state/report-store.js";
import { type Access, resolveAccess } from "../access.js";
import type { SlackContext } from "../context.js";
import { describeFailure } from "../failures.js";
import { probeOffer } from "../probe-offer.js";
import { decodeRequestKey } from "../request-key.js";

type Click = { body: BlockAction; action: ButtonAction; client: webApi.WebClient; respond: RespondFn };

/** What a click on a report the store forgot asks of the revived run. */
type Revival =
  | { kind: "rerun" }
  | { kind: "quiet"; expand?: string; after?: (record: ReportRecord) => Promise<void> };

/** Registers Rerun, Extend, Export snapshot, Show all checks, Show details / Hide and Rerun in <region>; acks first. */
export function registerReportActions(app: App, ctx: SlackContext): void {
  const on = (actionId: string | RegExp, handle: (click: Click) => Promise<void>) => {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, respond }) => {
      await ack();
      try {
        await handle({ body, action, client, respond });
      } catch (error) {
        const message = describeFailure(error);
        ctx.logger.error({ action: action.action_id, user: body.user.id, err: message }, "button failed");
        await ephemeral(respond, `vpce-doctor could not do that: ${message}`).catch(() => {});
      }
    });
  };
  on(ACTION_IDS.rerun, (click) => rerun(ctx, click, "rerun"));
  on(ACTION_IDS.extend, (click) => rerun(ctx, click, "extend"));
  on(new RegExp(`^${ACTION_IDS.toggle}:`), (click) => toggle(ctx, click));
  on(ACTION_IDS.export, (click) => exportSnapshot(ctx, click));
  on(ACTION_IDS.allChecks, (click) => allChecks(ctx, click));
  on(new RegExp(`^${ACTION_IDS.rerunIn}:`), (click) => rerunIn(ctx, click));
  on(ACTION_IDS.probe, (click) => probe(ctx, click));
}

/**
 * Test from i-...: authorised like the command (channel, account, users), then only where the channel's config
 * allows probes today, and only from the instance the report offers; the thread says who ran it on which instance.
 */
async function probe(ctx: SlackContext, click: Click): Promise<void> {
  const record = await ctx.store.get(click.action.value ?? "");
  if (!record) {
    await ephemeral(click.respond, "This report is no longer kept: click Rerun, then Test from again.");
    return;
  }
  const account = await authorisedFor(ctx, click, record);
  if (account === null) return;
  const instanceId = probeOffer(ctx.config, record.placement.channel, record.request);
  if (!instanceId) {
    ctx.logger.warn(
      { channel: record.placement.channel, user: click.body.user.id },
      "refused: probes are not allowed here",
    );
    await ephemeral(
      click.respond,
      "vpce-doctor: this channel does not allow the client probe (allowProbe in the config)",
    );
    return;
  }
  ctx.logger.info(
    { instance: instanceId, user: click.body.user.id, report: record.id },
    "client probe asked",
  );
  await underLock(ctx, click, record.id, () =>
    ctx.flow.probe(click.client, record, account, click.body.user.id, instanceId),
  );
}

async function rerun(ctx: SlackContext, click: Click, kind: "rerun" | "extend"): Promise<void> {
  const record = await ctx.store.get(click.action.value ?? "");
  if (!record) return revive(ctx, click, { kind: "rerun" });
  const account = await authorisedFor(ctx, click, record);
  if (account === null) return;
  await underLock(ctx, click, record.id, () =>
    ctx.flow.rerun(click.client, record, account, click.body.user.id, kind),
  );
}

/** Show details / Hide: the intent is in the button, so the reply is rendered as asked, with no stored state. */
async function toggle(ctx: SlackContext, click: Click): Promise<void> {
  const intent = parseToggleActionId(click.action.action_id);
  if (!intent) return;
  const record = await ctx.store.get(click.action.value ?? "");
  if (!record) return revive(ctx, click, { kind: "quiet", expand: intent.show ? intent.checkId : undefined });
  if ((await authorisedFor(ctx, click, record)) === null) return;
  const ts = (click.body.message as { ts?: string } | undefined)?.ts;
  await ctx.flow.toggle(click.client, record, intent.checkId, intent.show, ts);
}

async function exportSnapshot(ctx: SlackContext, click: Click): Promise<void> {
  const record = await ctx.store.get(click.action.value ?? "");
  if (!record) {
    await ephemeral(
      click.respond,
      "This report's snapshot is no longer kept: click Rerun, then Export snapshot.",
    );
    return;
  }
  if ((await authorisedFor(ctx, click, record)) === null) return;
  await ctx.flow.exportSnapshot(click.client, record);
}

/** Show all checks: the full list, to the clicker alone (the thread shows only problems). */
async function allChecks(ctx: SlackContext, click: Click): Promise<void> {
  const show = (record: ReportRecord) =>
    answer(
      click.respond,
      renderAllChecks(record.report, record.triggerDetails ? [record.triggerDetails] : []),
    );
  const record = await ctx.store.get(click.action.value ?? "");
  if (!record) return revive(ctx, click, { kind: "quiet", after: show });
  if ((await authorisedFor(ctx, click, record)) === null) return;
  await show(record);
}

/** Rerun in <region>, from the private "not found here" answer: the same request in the region that has it. */
async function rerunIn(ctx: SlackContext, click: Click): Promise<void> {
  const region = click.action.action_id.slice(ACTION_IDS.rerunIn.length + 1);
  const key = decodeRequestKey(click.action.block_id ?? "", ctx.isKnownRegion);
  const channel = click.body.channel?.id;
  if (!key || !channel || !ctx.isKnownRegion(region)) {
    await ephemeral(click.respond, "This button can no longer be used: run `/vpce diagnose` again.");
    return;
  }
  const request: DiagnosisRequest = { ...key, region, requester: click.body.user.id };
  const account = await authorised(ctx, click, request);
  if (account === null) return;
  await ephemeral(click.respond, `Diagnosing ${request.endpointId} in ${region}...`);
  const tell = (message: SlackMessage) => answer(click.respond, message);
  const trigger = `${userMention(click.body.user.id)} via /vpce`;
  await ctx.flow.forCommand(click.client, channel, request, account, trigger, tell);
}

/**
 * A click on a report the store no longer holds (restart, another replica, expiry): rebuild the request from the
 * block id, run it again and update that thread in place; never repost it.
 */
async function revive(ctx: SlackContext, click: Click, revival: Revival): Promise<void> {
  const channel = click.body.channel?.id;
  const message = click.body.message as
    | { ts?: string; thread_ts?: string; blocks?: Array<{ block_id?: string }> }
    | undefined;
  // Root buttons and thread replies both carry the request key as a block id; a reply's root is its thread.
  const rootTs = message?.thread_ts ?? message?.ts;
  const request = (message?.blocks ?? [])
    .map((block) => (block.block_id ? decodeRequestKey(block.block_id, ctx.isKnownRegion) : undefined))
    .find((decoded) => decoded !== undefined);
  if (!channel || !rootTs || !request) {
    await ephemeral(
      click.respond,
      "This report is no longer kept and cannot be rebuilt: run `/vpce diagnose` again.",
    );
    return;
  }
  const full: DiagnosisRequest = { ...request, requester: click.body.user.id };
  const account = await authorised(ctx, click, full);
  if (account === null) return;
  await underLock(ctx, click, `revive:${channel}:${rootTs}`, async () => {
    const user = click.body.user.id;
    const quiet = revival.kind === "quiet";
    const options = quiet ? { quiet, expand: revival.expand } : {};
    const record = await ctx.flow.revive(click.client, { channel, rootTs }, full, account, user, options);
    if (revival.kind === "quiet") await revival.after?.(record);
  });
}

async function underLock(ctx: SlackContext, click: Click, key: string, work: () => Promise<unknown>) {
  if (!(await ctx.store.tryLock(key))) {
    await ephemeral(
      click.respond,
      "A run of this report is already under way; its result will replace this message.",
    );
    return;
  }
  try {
    await work();
  } finally {
    await ctx.store.unlock(key);
  }
}

/**
 * `authorised` for a stored report: the click must come from the report's own channel (a button value names a
 * report, and a report of channel Y must not be run, shown or exported from channel X).
 */
async function authorisedFor(
  ctx: SlackContext,
  click: Click,
  record: ReportRecord,
): Promise<AccountConfig | undefined | null> {
  const channel = click.body.channel?.id;
  if (channel !== record.placement.channel) {
    ctx.logger.warn(
      { channel, reportChannel: record.placement.channel, user: click.body.user.id },
      "refused: the click names a report of another channel",
    );
    await ephemeral(
      click.respond,
      "vpce-doctor: that report belongs to another channel; run `/vpce diagnose` here instead",
    );
    return null;
  }
  return authorised(ctx, click, record.request);
}

/**
 * The account to run as, after checking the clicking person may diagnose it from this channel;
 * null (after telling them) when not. Buttons are subject to the same rules as the command.
 */
async function authorised(
  ctx: SlackContext,
  click: Click,
  request: Pick<DiagnosisRequest, "account">,
): Promise<AccountConfig | undefined | null> {
  const channel = click.body.channel?.id ?? "";
  const user = click.body.user.id;
  const access: Access = await resolveAccess(
    ctx.config,
    click.client,
    ctx.userGroups,
    channel,
    user,
    ctx.logger,
  );
  if (!access.ok) {
    await ephemeral(click.respond, `vpce-doctor: ${access.refusal}`);
    return null;
  }
  if (access.allowed === "ambient") return undefined;
  const account = access.allowed.find((a) => a.alias === request.account);
  if (!account) {
    ctx.logger.warn(
      { channel, user, account: request.account },
      "refused: account not allowed for this channel",
    );
    await ephemeral(
      click.respond,
      `vpce-doctor: this channel may not diagnose account ${request.account ?? "(ambient)"}`,
    );
    return null;
  }
  return account;
}

async function ephemeral(respond: RespondFn, text: string): Promise<void> {
  await respond({ response_type: "ephemeral", replace_original: false, text });
}

async function answer(respond: RespondFn, message: SlackMessage): Promise<void> {
  await respond({ response_type: "ephemeral", replace_original: false, ...message } as never);
}
