import type { App, BlockAction, ButtonAction, RespondFn, webApi } from "@slack/bolt";
import type { AccountConfig } from "../../config/schema.js";
import type { DiagnosisRequest } from "../../diagnosis/request.js";
import { ACTION_IDS } from "../../render/slack.js";
import type { ReportRecord } from "../../state/report-store.js";
import { type Access, resolveAccess } from "../access.js";
import type { SlackContext } from "../context.js";
import { describeFailure } from "../failures.js";
import { decodeRequestKey } from "../request-key.js";

type Click = { body: BlockAction; action: ButtonAction; client: webApi.WebClient; respond: RespondFn };

/** Registers Rerun, Extend to 24 h, Export snapshot and Show details / Hide; every click is acked first. */
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
}

async function rerun(ctx: SlackContext, click: Click, kind: "rerun" | "extend"): Promise<void> {
  const record = await ctx.store.get(click.action.value ?? "");
  if (!record) return revive(ctx, click);
  const account = await authorisedFor(ctx, click, record);
  if (account === null) return;
  if (!(await ctx.store.tryLock(record.id))) {
    await ephemeral(
      click.respond,
      `A run of this report is already under way; its result will replace this message.`,
    );
    return;
  }
  try {
    await ctx.flow.rerun(click.client, record, account, click.body.user.id, kind);
  } finally {
    await ctx.store.unlock(record.id);
  }
}

async function toggle(ctx: SlackContext, click: Click): Promise<void> {
  const record = await ctx.store.get(click.action.value ?? "");
  if (!record) return revive(ctx, click);
  if ((await authorisedFor(ctx, click, record)) === null) return;
  const checkId = click.action.action_id.slice(ACTION_IDS.toggle.length + 1);
  await ctx.flow.toggle(click.client, record, checkId);
}

async function exportSnapshot(ctx: SlackContext, click: Click): Promise<void> {
  const record = await ctx.store.get(click.action.value ?? "");
  if (!record) return revive(ctx, click);
  if ((await authorisedFor(ctx, click, record)) === null) return;
  await ctx.flow.exportSnapshot(click.client, record);
}

/** A click on a report the store no longer holds: rebuild the request from the root's block id and run it again. */
async function revive(ctx: SlackContext, click: Click): Promise<void> {
  const channel = click.body.channel?.id;
  const message = click.body.message as
    | { ts?: string; thread_ts?: string; blocks?: Array<{ block_id?: string }> }
    | undefined;
  // Root buttons and thread replies both carry the request key as a block id; a reply's root is its thread.
  const rootTs = message?.thread_ts ?? message?.ts;
  const request = (message?.blocks ?? [])
    .map((block) => (block.block_id ? decodeRequestKey(block.block_id) : undefined))
    .find((decoded) => decoded !== undefined);
  if (!channel || !rootTs || !request) {
    await ephemeral(
      click.respond,
      "This report is no longer in memory and cannot be rebuilt: run `/vpce diagnose` again.",
    );
    return;
  }
  const full: DiagnosisRequest = { ...request, requester: click.body.user.id };
  const account = await authorised(ctx, click, full);
  if (account === null) return;
  const lockKey = `revive:${channel}:${rootTs}`;
  if (!(await ctx.store.tryLock(lockKey))) {
    await ephemeral(
      click.respond,
      "A run of this report is already under way; its result will replace this message.",
    );
    return;
  }
  try {
    await ephemeral(click.respond, "This report was no longer in memory: running it again.");
    await ctx.flow.revive(click.client, { channel, rootTs }, full, account, click.body.user.id);
  } finally {
    await ctx.store.unlock(lockKey);
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
  if (channel !== record.channel) {
    ctx.logger.warn(
      { channel, reportChannel: record.channel, user: click.body.user.id },
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
  request: DiagnosisRequest,
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
