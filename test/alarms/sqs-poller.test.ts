import { describe, expect, it, vi } from "vitest";
import type { AlarmQueue, QueuedMessage } from "../../src/alarms/alarm-queue.js";
import type { Intake, IntakeOutcome } from "../../src/alarms/intake.js";
import { SqsAlarmPoller } from "../../src/alarms/sqs-poller.js";
import { createLogger } from "../../src/log.js";
import { fixture, fixtureText } from "./fixtures.js";

const TOPIC = "arn:aws:sns:us-east-1:111122223333:vpce-doctor-alarms";

/** An in-memory queue: each receive takes the next scripted batch (or error); with none left it waits, like a long poll, until aborted. */
class MemoryQueue implements AlarmQueue {
  readonly script: Array<QueuedMessage[] | Error> = [];
  readonly removed: string[] = [];
  receives = 0;
  failRemove = false;

  constructor(...script: Array<QueuedMessage[] | Error>) {
    this.script.push(...script);
  }

  receive(signal?: AbortSignal): Promise<QueuedMessage[]> {
    this.receives += 1;
    const next = this.script.shift();
    if (next instanceof Error) return Promise.reject(next);
    if (next) return Promise.resolve(next);
    return new Promise((_, reject) =>
      signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")), {
        once: true,
      }),
    );
  }

  async remove(receiptHandle: string): Promise<void> {
    if (this.failRemove) throw new Error("QueueDoesNotExist");
    this.removed.push(receiptHandle);
  }
}

function message(id: string, body: string): QueuedMessage {
  return { id, receiptHandle: `handle-${id}`, body };
}

/** An intake that records what it is given and answers with `answer`. */
function recordingIntake(
  answer: (json: unknown) => Promise<IntakeOutcome> | IntakeOutcome = () => ({ kind: "posted" }),
) {
  const calls: Array<{ json: unknown; via: string }> = [];
  const intake: Intake = async (json, via) => {
    calls.push({ json, via });
    return answer(json);
  };
  return { intake, calls };
}

function setup(queue: MemoryQueue, intake: Intake, sleep?: (ms: number) => Promise<void>) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ LOG_LEVEL: "debug" }, "debug", {
    write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  const poller = new SqsAlarmPoller({ queue, intake, topics: [TOPIC], logger, ...(sleep ? { sleep } : {}) });
  const at = (level: "warn" | "error") => lines.filter((l) => l.level === (level === "warn" ? 40 : 50));
  return { poller, lines, at };
}

const envelope = fixtureText("cloudwatch-alarm-sns.json");

