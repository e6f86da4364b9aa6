/** Tuning for ChannelQueue; the clock and sleep are injectable for tests. */
export interface ChannelQueueOptions {
  /** Least time between two tasks' starts, and from one's end to the next's start, in one channel (default 1 s). */
  intervalMs?: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Lane {
  tail: Promise<unknown>;
  nextAt: number;
  pending: number;
}

/** Runs tasks one at a time per channel, in order and spaced by an interval; channels run in parallel. */
export class ChannelQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly intervalMs: number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: ChannelQueueOptions = {}) {
    this.intervalMs = options.intervalMs ?? 1000;
    if (!(this.intervalMs >= 0)) throw new RangeError("intervalMs must be zero or more");
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Runs `task` after every earlier task of `channel`; resolves or rejects with it, never blocking the next. */
  enqueue<T>(channel: string, task: () => Promise<T>): Promise<T> {
    const lane = this.lane(channel);
    lane.pending += 1;
    const run = lane.tail.then(async () => {
      try {
        const wait = lane.nextAt - this.clock();
        if (wait > 0) await this.sleep(wait);
        lane.nextAt = this.clock() + this.intervalMs;
        return await task();
      } finally {
        // Spaced from the end too: a post that Slack held (429, Retry-After) leaves a full interval behind it.
        lane.nextAt = Math.max(lane.nextAt, this.clock() + this.intervalMs);
        lane.pending -= 1;
      }
    });
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    lane.tail = settled;
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return run;
  }

  /** Tasks enqueued and not finished, over all channels. */
  get depth(): number {
    let pending = 0;
    for (const lane of this.lanes.values()) pending += lane.pending;
    return pending;
  }

  /** Resolves once every task enqueued so far, and any enqueued while waiting, has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private lane(channel: string): Lane {
    const now = this.clock();
    for (const [name, lane] of this.lanes) {
      if (name !== channel && lane.pending === 0 && lane.nextAt <= now) this.lanes.delete(name);
    }
    let lane = this.lanes.get(channel);
    if (!lane) {
      lane = { tail: Promise.resolve(), nextAt: 0, pending: 0 };
      this.lanes.set(channel, lane);
    }
    return lane;
  }
}
