import { describe, expect, it } from "vitest";
import { InFlight } from "../../src/lifecycle/in-flight.js";

const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("InFlight", () => {
  it("counts work until it settles, failures included, and returns it unchanged", async () => {
    const work = new InFlight();
    const ok = work.track(later(10).then(() => "done"));
    const failed = work.track(later(5).then(() => Promise.reject(new Error("boom"))));
    expect(work.size).toBe(2);
    await expect(failed).rejects.toThrow("boom");
    expect(await ok).toBe("done");
    await later(0);
    expect(work.size).toBe(0);
  });

  it("settles true once idle, waiting for work started meanwhile", async () => {
    const work = new InFlight();
    work.track(later(10).then(() => void work.track(later(20))));
    expect(await work.settle(1_000)).toBe(true);
    expect(work.size).toBe(0);
  });

  it("settles false when the deadline passes first", async () => {
    const work = new InFlight();
    work.track(new Promise(() => {}));
    expect(await work.settle(20)).toBe(false);
    expect(work.size).toBe(1);
  });

  it("drains once and stays draining", () => {
    const work = new InFlight();
    expect(work.draining).toBe(false);
    work.drain();
    work.drain();
    expect(work.draining).toBe(true);
  });
});
