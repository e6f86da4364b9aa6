import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CredentialsError, isCredentialsError } from "../../src/aws/errors.js";
import { regionInfo } from "../../src/aws/regions.js";
import { createAwsCollector } from "../../src/aws/snapshot-source.js";
import { runCli } from "../../src/cli/run.js";
import { TEST_CREDENTIALS } from "./world.js";

// Runs the CLI against moto: in-process through runCli (the real collector, real SDK, real HTTP), or as a
// child process through the real entry point. The product finds moto only through AWS_ENDPOINT_URL.

/** The environment the product sees: moto's URL and throw-away credentials, nothing else from AWS. */
export function motoEnv(motoUrl: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: motoUrl,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}

/** Points this process's SDK at moto (the SDK reads these variables when a client is built). */
export function useMoto(motoUrl: string): void {
  for (const key of ["AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_SESSION_TOKEN"])
    delete process.env[key];
  Object.assign(process.env, motoEnv(motoUrl));
}

/** Writes a YAML config file to a fresh temporary folder and returns its path. */
export function configFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "vpce-doctor-")), "config.yml");
  writeFileSync(path, text);
  return path;
}

/** Result of one CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: the JSON document is asserted field by field in tests
  json: any;
}

const collector = createAwsCollector({ maxAttempts: 1 });

/** Runs `vpce-doctor <argv>` in this process with the real AWS collector. */
export async function cli(argv: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: process.env,
    readFile: (p) => readFile(p, "utf8"),
    writeFile: (p, t) => writeFile(p, t),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    isKnownRegion: (code) => regionInfo(code) !== undefined,
    collector,
    requester: "integration",
    version: "test",
    isExpectedError: (error) => error instanceof CredentialsError || isCredentialsError(error),
  });
  return { code, stdout, stderr, json: argv.includes("--json") && stdout ? JSON.parse(stdout) : undefined };
}

/** Runs the real entry point (`src/cli.ts` through tsx, or `entry` such as the bundled dist/bin/cli.js) as a child process. */
export function cliProcess(
  argv: string[],
  env: Record<string, string>,
  entry: string[] = ["--import", "tsx", "src/cli.ts"],
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entry, ...argv], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.once("error", reject);
    child.once("close", (code) =>
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        json: argv.includes("--json") && stdout ? JSON.parse(stdout) : undefined,
      }),
    );
  });
}
