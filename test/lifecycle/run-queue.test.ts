import { describe, expect, it } from "vitest";
import { RunQueue } from "../../src/lifecycle/run-queue.js";

describe("RunQueue", () => {
  it("never runs more than its concurrency at once, and runs everything in arrival order", async () => {
    const queue = new RunQueue(3);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        queue.run(async () => {
          started.push(i);
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 5));
          active -= 1;
          return i * 2;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(results).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });

  it("frees the slot when a task fails", async () => {
    const queue = new RunQueue(1);
    await expect(queue.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await queue.run(async () => "next")).toBe("next");
    expect(queue.depth).toBe(0);
  });

  it("refuses a concurrency below 1", () => {
    expect(() => new RunQueue(0)).toThrow(RangeError);
  });
});
