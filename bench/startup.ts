// Start-up cost of the CLI, measured by spawning it: the offline path (`diagnose --snapshot`, no AWS call) and
// the live path against moto, where the process's wall time is compared with the time the collection itself
// took (snapshot.stats.durationMs). The bundled CLI (dist/bin, what `vpce-doctor` runs) is compared with the
// unbundled tsc output (dist/cli.js) and with `node -e 0`.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 7);
const PRELOAD = new URL("./max-rss.mjs", import.meta.url).pathname;
const EXAMPLE = "examples/healthy-interface.json";

interface Run {
  wallMs: number;
  maxRssMiB: number;
  stdout: string;
}

function spawnNode(args: string[]): Run {
  const started = performance.now();
  const out = spawnSync(process.execPath, ["--import", PRELOAD, ...args], {
    encoding: "utf8",
    env: process.env,
  });
  return measured(started, out.stdout, out.stderr);
}

function measured(started: number, stdout: string, stderr: string): Run {
  const kib = Number(/vpce-bench-maxrss-kib=(\d+)/.exec(stderr)?.[1] ?? Number.NaN);
  return { wallMs: performance.now() - started, maxRssMiB: kib / 1024, stdout };
}

// The live path runs beside moto, a child of this process whose logs this event loop must keep draining: a
// synchronous spawn would block it, moto would stall on a full pipe, and the CLI with it.
function spawnNodeAsync(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", PRELOAD, ...args], { env: process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.once("error", reject);
    child.once("close", () => resolve(measured(started, stdout, stderr)));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function repeat(args: string[]): { wallMs: number; maxRssMiB: number } {
  const runs = Array.from({ length: RUNS }, () => spawnNode(args));
  return { wallMs: median(runs.map((r) => r.wallMs)), maxRssMiB: median(runs.map((r) => r.maxRssMiB)) };
}

/** The offline rows: node itself, the bundled CLI and the unbundled one on a saved snapshot. */
export function offlineRows() {
  const node = repeat(["-e", "0"]);
  const row = (name: string, run: { wallMs: number; maxRssMiB: number }) => ({
    "offline path": name,
    "wall s": +(run.wallMs / 1000).toFixed(3),
    "x node -e 0": +(run.wallMs / node.wallMs).toFixed(1),
    "peak RSS MiB (median)": Math.round(run.maxRssMiB),
  });
  const args = ["diagnose", "--snapshot", EXAMPLE, "--json"];
  return [
    row("node -e 0", node),
    row("vpce-doctor (dist/bin, bundled)", repeat(["dist/bin/cli.js", ...args])),
    row("dist/cli.js (tsc, unbundled)", repeat(["dist/cli.js", ...args])),
  ];
}

/** The live rows: process wall time against the collection's own time, for a moto endpoint. */
export async function liveRows(endpointId: string, region: string) {
  const dir = mkdtempSync(join(tmpdir(), "vpce-bench-"));
  const row = async (name: string, bin: string) => {
    const overheads: number[] = [];
    const walls: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 5); i += 1) {
      const saved = join(dir, `s-${i}.json`);
      const run = await spawnNodeAsync([
        bin,
        "diagnose",
        endpointId,
        "--region",
        region,
        "--json",
        "--save-snapshot",
        saved,
      ]);
      const awsMs = (JSON.parse(readFileSync(saved, "utf8")) as { stats: { durationMs: number } }).stats
        .durationMs;
      walls.push(run.wallMs);
      overheads.push(run.wallMs - awsMs);
    }
    return {
      "live path": name,
      "wall s": +(median(walls) / 1000).toFixed(3),
      "wall - AWS time s": +(median(overheads) / 1000).toFixed(3),
    };
  };
  return [
    await row("vpce-doctor (dist/bin, bundled)", "dist/bin/cli.js"),
    await row("dist/cli.js (tsc, unbundled)", "dist/cli.js"),
  ];
}
