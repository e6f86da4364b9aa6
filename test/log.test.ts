import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, LogSettingsError, logFormat } from "../src/log.js";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe("createLogger", () => {
  it("writes JSON lines at LOG_LEVEL and stays silent below it", () => {
    const { lines, stream } = capture();
    const log = createLogger({ LOG_LEVEL: "info" }, "silent", stream);
    log.debug("hidden");
    log.info({ endpointId: "vpce-0abc1234" }, "collected");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 30,
      app: "vpce-doctor",
      endpointId: "vpce-0abc1234",
      msg: "collected",
    });
  });

  it("is silent by default for the CLI", () => {
    const { lines, stream } = capture();
    createLogger({}, "silent", stream).error("nothing");
    expect(lines).toEqual([]);
  });

  it("never writes credentials, tokens, secrets or signatures", () => {
    const { lines, stream } = capture();
    const log = createLogger({ LOG_LEVEL: "debug" }, "silent", stream);
    log.info({
      credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "s3cr3t", sessionToken: "tok" },
      client: { secretAccessKey: "s3cr3t", token: "xoxb-123" },
      slack: { signingSecret: "shh" },
      sns: { signature: "c2lnbmF0dXJl" },
      headers: { authorization: "Bearer xoxb-123" },
    });
    const text = lines.join("");
    for (const secret of ["AKIAEXAMPLE", "s3cr3t", 'tok"', "xoxb-123", "shh", "c2lnbmF0dXJl"]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("[Redacted]");
  });
});

describe("createLogger redaction of AWS, SNS and Slack spellings", () => {
  it("hides STS credentials, SNS signatures, Slack tokens and request signatures", () => {
    const { lines, stream } = capture();
    const log = createLogger({ LOG_LEVEL: "info" }, "silent", stream);
    log.info({
      Credentials: { AccessKeyId: "ASIAEXAMPLE", SecretAccessKey: "wJalr", SessionToken: "FwoGZX" },
      assumed: { SecretAccessKey: "wJalr2", SessionToken: "FwoGZX2" },
      message: {
        Type: "Notification",
        Signature: "U2lnbmVk",
        SigningCertURL: "https://sns.us-east-1.amazonaws.com/c.pem",
      },
      settings: { botToken: "xoxb-999", appToken: "xapp-999" },
      req: { headers: { "x-slack-signature": "v0=abc123" } },
    });
    const text = lines.join("");
    for (const secret of [
      "ASIAEXAMPLE",
      "wJalr",
      "FwoGZX",
      "U2lnbmVk",
      "xoxb-999",
      "xapp-999",
      "v0=abc123",
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("Notification");
  });
});

describe("createLogger formats", () => {
  it("writes readable text when LOG_FORMAT=pretty, with the same secrets hidden", () => {
    const { lines, stream } = capture();
    const log = createLogger({ LOG_LEVEL: "info", LOG_FORMAT: "pretty" }, "silent", stream);
    log.info({ endpointId: "vpce-0abc1234", token: "xoxb-123" }, "collected");
    const text = lines.join("");
    expect(() => JSON.parse(text)).toThrow();
    expect(text).toMatch(/INFO.*collected/);
    expect(text).toContain("vpce-0abc1234");
    expect(text).not.toContain("xoxb-123");
  });

  it("chooses readable text on a terminal and JSON elsewhere, unless LOG_FORMAT says", () => {
    expect(logFormat({}, true)).toBe("pretty");
    expect(logFormat({}, false)).toBe("json");
    expect(logFormat({ LOG_FORMAT: "json" }, true)).toBe("json");
    expect(logFormat({ LOG_FORMAT: "pretty" }, false)).toBe("pretty");
  });
});

describe("createLogger settings", () => {
  it("refuses an unknown LOG_LEVEL or LOG_FORMAT with one line naming the choices", () => {
    expect(() => createLogger({ LOG_LEVEL: "verbose" }, "info")).toThrow(
      new LogSettingsError(
        'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "verbose"',
      ),
    );
    expect(() => createLogger({ LOG_FORMAT: "text" }, "info")).toThrow(
      /^LOG_FORMAT must be json or pretty, not "text"$/,
    );
  });

  it("treats an empty LOG_LEVEL as unset", () => {
    const { lines, stream } = capture();
    createLogger({ LOG_LEVEL: "" }, "silent", stream).error("nothing");
    expect(lines).toEqual([]);
  });
});
