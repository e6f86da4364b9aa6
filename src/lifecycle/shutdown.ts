// Graceful shutdown on SIGTERM and SIGINT: stop taking work, finish what is under way (bounded), exit 0.
import type { Logger } from "pino";
import type { InFlight } from "./in-flight.js";

/** Default bound on finishing in-flight diagnoses and posts. */
export const DEFAULT_SHUTDOWN_MS = 20_000;

/** What a shutdown stops and waits for. */
export interface ShutdownDeps {
  work: InFlight;
  /** Stops each way work comes in (HTTP server or socket, alarm queue poller); each may wait for its own work. */
  stopAccepting: Array<() => Promise<void>>;
  logger: Logger;
  timeoutMs?: number;
  exit?: (code: number) => void;
}

/** The shutdown sequence, run once however many signals arrive; resolves after calling `exit(0)`. */
export function gracefulShutdown(deps: ShutdownDeps): (signal: string) => Promise<void> {
  let running: Promise<void> | undefined;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_SHUTDOWN_MS;
  return (signal) => {
    if (running) {
      deps.logger.warn({ signal }, "already shutting down");
      return running;
    }
    running = (async () => {
      const started = Date.now();
      deps.work.drain();
      deps.logger.info(
        { signal, inFlight: deps.work.size, timeoutMs },
        "shutting down: taking no new work, finishing what is under way",
      );
      const stopped = Promise.allSettled(deps.stopAccepting.map((stop) => stop()));
      const finished = await deps.work.settle(timeoutMs);
      const left = Math.max(0, timeoutMs - (Date.now() - started));
      const closed = await Promise.race([
        stopped.then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), left).unref()),
      ]);
      if (finished && closed) deps.logger.info({ durationMs: Date.now() - started }, "shut down cleanly");
      else
        deps.logger.warn(
          { unfinished: deps.work.size, durationMs: Date.now() - started },
          "shutdown deadline passed: unfinished work is abandoned (an unfinished alarm is handled again when redelivered after its 60 s lease)",
        );
      (deps.exit ?? process.exit)(0);
    })();
    return running;
  };
}

/** Runs `shutdown` on SIGTERM (docker stop, ECS, Kubernetes) and SIGINT (Ctrl-C). */
export function onStopSignals(shutdown: (signal: string) => Promise<void>): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void shutdown(signal));
}
