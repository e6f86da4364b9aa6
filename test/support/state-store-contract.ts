// The behaviour every StateStore must show, run against the in-memory store and DynamoDB (moto) alike.
import { describe, expect, it } from "vitest";
import type { StateStore } from "../../src/state/state-store.js";

/** A store under test and a clock the test moves by hand. */
export interface StoreUnderTest {
  store: StateStore;
  advance(ms: number): void;
}

let serial = 0;
/** A key no other test in the run uses, in `namespace`. */
function fresh(namespace: string): string {
  serial += 1;
  return `${namespace}:${process.pid}-${Date.now()}-${serial}`;
}

/** Registers the StateStore contract tests for the store `make` builds. */
export function describeStateStoreContract(
  name: string,
  make: () => StoreUnderTest | Promise<StoreUnderTest>,
) {
  describe(`${name} (StateStore contract)`, () => {
    it("returns what was put and undefined for an unknown key", async () => {
      const { store } = await make();
      const key = fresh("report");
      await store.put(key, '{"a":"é ✓"}', 60_000);
      expect(await store.get(key)).toBe('{"a":"é ✓"}');
      expect(await store.get(fresh("report"))).toBeUndefined();
    });

    it("replaces a value on put and forgets it on delete", async () => {
      const { store } = await make();
      const key = fresh("report");
      await store.put(key, "one", 60_000);
      await store.put(key, "two", 60_000);
      expect(await store.get(key)).toBe("two");
      await store.delete(key);
      expect(await store.get(key)).toBeUndefined();
      await store.delete(key);
    });

    it("hides a value once its time is up", async () => {
      const { store, advance } = await make();
      const key = fresh("thread");
      await store.put(key, "x", 1_000);
      advance(999);
      expect(await store.get(key)).toBe("x");
      advance(1);
      expect(await store.get(key)).toBeUndefined();
    });

    it("lets exactly one of many concurrent putIfAbsent calls win", async () => {
      const { store } = await make();
      const key = fresh("seen");
      const wins = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.putIfAbsent(key, `${i}`, 60_000)),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await store.get(key)).toBe(String(wins.indexOf(true)));
    });

    it("lets putIfAbsent win again once the earlier value expired or was deleted", async () => {
      const { store, advance } = await make();
      const key = fresh("lock");
      expect(await store.putIfAbsent(key, "a", 500)).toBe(true);
      expect(await store.putIfAbsent(key, "b", 500)).toBe(false);
      advance(500);
      expect(await store.putIfAbsent(key, "c", 500)).toBe(true);
      await store.delete(key);
      expect(await store.putIfAbsent(key, "d", 500)).toBe(true);
      expect(await store.get(key)).toBe("d");
    });

    it("keeps a report-sized value intact", async () => {
      const { store } = await make();
      const key = fresh("report");
      const value = JSON.stringify({
        rows: Array.from({ length: 3_000 }, (_, i) => ({ i, subnet: `subnet-${i}` })),
      });
      await store.put(key, value, 60_000);
      expect(await store.get(key)).toBe(value);
    });
  });
}
