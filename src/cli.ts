#!/usr/bin/env node
// Terminal entry: wires the real world (process, files, AWS) into the CLI and exits with its code.
import { readFile, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { CredentialsError, isCredentialsError } from "./aws/errors.js";
import { regionInfo } from "./aws/regions.js";
import { type CliIo, runCli } from "./cli/run.js";
import { createLogger, type Logger, LogSettingsError } from "./log.js";
import { packageVersion } from "./version.js";

// The SDK warns on every run that future releases need Node 22; the README says so once instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const version = packageVersion();

function requester(): string {
  try {
    return `cli-${userInfo().username}`;
  } catch {
    return "cli";
  }
}

/**
 * The AWS side, loaded on the first live diagnosis only: the SDK clients cost most of the start-up time and
 * memory, and `diagnose --snapshot`, `config check` and `--help` never call AWS.
 */
function lazyAwsCollector(log: Logger): CliIo["collector"] {
  let collector: Promise<CliIo["collector"]> | undefined;
  return async (request, account, providers) => {
    collector ??= import("./aws/snapshot-source.js").then((aws) => aws.createAwsCollector({ logger: log }));
    return (await collector)(request, account, providers);
  };
}

let logger: Logger;
try {
  logger = createLogger(process.env, "silent");
} catch (error) {
  if (!(error instanceof LogSettingsError)) throw error;
  process.stderr.write(`vpce-doctor: ${error.message}\n`);
  process.exit(2);
}

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  readFile: (path) => readFile(path, "utf8"),
  writeFile: (path, text) => writeFile(path, text, "utf8"),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  isKnownRegion: (code) => regionInfo(code) !== undefined,
  // The report is the CLI's output; structured logs (LOG_LEVEL=debug|info|warn) go to stderr only when asked.
  collector: lazyAwsCollector(logger),
  requester: requester(),
  version,
  isExpectedError: (error) => error instanceof CredentialsError || isCredentialsError(error),
});
process.exitCode = code;
