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

/** What the bot remembers about alarms: SNS MessageIds already handled and the open thread per endpoint. */
export interface AlarmMemory {
  /** True when this MessageId was seen before; otherwise records it and returns false. */
  seen(messageId: string): Promise<boolean>;
  /** Drops a MessageId recorded by `seen`, so a redelivery after a failed post is handled again. */
  forget(messageId: string): Promise<void>;
  /** The thread to reply in, or undefined when none was opened within the thread window. */
  threadFor(key: AlarmThreadKey): Promise<AlarmThread | undefined>;
  rememberThread(key: AlarmThreadKey, thread: AlarmThread): Promise<void>;
}

/** Tuning for MemoryAlarmMemory; every field has a default. */
export interface MemoryAlarmMemoryOptions extends AlarmMemoryOptions {
  /** At most this many MessageIds are kept, oldest dropped first (default 10,000). */
  maxSeen?: number;
  /** At most this many threads are kept, oldest dropped first (default 5,000). */
  maxThreads?: number;
}

/** Tuning for StateAlarmMemory; every field has a default. */
export interface AlarmMemoryOptions {
  /** How long a MessageId is remembered (default 24 h). */
  seenTtlMs?: number;
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

  private get window(): number {
    return this.options.threadWindowMs ?? 6 * 3_600_000;
  }

  async seen(messageId: string): Promise<boolean> {
    return !(await this.state.putIfAbsent(`seen:${messageId}`, "1", this.options.seenTtlMs ?? 86_400_000));
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
