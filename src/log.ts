import { createRequire } from "node:module";
import { type DestinationStream, type Logger, pino, destination as toFd } from "pino";

/** Paths pino replaces with "[Redacted]": credentials, tokens, secrets and signatures, wherever they sit. */
export const REDACTED_PATHS = [
  "credentials",
  "*.credentials",
  "accessKeyId",
  "*.accessKeyId",
  "secretAccessKey",
  "*.secretAccessKey",
  "sessionToken",
  "*.sessionToken",
  "token",
  "*.token",
  "signingSecret",
  "*.signingSecret",
  "signature",
  "*.signature",
  "authorization",
  "*.authorization",
  "headers.authorization",
  // STS answers and SNS messages spell theirs with a capital.
  "Credentials",
  "*.Credentials",
  "SecretAccessKey",
  "*.SecretAccessKey",
  "SessionToken",
  "*.SessionToken",
  "Signature",
  "*.Signature",
  "botToken",
  "*.botToken",
  "appToken",
  "*.appToken",
  'headers["x-slack-signature"]',
  '*.headers["x-slack-signature"]',
];

/** LOG_LEVEL or LOG_FORMAT holds a value the logger cannot use: one line naming the variable and the choices. */
export class LogSettingsError extends Error {
  override name = "LogSettingsError";
}

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** Whether log lines are JSON (for collectors) or readable text (for a person at a terminal). */
export function logFormat(
  env: Readonly<Record<string, string | undefined>>,
  isTty: boolean,
): "json" | "pretty" {
  if (env.LOG_FORMAT === "json" || env.LOG_FORMAT === "pretty") return env.LOG_FORMAT;
  if (env.LOG_FORMAT)
    throw new LogSettingsError(`LOG_FORMAT must be json or pretty, not "${env.LOG_FORMAT}"`);
  return isTty ? "pretty" : "json";
}

/**
 * The process logger on stderr (or `destination`): level from LOG_LEVEL (default `fallbackLevel`), secrets
 * redacted, JSON lines unless LOG_FORMAT or a terminal on stderr asks for readable text.
 */
export function createLogger(
  env: Readonly<Record<string, string | undefined>>,
  fallbackLevel: string,
  destination?: DestinationStream,
): Logger {
  const level = env.LOG_LEVEL || fallbackLevel;
  if (!LEVELS.includes(level)) {
    throw new LogSettingsError(`LOG_LEVEL must be one of ${LEVELS.join(", ")}, not "${level}"`);
  }
  const options = {
    level,
    base: { app: "vpce-doctor" },
    redact: { paths: REDACTED_PATHS, censor: "[Redacted]" },
  };
  const isTty = !destination && process.stderr.isTTY === true;
  if (logFormat(env, isTty) === "pretty") {
    // Redaction runs before formatting, so readable output hides the same secrets as JSON.
    return pino(
      options,
      loadPretty()({
        destination: destination ?? 2,
        colorize: isTty,
        sync: true,
        ignore: "pid,hostname,app",
      }),
    );
  }
  return destination ? pino(options, destination) : pino(options, toFd(2));
}

export type { Logger };

// pino-pretty is loaded only when a terminal asks for readable logs: the CLI's offline path starts faster without it.
function loadPretty(): typeof import("pino-pretty") {
  return createRequire(import.meta.url)("pino-pretty") as typeof import("pino-pretty");
}
