// Everything the bot remembers, built over one StateStore: in this process by default, or shared by replicas.
import type { ConfigFile } from "../config/schema.js";
import { type AlarmMemory, StateAlarmMemory } from "./alarm-memory.js";
import { type ReportStore, StateReportStore } from "./report-store.js";
import { MemoryStateStore, type StateStore } from "./state-store.js";

/** Reports behind buttons with their rerun locks, and alarm MessageIds and threads, all in `state`. */
export interface BotMemory {
  state: StateStore;
  reports: ReportStore;
  alarms: AlarmMemory;
}

/** The in-process store, capped per namespace so a flood of one kind never evicts another. */
export function memoryStateStore(clock?: () => number): MemoryStateStore {
  return new MemoryStateStore({
    maxPerNamespace: { report: 5_000, lock: 5_000, seen: 10_000, thread: 5_000 },
    clock,
  });
}

/** The bot's memory over `state`, with the alarm thread window from the config (and a lease for tests). */
export function createBotMemory(
  state: StateStore,
  config: ConfigFile | undefined,
  options: { leaseMs?: number } = {},
): BotMemory {
  return {
    state,
    reports: new StateReportStore(state),
    alarms: new StateAlarmMemory(state, {
      threadWindowMs: (config?.alarms?.threadHours ?? 6) * 3_600_000,
      leaseMs: options.leaseMs,
    }),
  };
}
