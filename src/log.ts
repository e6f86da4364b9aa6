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
];

/** The process logger: JSON lines, level from LOG_LEVEL (default `fallbackLevel`), secrets redacted. */
export function createLogger(
  env: Readonly<Record<string, string | undefined>>,
  fallbackLevel: string,
  destination?: DestinationStream,
): Logger {
  const options = {
    level: env.LOG_LEVEL ?? fallbackLevel,
    base: { app: "vpce-doctor" },
    redact: { paths: REDACTED_PATHS, censor: "[Redacted]" },
  };
  return destination ? pino(options, destination) : pino(options, toFd(2));
}

export type { Logger };
