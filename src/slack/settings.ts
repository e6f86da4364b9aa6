/** What the Slack bot needs from the environment; `appToken` present means Socket Mode. */
export interface SlackSettings {
  botToken: string;
  /** Always set in HTTP mode; optional in Socket Mode, where Slack does not sign requests. */
  signingSecret?: string;
  appToken?: string;
  port: number;
  apiUrl?: string;
  configPath?: string;
  /** How long a shutdown waits for in-flight diagnoses and posts (SHUTDOWN_TIMEOUT_SECONDS, default 20 s). */
  shutdownMs: number;
  /** How long one AWS call may take, retries included (AWS_CALL_TIMEOUT_SECONDS, default 10 s). */
  awsCallTimeoutMs?: number;
  /** How long a diagnosis may take before its partial report (DIAGNOSIS_DEADLINE_SECONDS, default 25 s). */
  diagnosisDeadlineMs?: number;
}

/** One or more Slack variables are missing or malformed; the message names each one, never a value. */
export class SettingsError extends Error {
  override name = "SettingsError";
  constructor(
    readonly variables: readonly string[],
    problems: readonly string[],
  ) {
    super(`Slack settings: ${problems.join("; ")}; see README.md, Slack setup`);
  }
}

const DEFAULT_PORT = 3000;

/** Reads and checks the bot's environment; throws one SettingsError listing every problem. */
export function readSlackSettings(env: Readonly<Record<string, string | undefined>>): SlackSettings {
  const problems: [variable: string, problem: string][] = [];
  const value = (name: string): string | undefined => (env[name] === "" ? undefined : env[name]);

  const botToken = value("SLACK_BOT_TOKEN");
  if (botToken === undefined) problems.push(["SLACK_BOT_TOKEN", "SLACK_BOT_TOKEN is not set"]);
  else problems.push(...tokenProblem("SLACK_BOT_TOKEN", botToken, "xoxb-", "the Bot User OAuth Token"));

  const appToken = value("SLACK_APP_TOKEN");
  if (appToken !== undefined) {
    problems.push(
      ...tokenProblem("SLACK_APP_TOKEN", appToken, "xapp-", "an app-level token, for Socket Mode"),
    );
  }

  const signingSecret = value("SLACK_SIGNING_SECRET");
  if (signingSecret === undefined || signingSecret.trim() === "") {
    if (appToken === undefined) {
      problems.push([
        "SLACK_SIGNING_SECRET",
        "SLACK_SIGNING_SECRET is not set (required unless SLACK_APP_TOKEN selects Socket Mode)",
      ]);
    }
  } else if (signingSecret !== signingSecret.trim()) {
    problems.push(["SLACK_SIGNING_SECRET", "SLACK_SIGNING_SECRET has leading or trailing whitespace"]);
  }

  const portText = value("PORT");
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (portText !== undefined && !(/^\d+$/.test(portText) && port >= 1 && port <= 65535)) {
    problems.push(["PORT", "PORT must be an integer from 1 to 65535"]);
  }

  const apiUrlText = value("SLACK_API_URL");
  const apiUrl = apiUrlText === undefined ? undefined : normaliseApiUrl(apiUrlText);
  if (apiUrl === null) {
    problems.push(["SLACK_API_URL", "SLACK_API_URL must be an http(s) URL ending with /api/"]);
  }

  const shutdownText = value("SHUTDOWN_TIMEOUT_SECONDS");
  const shutdownSeconds = shutdownText === undefined ? 20 : Number(shutdownText);
  if (
    shutdownText !== undefined &&
    !(/^\d+$/.test(shutdownText) && shutdownSeconds >= 1 && shutdownSeconds <= 3600)
  ) {
    problems.push([
      "SHUTDOWN_TIMEOUT_SECONDS",
      "SHUTDOWN_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 3600",
    ]);
  }

  const callSeconds = seconds(value, "AWS_CALL_TIMEOUT_SECONDS", 10, 1, 60, problems);
  const deadlineSeconds = seconds(value, "DIAGNOSIS_DEADLINE_SECONDS", 25, 5, 300, problems);

  if (problems.length > 0) {
    throw new SettingsError(
      problems.map(([variable]) => variable),
      problems.map(([, problem]) => problem),
    );
  }
  return {
    botToken: botToken!,
    ...(signingSecret?.trim() ? { signingSecret } : {}),
    ...(appToken ? { appToken } : {}),
    port,
    shutdownMs: shutdownSeconds * 1000,
    ...(value("AWS_CALL_TIMEOUT_SECONDS") ? { awsCallTimeoutMs: callSeconds * 1000 } : {}),
    ...(value("DIAGNOSIS_DEADLINE_SECONDS") ? { diagnosisDeadlineMs: deadlineSeconds * 1000 } : {}),
    ...(apiUrl ? { apiUrl } : {}),
    ...(value("VPCE_DOCTOR_CONFIG") ? { configPath: value("VPCE_DOCTOR_CONFIG") } : {}),
  };
}

/** A whole number of seconds from `min` to `max` (default `fallback`), or a problem naming the variable. */
function seconds(
  value: (name: string) => string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: [string, string][],
): number {
  const text = value(name);
  const parsed = text === undefined ? fallback : Number(text);
  if (text !== undefined && !(/^\d+$/.test(text) && parsed >= min && parsed <= max)) {
    problems.push([name, `${name} must be a whole number of seconds from ${min} to ${max}`]);
    return fallback;
  }
  return parsed;
}

function tokenProblem(name: string, token: string, prefix: string, what: string): [string, string][] {
  if (new RegExp(`^${prefix}\\S+$`).test(token)) return [];
  if (new RegExp(`^${prefix}\\S+$`).test(token.trim())) {
    return [[name, `${name} has leading or trailing whitespace`]];
  }
  return [[name, `${name} must start with ${prefix} (${what})`]];
}

function normaliseApiUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.search !== "" || url.hash !== "" || /\s/.test(text)) return null;
  const path = url.pathname.endsWith("/") ? url.pathname : `${url.pathname}/`;
  if (!path.endsWith("/api/")) return null;
  url.pathname = path;
  return url.toString();
}
