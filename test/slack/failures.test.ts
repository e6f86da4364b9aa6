import { describe, expect, it } from "vitest";
import { describeFailure } from "../../src/slack/failures.js";

describe("describeFailure", () => {
  it("tells how to fix a bot that is not in the channel", () => {
    expect(
      describeFailure({ code: "slack_webapi_platform_error", data: { error: "not_in_channel" } }),
    ).toMatch(/invite it/);
  });
  it("names other Slack errors", () => {
    expect(describeFailure({ data: { error: "msg_too_long" } })).toBe(
      "Slack refused the post (msg_too_long)",
    );
  });
  it("keeps the first line of anything else", () => {
    expect(describeFailure(new Error("no AWS credentials found\nstack"))).toBe("no AWS credentials found");
  });
});
