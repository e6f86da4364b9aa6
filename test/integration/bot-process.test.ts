import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.js";
import { postToBolt, signSlackRequest, slashCommandBody, TEST_IDS } from "../support/slack-signing.js";
import { configFile, motoEnv } from "./cli-harness.js";
import { createStateTable, motoDynamo } from "./state-table.js";
import { buildWorld, fixtureClients, MOTO_DEFAULT_ACCOUNT, type World } from "./world.js";

// The container's start path, exactly: `npm run build` (CI runs it before this suite) then
// `node dist/main.js`, with the real SDK against moto (the diagnosed account and the DynamoDB state table)
// and a fake Slack Web API, all on 127.0.0.1. Then SIGTERM in the middle of a post.

const motoUrl = inject("motoUrl");
const SECRET = "0123456789abcdef0123456789abcdef";
const MAIN = new URL("../../dist/main.js", import.meta.url).pathname;

let fake: FakeSlack;
let world: World;
let table: string;
let bot: ChildProcess;
let baseUrl: string;
const logs: Array<Record<string, unknown>> = [];
let exited: Promise<number | null>;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; logs: ${JSON.stringify(logs)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function command(text: string) {
  const body = slashCommandBody({ text, response_url: fake.responseUrl(`cmd-${Date.now()}`) });
  return postToBolt(`${baseUrl}/slack/events`, body, signSlackRequest(body, SECRET));
}

const roots = () => fake.calls("chat.postMessage").filter((c) => !c.args.thread_ts && c.status === 200);

beforeAll(async () => {
  if (!existsSync(MAIN))
    throw new Error("dist/main.js is missing: run `npm run build` before `npm run test:aws`");
  const dynamo = motoDynamo(motoUrl);
  table = await createStateTable(dynamo);
  world = await buildWorld(fixtureClients(motoUrl, "us-east-1"));
  fake = await startFakeSlack();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const config = configFile(`accounts:
  - alias: moto
    id: "${MOTO_DEFAULT_ACCOUNT}"
    region: us-east-1
channels:
  - id: ${TEST_IDS.channel}
    accounts: [moto]
state:
  dynamodbTable: ${table}
  region: us-east-1
`);
  bot = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? "",
      ...motoEnv(motoUrl),
      AWS_REGION: "us-east-1",
      AWS_MAX_ATTEMPTS: "1",
      SLACK_BOT_TOKEN: "xoxb-process-test",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      VPCE_DOCTOR_CONFIG: config,
      LOG_LEVEL: "info",
      SHUTDOWN_TIMEOUT_SECONDS: "20",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let partial = "";
  bot.stderr!.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop()!;
    for (const line of lines) if (line) logs.push(JSON.parse(line));
  });
  exited = new Promise((resolve) => bot.on("exit", (code) => resolve(code)));
  await until(() => logs.some((l) => l.msg === "vpce-doctor is listening"), 30_000, "the bot to listen");
});

afterAll(async () => {
  if (bot.exitCode === null) bot.kill("SIGKILL");
  await fake?.stop();
});

describe("node dist/main.js", () => {
  it("says how it started, serves /healthz, diagnoses through moto, keeps the report in DynamoDB and exports /metrics", async () => {
    expect(logs.find((l) => l.msg === "vpce-doctor is listening")).toMatchObject({
      mode: "http",
      state: `dynamodb:${table}`,
      alarms: "off",
    });
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);

    expect((await command(`diagnose ${world.endpointId} us-east-1`)).status).toBe(200);
    await fake.waitFor(
      (c) => c.method === "chat.postMessage" && !c.args.thread_ts && c.status === 200,
      15_000,
    );
    expect(JSON.stringify(roots()[0]!.args.blocks)).toContain(world.endpointId);

    // The thread is posted, then the finished record is stored.
    await until(
      async () => {
        const items = await motoDynamo(motoUrl).send(new ScanCommand({ TableName: table }));
        return (items.Items ?? []).some((item) => item.pk?.S?.startsWith("report:"));
      },
      15_000,
      "the report in the DynamoDB table",
    );

    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^vpce_doctor_aws_calls_total\{api="ec2:DescribeVpcEndpoints"\} [1-9]/m);
    expect(metrics).toMatch(/^vpce_doctor_diagnoses_total\{trigger="command",verdict="\w+"\} 1$/m);
    expect(metrics).toMatch(
      /^vpce_doctor_aws_errors_total\{api="cloudtrail:LookupEvents",error="\w+"\} [1-9]/m,
    );
    // The bot's own calls: the start-up probe of the state table and the stored report.
    expect(metrics).toMatch(/^vpce_doctor_aws_calls_total\{api="dynamodb:GetItem"\} [1-9]/m);
    expect(metrics).toMatch(/^vpce_doctor_aws_calls_total\{api="dynamodb:PutItem"\} [1-9]/m);
  });

  it("on SIGTERM finishes the post under way (held by a Slack 429), stops listening and exits 0", async () => {
    fake.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 2 });
    const before = roots().length;
    expect((await command(`diagnose ${world.endpointId} us-east-1`)).status).toBe(200);
    await fake.waitFor((c) => c.method === "chat.postMessage" && c.status === 429, 15_000);

    bot.kill("SIGTERM");
    expect(await exited).toBe(0);

    expect(roots()).toHaveLength(before + 1);
    const messages = logs.map((l) => l.msg);
    expect(messages).toContain("shutting down: taking no new work, finishing what is under way");
    expect(messages.at(-1)).toBe("shut down cleanly");
    expect(logs.find((l) => l.msg?.toString().startsWith("shutting down"))).toMatchObject({
      signal: "SIGTERM",
      inFlight: 1,
    });
    await expect(fetch(`${baseUrl}/healthz`)).rejects.toThrow();
    expect(JSON.stringify(logs)).not.toContain("xoxb-process-test");
    expect(JSON.stringify(logs)).not.toContain(SECRET);
  });
});
