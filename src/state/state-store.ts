// The one interface behind everything the bot remembers, and its in-process implementation.

/** A key-value store with expiry and a conditional insert; keys are `<namespace>:<id>`. */
export interface StateStore {
  /** The value under `key`, or undefined when it is absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key` for `ttlMs`, replacing what was there. */
  put(key: string, value: string, ttlMs: number): Promise<void>;
  /** Stores `value` only when `key` is absent or expired; true when this call stored it (dedupe and locks). */
  putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Removes `key`; removing an absent key is not an error. */
  delete(key: string): Promise<void>;
}

/** Tuning for MemoryStateStore; every field has a default. */
export interface MemoryStateStoreOptions {
  /** At most this many live keys per namespace (the part before the first `:`), oldest dropped first. */
  maxPerNamespace?: Readonly<Record<string, number>>;
  /** The cap for a namespace not listed in `maxPerNamespace` (default 10,000). */
  defaultMax?: number;
  clock?: () => number;
}

/** StateStore kept in this process: bounded per namespace, lost on restart, not shared between replicas. */
export class MemoryStateStore implements StateStore {
  private readonly namespaces = new Map<string, Map<string, { value: string; expiresAt: number }>>();

  constructor(private readonly options: MemoryStateStoreOptions = {}) {}

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  private namespace(key: string): Map<string, { value: string; expiresAt: number }> {
    const name = key.slice(0, Math.max(0, key.indexOf(":")));
    let entries = this.namespaces.get(name);
    if (!entries) {
      entries = new Map();
      this.namespaces.set(name, entries);
    }
    return entries;
  }

  async get(key: string): Promise<string | undefined> {
    return this.read(key);
  }

  private read(key: string): string | undefined {
    const entries = this.namespace(key);
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    this.write(key, value, ttlMs);
  }

  private write(key: string, value: string, ttlMs: number): void {
    const entries = this.namespace(key);
    entries.delete(key);
    entries.set(key, { value, expiresAt: this.now() + ttlMs });
    const name = key.slice(0, Math.max(0, key.indexOf(":")));
    const max = this.options.maxPerNamespace?.[name] ?? this.options.defaultMax ?? 10_000;
    while (entries.size > max) entries.delete(entries.keys().next().value!);
  }

  async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    // Read and write with no await between them, so two concurrent callers cannot both win.
    if (this.read(key) !== undefined) return false;
    this.write(key, value, ttlMs);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.namespace(key).delete(key);
  }
}
