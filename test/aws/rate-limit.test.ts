import { describe, expect, it } from "vitest";
import {
  CLOUDTRAIL_LOOKUP_BURST,
  CLOUDTRAIL_LOOKUP_RATE,
  cloudTrailLimiter,
  RateLimiter,
} from "../../src/aws/rate-limit.js";
import { fakeTime } from "./collectors/telemetry-context.js";

/** The largest number of instants inside any half-open window [t, t + widthMs). */
function maxInWindow(instants: number[], widthMs: number): number {
  const sorted = [...instants].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    const start = sorted[i] as number;
    best = Math.max(best, sorted.filter((t) => t >= start && t < start + widthMs).length);
  }
  return best;
}

describe("RateLimiter", () => {
  it("lets the two lookups of one diagnosis start together, then holds 2 requests per second", async () => {
    const { time, clock, sleep } = fakeTime(1_000);
    const limiter = new RateLimiter(CLOUDTRAIL_LOOKUP_RATE, CLOUDTRAIL_LOOKUP_BURST, clock, sleep);
    const granted: number[] = [];
    await Promise.all(Array.from({ length: 12 }, () => limiter.take().then(() => granted.push(time.now))));
    expect(granted).toHaveLength(12);
    expect(granted[1]).toBe(granted[0]);
    expect(maxInWindow(granted.slice(2), 1_000)).toBeLessThanOrEqual(2);
    expect(maxInWindow(granted, 5_000)).toBeLessThanOrEqual(2 + 2 * 5);
    expect(granted.at(-1)! - granted[0]!).toBe(10 * 500);
  });

  it("serves callers in arrival order", async () => {
    const { clock, sleep } = fakeTime();
    const limiter = new RateLimiter(2, 1, clock, sleep);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => limiter.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it("grants a full burst at once, then one token per 1/rate seconds", async () => {
    const { time, clock, sleep } = fakeTime();
    const limiter = new RateLimiter(4, 3, clock, sleep);
    const granted: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      await limiter.take();
      granted.push(time.now);
    }
    expect(granted).toEqual([0, 0, 0, 250, 500]);
  });

  it("refills while idle, but never beyond the burst", async () => {
    const { time, clock, sleep } = fakeTime();
    const limiter = new RateLimiter(2, 2, clock, sleep);
    await limiter.take();
    await limiter.take();
    time.now += 60_000;
    const granted: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      await limiter.take();
      granted.push(time.now);
    }
    expect(granted).toEqual([60_000, 60_000, 60_500]);
  });

  it("rejects a rate or burst that could never grant a token", () => {
    expect(() => new RateLimiter(0, 1)).toThrow(RangeError);
    expect(() => new RateLimiter(1, 0)).toThrow(RangeError);
  });
});

describe("cloudTrailLimiter", () => {
  it("shares one limiter per account and region key", () => {
    expect(cloudTrailLimiter("111122223333/us-east-1")).toBe(cloudTrailLimiter("111122223333/us-east-1"));
    expect(cloudTrailLimiter("111122223333/us-east-1")).not.toBe(cloudTrailLimiter("111122223333/eu-west-1"));
    expect(cloudTrailLimiter("111122223333/us-east-1")).toBeInstanceOf(RateLimiter);
  });
});
