/** Tuning for StormDetector: a storm is more than `threshold` distinct endpoints within `windowMs`. */
export interface StormOptions {
  /** Default 5: a sixth distinct endpoint within the window is a storm. */
  threshold?: number;
  /** Default 60,000: a sliding minute. */
  windowMs?: number;
}

/** Counts distinct endpoints alarming per channel in a sliding window; no clock, callers pass the time. */
export class StormDetector {
  private readonly threshold: number;
  private readonly windowMs: number;
  /** Per channel, the last time each endpoint alarmed. */
  private readonly channels = new Map<string, Map<string, number>>();

  constructor(options: StormOptions = {}) {
    this.threshold = options.threshold ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
    if (!(this.threshold >= 1)) throw new RangeError("threshold must be at least 1");
    if (!(this.windowMs > 0)) throw new RangeError("windowMs must be positive");
  }

  /** Records an alarm for `endpointId` in `channel` at `at` (epoch ms) and says whether the channel is in a storm. */
  record(channel: string, endpointId: string, at: number): { storm: boolean; count: number } {
    const endpoints = this.channels.get(channel) ?? new Map<string, number>();
    for (const [id, last] of endpoints) {
      if (last <= at - this.windowMs) endpoints.delete(id);
    }
    endpoints.set(endpointId, Math.max(at, endpoints.get(endpointId) ?? at));
    this.channels.set(channel, endpoints);
    for (const [name, other] of this.channels) {
      if (name !== channel && [...other.values()].every((last) => last <= at - this.windowMs)) {
        this.channels.delete(name);
      }
    }
    return { storm: endpoints.size > this.threshold, count: endpoints.size };
  }

  /** Whether `channel` is in a storm at `at`: more than the threshold of endpoints alarmed within the window before it. */
  inStorm(channel: string, at: number): boolean {
    const endpoints = this.channels.get(channel);
    if (!endpoints) return false;
    let recent = 0;
    for (const last of endpoints.values()) if (last > at - this.windowMs) recent += 1;
    return recent > this.threshold;
  }
}
