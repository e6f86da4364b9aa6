import { findAccount } from "../config/accounts.js";
import { ConfigError, checkConfig, parseConfig } from "../config/load.js";
import type { AccountConfig, ConfigFile } from "../config/schema.js";
import { diagnosisSettings } from "../config/settings.js";
import { DEFAULT_DEADLINE_MS, DEFAULT_SLOW_NOTICE_MS, formatSeconds } from "../diagnosis/deadline.js";
import { parseSnapshot, SnapshotFileError } from "../diagnosis/load-snapshot.js";
import type { Report } from "../diagnosis/report.js";
import {
  checkProbeSource,
  type DiagnosisRequest,
  parseEndpointId,
  parsePorts,
  parseRegion,
  parseSource,
  parseWindow,
  RequestError,
} from "../diagnosis/request.js";
import { diagnoseSnapshot, runDiagnosis } from "../diagnosis/run.js";
import type { Snapshot } from "../diagnosis/snapshot.js";
import { toJsonDocument } from "../render/json.js";
import { clean, renderTerminal } from "../render/terminal.js";
import { type DiagnoseArgs, parseCliArgs, USAGE, UsageError } from "./args.js";

/**
 * Collects a snapshot for a request in the given account (undefined: the ambient credentials); `providers` are
 * the configured accounts, whose `provides` lists say whose load balancers stand behind a custom service.
 */
export type Collector = (
  request: DiagnosisRequest,
  account: AccountConfig | undefined,
  providers?: readonly AccountConfig[],
) => Promise<Snapshot>;

/** The outside world as the CLI sees it; `cli.ts` passes the real one, tests a recorded one. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  readFile: (path: string) => Promise<string>;
  writeFile: (path: string, text: string) => Promise<void>;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  isKnownRegion: (code: string) => boolean;
  collector: Collector;
  requester: string;
  version: string;
  /** Errors the CLI reports as one line with exit 2 (credentials, access), besides its own. */
  isExpectedError?: (error: unknown) => boolean;
}

/**
 * Exit codes: 0 healthy, 1 degraded or broken, 2 usage, config or access error (or a verdict left unknown).
 * `config check`: 0 valid, 1 the file has errors, 2 usage error or the file cannot be read.
 */
export const EXIT = { healthy: 0, problem: 1, error: 2 } as const;

/** Runs one CLI invocation and returns its exit code; never throws, never prints a stack trace. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseCliArgs(argv);
    if (args.command === "help") {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (args.command === "version") {
      io.stdout(`${io.version}\n`);
      return 0;
    }
    if (args.command === "config-check") return await configCheck(args.file, io);
    return await diagnose(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`vpce-doctor: ${clean(error.message)}\n${USAGE}\n`);
      return EXIT.error;
    }
    if (
      error instanceof RequestError ||
      error instanceof ConfigError ||
      error instanceof SnapshotFileError ||
      io.isExpectedError?.(error)
    ) {
      io.stderr(`vpce-doctor: ${clean(error instanceof Error ? error.message : String(error))}\n`);
      return EXIT.error;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`vpce-doctor: unexpected error: ${clean(message.split("\n")[0]!)}\n`);
    if (io.env.VPCE_DOCTOR_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT.error;
  }
}

/**
 * `vpce-doctor config check <file>`: reads and validates the file as the bot and the CLI would, plus the region
 * codes; nothing is started and no AWS or Slack call is made. One summary line on stdout when valid, else every
 * error (file:line: key: message) on stderr; warnings go to stderr either way.
 */
async function configCheck(file: string, io: CliIo): Promise<number> {
  let text: string;
  try {
    text = await io.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code
      ? `${code}${code === "ENOENT" ? " (no such file)" : ""}`
      : (error as Error).message.split("\n")[0];
    io.stderr(`vpce-doctor: cannot read config file ${file}: ${why}\n`);
    return EXIT.error;
  }
  const result = checkConfig(text, file, { isKnownRegion: io.isKnownRegion });
  for (const line of [...result.errors, ...result.warnings]) io.stderr(`${clean(line)}\n`);
  if (!result.config) return EXIT.problem;
  const warned = result.warnings.length;
  io.stdout(
    `${file}: valid — ${describeConfig(result.config)}${warned ? `; ${count(warned, "warning")} on stderr` : ""}\n`,
  );
  return EXIT.healthy;
}

