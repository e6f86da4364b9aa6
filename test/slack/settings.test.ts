import { describe, expect, it } from "vitest";
import { readSlackSettings, SettingsError, type SlackSettings } from "../../src/slack/settings.js";

const BOT = "xoxb-111-222-SECRETbot";
const APP = "xapp-1-A111-222-SECRETapp";
const SIGNING = "8f742231b10e8888abcd99yyyzzz85a5";
const HTTP = { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING };
const SUFFIX = "; see README.md, Slack setup";

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as Error).message;
  }
  throw new Error("expected a SettingsError");
}

describe("readSlackSettings: valid environments", () => {
  const cases: [string, Record<string, string | undefined>, SlackSettings][] = [
    [
      "HTTP mode with defaults",
      HTTP,
      { botToken: BOT, signingSecret: SIGNING, port: 3000, shutdownMs: 20_000 },
    ],
    [
      "HTTP mode with every optional variable",
      {
        ...HTTP,
        PORT: "8080",
        SLACK_API_URL: "http://127.0.0.1:4000/api/",
        VPCE_DOCTOR_CONFIG: "/etc/vpce.yml",
        SHUTDOWN_TIMEOUT_SECONDS: "45",
      },
      {
        botToken: BOT,
        signingSecret: SIGNING,
        port: 8080,
        shutdownMs: 45_000,
        apiUrl: "http://127.0.0.1:4000/api/",
        configPath: "/etc/vpce.yml",
      },
    ],
    [
      "Socket Mode without a signing secret",
      { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP },
      { botToken: BOT, appToken: APP, port: 3000, shutdownMs: 20_000 },
    ],
    [
      "Socket Mode with a signing secret",
      { ...HTTP, SLACK_APP_TOKEN: APP },
      { botToken: BOT, signingSecret: SIGNING, appToken: APP, port: 3000, shutdownMs: 20_000 },
    ],
    [
      "the trailing slash of SLACK_API_URL added",
      { ...HTTP, SLACK_API_URL: "https://slack.example.com/api" },
      {
        botToken: BOT,
        signingSecret: SIGNING,
        port: 3000,
        shutdownMs: 20_000,
        apiUrl: "https://slack.example.com/api/",
      },
    ],
    [
      "empty optional variables treated as unset",
      { ...HTTP, SLACK_APP_TOKEN: "", PORT: "", SLACK_API_URL: "", VPCE_DOCTOR_CONFIG: "" },
      { botToken: BOT, signingSecret: SIGNING, port: 3000, shutdownMs: 20_000 },
    ],
    [
      "the port bounds",
      { ...HTTP, PORT: "65535" },
      { botToken: BOT, signingSecret: SIGNING, port: 65535, shutdownMs: 20_000 },
    ],
    [
      "port 1",
      { ...HTTP, PORT: "1" },
      { botToken: BOT, signingSecret: SIGNING, port: 1, shutdownMs: 20_000 },
    ],
  ];

  it.each(cases)("%s", (_name, env, expected) => {
    expect(readSlackSettings(env)).toEqual(expected);
  });

  it("ignores variables it does not own", () => {
    expect(readSlackSettings({ ...HTTP, LOG_LEVEL: "debug", HOME: "/root" })).toEqual({
      botToken: BOT,
      signingSecret: SIGNING,
      port: 3000,
      shutdownMs: 20_000,
    });
  });
});

