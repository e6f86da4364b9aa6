import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/log.js";

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
