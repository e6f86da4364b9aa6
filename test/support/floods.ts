import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

// Hostile traffic for the flood tests: oversized bodies streamed from one reused buffer (so the sender holds
// almost nothing), a peak-RSS sampler, latency percentiles and a local stand-in for SNS certificate hosts.

/** What became of one streamed POST: the status the bot answered (if any) and how many bytes got written. */
export interface StreamedPost {
  status?: number;
  sent: number;
  error?: string;
}

const CHUNK = Buffer.alloc(1024 * 1024, "a");

/** POSTs `totalBytes` of filler to `url` (127.0.0.1 only), with a Content-Length unless `chunked`. */
export function streamPost(url: string, totalBytes: number, chunked = false): Promise<StreamedPost> {
  const target = new URL(url);
  if (target.hostname !== "127.0.0.1") throw new Error(`streamPost only posts to 127.0.0.1, not ${url}`);
  return new Promise((resolve) => {
    const out: StreamedPost = { sent: 0 };
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    if (!chunked) headers["content-length"] = String(totalBytes);
    const req = request(target, { method: "POST", headers, agent: false });
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      resolve(out);
    };
    req.on("response", (res) => {
      out.status = res.statusCode;
      res.resume();
      res.on("end", done);
      res.on("error", done);
    });
    req.on("error", (error) => {
      out.error = (error as NodeJS.ErrnoException).code ?? error.message;
      done();
    });
    const pump = () => {
      while (out.sent < totalBytes && !req.destroyed) {
        const piece = CHUNK.subarray(0, Math.min(CHUNK.length, totalBytes - out.sent));
        out.sent += piece.length;
        if (!req.write(piece)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

/** Samples this process's RSS every `everyMs` until stopped; answers the peak growth over the starting RSS. */
export function rssSampler(everyMs = 5): {
  stop(): { startMiB: number; peakMiB: number; growthMiB: number };
} {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
      return { startMiB: mib(start), peakMiB: mib(peak), growthMiB: mib(peak - start) };
    },
  };
}

/** The q-quantile (0..1) of the values, by nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

/** A local stand-in for the SNS certificate hosts: serves `pem` at `goodPath`, 404 elsewhere, counts requests. */
export async function startCertificateHost(
  pem: string,
  goodPath: string,
): Promise<{
  fetchCertificate: (url: string) => Promise<string>;
  requests: string[];
  stop(): Promise<void>;
}> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url === goodPath) res.writeHead(200, { "content-type": "text/plain" }).end(pem);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    requests,
    // The SNS URL's path on the local host: the bot's checks see the real SNS URL, the bytes stay local.
    async fetchCertificate(url: string) {
      const response = await fetch(`${base}${new URL(url).pathname}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.text();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
