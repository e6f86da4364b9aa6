import type { AccountConfig, ConfigFile } from "../config/schema.js";

/** What routing needs to know about one alarm: where it came from and its name. */
export interface AlarmOrigin {
  accountId: string;
  region: string;
  alarmName: string;
}

/** The channel an alarm goes to and the configured account it came from, or why it goes nowhere. */
export type AlarmRoute = { channel: string; account: AccountConfig } | { refused: string };

/** An anchored, case-sensitive RegExp for a glob where `*` is any run of characters and `?` exactly one. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (const char of glob) {
    if (char === "*") source += ".*";
    else if (char === "?") source += ".";
    else source += char.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "su");
}

/** The channel for an alarm: refused from unknown accounts, else the first matching route, else the default. */
export function routeAlarm(config: ConfigFile, alarm: AlarmOrigin): AlarmRoute {
  const account = config.accounts.find((a) => a.id === alarm.accountId);
  if (!account) return { refused: `account ${alarm.accountId} is not in the configured accounts` };
  const route = config.alarms?.routes.find(({ match }) => {
    if (match.account !== undefined && match.account !== account.id && match.account !== account.alias) {
      return false;
    }
    if (match.region !== undefined && match.region !== alarm.region) return false;
    return match.alarm === undefined || globToRegExp(match.alarm).test(alarm.alarmName);
  });
  if (route) return { channel: route.channel, account };
  const fallback = config.alarms?.defaultChannel;
  if (fallback) return { channel: fallback, account };
  return {
    refused: `no route and no defaultChannel for alarm "${alarm.alarmName}" (account ${account.alias}, ${alarm.region})`,
  };
}
