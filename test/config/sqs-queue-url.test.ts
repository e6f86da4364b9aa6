import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/load.js";

// The SQS path trusts the queue (see README, Security): the config accepts only AWS's queue URL forms, and an
// emulator's own form (http://localhost:4566/000000000000/q) only while the SDK is pointed at an emulator.

const config = (url: string) => `alarms:
  topics: [arn:aws:sns:us-east-1:111122223333:vpce-alarms]
  sqsQueueUrl: ${url}
  defaultChannel: C0999ZZZZ
`;
const EMULATED = "http://localhost:4566/000000000000/vpce-alarms";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("alarms.sqsQueueUrl", () => {
  it("refuses a URL outside AWS's forms when no emulator endpoint is set", () => {
    vi.stubEnv("AWS_ENDPOINT_URL_SQS", "");
    vi.stubEnv("AWS_ENDPOINT_URL", "");
    for (const url of [EMULATED, "https://evil.example/111122223333/q"]) {
      expect(() => parseConfig(config(url))).toThrow(ConfigError);
      expect(() => parseConfig(config(url))).toThrow(/AWS_ENDPOINT_URL_SQS or AWS_ENDPOINT_URL/);
    }
  });

  it.each(["AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL"])(
    "accepts an emulator's URL while %s is set",
    (name) => {
      vi.stubEnv("AWS_ENDPOINT_URL_SQS", "");
      vi.stubEnv("AWS_ENDPOINT_URL", "");
      vi.stubEnv(name, "http://localhost:4566");
      expect(parseConfig(config(EMULATED)).alarms!.sqsQueueUrl).toBe(EMULATED);
      expect(() => parseConfig(config("http://localhost:4566/not-an-account/q"))).toThrow(ConfigError);
    },
  );

  it("accepts AWS's form whatever the environment", () => {
    const url = "https://sqs.us-east-1.amazonaws.com/111122223333/vpce-alarms";
    expect(parseConfig(config(url)).alarms!.sqsQueueUrl).toBe(url);
  });
});
