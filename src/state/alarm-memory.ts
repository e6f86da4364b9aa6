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
export interface MemoryAlarmMemoryOptions {
  /** How long a MessageId is remembered (default 24 h). */
  seenTtlMs?: number;
  /** At most this many MessageIds are kept, oldest dropped first (default 10,000). */
  maxSeen?: number;
  /** How long after `openedAt` a thread still takes replies (default 6 h). */
  threadWindowMs?: number;
  /** At most this many threads are kept, oldest dropped first (default 5,000). */
  maxThreads?: number;
  clock?: () => number;
}

/** AlarmMemory kept in this process: bounded, expiring maps, lost on restart. */
export class MemoryAlarmMemory implements AlarmMemory {
  private readonly seenUntil = new Map<string, number>();
  private readonly threads = new Map<string, AlarmThread>();

  constructor(private readonly options: MemoryAlarmMemoryOptions = {}) {}

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  async forget(messageId: string): Promise<void> {
    this.seenUntil.delete(messageId);
  }

  async seen(messageId: string): Promise<boolean> {
    const now = this.now();
    const until = this.seenUntil.get(messageId);
    if (until !== undefined && until > now) return true;
    this.seenUntil.delete(messageId);
    this.seenUntil.set(messageId, now + (this.options.seenTtlMs ?? 86_400_000));
    // Entries share one TTL, so insertion order is expiry order: expired ones sit at the front.
    for (const [id, expiresAt] of this.seenUntil) {
      if (expiresAt > now) break;
      this.seenUntil.delete(id);
    }
    dropOldest(this.seenUntil, this.options.maxSeen ?? 10_000);
    return false;
  }

  async threadFor(key: AlarmThreadKey): Promise<AlarmThread | undefined> {
    const id = threadId(key);
    const thread = this.threads.get(id);
    if (!thread) return undefined;
    if (this.now() - thread.openedAt >= (this.options.threadWindowMs ?? 6 * 3_600_000)) {
      this.threads.delete(id);
      return undefined;
    }
    return { ...thread };
  }

  async rememberThread(key: AlarmThreadKey, thread: AlarmThread): Promise<void> {
    const id = threadId(key);
    this.threads.delete(id);
    this.threads.set(id, { ...thread });
    dropOldest(this.threads, this.options.maxThreads ?? 5_000);
  }
}

function threadId(key: AlarmThreadKey): string {
  return JSON.stringify([key.channel, key.accountId, key.region, key.endpointId]);
}

function dropOldest(map: Map<string, unknown>, max: number): void {
  while (map.size > max) map.delete(map.keys().next().value!);
}
