import { MemoryStateStore, type StateStore } from "./state-store.js";

/** The thread repeated alarms for one endpoint in one channel reply in. */
export interface AlarmThreadKey {
  channel: string;
  accountId: string;
  region: string;
  endpointId: string;
}

/** The root message of an alarm thread, the report behind it and when it was opened (epoch ms). */
export interface AlarmThread {
  rootTs: string;
  reportId: string;
  openedAt: number;
}

/** Where a MessageId stands: first seen now, being handled under a live lease, or posted already. */
export type Claim = "new" | "handling" | "done";

/**
 * What the bot remembers about alarms: SNS MessageIds (claimed under a lease while handled, then done) and
 * the open thread per endpoint. A lease lapses when its holder dies, so a redelivery is handled again.
 */
export interface AlarmMemory {
  /** "new" when this caller now holds the MessageId's lease; otherwise where someone else left it. */
  claim(messageId: string): Promise<Claim>;
  /** Extends the caller's lease while it is still handling the message. */
  renew(messageId: string): Promise<void>;
  /** Marks the MessageId posted: every redelivery within the dedupe window is a duplicate. */
  finish(messageId: string): Promise<void>;
  /** Drops a MessageId, so a redelivery after a failed post is handled again. */
  forget(messageId: string): Promise<void>;
  /** The thread to reply in, or undefined when none was opened within the thread window. */
  threadFor(key: AlarmThreadKey): Promise<AlarmThread | undefined>;
  rememberThread(key: AlarmThreadKey, thread: AlarmThread): Promise<void>;
}

/** Tuning for StateAlarmMemory; every field has a default. */
export interface AlarmMemoryOptions {
  /** How long a posted MessageId is remembered (default 24 h). */
  seenTtlMs?: number;
  /** How long a claim holds without renewal (default 60 s): a dead holder's messages are free again after it. */
  leaseMs?: number;
  /** How long after `openedAt` a thread still takes replies (default 6 h). */
  threadWindowMs?: number;
  clock?: () => number;
}

/** AlarmMemory kept in a StateStore: a conditional insert per MessageId, so one replica wins each alarm. */
export class StateAlarmMemory implements AlarmMemory {
  constructor(
    private readonly state: StateStore,
    private readonly options: AlarmMemoryOptions = {},
  ) {}

  /** How long a claim holds without renewal. */
  get lease(): number {
    return this.options.leaseMs ?? 60_000;
  }

  private get window(): number {
    return this.options.threadWindowMs ?? 6 * 3_600_000;
  }

  async claim(messageId: string): Promise<Claim> {
    const key = `seen:${messageId}`;
    // Twice: the one holding it may finish or lapse between our insert and our read.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      if (await this.state.putIfAbsent(key, "handling", this.lease)) return "new";
      const status = await this.state.get(key);
      if (status === "done" || status === "handling") return status;
    }
    return "handling";
  }

  async renew(messageId: string): Promise<void> {
    await this.state.put(`seen:${messageId}`, "handling", this.lease);
  }

  async finish(messageId: string): Promise<void> {
    await this.state.put(`seen:${messageId}`, "done", this.options.seenTtlMs ?? 86_400_000);
  }

  async forget(messageId: string): Promise<void> {
    await this.state.delete(`seen:${messageId}`);
  }

  async threadFor(key: AlarmThreadKey): Promise<AlarmThread | undefined> {
    const text = await this.state.get(threadId(key));
    if (text === undefined) return undefined;
    const thread = JSON.parse(text) as AlarmThread;
    const now = (this.options.clock ?? Date.now)();
    return now - thread.openedAt < this.window ? thread : undefined;
  }

  async rememberThread(key: AlarmThreadKey, thread: AlarmThread): Promise<void> {
    const now = (this.options.clock ?? Date.now)();
    const left = thread.openedAt + this.window - now;
    if (left <= 0) return;
    await this.state.put(threadId(key), JSON.stringify(thread), left);
  }
}

/** Tuning for MemoryAlarmMemory; every field has a default. */
export interface MemoryAlarmMemoryOptions extends AlarmMemoryOptions {
  /** At most this many MessageIds are kept, oldest dropped first (default 10,000). */
  maxSeen?: number;
  /** At most this many threads are kept, oldest dropped first (default 5,000). */
  maxThreads?: number;
}

/** AlarmMemory kept in this process: bounded, expiring maps, lost on restart. */
export class MemoryAlarmMemory extends StateAlarmMemory {
  constructor(options: MemoryAlarmMemoryOptions = {}) {
    super(
      new MemoryStateStore({
        maxPerNamespace: { seen: options.maxSeen ?? 10_000, thread: options.maxThreads ?? 5_000 },
        clock: options.clock,
      }),
      options,
    );
  }
}

function threadId(key: AlarmThreadKey): string {
  return `thread:${JSON.stringify([key.channel, key.accountId, key.region, key.endpointId])}`;
}
