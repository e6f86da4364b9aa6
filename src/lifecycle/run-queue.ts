/**
 * Runs at most `concurrency` diagnoses at once and starts each on a later turn of the event loop, so a burst
 * of commands cannot starve the acks Slack needs within 3 s; the rest wait their turn in arrival order.
 */
export class RunQueue {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly concurrency: number) {
    if (!(concurrency >= 1)) throw new RangeError("concurrency must be at least 1");
  }

  /** Diagnoses waiting for a free slot. */
  get depth(): number {
    return this.waiting.length;
  }

  /** Runs `task` when a slot is free; resolves or rejects with it. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}