/** "3 accounts, 2 channels, alarms on (2 topics, 3 routes), state in DynamoDB table t": what the file sets up. */
function describeConfig(config: ConfigFile): string {
  const parts = [count(config.accounts.length, "account"), count(config.channels.length, "channel")];
  if (config.services.length > 0) parts.push(count(config.services.length, "service port list"));
  if (config.suppress.length > 0) parts.push(count(config.suppress.length, "suppression"));
  const alarms = config.alarms;
  if (alarms) {
    const via = [count(alarms.topics.length, "topic"), count(alarms.routes.length, "route")];
    if (alarms.sqsQueueUrl) via.push("polling an SQS queue");
    parts.push(`alarms on (${via.join(", ")})`);
  } else parts.push("alarms off");
  const state = config.state;
  parts.push(
    state
      ? `state in DynamoDB table ${state.dynamodbTable}${state.region ? ` (${state.region})` : ""}`
      : "state in memory",
  );
  return parts.join(", ");
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

async function diagnose(args: DiagnoseArgs, io: CliIo): Promise<number> {
  if (args.snapshot) {
    const text = await readOrFail(io, args.snapshot, "snapshot");
    const snapshot = parseSnapshot(text, args.snapshot, io.isKnownRegion);
    const offlineConfig = await loadConfig(args, io);
    return print(diagnoseSnapshot(snapshot, undefined, diagnosisSettings(offlineConfig)), args, io);
  }
  const config = await loadConfig(args, io);
  const request = buildRequest(args, config, io);
  const account = request.account ? findAccount(config, request.account) : undefined;
  const where = `${request.endpointId} in ${request.region}${account ? ` (${account.alias})` : ""}`;
  io.stderr(io.stderrIsTTY ? `Diagnosing ${where}...` : `Diagnosing ${where}...\n`);
  const { report, snapshot } = await runDiagnosis(request, {
    collect: (r) => io.collector(r, account, config?.accounts),
    settings: diagnosisSettings(config),
    onSlow: (calls) => io.stderr(`${io.stderrIsTTY ? "\r\u001b[K" : ""}${slowLine(calls)}\n`),
  }).finally(() => {
    if (io.stderrIsTTY) io.stderr("\r\u001b[K");
  });
  if (args.saveSnapshot) await io.writeFile(args.saveSnapshot, `${JSON.stringify(snapshot, null, 2)}\n`);
  return print(report, args, io);
}

/** What the terminal says when AWS is slow: the same words as the bot's note to the requester. */
function slowLine(calls: readonly string[]): string {
  const waiting = calls.length > 0 ? calls.join(", ") : "AWS credentials (sts:AssumeRole)";
  return `Still waiting on ${waiting} after ${formatSeconds(DEFAULT_SLOW_NOTICE_MS)}; the report comes within ${formatSeconds(DEFAULT_DEADLINE_MS)}, with whatever does not answer listed as not read.`;
}

function print(report: Report, args: DiagnoseArgs, io: CliIo): number {
  if (args.json) io.stdout(`${JSON.stringify(toJsonDocument(report), null, 2)}\n`);
  else io.stdout(renderTerminal(report, { color: io.stdoutIsTTY && !io.env.NO_COLOR }));
  switch (report.verdict.status) {
    case "healthy":
      return EXIT.healthy;
    case "unknown":
      return EXIT.error;
    default:
      return EXIT.problem;
  }
}

async function loadConfig(args: DiagnoseArgs, io: CliIo): Promise<ConfigFile | undefined> {
  const path = args.config ?? io.env.VPCE_DOCTOR_CONFIG;
  if (!path) return undefined;
  return parseConfig(await readOrFail(io, path, "config"), path, { isKnownRegion: io.isKnownRegion });
}

function buildRequest(args: DiagnoseArgs, config: ConfigFile | undefined, io: CliIo): DiagnosisRequest {
  const endpointId = parseEndpointId(args.endpointId!);
  const account = args.account ? findAccount(config, args.account) : undefined;
  const rawRegion = args.region ?? account?.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  if (!rawRegion) {
    throw new RequestError(
      "no region: give --region (or set a default region for the account, or AWS_REGION)",
    );
  }
  const source = args.from ? parseSource(args.from) : undefined;
  if (args.probe) checkProbeSource(source);
  return {
    endpointId,
    region: parseRegion(rawRegion, io.isKnownRegion),
    account: account?.alias,
    source,
    ...(args.probe ? { probe: true } : {}),
    ...(args.port ? { ports: parsePorts(args.port) } : {}),
    windowHours: parseWindow(args.window),
    requester: io.requester,
  };
}

async function readOrFail(io: CliIo, path: string, what: string): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const ErrorClass = what === "config" ? ConfigError : SnapshotFileError;
    throw new ErrorClass(
      `cannot read ${what} file ${path}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
}
