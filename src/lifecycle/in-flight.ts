// The work under way in this process, so a shutdown can stop taking more and wait for the rest.

/** Tracks running work (listeners, webhook deliveries) and whether the process is draining. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();
  private drainingSince: number | undefined;

  /** Work started and not finished. */
  get size(): number {
    return this.running.size;
  }

  /** True once shutdown began: health checks fail so load balancers stop sending work. */
  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** Marks the process as draining. */
  drain(): void {
    this.drainingSince ??= Date.now();
  }

  /** Counts `work` as running until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return work;
  }

  /** Resolves true once nothing runs (including work started while waiting), false if `timeoutMs` passes first. */
  async settle(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const idle = (async () => {
      while (this.running.size > 0) await Promise.all([...this.running]);
      return true as const;
    })();
    try {
      return await Promise.race([idle, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}
