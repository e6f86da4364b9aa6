import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";

// Starts and stops moto_server on a free 127.0.0.1 port: shared by the integration suite and the benchmark.

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

/** A running moto_server and how to stop it. */
export interface Moto {
  url: string;
  stop: () => Promise<void>;
}

/** Starts moto_server on a free loopback port, or fails with the install hint when it is missing. */
export async function startMoto(): Promise<Moto> {
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
  return {
    url,
    stop: async () => {
      if (child.exitCode === null && child.pid) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
    },
  };
}
