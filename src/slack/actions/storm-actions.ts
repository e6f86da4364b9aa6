import type { App, BlockAction, ButtonAction, RespondFn } from "@slack/bolt";
import type { Logger } from "pino";
import type { ConfigFile } from "../../config/schema.js";
import { STORM_EXPORT_ACTION, stormExportNote } from "../../render/slack-storm.js";
import { resolveAccess } from "../access.js";
import { describeFailure } from "../failures.js";
import type { StormThreads } from "../storm-thread.js";
import type { UserGroups } from "../user-groups.js";

/** What the storm root's buttons need: the storm threads, and who may read which account from where. */
export interface StormActionsDeps {
  storms: () => StormThreads | undefined;
  config: ConfigFile;
  userGroups: UserGroups;
  logger: Logger;
}

/**
 * Registers "Export all" on a storm root: one upload of two files (CSV and JSON) in the storm's thread, with every
 * endpoint, its verdict, cause and fix; only from the storm's channel, by someone who may diagnose its account.
 */
export function registerStormActions(app: App, deps: StormActionsDeps): void {
  app.action<BlockAction<ButtonAction>>(
    STORM_EXPORT_ACTION,
    async ({ ack, body, action, client, respond }) => {
      await ack();
      try {
        const found = await deps.storms()?.exportOf(action.value ?? "");
        const channel = body.channel?.id ?? "";
        if (!found || found.state.channel !== channel) {
          await tell(respond, "vpce-doctor: this storm is no longer kept here, so it cannot be exported.");
          return;
        }
        const { state } = found;
        const access = await resolveAccess(
          deps.config,
          client,
          deps.userGroups,
          channel,
          body.user.id,
          deps.logger,
          state.accountAlias,
        );
        const allowed =
          access.ok &&
          (access.allowed === "ambient" || access.allowed.some((a) => a.alias === state.accountAlias));
        if (!allowed) {
          await tell(
            respond,
            `vpce-doctor: ${access.ok ? "you may not read this account from here" : access.refusal}`,
          );
          return;
        }
        const stamp = new Date(state.openedAt).toISOString().replace(/[:.]/g, "-");
        const note = stormExportNote(state);
        await client.files.uploadV2({
          channel_id: channel,
          thread_ts: state.posted.rootTs,
          initial_comment: note,
          file_uploads: [
            { filename: `vpce-storm-${stamp}.csv`, title: "Storm endpoints (CSV)", content: found.csv },
            { filename: `vpce-storm-${stamp}.json`, title: "Storm endpoints (JSON)", content: found.json },
          ],
        });
      } catch (error) {
        const message = describeFailure(error);
        deps.logger.error({ action: STORM_EXPORT_ACTION, user: body.user.id, err: message }, "button failed");
        await tell(respond, `vpce-doctor could not do that: ${message}`).catch(() => {});
      }
    },
  );
}

async function tell(respond: RespondFn, text: string): Promise<void> {
  await respond({ response_type: "ephemeral", replace_original: false, text });
}
