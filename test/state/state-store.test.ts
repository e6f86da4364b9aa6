import { describe, expect, it } from "vitest";
import { MemoryStateStore } from "../../src/state/state-store.js";
import { describeStateStoreContract } from "../support/state-store-contract.js";

describeStateStoreContract("MemoryStateStore", () => {
  let now = 1_000_000;
  return {
    store: new MemoryStateStore({ clock: () => now }),
    advance: (ms) => {
      now += ms;
    },
  };
});

describe("MemoryStateStore bounds", () => {
  it("drops the oldest key of a full namespace and leaves other namespaces alone", async () => {
    const store = new MemoryStateStore({ maxPerNamespace: { seen: 2 } });
    await store.put("report:keep", "r", 60_000);
    for (const id of ["a", "b", "c"]) await store.put(`seen:${id}`, id, 60_000);
    expect(await store.get("seen:a")).toBeUndefined();
    expect(await store.get("seen:b")).toBe("b");
    expect(await store.get("seen:c")).toBe("c");
    expect(await store.get("report:keep")).toBe("r");
  });

  it("uses the default cap for namespaces not listed", async () => {
    const store = new MemoryStateStore({ defaultMax: 1 });
    await store.put("lock:x", "1", 60_000);
    await store.put("lock:y", "1", 60_000);
    expect(await store.get("lock:x")).toBeUndefined();
    expect(await store.get("lock:y")).toBe("1");
  });
});