describe("readSlackSettings: invalid environments", () => {
  const cases: [string, Record<string, string | undefined>, string][] = [
    [
      "nothing set",
      {},
      "SLACK_BOT_TOKEN is not set; SLACK_SIGNING_SECRET is not set (required unless SLACK_APP_TOKEN selects Socket Mode)",
    ],
    [
      "a user token",
      { ...HTTP, SLACK_BOT_TOKEN: "xoxp-123" },
      "SLACK_BOT_TOKEN must start with xoxb- (the Bot User OAuth Token)",
    ],
    [
      "a bare prefix",
      { ...HTTP, SLACK_BOT_TOKEN: "xoxb-" },
      "SLACK_BOT_TOKEN must start with xoxb- (the Bot User OAuth Token)",
    ],
    [
      "a pasted newline",
      { ...HTTP, SLACK_BOT_TOKEN: `${BOT}\n` },
      "SLACK_BOT_TOKEN has leading or trailing whitespace",
    ],
    [
      "a bot token as app token",
      { ...HTTP, SLACK_APP_TOKEN: BOT },
      "SLACK_APP_TOKEN must start with xapp- (an app-level token, for Socket Mode)",
    ],
    [
      "a blank signing secret in HTTP mode",
      { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: "   " },
      "SLACK_SIGNING_SECRET is not set (required unless SLACK_APP_TOKEN selects Socket Mode)",
    ],
    [
      "a signing secret with a newline",
      { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: `${SIGNING}\n` },
      "SLACK_SIGNING_SECRET has leading or trailing whitespace",
    ],
    ["a named port", { ...HTTP, PORT: "http" }, "PORT must be an integer from 1 to 65535"],
    ["port 0", { ...HTTP, PORT: "0" }, "PORT must be an integer from 1 to 65535"],
    ["port 65536", { ...HTTP, PORT: "65536" }, "PORT must be an integer from 1 to 65535"],
    ["a fractional port", { ...HTTP, PORT: "80.5" }, "PORT must be an integer from 1 to 65535"],
    ["a negative port", { ...HTTP, PORT: "-1" }, "PORT must be an integer from 1 to 65535"],
    [
      "a shutdown timeout in minutes",
      { ...HTTP, SHUTDOWN_TIMEOUT_SECONDS: "1m" },
      "SHUTDOWN_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 3600",
    ],
    [
      "a zero shutdown timeout",
      { ...HTTP, SHUTDOWN_TIMEOUT_SECONDS: "0" },
      "SHUTDOWN_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 3600",
    ],
    [
      "an API URL that is not a URL",
      { ...HTTP, SLACK_API_URL: "slack" },
      "SLACK_API_URL must be an http(s) URL ending with /api/",
    ],
    [
      "an ftp API URL",
      { ...HTTP, SLACK_API_URL: "ftp://x/api/" },
      "SLACK_API_URL must be an http(s) URL ending with /api/",
    ],
    [
      "an API URL without /api/",
      { ...HTTP, SLACK_API_URL: "https://slack.com/" },
      "SLACK_API_URL must be an http(s) URL ending with /api/",
    ],
    [
      "an API URL with a query",
      { ...HTTP, SLACK_API_URL: "https://slack.com/api/?x=1" },
      "SLACK_API_URL must be an http(s) URL ending with /api/",
    ],
    [
      "everything wrong at once",
      { SLACK_BOT_TOKEN: "xoxp-1", SLACK_APP_TOKEN: "xoxb-1", PORT: "99999", SLACK_API_URL: "nope" },
      "SLACK_BOT_TOKEN must start with xoxb- (the Bot User OAuth Token); " +
        "SLACK_APP_TOKEN must start with xapp- (an app-level token, for Socket Mode); " +
        "PORT must be an integer from 1 to 65535; SLACK_API_URL must be an http(s) URL ending with /api/",
    ],
  ];

  it.each(cases)("%s", (_name, env, problems) => {
    expect(messageOf(() => readSlackSettings(env))).toBe(`Slack settings: ${problems}${SUFFIX}`);
  });

  it("throws a SettingsError naming the variables, on one line, without any secret", () => {
    const env = {
      SLACK_BOT_TOKEN: `xoxp-${SIGNING}`,
      SLACK_APP_TOKEN: `bad-${APP}`,
      SLACK_SIGNING_SECRET: ` ${SIGNING}`,
      SLACK_API_URL: "https://user:hunter2@slack.example.com/",
    };
    let error: unknown;
    try {
      readSlackSettings(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SettingsError);
    const settingsError = error as SettingsError;
    expect(settingsError.name).toBe("SettingsError");
    expect(settingsError.variables).toEqual([
      "SLACK_BOT_TOKEN",
      "SLACK_APP_TOKEN",
      "SLACK_SIGNING_SECRET",
      "SLACK_API_URL",
    ]);
    expect(settingsError.message).not.toContain("\n");
    expect(settingsError.message.endsWith("see README.md, Slack setup")).toBe(true);
    for (const secret of [SIGNING, APP, "SECRETapp", "hunter2"])
      expect(settingsError.message).not.toContain(secret);
  });
});

describe("readSlackSettings: the AWS time limits", () => {
  const base = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" };

  it("reads AWS_CALL_TIMEOUT_SECONDS and DIAGNOSIS_DEADLINE_SECONDS, and leaves the defaults when unset", () => {
    expect(
      readSlackSettings({ ...base, AWS_CALL_TIMEOUT_SECONDS: "5", DIAGNOSIS_DEADLINE_SECONDS: "40" }),
    ).toMatchObject({
      awsCallTimeoutMs: 5_000,
      diagnosisDeadlineMs: 40_000,
    });
    expect(readSlackSettings(base).awsCallTimeoutMs).toBeUndefined();
  });

  it("refuses a limit out of range, naming it", () => {
    expect(() => readSlackSettings({ ...base, AWS_CALL_TIMEOUT_SECONDS: "0" })).toThrow(
      /AWS_CALL_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 60/,
    );
  });
});
