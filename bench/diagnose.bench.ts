// npm run bench: how many sequential round trips and AWS calls one diagnosis costs.
// Every AWS call is delayed by a fixed latency in SDK middleware; wall time / latency is the number of
// round trips the diagnosis waits for one after the other. Run against moto_server on 127.0.0.1.
import { setTimeout as sleep } from "node:timers/promises";
import { createAwsCollector } from "../src/aws/snapshot-source.js";
import type { AccountConfig } from "../src/config/schema.js";
import type { DiagnosisRequest } from "../src/diagnosis/request.js";
import { runDiagnosis } from "../src/diagnosis/run.js";
import { useMoto } from "../test/integration/cli-harness.js";
import { startMoto } from "../test/integration/moto.js";
import { assumeRole, buildWorld, fixtureClients, type WorldOptions } from "../test/integration/world.js";
import { liveRows, offlineRows } from "./startup.js";

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100);
/** A second, larger latency: the slope between the two is the round-trip count free of fixed overheads. */
const HIGH_LATENCY_MS = LATENCY_MS * 3;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_ACCOUNT = "111122223333";
const ACCOUNT: AccountConfig = {
  alias: "bench",
  id: TARGET_ACCOUNT,
  roleArn: `arn:aws:iam::${TARGET_ACCOUNT}:role/vpce-doctor`,
  externalId: "bench-external-id",
  region: "us-east-1",
};

interface Measure {
  wallMs: number;
  calls: number;
}

async function measure(endpointId: string, latencyMs: number): Promise<Measure> {
  // A fresh collector per run: its credential cache is cold, so AssumeRole is part of every measured run.
  const collect = createAwsCollector({ latencyMs, maxAttempts: 1 });
  const request: DiagnosisRequest = {
    endpointId,
    region: "us-east-1",
    account: ACCOUNT.alias,
    windowHours: 1,
    requester: "bench",
  };
  const started = performance.now();
  const { report } = await runDiagnosis(request, { collect: (r) => collect(r, ACCOUNT) });
  const wallMs = performance.now() - started;
  // CloudTrail allows 2 lookups per second per account and region; let the shared bucket refill so runs
  // measure the diagnosis, not the previous run's throttling.
  await sleep(1_100);
  return { wallMs, calls: report.stats.awsCalls };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function scenario(name: string, endpointId: string) {
  const low: number[] = [];
  const high: number[] = [];
  let calls = 0;
  for (let i = 0; i < RUNS; i += 1) {
    const run = await measure(endpointId, LATENCY_MS);
    low.push(run.wallMs);
    calls = run.calls;
    high.push((await measure(endpointId, HIGH_LATENCY_MS)).wallMs);
  }
  const wall = median(low);
  return {
    scenario: name,
    "wall ms": Math.round(wall),
    "round trips (wall/latency)": +(wall / LATENCY_MS).toFixed(2),
    "round trips (slope)": +((median(high) - wall) / (HIGH_LATENCY_MS - LATENCY_MS)).toFixed(2),
    "AWS calls": calls,
  };
}

async function main() {
  const moto = await startMoto();
  try {
    useMoto(moto.url);
    const credentials = await assumeRole(moto.url, ACCOUNT.roleArn!);
    const clients = fixtureClients(moto.url, "us-east-1", credentials);
    const worlds: Array<[string, WorldOptions]> = [
      ["interface endpoint, small VPC", {}],
      ["interface endpoint, 200 subnets + 200 SGs", { extraSubnets: 200, extraSecurityGroups: 200 }],
      ["gateway endpoint, small VPC", { kind: "gateway" }],
    ];
    const rows = [];
    for (const [name, options] of worlds) {
      const world = await buildWorld(clients, options);
      rows.push(await scenario(name, world.endpointId));
    }
    const memory = process.memoryUsage();
    console.log(
      `vpce-doctor diagnosis benchmark: ${LATENCY_MS} ms added to every AWS call, median of ${RUNS} runs,`,
    );
    console.log(
      `AssumeRole included (cold credential cache). "slope" = extra wall time per extra ms of latency between ${LATENCY_MS} and ${HIGH_LATENCY_MS} ms,`,
    );
    console.log(
      "i.e. round trips without moto's and the SDK's fixed costs. Targets: <= 4.5 round trips, <= 20 calls, same calls for the big VPC.\n",
    );
    console.table(rows);
    const [small, big] = rows;
    console.log(
      `big VPC / small VPC AWS calls: ${big!["AWS calls"]} / ${small!["AWS calls"]} = ${(big!["AWS calls"] / small!["AWS calls"]).toFixed(2)}`,
    );
    console.log(
      `RSS after the runs: ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`,
    );
    console.log(
      "\nCLI start-up (spawned processes, median). Targets: offline <= 0.2 s and <= 80 MiB; live wall - AWS time <= 0.3 s.",
    );
    console.table(offlineRows());
    const plain = await buildWorld(fixtureClients(moto.url, "us-east-1"));
    console.table(await liveRows(plain.endpointId, "us-east-1"));
  } finally {
    await moto.stop();
  }
}

await main();
