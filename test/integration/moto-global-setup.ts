import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import type { TestProject } from "vitest/node";

// Starts moto_server on a free 127.0.0.1 port for the integration suite and stops it afterwards.

declare module "vitest" {
  export interface ProvidedContext {
    motoUrl: string;
  }
}

const INSTALL_HINT =
  'moto_server was not found: install it with pip install "moto[server]" (Python 3), then rerun npm run test:aws';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${output()}`);
    try {
      const response = await fetch(`${url}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${url} within 30 s: ${output()}`);
}

/** Vitest global setup: one moto_server for the whole integration run. */
export default async function setup(project: TestProject) {
  const probe = spawnSync("moto_server", ["--help"], { stdio: "ignore" });
  if (probe.error) throw new Error(INSTALL_HINT);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = "";
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (log = (log + d).slice(-4000)));
  child.stderr?.on("data", (d) => (log = (log + d).slice(-4000)));
  await waitUntilUp(url, child, () => log);
  project.provide("motoUrl", url);
  return async () => {
    if (child.exitCode === null && child.pid) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  };
}