describe("SqsAlarmPoller.pollOnce", () => {
  it("hands the parsed body to the intake via sqs and deletes what was posted or a duplicate", async () => {
    const queue = new MemoryQueue([message("m1", envelope), message("m2", envelope)]);
    const outcomes: IntakeOutcome[] = [{ kind: "posted" }, { kind: "duplicate" }];
    const { intake, calls } = recordingIntake(() => outcomes.shift()!);
    const { poller, at } = setup(queue, intake);

    expect(await poller.pollOnce()).toEqual({ deleted: 2, kept: 0 });
    expect(calls).toEqual([
      { json: fixture("cloudwatch-alarm-sns.json"), via: "sqs" },
      { json: fixture("cloudwatch-alarm-sns.json"), via: "sqs" },
    ]);
    expect(queue.removed.sort()).toEqual(["handle-m1", "handle-m2"]);
    expect(at("warn")).toEqual([]);
  });

  it("passes raw CloudWatch notifications and EventBridge events (raw delivery) without a topic check", async () => {
    const queue = new MemoryQueue([
      message("raw", fixtureText("cloudwatch-raw-message.json")),
      message("eb", fixtureText("eventbridge-alarm.json")),
    ]);
    const { intake, calls } = recordingIntake();
    const { poller } = setup(queue, intake);

    expect(await poller.pollOnce()).toEqual({ deleted: 2, kept: 0 });
    expect(calls.map((c) => c.json)).toEqual([
      fixture("cloudwatch-raw-message.json"),
      fixture("eventbridge-alarm.json"),
    ]);
  });

  it("keeps a body that is not JSON for the redrive policy, logging its message id", async () => {
    const queue = new MemoryQueue([message("bad", "{not json")]);
    const { intake, calls } = recordingIntake();
    const { poller, at } = setup(queue, intake);

    expect(await poller.pollOnce()).toEqual({ deleted: 0, kept: 1 });
    expect(calls).toEqual([]);
    expect(queue.removed).toEqual([]);
    expect(at("warn")).toEqual([
      expect.objectContaining({ messageId: "bad", msg: expect.stringContaining("not JSON") }),
    ]);
  });

  it("keeps an SNS envelope from a topic that is not allowed, or with no topic string, without calling the intake", async () => {
    const other = {
      ...fixture("cloudwatch-alarm-sns.json"),
      TopicArn: "arn:aws:sns:us-east-1:999999999999:other",
    };
    const noTopic = { ...fixture("cloudwatch-alarm-sns.json"), TopicArn: 42 };
    const queue = new MemoryQueue([
      message("other", JSON.stringify(other)),
      message("nan", JSON.stringify(noTopic)),
    ]);
    const { intake, calls } = recordingIntake();
    const { poller, at } = setup(queue, intake);

    expect(await poller.pollOnce()).toEqual({ deleted: 0, kept: 2 });
    expect(calls).toEqual([]);
    expect(queue.removed).toEqual([]);
    expect(at("warn")).toEqual([
      expect.objectContaining({ messageId: "other", topic: "arn:aws:sns:us-east-1:999999999999:other" }),
      expect.objectContaining({ messageId: "nan", topic: 42 }),
    ]);
  });

  it("keeps a message another handler is still posting, so it reappears and is deleted once done", async () => {
    const queue = new MemoryQueue([message("m1", envelope)]);
    const { intake } = recordingIntake(() => ({ kind: "in-progress" }));
    const { poller, at } = setup(queue, intake);
    expect(await poller.pollOnce()).toEqual({ deleted: 0, kept: 1 });
    expect(queue.removed).toEqual([]);
    expect(at("warn")).toEqual([]);
  });

  it("keeps rejected and refused messages for the redrive policy, logging the reason", async () => {
    const queue = new MemoryQueue([message("r1", envelope), message("r2", envelope)]);
    const outcomes: IntakeOutcome[] = [
      { kind: "rejected", reason: "not an alarm" },
      { kind: "refused", reason: "account 111122223333 is not configured" },
    ];
    const { intake } = recordingIntake(() => outcomes.shift()!);
    const { poller, at } = setup(queue, intake);

    expect(await poller.pollOnce()).toEqual({ deleted: 0, kept: 2 });
    expect(queue.removed).toEqual([]);
    expect(at("warn")).toEqual([
      expect.objectContaining({ messageId: "r1", outcome: "rejected", reason: "not an alarm" }),
      expect.objectContaining({
        messageId: "r2",
        outcome: "refused",
        reason: "account 111122223333 is not configured",
      }),
    ]);
  });

  it("keeps a message whose intake throws (it is redelivered) and still handles the rest of the batch", async () => {
    const queue = new MemoryQueue([
      message("boom", envelope),
      message("ok", fixtureText("cloudwatch-raw-message.json")),
    ]);
    const { intake } = recordingIntake((json) => {
      if ((json as { Type?: string }).Type === "Notification")
        throw new Error("chat.postMessage: ratelimited");
      return { kind: "posted" };
    });
    const { poller, at } = setup(queue, intake);

    expect(await poller.pollOnce()).toEqual({ deleted: 1, kept: 1 });
    expect(queue.removed).toEqual(["handle-ok"]);
    expect(at("error")).toEqual([
      expect.objectContaining({ messageId: "boom", err: "Error: chat.postMessage: ratelimited" }),
    ]);
  });

  it("counts a posted message whose delete fails as kept (it comes back as a duplicate)", async () => {
    const queue = new MemoryQueue([message("m", envelope)]);
    queue.failRemove = true;
    const { poller, at } = setup(queue, recordingIntake().intake);

    expect(await poller.pollOnce()).toEqual({ deleted: 0, kept: 1 });
    expect(at("error")).toEqual([expect.objectContaining({ messageId: "m", outcome: "posted" })]);
  });

  it("handles the messages of one batch concurrently", async () => {
    const queue = new MemoryQueue([message("a", envelope), message("b", envelope), message("c", envelope)]);
    let started = 0;
    let release!: () => void;
    const allStarted = new Promise<void>((resolve) => (release = resolve));
    const { intake } = recordingIntake(async () => {
      started += 1;
      if (started === 3) release();
      await allStarted;
      return { kind: "posted" };
    });
    const { poller } = setup(queue, intake);

    expect(await poller.pollOnce()).toEqual({ deleted: 3, kept: 0 });
  });

  it("rejects when the receive fails", async () => {
    const queue = new MemoryQueue(new Error("AccessDenied"));
    const { poller } = setup(queue, recordingIntake().intake);
    await expect(poller.pollOnce()).rejects.toThrow("AccessDenied");
  });
});

