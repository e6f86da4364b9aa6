import { describe, expect, it } from "vitest";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";
import { MemoryReportStore, newReportId, type ReportRecord } from "../../src/state/report-store.js";
import { healthyInterfaceSnapshot } from "../support/snapshot-factory.js";

function record(id: string): ReportRecord {
  const snapshot = healthyInterfaceSnapshot();
  return {
    id,
    request: { endpointId: snapshot.endpointId, region: "us-east-1", windowHours: 1, requester: "U1" },
    placement: { channel: "C1", rootTs: "1.1", replies: {} },
    trigger: "<@U1>",
    startedAt: 0,
    report: diagnoseSnapshot(snapshot),
    snapshot,
  };
}

describe("MemoryReportStore", () => {
  it("returns what was put, as a copy", async () => {
    const store = new MemoryReportStore();
    await store.put(record("r1"));
    const got = await store.get("r1");
    expect(got?.placement.rootTs).toBe("1.1");
    got!.placement.replies.x = "2.2";
    expect((await store.get("r1"))?.placement.replies).toEqual({});
  });

  it("reads a record stored before the placement was one field", async () => {
    const store = new MemoryReportStore();
    const { placement, ...rest } = record("r-old");
    await store.put({ ...rest, ...placement, replies: { "security-groups": "1.2" } } as never);
    expect((await store.get("r-old"))?.placement).toEqual({
      channel: "C1",
      rootTs: "1.1",
      replies: { "security-groups": "1.2" },
    });
  });

  it("forgets a report after its TTL", async () => {
    let now = 0;
    const store = new MemoryReportStore({ ttlMs: 1000, clock: () => now });
    await store.put(record("r1"));
    now = 999;
    expect(await store.get("r1")).toBeDefined();
    now = 1000;
    expect(await store.get("r1")).toBeUndefined();
  });

  it("keeps at most maxEntries, dropping the oldest", async () => {
    const store = new MemoryReportStore({ maxEntries: 2 });
    for (const id of ["a", "b", "c"]) await store.put(record(id));
    expect(await store.get("a")).toBeUndefined();
    expect(await store.get("c")).toBeDefined();
  });

  it("grants one lock per report until it is released or expires", async () => {
    let now = 0;
    const store = new MemoryReportStore({ lockMs: 100, clock: () => now });
    expect(await store.tryLock("r1")).toBe(true);
    expect(await store.tryLock("r1")).toBe(false);
    expect(await store.tryLock("r2")).toBe(true);
    await store.unlock("r1");
    expect(await store.tryLock("r1")).toBe(true);
    now = 100;
    expect(await store.tryLock("r1")).toBe(true);
  });

  it("makes opaque ids", () => {
    const ids = new Set(Array.from({ length: 100 }, newReportId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^r[\w-]{22}$/);
  });
});
