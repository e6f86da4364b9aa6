import { spawnSync } from "node:child_process";
import { EventEmitter } from "node:events";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { surviveUnhandledRejections } from "../../src/lifecycle/unhandled.js";
import { createLogger } from "../../src/log.js";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ LOG_LEVEL: "info" }, "info", sink) };
}

describe("surviveUnhandledRejections", () => {
  it("logs each rejection as one line, first line of the message only", () => {
    const { lines, logger } = capture();
    const proc = new EventEmitter();
    surviveUnhandledRejections(proc, logger);
    proc.emit(
      "unhandledRejection",
      new TypeError("Cannot read properties of null (reading 'ssl_check')\n  at x"),
    );
    proc.emit("unhandledRejection", "a string");
    expect(lines.map((l) => [l.level, l.msg, l.err])).toEqual([
      [
        50,
        "unhandled rejection: logged, the process carries on",
        "TypeError: Cannot read properties of null (reading 'ssl_check')",
      ],
      [50, "unhandled rejection: logged, the process carries on", "a string"],
    ]);
  });

  it("keeps a real Node process alive after a rejection nobody handles", () => {
    const module = new URL("../../src/lifecycle/unhandled.ts", import.meta.url).pathname;
    const script = `
      const { surviveUnhandledRejections } = await import(${JSON.stringify(module)});
      surviveUnhandledRejections(process, { error: (fields, msg) => console.log(msg) });
      Promise.reject(new Error("one bad request"));
      setImmediate(() => setImmediate(() => console.log("still serving")));
    `;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("unhandled rejection: logged, the process carries on\nstill serving\n");
  });
});
