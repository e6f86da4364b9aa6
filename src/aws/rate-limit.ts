// A token bucket for APIs with a published request rate, shared by every diagnosis in this process.

/** Milliseconds from a monotonic source. */
export type Clock = () => number;
/** Waits for about `ms` milliseconds. */
export type Sleep = (ms: number) => Promise<void>;

const realClock: Clock = () => performance.now();
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Token bucket: `take()` resolves once a token is available; callers are served in arrival order. */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly clock: Clock = realClock,
    private readonly sleep: Sleep = realSleep,
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) throw new RangeError("rate must be > 0 and burst >= 1");
    this.tokens = burst;
    this.last = clock();
  }

  /** Waits for one token; concurrent callers queue and leave one at a time. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.acquire());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async acquire(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond)));
    }
  }

  private refill(): void {
    const now = this.clock();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
  }
}

/** CloudTrail LookupEvents allows 2 requests per second per account and region. */
export const CLOUDTRAIL_LOOKUP_RATE = 2;
/** Two tokens of burst: the two lookups of a diagnosis start together; the refill keeps 2 per second after that. */
export const CLOUDTRAIL_LOOKUP_BURST = 2;

const cloudTrailLimiters = new Map<string, RateLimiter>();

/**
 * The one LookupEvents limiter for an account and region (key them as you like, e.g. "111122223333/us-east-1").
 * Burst 1 keeps any one-second window at two requests or fewer, however calls are timed.
 */
export function cloudTrailLimiter(accountKey: string): RateLimiter {
  let limiter = cloudTrailLimiters.get(accountKey);
  if (!limiter) {
    limiter = new RateLimiter(CLOUDTRAIL_LOOKUP_RATE, CLOUDTRAIL_LOOKUP_BURST);
    cloudTrailLimiters.set(accountKey, limiter);
  }
  return limiter;
}
