import { describe, expect, it } from "vitest";
import { InFlight } from "../../src/lifecycle/in-flight.js";
import { gracefulShutdown } from "../../src/lifecycle/shutdown.js";
import { createLogger } from "../../src/log.js";

function logs() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ LOG_LEVEL: "info" }, "info", {
    write: (line: string) => void lines.push(JSON.parse(line)),
  });
  return { lines, logger };
}

describe("gracefulShutdown", () => {
  it("stops intake first, waits for work, then exits 0", async () => {
    const work = new InFlight();
    const order: string[] = [];
    let finish!: () => void;
    work.track(new Promise<void>((resolve) => (finish = resolve)).then(() => void order.push("work done")));
    const { lines, logger } = logs();
    const shutdown = gracefulShutdown({
      work,
      stopAccepting: [async () => void order.push("intake stopped")],
      logger,
      exit: (code) => void order.push(`exit ${code}`),
    });
    const done = shutdown("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual(["intake stopped"]);
    finish();
    await done;
    expect(order).toEqual(["intake stopped", "work done", "exit 0"]);
    expect(lines[0]).toMatchObject({ signal: "SIGTERM", inFlight: 1, timeoutMs: 20_000 });
    expect(lines.at(-1)!.msg).toBe("shut down cleanly");
  });

  it("gives up on work that outlives the bound, says what it abandoned, and still exits 0", async () => {
    const work = new InFlight();
    work.track(new Promise(() => {}));
    const exits: number[] = [];
    const { lines, logger } = logs();
    await gracefulShutdown({
      work,
      stopAccepting: [],
      logger,
      timeoutMs: 30,
      exit: (c) => void exits.push(c),
    })("SIGINT");
    expect(exits).toEqual([0]);
    expect(lines.at(-1)).toMatchObject({ level: 40, unfinished: 1 });
  });

  it("bounds a stop that never returns (a held HTTP connection) by the same deadline", async () => {
    const exits: number[] = [];
    const { logger } = logs();
    await gracefulShutdown({
      work: new InFlight(),
      stopAccepting: [() => new Promise(() => {})],
      logger,
      timeoutMs: 30,
      exit: (c) => void exits.push(c),
    })("SIGTERM");
    expect(exits).toEqual([0]);
  });

  it("runs once when a second signal arrives", async () => {
    const exits: number[] = [];
    let stops = 0;
    const { lines, logger } = logs();
    const shutdown = gracefulShutdown({
      work: new InFlight(),
      stopAccepting: [
        async () => {
          stops += 1;
        },
      ],
      logger,
      exit: (c) => void exits.push(c),
    });
    await Promise.all([shutdown("SIGTERM"), shutdown("SIGINT")]);
    expect(stops).toBe(1);
    expect(exits).toEqual([0]);
    expect(lines.some((l) => l.msg === "already shutting down")).toBe(true);
  });
});
