import { describe, expect, it } from "vitest";
import { type AlarmThreadKey, MemoryAlarmMemory } from "../../src/state/alarm-memory.js";

const KEY: AlarmThreadKey = {
  channel: "C1",
  accountId: "111122223333",
  region: "us-east-1",
  endpointId: "vpce-0abc",
};
const HOUR = 3_600_000;

describe("MemoryAlarmMemory claims", () => {
  it("gives the first claim of a MessageId, reports it handling, then done once finished", async () => {
    const memory = new MemoryAlarmMemory();
    expect(await memory.claim("m1")).toBe("new");
    expect(await memory.claim("m1")).toBe("handling");
    expect(await memory.claim("m2")).toBe("new");
    await memory.finish("m1");
    expect(await memory.claim("m1")).toBe("done");
  });

  it("frees a claim whose holder stopped renewing once the lease lapses", async () => {
    let now = 0;
    const memory = new MemoryAlarmMemory({ leaseMs: 60_000, clock: () => now });
    expect(await memory.claim("m1")).toBe("new");
    now = 59_999;
    expect(await memory.claim("m1")).toBe("handling");
    now = 60_000;
    expect(await memory.claim("m1")).toBe("new");
  });

  it("keeps a renewed claim past its first lease", async () => {
    let now = 0;
    const memory = new MemoryAlarmMemory({ leaseMs: 60_000, clock: () => now });
    await memory.claim("m1");
    now = 40_000;
    await memory.renew("m1");
    now = 90_000;
    expect(await memory.claim("m1")).toBe("handling");
  });

  it("remembers a finished MessageId for 24 h by default", async () => {
    let now = 0;
    const memory = new MemoryAlarmMemory({ clock: () => now });
    await memory.claim("m1");
    await memory.finish("m1");
    now = 24 * HOUR - 1;
    expect(await memory.claim("m1")).toBe("done");
    now = 24 * HOUR;
    expect(await memory.claim("m1")).toBe("new");
  });

  it("honours a custom dedupe window", async () => {
    let now = 0;
    const memory = new MemoryAlarmMemory({ seenTtlMs: 100, clock: () => now });
    await memory.finish("a");
    now = 99;
    expect(await memory.claim("a")).toBe("done");
    now = 100;
    expect(await memory.claim("a")).toBe("new");
  });

  it("keeps at most maxSeen ids, dropping the oldest", async () => {
    const memory = new MemoryAlarmMemory({ maxSeen: 2 });
    for (const id of ["a", "b", "c"]) await memory.finish(id);
    expect(await memory.claim("c")).toBe("done");
    expect(await memory.claim("b")).toBe("done");
    expect(await memory.claim("a")).toBe("new");
  });

  it("lets one of many concurrent claims win", async () => {
    const memory = new MemoryAlarmMemory();
    const claims = await Promise.all(Array.from({ length: 5 }, () => memory.claim("m1")));
    expect(claims.filter((c) => c === "new")).toHaveLength(1);
    expect(claims.filter((c) => c === "handling")).toHaveLength(4);
  });
});

describe("MemoryAlarmMemory threads", () => {
  it("returns the remembered thread, as a copy, for the same key only", async () => {
    const memory = new MemoryAlarmMemory({ clock: () => 0 });
    await memory.rememberThread(KEY, { rootTs: "1.1", reportId: "r1", openedAt: 0 });
    const thread = await memory.threadFor({ ...KEY });
    expect(thread).toEqual({ rootTs: "1.1", reportId: "r1", openedAt: 0 });
    thread!.rootTs = "changed";
    expect((await memory.threadFor(KEY))?.rootTs).toBe("1.1");
    for (const field of ["channel", "accountId", "region", "endpointId"] as const) {
      expect(await memory.threadFor({ ...KEY, [field]: "other" })).toBeUndefined();
    }
  });

  it("does not confuse keys whose parts run together", async () => {
    const memory = new MemoryAlarmMemory({ clock: () => 0 });
    await memory.rememberThread(
      { ...KEY, channel: "C1", region: "a-b" },
      { rootTs: "1", reportId: "r", openedAt: 0 },
    );
    expect(await memory.threadFor({ ...KEY, channel: "C1-a", region: "b" })).toBeUndefined();
  });

  it("closes a thread 6 h after it was opened by default, so a new root is posted", async () => {
    let now = 10 * HOUR;
    const memory = new MemoryAlarmMemory({ clock: () => now });
    await memory.rememberThread(KEY, { rootTs: "1.1", reportId: "r1", openedAt: now });
    now += 6 * HOUR - 1;
    expect(await memory.threadFor(KEY)).toBeDefined();
    now += 1;
    expect(await memory.threadFor(KEY)).toBeUndefined();
    await memory.rememberThread(KEY, { rootTs: "2.2", reportId: "r2", openedAt: now });
    expect((await memory.threadFor(KEY))?.rootTs).toBe("2.2");
  });

  it("honours a custom thread window", async () => {
    let now = 0;
    const memory = new MemoryAlarmMemory({ threadWindowMs: HOUR, clock: () => now });
    await memory.rememberThread(KEY, { rootTs: "1.1", reportId: "r1", openedAt: 0 });
    now = HOUR;
    expect(await memory.threadFor(KEY)).toBeUndefined();
  });

  it("keeps at most maxThreads, dropping the oldest", async () => {
    const memory = new MemoryAlarmMemory({ maxThreads: 2, clock: () => 0 });
    for (const endpointId of ["vpce-a", "vpce-b", "vpce-c"]) {
      await memory.rememberThread({ ...KEY, endpointId }, { rootTs: endpointId, reportId: "r", openedAt: 0 });
    }
    expect(await memory.threadFor({ ...KEY, endpointId: "vpce-a" })).toBeUndefined();
    expect(await memory.threadFor({ ...KEY, endpointId: "vpce-c" })).toBeDefined();
  });
});

describe("MemoryAlarmMemory.forget", () => {
  it("lets a message whose post failed be handled again on redelivery", async () => {
    const memory = new MemoryAlarmMemory();
    expect(await memory.claim("m-1")).toBe("new");
    await memory.forget("m-1");
    expect(await memory.claim("m-1")).toBe("new");
  });
});
