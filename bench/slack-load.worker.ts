// The load generator of bench/slack.bench.ts, on its own thread: it signs and fires the commands and times
// each ack, so the bot's event loop does only the bot's work. node:http keeps the client's own cost low.
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import { signSlackRequest, slashCommandBody } from "../test/support/slack-signing.js";

const { url, secret, count, text, responseUrl } = workerData as {
  url: string;
  secret: string;
  count: number;
  text: string;
  responseUrl: string;
};

const agent = new Agent({ keepAlive: true, maxSockets: count });

function post(body: string): Promise<{ ms: number; status: number; diagnosing: boolean }> {
  const headers = { ...signSlackRequest(body, secret), "Content-Length": String(Buffer.byteLength(body)) };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers, agent }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (data += chunk));
      res.on("end", () =>
        resolve({
          ms: performance.now() - started,
          status: res.statusCode ?? 0,
          diagnosing: data.includes("Diagnosing"),
        }),
      );
    });
    req.once("error", reject);
    req.end(body);
  });
}

const bodies = Array.from({ length: count }, () => slashCommandBody({ text, response_url: responseUrl }));
const sentAt = Date.now();
const results = await Promise.all(bodies.map(post));
agent.destroy();
parentPort!.postMessage({ sentAt, results });
