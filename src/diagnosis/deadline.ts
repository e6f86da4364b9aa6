import { AsyncLocalStorage } from "node:async_hooks";

// The time limits of one diagnosis: every AWS call answers within `callTimeoutMs` or becomes a gap, and the whole
// collection ends by `totalMs`, with whatever did not answer listed as gaps, never as a pass. The limits travel
// with the diagnosis's async context, so the AWS side reads them without every collector passing them along.

/** Default time one AWS call (retries included) may take. */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;
/** Default time a whole diagnosis may take before its partial report is given. */
export const DEFAULT_DEADLINE_MS = 25_000;
/** Default time after which the requester is told what the diagnosis is still waiting on. */
export const DEFAULT_SLOW_NOTICE_MS = 8_000;

/** How long AWS may take: per call, per diagnosis, and when to say it is slow. */
export interface DeadlineSettings {
  callTimeoutMs: number;
  totalMs: number;
  slowNoticeMs: number;
}

/** The production limits. */
export const DEFAULT_DEADLINES: DeadlineSettings = {
  callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
  totalMs: DEFAULT_DEADLINE_MS,
  slowNoticeMs: DEFAULT_SLOW_NOTICE_MS,
};

/** Raised (and recorded as a gap) when an AWS call gives no answer in time. */
export class DidNotAnswer extends Error {
  override name = "DidNotAnswer";
  constructor(
    readonly action: string,
    readonly withinMs: number,
  ) {
    super(`${action} did not answer within ${formatSeconds(withinMs)}`);
  }
}

/** The limits of the diagnosis under way, and the AWS calls it is waiting on. */
export interface Deadline {
  callTimeoutMs: number;
  totalMs: number;
  /** Epoch ms when the diagnosis must end. */
  endsAt: number;
  now: () => number;
  /** The IAM action of every call under way, by call number. */
  inFlight: Map<number, string>;
}

const storage = new AsyncLocalStorage<Deadline>();
let callNumber = 0;

/** A deadline starting now. */
export function startDeadline(settings: DeadlineSettings, now: () => number = Date.now): Deadline {
  return {
    callTimeoutMs: settings.callTimeoutMs,
    totalMs: settings.totalMs,
    endsAt: now() + settings.totalMs,
    now,
    inFlight: new Map(),
  };
}

/** Runs `work` with `deadline` as the current one: the AWS calls it makes obey it. */
export function withDeadline<T>(deadline: Deadline, work: () => Promise<T>): Promise<T> {
  return storage.run(deadline, work);
}

/** The deadline of the diagnosis this code runs for, if any. */
export function currentDeadline(): Deadline | undefined {
  return storage.getStore();
}

/** The calls a deadline is waiting on, distinct and sorted. */
export function waitingOn(deadline: Deadline): string[] {
  return [...new Set(deadline.inFlight.values())].sort();
}

/**
 * Races one AWS call against its time limit (the per-call timeout, `callTimeoutMs` when there is no current
 * deadline, and the diagnosis's end), marking it in flight meanwhile; rejects with DidNotAnswer.
 */
export function limitCall<T>(action: string, call: () => Promise<T>, callTimeoutMs?: number): Promise<T> {
  const deadline = currentDeadline();
  const perCall = deadline?.callTimeoutMs ?? callTimeoutMs;
  if (perCall === undefined) return call();
  const left = deadline ? deadline.endsAt - deadline.now() : perCall;
  const limit = Math.max(0, Math.min(perCall, left));
  const id = ++callNumber;
  deadline?.inFlight.set(id, action);
  const said = limit < perCall && deadline ? deadline.totalMs : perCall;
  return raceTimer(call(), limit, () => new DidNotAnswer(action, said)).finally(() =>
    deadline?.inFlight.delete(id),
  );
}

/**
 * Races a read (a call, or a wait behind a limiter or a shared read) against the diagnosis's end only, marking it
 * in flight meanwhile; no deadline: the read itself.
 */
export function untilDeadline<T>(action: string, wait: () => Promise<T>): Promise<T> {
  const deadline = currentDeadline();
  if (!deadline) return wait();
  const left = Math.max(0, deadline.endsAt - deadline.now());
  const id = ++callNumber;
  deadline.inFlight.set(id, action);
  return raceTimer(wait(), left, () => new DidNotAnswer(action, deadline.totalMs)).finally(() =>
    deadline.inFlight.delete(id),
  );
}

function raceTimer<T>(work: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
    timer.unref?.();
  });
  work.catch(() => {});
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** "10 s", "2.5 s", "800 ms". */
export function formatSeconds(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1_000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