describe("SqsAlarmPoller.start and stop", () => {
  it("backs off after receive errors, 1 s doubling to 30 s, and keeps polling", async () => {
    const failures = Array.from({ length: 7 }, () => new Error("ServiceUnavailable"));
    const queue = new MemoryQueue(...failures, [message("m", envelope)]);
    const sleeps: number[] = [];
    const { poller, at } = setup(queue, recordingIntake().intake, async (ms) => {
      sleeps.push(ms);
    });

    poller.start();
    await vi.waitFor(() => expect(queue.removed).toEqual(["handle-m"]));
    await poller.stop();
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(at("error")).toHaveLength(7);
    expect(at("error")[0]).toMatchObject({ err: "Error: ServiceUnavailable", retryInMs: 1000 });
  });

  it("starts over at 1 s after a successful receive", async () => {
    const queue = new MemoryQueue(new Error("e1"), new Error("e2"), [], new Error("e3"));
    const sleeps: number[] = [];
    const { poller } = setup(queue, recordingIntake().intake, async (ms) => {
      sleeps.push(ms);
    });

    poller.start();
    await vi.waitFor(() => expect(queue.receives).toBe(5));
    await poller.stop();
    expect(sleeps).toEqual([1000, 2000, 1000]);
  });

  it("stop abandons a pending long poll without logging an error", async () => {
    const queue = new MemoryQueue();
    const { poller, at } = setup(queue, recordingIntake().intake);

    poller.start();
    await vi.waitFor(() => expect(queue.receives).toBe(1));
    await poller.stop();
    expect(at("error")).toEqual([]);
  });

  it("stop does not wait out a backoff pause", async () => {
    const queue = new MemoryQueue(new Error("down"));
    const { poller } = setup(queue, recordingIntake().intake, () => new Promise<void>(() => {}));

    poller.start();
    await vi.waitFor(() => expect(queue.receives).toBe(1));
    await poller.stop();
    expect(queue.receives).toBe(1);
  });

  it("stop waits for in-flight messages, which are still deleted once posted", async () => {
    const queue = new MemoryQueue([message("slow", envelope)]);
    let finish!: () => void;
    const posting = new Promise<void>((resolve) => (finish = resolve));
    const { intake, calls } = recordingIntake(async () => {
      await posting;
      return { kind: "posted" };
    });
    const { poller } = setup(queue, intake);

    poller.start();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    let stopped = false;
    const stopping = poller.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);

    finish();
    await stopping;
    expect(queue.removed).toEqual(["handle-slow"]);
    expect(queue.receives).toBe(1);
  });

  it("can be started again after stop, and start while running does nothing", async () => {
    const queue = new MemoryQueue();
    const { poller } = setup(queue, recordingIntake().intake);

    poller.start();
    poller.start();
    await vi.waitFor(() => expect(queue.receives).toBe(1));
    await poller.stop();
    queue.script.push([message("later", envelope)]);
    poller.start();
    await vi.waitFor(() => expect(queue.removed).toEqual(["handle-later"]));
    await poller.stop();
  });
});
