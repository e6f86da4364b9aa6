import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChannelQueue } from "../../src/alarms/channel-queue.js";

describe("ChannelQueue", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function recorder() {
    const starts: Array<[string, number]> = [];
    const task = (name: string) => async () => {
      starts.push([name, Date.now()]);
      return name;
    };
    return { starts, task };
  }

  it("starts the tasks of one channel in order, about one a second", async () => {
    const queue = new ChannelQueue();
    const { starts, task } = recorder();
    const results = ["a", "b", "c"].map((name) => queue.enqueue("C1", task(name)));
    await vi.advanceTimersByTimeAsync(0);
    expect(starts).toEqual([["a", 0]]);
    await vi.advanceTimersByTimeAsync(999);
    expect(starts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(starts).toEqual([
      ["a", 0],
      ["b", 1000],
    ]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(starts.map(([, at]) => at)).toEqual([0, 1000, 2000]);
    expect(await Promise.all(results)).toEqual(["a", "b", "c"]);
  });

  it("runs different channels in parallel", async () => {
    const queue = new ChannelQueue();
    const { starts, task } = recorder();
    queue.enqueue("C1", task("a1"));
    queue.enqueue("C1", task("a2"));
    queue.enqueue("C2", task("b1"));
    queue.enqueue("C2", task("b2"));
    await vi.advanceTimersByTimeAsync(1000);
    expect(starts).toEqual([
      ["a1", 0],
      ["b1", 0],
      ["a2", 1000],
      ["b2", 1000],
    ]);
  });

  it("waits for a slow task (a post Slack held with 429) to finish, then a full interval, before the next", async () => {
    const queue = new ChannelQueue();
    const { starts, task } = recorder();
    queue.enqueue("C1", () => new Promise((resolve) => setTimeout(resolve, 2500)));
    queue.enqueue("C1", task("after"));
    await vi.advanceTimersByTimeAsync(3499);
    expect(starts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(starts).toEqual([["after", 3500]]);
  });

  it("keeps the interval from a task that ran earlier, even once the queue emptied", async () => {
    const queue = new ChannelQueue();
    const { starts, task } = recorder();
    await queue.enqueue("C1", task("a"));
    await vi.advanceTimersByTimeAsync(400);
    queue.enqueue("C1", task("b"));
    await vi.advanceTimersByTimeAsync(599);
    expect(starts).toEqual([["a", 0]]);
    await vi.advanceTimersByTimeAsync(1);
    expect(starts).toEqual([
      ["a", 0],
      ["b", 1000],
    ]);
  });

  it("does not let a failed task block the ones after it", async () => {
    const queue = new ChannelQueue();
    const { starts, task } = recorder();
    const failed = queue.enqueue("C1", async () => {
      throw new Error("channel_not_found");
    });
    const thrown = queue.enqueue("C1", () => {
      throw new Error("thrown before any promise");
    });
    const next = queue.enqueue("C1", task("next"));
    const rejections = [expect(failed).rejects.toThrow("channel_not_found")];
    rejections.push(expect(thrown).rejects.toThrow("thrown before any promise"));
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all(rejections);
    expect(await next).toBe("next");
    expect(starts).toEqual([["next", 2000]]);
  });

  it("resolves idle() when every task is done, including ones enqueued meanwhile", async () => {
    const queue = new ChannelQueue({ intervalMs: 10 });
    const { starts, task } = recorder();
    queue.enqueue("C1", async () => {
      queue.enqueue("C2", task("late"));
      return "first";
    });
    queue.enqueue("C1", task("second"));
    let idle = false;
    void queue.idle().then(() => {
      idle = true;
    });
    await vi.advanceTimersByTimeAsync(9);
    expect(idle).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(idle).toBe(true);
    expect(starts.map(([name]) => name).sort()).toEqual(["late", "second"]);
  });

  it("resolves idle() at once when nothing is queued", async () => {
    await expect(new ChannelQueue().idle()).resolves.toBeUndefined();
  });

  it("uses an injected clock and sleep", async () => {
    vi.useRealTimers();
    let now = 0;
    const sleeps: number[] = [];
    const queue = new ChannelQueue({
      intervalMs: 250,
      clock: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    });
    const order: string[] = [];
    for (const name of ["a", "b", "c"]) queue.enqueue("C1", async () => void order.push(name));
    await queue.idle();
    expect(order).toEqual(["a", "b", "c"]);
    expect(sleeps).toEqual([250, 250]);
  });

  it("refuses a negative interval", () => {
    expect(() => new ChannelQueue({ intervalMs: -1 })).toThrow(RangeError);
  });
});
