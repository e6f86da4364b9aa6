import { CHECKS } from "../checks/registry.js";
import type { ConfigFile } from "./schema.js";

// References between keys that the schema alone cannot see. Errors are contradictions the bot or the CLI
// would trip over (a name that names nothing, an entry that is silently ignored); warnings are settings the
// bot runs with but that leave part of the file without effect or refuse something people will try.

/** One problem found across keys: the key path it is about, what is wrong, and whether it stops the file. */
export interface CrossCheckIssue {
  path: Array<string | number>;
  message: string;
  severity: "error" | "warning";
}

/** What the cross-checks may consult beyond the file; without isKnownRegion, region codes are not checked. */
export interface CrossCheckOptions {
  isKnownRegion?: (code: string) => boolean;
}

/** Checks the references between keys of a schema-valid config; pure; errors and warnings in key order. */
export function crossCheck(config: ConfigFile, options: CrossCheckOptions = {}): CrossCheckIssue[] {
  const issues: CrossCheckIssue[] = [];
  const error = (path: CrossCheckIssue["path"], message: string) =>
    issues.push({ path, message, severity: "error" });
  const warning = (path: CrossCheckIssue["path"], message: string) =>
    issues.push({ path, message, severity: "warning" });
  const region = (path: CrossCheckIssue["path"], code: string | undefined, what: string) => {
    if (code !== undefined && options.isKnownRegion && !options.isKnownRegion(code)) {
      error(path, `unknown AWS region "${code}": ${what}`);
    }
  };

  const firstAlias = new Map<string, number>();
  for (const [index, account] of config.accounts.entries()) {
    const first = firstAlias.get(account.alias);
    if (first === undefined) firstAlias.set(account.alias, index);
    else error(["accounts", index, "alias"], `"${account.alias}" is used twice (also accounts.${first})`);
    region(["accounts", index, "region"], account.region, "use a region code such as us-east-1");
  }
  const aliases = [...firstAlias.keys()];
  const known = aliases.length > 0 ? `the aliases are ${aliases.join(", ")}` : "no accounts are configured";

  const firstChannel = new Map<string, number>();
  for (const [index, channel] of config.channels.entries()) {
    const first = firstChannel.get(channel.id);
    if (first === undefined) firstChannel.set(channel.id, index);
    else {
      error(
        ["channels", index, "id"],
        `${channel.id} is listed twice (also channels.${first}); the bot reads only the first: merge them`,
      );
    }
    const unknown = channel.accounts.filter((alias) => !firstAlias.has(alias));
    if (unknown.length > 0) {
      const byId = unknown.flatMap((name) =>
        config.accounts.filter((a) => a.id === name).map((a) => a.alias),
      );
      const hint = byId.length > 0 ? `channels list aliases, not ids: use ${byId.join(", ")}` : known;
      error(["channels", index, "accounts"], `unknown alias ${unknown.join(", ")} (${hint})`);
    }
  }

  const alarms = config.alarms;
  if (alarms) {
    if (config.accounts.length === 0) {
      warning(
        ["alarms"],
        "no accounts are configured, so every alarm is refused: alarms come only from accounts",
      );
    }
    if (alarms.topics.length === 0 && !alarms.sqsQueueUrl) {
      warning(
        ["alarms", "topics"],
        "no topics and no sqsQueueUrl, so no alarm can reach the bot: POST /alarms/sns accepts only listed topics",
      );
    }
    if (alarms.routes.length === 0 && !alarms.defaultChannel) {
      warning(["alarms", "routes"], "no routes and no defaultChannel, so every alarm is refused");
    }
    for (const [index, route] of alarms.routes.entries()) {
      const path = ["alarms", "routes", index];
      const wanted = route.match.account;
      const account =
        wanted === undefined ? undefined : config.accounts.find((a) => a.alias === wanted || a.id === wanted);
      if (wanted !== undefined && !account) {
        error(
          [...path, "match", "account"],
          `"${wanted}" names no configured account, so this route never matches (${known}, or their ids)`,
        );
      }
      region([...path, "match", "region"], route.match.region, "this route would never match");
      const channel = config.channels.find((c) => c.id === route.channel);
      if (!channel) warning([...path, "channel"], unlisted(route.channel));
      else if (account && !channel.accounts.includes(account.alias)) {
        warning(
          [...path, "channel"],
          `${route.channel} may not diagnose account ${account.alias} (see its accounts under channels:), so Rerun, Extend and Export are refused on these alarm reports`,
        );
      }
      crossCheckRouteProbe(route, channel, path, error, warning);
    }
    if (alarms.defaultChannel && !firstChannel.has(alarms.defaultChannel)) {
      warning(["alarms", "defaultChannel"], unlisted(alarms.defaultChannel));
    }
  }
  if (config.state) {
    region(["state", "region"], config.state.region, "the DynamoDB table's region");
  }
  crossCheckServices(config, error);
  crossCheckProviders(config, error);
  crossCheckSuppressions(config, error);
  return issues;
}

function unlisted(channel: string): string {
  return `${channel} is not under channels:, so Rerun, Extend and Export are refused on the alarm reports posted there`;
}

type Report = (path: CrossCheckIssue["path"], message: string) => void;

function crossCheckServices(config: ConfigFile, error: Report): void {
  const first = new Map<string, number>();
  for (const [index, service] of config.services.entries()) {
    const seen = first.get(service.name);
    if (seen === undefined) first.set(service.name, index);
    else error(["services", index, "name"], `${service.name} is listed twice (also services.${seen})`);
  }
}

// One provider per service name: the diagnosis must know whose role reads the service's load balancers.
function crossCheckProviders(config: ConfigFile, error: Report): void {
  const first = new Map<string, string>();
  for (const [index, account] of config.accounts.entries()) {
    for (const [i, name] of (account.provides ?? []).entries()) {
      const key = name.toLowerCase();
      const other = first.get(key);
      if (other === undefined) first.set(key, account.alias);
      else error(["accounts", index, "provides", i], `${name} is already provided by account ${other}`);
    }
  }
}

function crossCheckSuppressions(config: ConfigFile, error: Report): void {
  const ids = CHECKS.map((check) => check.id);
  for (const [index, suppression] of config.suppress.entries()) {
    if (!ids.includes(suppression.check)) {
      error(
        ["suppress", index, "check"],
        `unknown check "${suppression.check}": the checks are ${ids.join(", ")}`,
      );
    }
    const account = suppression.account;
    if (account !== undefined && !config.accounts.some((a) => a.alias === account || a.id === account)) {
      error(["suppress", index, "account"], `"${account}" names no configured account (an alias or its id)`);
    }
  }
}

/** A route that allows the probe needs the instance to probe from, and a channel that allows probes. */
function crossCheckRouteProbe(
  route: { allowProbe?: boolean; probeFrom?: string; channel: string },
  channel: { allowProbe?: boolean } | undefined,
  path: (string | number)[],
  error: (path: (string | number)[], message: string) => void,
  warning: (path: (string | number)[], message: string) => void,
): void {
  if (route.allowProbe && !route.probeFrom) {
    error([...path, "probeFrom"], "allowProbe needs probeFrom: the instance the probe runs on (i-...)");
  }
  if (route.allowProbe && channel && !channel.allowProbe) {
    warning(
      [...path, "allowProbe"],
      `${route.channel} does not allow probes (allowProbe under channels:), so the Test from button is not offered there`,
    );
  }
}
