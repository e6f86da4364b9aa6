import type { AccountConfig, ConfigFile } from "../config/schema.js";

// Who may diagnose what from which channel. No config file: the bot's own (ambient) credentials,
// anyone, anywhere. With a config file: default deny, only the accounts listed for the channel.

/** The accounts a channel may diagnose: "ambient" without a config file; a refusal line when none. */
export interface ChannelAccounts {
  allowed: AccountConfig[] | "ambient";
  refusal?: string;
}

/** Which account a command runs against (ambient: the bot's own credentials), the candidates to look up, or why not. */
export type AccountChoice =
  | { account: AccountConfig }
  | { ambient: true }
  | { needsLookup: AccountConfig[] }
  | { error: string };

/** The accounts the channel may diagnose; a channel missing from the config file is refused. */
export function accountsForChannel(config: ConfigFile | undefined, channelId: string): ChannelAccounts {
  if (!config) return { allowed: "ambient" };
  const channel = config.channels.find((c) => c.id === channelId);
  if (!channel) {
    return {
      allowed: [],
      refusal: `this channel (${channelId}) is not set up for /vpce: ask an admin to add it under channels: in the vpce-doctor config`,
    };
  }
  const allowed = config.accounts.filter((account) => channel.accounts.includes(account.alias));
  if (allowed.length === 0) {
    return {
      allowed,
      refusal: `this channel (${channelId}) lists no configured account: ask an admin to fix its accounts in the vpce-doctor config`,
    };
  }
  return { allowed };
}

/** The user groups (S… ids) a channel admits, so the caller resolves only the memberships that matter. */
export function userGroupsFor(config: ConfigFile | undefined, channelId: string): string[] {
  const users = config?.channels.find((c) => c.id === channelId)?.users ?? [];
  return users.filter(isUserGroup);
}

/** True when the user may run /vpce in the channel: listed directly or through a user group, or no `users` list. */
export function mayUse(
  config: ConfigFile | undefined,
  channelId: string,
  userId: string,
  groupsOfUser: ReadonlySet<string>,
): boolean {
  if (!config) return true;
  const channel = config.channels.find((c) => c.id === channelId);
  if (!channel) return false;
  if (!channel.users) return true;
  return channel.users.some((entry) => (isUserGroup(entry) ? groupsOfUser.has(entry) : entry === userId));
}

/** Picks the account for a command: the requested alias if allowed, the only one, or all for a lookup. */
export function chooseAccount(
  allowed: readonly AccountConfig[] | "ambient",
  requestedAlias?: string,
): AccountChoice {
  if (allowed === "ambient") {
    return requestedAlias === undefined
      ? { ambient: true }
      : {
          error: `no accounts are configured, so --account ${requestedAlias} cannot be used: leave it out to use the bot's own credentials`,
        };
  }
  if (requestedAlias !== undefined) {
    const account = allowed.find((a) => a.alias === requestedAlias);
    if (account) return { account };
    return {
      error:
        allowed.length > 0
          ? `account "${requestedAlias}" is not allowed in this channel: use ${aliases(allowed)}`
          : `account "${requestedAlias}" is not allowed in this channel: it may diagnose no accounts`,
    };
  }
  const [only, ...others] = allowed;
  if (!only) return { error: "this channel may diagnose no accounts" };
  if (others.length === 0) return { account: only };
  return { needsLookup: [...allowed] };
}

function isUserGroup(id: string): boolean {
  return id.startsWith("S");
}

function aliases(accounts: readonly AccountConfig[]): string {
  const names = accounts.map((a) => a.alias);
  return names.length === 1 ? names[0]! : `one of ${names.join(", ")}`;
}
