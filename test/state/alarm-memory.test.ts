import { describe, expect, it } from "vitest";
import { type AlarmThreadKey, MemoryAlarmMemory } from "../../src/state/alarm-memory.js";

const KEY: AlarmThreadKey = {
  channel: "C1",
  accountId: "111122223333",
  region: "us-east-1",
  endpointId: "vpce-0abc",
};
const HOUR = 3_600_000;

describe("MemoryAlarmMemory.seen", () => {
  it("is false the first time a MessageId arrives and true after", async () => {
    const memory = new MemoryAlarmMemory();
    expect(await memory.seen("m1")).toBe(false);
    expect(await memory.seen("m1")).toBe(true);
    expect(await memory.seen("m2")).toBe(false);
  });

  it("forgets a MessageId after 24 h by default", async () => {
    let now = 0;
    const memory = new MemoryAlarmMemory({ clock: () => now });
    await memory.seen("m1");
    now = 24 * HOUR - 1;
    expect(await memory.seen("m1")).toBe(true);
    now = 24 * HOUR;
    expect(await memory.seen("m1")).toBe(false);
    expect(await memory.seen("m1")).toBe(true);
  });

  it("honours a custom TTL", async () => {
    let now = 0;
    const memory = new MemoryAlarmMemory({ seenTtlMs: 100, clock: () => now });
    await memory.seen("a");
    now = 50;
    await memory.seen("b");
    now = 100;
    await memory.seen("c");
    expect(await memory.seen("b")).toBe(true);
    expect(await memory.seen("c")).toBe(true);
    expect(await memory.seen("a")).toBe(false);
  });

  it("keeps at most maxSeen ids, dropping the oldest", async () => {
    const memory = new MemoryAlarmMemory({ maxSeen: 2 });
    for (const id of ["a", "b", "c"]) await memory.seen(id);
    expect(await memory.seen("c")).toBe(true);
    expect(await memory.seen("b")).toBe(true);
    expect(await memory.seen("a")).toBe(false);
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
    expect(await memory.seen("m-1")).toBe(false);
    expect(await memory.seen("m-1")).toBe(true);
    await memory.forget("m-1");
    expect(await memory.seen("m-1")).toBe(false);
  });
});
