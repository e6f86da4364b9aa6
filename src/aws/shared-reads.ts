/** How long a settled read is reused, in milliseconds. */
export const SHARED_READ_TTL_MS = 60_000;
/** Entries kept at most; the oldest goes first. */
export const SHARED_READ_MAX_ENTRIES = 500;

/** Knobs of a SharedReads; the defaults are what production uses. */
export interface SharedReadsOptions {
  ttlMs?: number;
  maxEntries?: number;
  /** Milliseconds. */
  clock?: () => number;
}

interface Entry {
  promise: Promise<unknown>;
  /** Infinity while the load is in flight: the TTL runs from when it settled. */
  expiresAt: number;
}

/**
 * A short-lived promise memo for reads that several diagnoses make at once (an alarm storm in one VPC).
 * Callers with the same key share one in-flight load; a fulfilled load is reused until its TTL runs out; a
 * rejected load is forgotten as soon as it settles, so only the callers already waiting on it see the error.
 * Share raw SDK answers only: each caller records its own gap and normalises its own copy.
 */
export class SharedReads {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly clock: () => number;

  constructor(options: SharedReadsOptions = {}) {
    this.ttlMs = options.ttlMs ?? SHARED_READ_TTL_MS;
    this.maxEntries = Math.max(1, options.maxEntries ?? SHARED_READ_MAX_ENTRIES);
    this.clock = options.clock ?? (() => performance.now());
  }

  /** Entries held now, expired ones included until the next `get` prunes them. */
  get size(): number {
    return this.entries.size;
  }

  /** The value of `load`, from a load already in flight or settled within the TTL when there is one. */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.clock();
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > now) return cached.promise as Promise<T>;
    this.prune(now);
    const promise = Promise.resolve().then(load);
    const entry: Entry = { promise, expiresAt: Number.POSITIVE_INFINITY };
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    promise.then(
      () => {
        entry.expiresAt = this.clock() + this.ttlMs;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return promise;
  }

  private prune(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
  }
}
