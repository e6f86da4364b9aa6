// One bad request must never end the process: a promise rejected with no handler (inside a library's request
// handling, say) is logged as one line and the process carries on serving everyone else.
import type { EventEmitter } from "node:events";
import type { Logger } from "pino";

/** Logs every unhandled rejection on `proc` (the process) at error level instead of letting Node exit. */
export function surviveUnhandledRejections(proc: EventEmitter, logger: Logger): void {
  proc.on("unhandledRejection", (reason: unknown) => {
    const err = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
    logger.error(
      { err: err.split("\n")[0]!.slice(0, 500) },
      "unhandled rejection: logged, the process carries on",
    );
  });
}
