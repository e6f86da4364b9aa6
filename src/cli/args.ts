import { parseArgs } from "node:util";

/** The usage text printed by --help and after every usage error. */
export const USAGE = `Usage: vpce-doctor diagnose <vpce-id> [--region <region>] [--account <alias>] [--from <ip|cidr|i-|eni-|subnet-|sg->]
                            [--port <port>[,<port>...]] [--window 1m..24h] [--json] [--save-snapshot <file>] [--config <file>]
                            [--probe]  (with --from i-...: test from the instance through SSM Run Command)
       vpce-doctor diagnose --snapshot <file> [--json]
       vpce-doctor config check <file>
       vpce-doctor --help | --version`;

/** A command line that does not fit the usage: one line, then the usage, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The parsed command line of `vpce-doctor diagnose`. */
export interface DiagnoseArgs {
  command: "diagnose";
  endpointId?: string;
  region?: string;
  account?: string;
  from?: string;
  /** "5432" or "25,587": the service's ports, for custom services whose listeners the consumer cannot see. */
  port?: string;
  window: string;
  json: boolean;
  saveSnapshot?: string;
  snapshot?: string;
  config?: string;
  /** Run the client probe on the --from instance (SSM Run Command; opt-in). */
  probe: boolean;
}

/** The parsed command line of `vpce-doctor config check <file>`: validate a config file, start nothing. */
export interface ConfigCheckArgs {
  command: "config-check";
  file: string;
}

/** Everything the CLI can be asked to do. */
export type CliArgs = DiagnoseArgs | ConfigCheckArgs | { command: "help" } | { command: "version" };

const CONFIG_CHECK = "vpce-doctor config check <file>";

/** Parses argv (without node and the script) into a command, or throws a UsageError. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]!);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: "help" };
  if (values.version) return { command: "version" };
  const [command, endpointId, ...rest] = positionals;
  if (command === undefined) {
    throw new UsageError(`missing command: try \`vpce-doctor diagnose <vpce-id>\` or \`${CONFIG_CHECK}\``);
  }
  if (command === "config") return configCheckArgs(positionals.slice(1), values);
  if (command !== "diagnose") {
    throw new UsageError(`unknown command "${command}": the commands are diagnose and config check`);
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (!endpointId && !values.snapshot)
    throw new UsageError("missing endpoint id: vpce-doctor diagnose <vpce-id>");
  if (values.probe && values.snapshot)
    throw new UsageError("--probe tests from a live instance; it cannot be used with --snapshot");
  return {
    command: "diagnose",
    endpointId,
    region: values.region,
    account: values.account,
    from: values.from,
    port: values.port,
    window: values.window ?? "1h",
    json: values.json ?? false,
    saveSnapshot: values["save-snapshot"],
    snapshot: values.snapshot,
    config: values.config,
    probe: values.probe ?? false,
  };
}

function configCheckArgs(
  positionals: readonly string[],
  values: ReturnType<typeof parse>["values"],
): ConfigCheckArgs {
  const [subcommand, file, ...rest] = positionals;
  if (subcommand === undefined) throw new UsageError(`missing subcommand: ${CONFIG_CHECK}`);
  if (subcommand !== "check")
    throw new UsageError(`unknown config subcommand "${subcommand}": ${CONFIG_CHECK}`);
  if (file === undefined) throw new UsageError(`missing config file: ${CONFIG_CHECK}`);
  if (rest.length > 0)
    throw new UsageError(`unexpected argument "${rest[0]}": ${CONFIG_CHECK} takes one file`);
  const option = Object.keys(values)[0];
  if (option !== undefined)
    throw new UsageError(`--${option} is not an option of config check: ${CONFIG_CHECK}`);
  return { command: "config-check", file };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      region: { type: "string", short: "r" },
      account: { type: "string", short: "a" },
      from: { type: "string" },
      port: { type: "string", short: "p" },
      window: { type: "string", short: "w" },
      json: { type: "boolean" },
      "save-snapshot": { type: "string" },
      snapshot: { type: "string" },
      config: { type: "string", short: "c" },
      probe: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean" },
    },
  });
}
