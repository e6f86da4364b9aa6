// npm run bench:storm: 200 endpoint alarms for one account arrive within 10 seconds through the SNS webhook
// of the real Bolt app (signed with the test certificate). The fake Slack Web API answers 429 beyond 1 post
// per second per channel, as Slack does; AWS is the mocked account of the collector tests, every call 20 ms.
import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { performance } from "node:perf_hooks";
import { innerMessage } from "../test/alarms/fixtures.js";
import { INTERFACE_ENDPOINT } from "../test/aws/collect-world.js";
import { startBot } from "../test/slack/bot-harness.js";
import { TEST_IDS } from "../test/support/slack-signing.js";
import { IDS } from "../test/support/snapshot-factory.js";
import { notificationFields, signSnsMessage, TEST_CERT_URL } from "../test/support/sns-signing.js";

const ALARMS = Number(process.env.BENCH_ALARMS ?? 200);
const SPREAD_MS = Number(process.env.BENCH_SPREAD_MS ?? 10_000);
const TOPIC = `arn:aws:sns:us-east-1:${IDS.account}:vpce-doctor-alarms`;
const CONFIG = `accounts:
  - alias: prod
    id: "${IDS.account}"
    region: us-east-1
alarms:
  topics: [${TOPIC}]
  defaultChannel: ${TEST_IDS.channel}
`;
// biome-ignore lint/suspicious/noExplicitAny: the notification is edited field by field
const inner: any = innerMessage("cloudwatch-alarm-sns.json");

function endpointId(i: number): string {
  return `vpce-0${i.toString(16).padStart(16, "0")}`;
}

function alarmFor(id: string) {
  const message = structuredClone(inner);
  for (const d of message.Trigger.Dimensions) if (d.name === "VPC Endpoint Id") d.value = id;
  return signSnsMessage(
    notificationFields({ MessageId: randomUUID(), TopicArn: TOPIC, Message: JSON.stringify(message) }),
    {
      version: "2",
      certUrl: TEST_CERT_URL,
    },
  );
}

/** POSTs to the bot with no client-side timeout: in a storm the webhook answers only once the report is posted. */
function post(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "text/plain" } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.once("error", reject);
    req.end(body);
  });
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
const bot = await startBot({ config: CONFIG, alarmPostIntervalMs: 1_100 });
try {
  bot.world.delayMs = 20;
  for (let i = 0; i < ALARMS; i += 1)
    bot.world.endpoints.set(endpointId(i), { ...INTERFACE_ENDPOINT, VpcEndpointId: endpointId(i) });
  const loneBefore = bot.world.started().length;
  await post(`${bot.baseUrl}/alarms/sns`, JSON.stringify(alarmFor(IDS.endpoint)));
  const lone = bot.world.started().length - loneBefore;
  bot.fake.reset();
  bot.fake.rateLimit("chat.postMessage", 1);
  const before = bot.world.started().length;
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: ALARMS }, async (_, i) => {
      await new Promise((r) => setTimeout(r, (i * SPREAD_MS) / ALARMS));
      const response = await post(`${bot.baseUrl}/alarms/sns`, JSON.stringify(alarmFor(endpointId(i))));
      return { ...response, at: performance.now() - started };
    }),
  );
  const ok = (c: { status: number; response: { ok?: boolean } }) =>
    c.status === 200 && c.response.ok === true;
  const posts = bot.fake.calls("chat.postMessage");
  const reported = new Set<string>();
  for (const call of posts.filter(ok)) {
    const match = /vpce-0[0-9a-f]{16}/.exec(String(call.args.text));
    if (match && match[0] !== IDS.endpoint) reported.add(match[0]);
  }
  const lost = answers.filter((a) => a.status !== 200).length;
  const lastReport = Math.max(...answers.map((a) => a.at));
  const perDiagnosis = (bot.world.started().length - before) / ALARMS;
  console.log(
    `vpce-doctor storm benchmark: ${ALARMS} endpoint alarms for one account within ${SPREAD_MS / 1000} s,`,
  );
  console.log("Slack answering 429 beyond 1 post per second per channel, every AWS call 20 ms\n");
  console.table({
    "reports posted": { value: reported.size, expected: ALARMS },
    "alarms lost (non-200 to SNS)": { value: lost, expected: 0 },
    "Slack calls finally rejected": {
      value: posts.filter((c) => c.status === 200 && c.response.ok !== true).length,
      expected: 0,
    },
    "429 answers retried": { value: posts.filter((c) => c.status === 429).length, expected: "-" },
    "time until the last report (s)": { value: +(lastReport / 1000).toFixed(1), expected: "-" },
    "AWS calls per diagnosis, storm": { value: +perDiagnosis.toFixed(1), expected: "-" },
    "AWS calls, lone diagnosis": { value: lone, expected: "-" },
    "peak RSS (MiB)": { value: Math.round(peakRss / 2 ** 20), expected: "-" },
  });
  console.log(`storm / lone AWS calls per diagnosis: ${(perDiagnosis / lone).toFixed(2)}`);
} finally {
  clearInterval(sampler);
  await bot.stop();
}
