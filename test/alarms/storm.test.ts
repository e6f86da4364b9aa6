import { describe, expect, it } from "vitest";
import { StormDetector } from "../../src/alarms/storm.js";

describe("StormDetector", () => {
  it("is no storm at 5 distinct endpoints within a minute and a storm at the 6th", () => {
    const detector = new StormDetector();
    for (let i = 1; i <= 5; i++) {
      expect(detector.record("C1", `vpce-${i}`, i * 1000)).toEqual({ storm: false, count: i });
    }
    expect(detector.record("C1", "vpce-6", 59_000)).toEqual({ storm: true, count: 6 });
  });

  it("counts a repeated endpoint once", () => {
    const detector = new StormDetector();
    for (let i = 1; i <= 5; i++) detector.record("C1", `vpce-${i}`, 0);
    for (let i = 0; i < 10; i++) {
      expect(detector.record("C1", "vpce-1", i * 100)).toEqual({ storm: false, count: 5 });
    }
  });

  it("slides old alarms out of the minute", () => {
    const detector = new StormDetector();
    for (let i = 1; i <= 5; i++) detector.record("C1", `vpce-${i}`, 0);
    expect(detector.record("C1", "vpce-6", 60_000)).toEqual({ storm: false, count: 1 });
    expect(detector.record("C1", "vpce-7", 60_001)).toEqual({ storm: false, count: 2 });
  });

  it("keeps an endpoint in the window from its latest alarm", () => {
    const detector = new StormDetector();
    for (let i = 1; i <= 5; i++) detector.record("C1", `vpce-${i}`, 0);
    detector.record("C1", "vpce-1", 30_000);
    expect(detector.record("C1", "vpce-6", 60_000)).toEqual({ storm: false, count: 2 });
  });

  it("counts each channel on its own", () => {
    const detector = new StormDetector();
    for (let i = 1; i <= 5; i++) detector.record("C1", `vpce-${i}`, 0);
    expect(detector.record("C2", "vpce-6", 0)).toEqual({ storm: false, count: 1 });
    expect(detector.record("C1", "vpce-6", 0)).toEqual({ storm: true, count: 6 });
  });

  it("takes a custom threshold and window", () => {
    const detector = new StormDetector({ threshold: 1, windowMs: 1000 });
    expect(detector.record("C1", "a", 0).storm).toBe(false);
    expect(detector.record("C1", "b", 999).storm).toBe(true);
    expect(detector.record("C1", "c", 1999).storm).toBe(false);
  });

  it("refuses a threshold below 1 or a window that is not positive", () => {
    expect(() => new StormDetector({ threshold: 0 })).toThrow(RangeError);
    expect(() => new StormDetector({ windowMs: 0 })).toThrow(RangeError);
  });

  it("says whether a channel is in a storm at a later time, without recording anything", () => {
    const detector = new StormDetector({ threshold: 2, windowMs: 1000 });
    for (const [id, at] of [
      ["a", 0],
      ["b", 100],
      ["c", 200],
    ] as const)
      detector.record("C1", id, at);
    expect(detector.inStorm("C1", 500)).toBe(true);
    expect(detector.inStorm("C1", 1050)).toBe(false);
    expect(detector.inStorm("C2", 500)).toBe(false);
  });
});
