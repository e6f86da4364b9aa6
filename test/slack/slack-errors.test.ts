import { describe, expect, it } from "vitest";
import { slackErrorOf, slackMethodOf } from "../../src/slack/slack-errors.js";

describe("slackMethodOf", () => {
  it("reads the Web API method from the request URL, whatever the base", () => {
    expect(slackMethodOf("https://slack.com/api/chat.postMessage")).toBe("chat.postMessage");
    expect(slackMethodOf("http://127.0.0.1:4000/api/files.getUploadURLExternal")).toBe(
      "files.getUploadURLExternal",
    );
    expect(slackMethodOf(undefined)).toBe("unknown");
  });
});

describe("slackErrorOf", () => {
  it("names 429s, other HTTP errors and Slack's ok:false answers", () => {
    expect(slackErrorOf(429, "")).toBe("ratelimited");
    expect(slackErrorOf(503, "")).toBe("http_503");
    expect(slackErrorOf(200, '{"ok":false,"error":"channel_not_found"}')).toBe("channel_not_found");
    expect(slackErrorOf(200, Buffer.from('{"ok":false,"error":"invalid_auth"}'))).toBe("invalid_auth");
    expect(slackErrorOf(200, { ok: false })).toBe("unknown_error");
  });

  it("is undefined for a success, including bodies that are not JSON", () => {
    expect(slackErrorOf(200, '{"ok":true,"ts":"1.2"}')).toBeUndefined();
    expect(slackErrorOf(200, "OK")).toBeUndefined();
  });
});
