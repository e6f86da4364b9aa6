import type { webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { AccountConfig, ConfigFile } from "../config/schema.js";
import { accountsForChannel, mayUse } from "./authorize.js";
import type { UserGroups } from "./user-groups.js";

/** Who may diagnose what from where: the accounts a person may use in a channel, or why not. */
export type Access = { ok: true; allowed: AccountConfig[] | "ambient" } | { ok: false; refusal: string };

/**
 * Applies the config's channel and user rules (default deny with a config file). User-group membership
 * is asked of Slack (cached); a lookup that fails or times out refuses rather than allows.
 */
export async function resolveAccess(
  config: ConfigFile | undefined,
  client: webApi.WebClient,
  userGroups: UserGroups,
  channelId: string,
  userId: string,
  logger: Logger,
  account?: string,
): Promise<Access> {
  const log = logger.child({ account: account ?? "(not given)" });
  const channel = accountsForChannel(config, channelId);
  if (channel.refusal !== undefined) return refuse(log, channelId, userId, channel.refusal);
  if (channel.allowed === "ambient") return { ok: true, allowed: "ambient" };
  const entry = config?.channels.find((c) => c.id === channelId);
  const groups = (entry?.users ?? []).filter((id) => id.startsWith("S"));
  let memberOf = new Set<string>();
  if (groups.length > 0 && !entry?.users?.includes(userId)) {
    try {
      memberOf = await userGroups.groupsOf(client, userId, groups);
    } catch (error) {
      logger.warn(
        { channel: channelId, user: userId, err: (error as Error).message },
        "user-group lookup failed",
      );
      return refuse(
        logger,
        channelId,
        userId,
        "could not check your user-group membership with Slack just now; try again in a minute",
      );
    }
  }
  if (!mayUse(config, channelId, userId, memberOf)) {
    return refuse(
      logger,
      channelId,
      userId,
      "you are not on the list of people who may diagnose from this channel; ask an admin of vpce-doctor",
    );
  }
  return { ok: true, allowed: channel.allowed };
}

function refuse(logger: Logger, channel: string, user: string, refusal: string): Access {
  logger.warn({ channel, user }, `refused: ${refusal}`);
  return { ok: false, refusal };
}
