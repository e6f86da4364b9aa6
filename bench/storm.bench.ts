// npm run bench:storm: 200 endpoint alarms for one account arrive within 10 seconds through the SNS webhook
// of the real Bolt app (signed with the test certificate). The fake Slack Web API answers 429 beyond 1 post
// per second per channel, as Slack does; AWS is the mocked account of the collector tests, every call 20 ms,
// CloudTrail LookupEvents limited to 2 requests a second as AWS does. One security-group change (jane revoked
// tcp/443) breaks every endpoint: the storm has one cause.
import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { performance } from "node:perf_hooks";
import type { Event } from "@aws-sdk/client-cloudtrail";
import { DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { RateLimiter } from "../src/aws/rate-limit.js";
import { innerMessage } from "../test/alarms/fixtures.js";
import { INTERFACE_ENDPOINT } from "../test/aws/collect-world.js";
import { startBot } from "../test/slack/bot-harness.js";
import type { RecordedCall } from "../test/support/fake-slack.js";
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
const bot = await startBot({
  config: CONFIG,
  alarmPostIntervalMs: 1_100,
  cloudTrailLimiter: new RateLimiter(2, 2),
  // Production's: a new alarm held 2 s, a storm's messages edited at most every 2 s, chat.update at 50 a minute.
  storm: { holdMs: 2_000, editEveryMs: 2_000, editsPerSecond: 50 / 60 },
});

/** The endpoint's security group admits nothing: every endpoint of the storm fails on it. */
function breakSecurityGroup(): void {
  bot.world.serve("ec2", DescribeSecurityGroupsCommand, () => ({
    SecurityGroups: [
      { GroupId: IDS.sgEndpoint, GroupName: "ssm-endpoint", VpcId: IDS.vpc, IpPermissions: [] },
    ],
  }));
  const revoked: Event = {
    EventId: "11111111-2222-3333-4444-555555555555",
    EventName: "RevokeSecurityGroupIngress",
    EventTime: new Date(Date.now() - 10 * 60_000),
    EventSource: "ec2.amazonaws.com",
    Username: "jane",
    Resources: [{ ResourceType: "AWS::EC2::SecurityGroup", ResourceName: IDS.sgEndpoint }],
    CloudTrailEvent: JSON.stringify({ readOnly: false, requestParameters: { groupId: IDS.sgEndpoint } }),
  };
  bot.world.trailEvents = [revoked];
}

/** When each storm endpoint was first named in an accepted post or edit (Date.now()). */
function firstNamed(calls: RecordedCall[]): Map<string, number> {
  const named = new Map<string, number>();
  for (const call of calls) {
    if (call.status !== 200 || call.response.ok !== true) continue;
    const text = JSON.stringify([call.args.text, call.args.blocks]);
    for (const match of text.matchAll(/vpce-0[0-9a-f]{16}/g)) {
      if (match[0] !== IDS.endpoint && !named.has(match[0])) named.set(match[0], call.at);
    }
  }
  return named;
}

function queueDepth(page: string): number {
  return [...page.matchAll(/queue_depth\{[^}]*\} (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

try {
  bot.world.delayMs = 20;
  breakSecurityGroup();
  for (let i = 0; i < ALARMS; i += 1)
    bot.world.endpoints.set(endpointId(i), { ...INTERFACE_ENDPOINT, VpcEndpointId: endpointId(i) });
  const loneBefore = bot.world.started().length;
  await post(`${bot.baseUrl}/alarms/sns`, JSON.stringify(alarmFor(IDS.endpoint)));
  const lone = bot.world.started().length - loneBefore;
  bot.fake.reset();
  bot.fake.rateLimit("chat.postMessage", 1);
  bot.fake.rateLimit("chat.update", 1);
  const before = bot.world.started().length;
  const started = performance.now();
  let lastAlarmAt = 0;
  const answers = await Promise.all(
    Array.from({ length: ALARMS }, async (_, i) => {
      await new Promise((r) => setTimeout(r, (i * SPREAD_MS) / ALARMS));
      lastAlarmAt = Math.max(lastAlarmAt, Date.now());
      const response = await post(`${bot.baseUrl}/alarms/sns`, JSON.stringify(alarmFor(endpointId(i))));
      return { ...response, at: performance.now() - started };
    }),
  );
  await bot.work.settle(30_000);
  const calls = bot.fake.calls();
  const accepted = (c: RecordedCall) => c.status === 200 && c.response.ok === true;
  const posts = calls.filter((c) => c.method === "chat.postMessage" && accepted(c));
  const named = firstNamed(calls);
  const lastNamed = Math.max(...named.values());
  const lost = answers.filter((a) => a.status !== 200).length;
  const perDiagnosis = (bot.world.started().length - before) / ALARMS;
  console.log(
    `vpce-doctor storm benchmark: ${ALARMS} endpoint alarms for one account within ${SPREAD_MS / 1000} s,`,
  );
  console.log(
    "Slack answering 429 beyond 1 post per second per channel, CloudTrail 2 lookups a second, every AWS call 20 ms\n",
  );
  console.table({
    "endpoints named in the channel": { value: named.size, expected: ALARMS },
    "last endpoint named, s after the last alarm": {
      value: +((lastNamed - lastAlarmAt) / 1000).toFixed(1),
      expected: "<= 60",
    },
    "channel posts": { value: posts.length, expected: "<= 12" },
    "roots (posts outside a thread)": {
      value: posts.filter((c) => !c.args.thread_ts).length,
      expected: "<= 2",
    },
    "edits (chat.update)": {
      value: calls.filter((c) => c.method === "chat.update" && accepted(c)).length,
      expected: "-",
    },
    "alarms lost (non-200 to SNS)": { value: lost, expected: 0 },
    "Slack calls finally rejected": {
      value: calls.filter((c) => c.status === 200 && !accepted(c)).length,
      expected: 0,
    },
    "429 answers retried": { value: calls.filter((c) => c.status === 429).length, expected: "-" },
    "last SNS answer (s after the first alarm)": {
      value: +(Math.max(...answers.map((a) => a.at)) / 1000).toFixed(1),
      expected: "-",
    },
    "queue depth after": { value: queueDepth(await bot.metrics.render()), expected: 0 },
    "AWS calls per diagnosis, storm": { value: +perDiagnosis.toFixed(1), expected: "-" },
    "AWS calls, lone diagnosis": { value: lone, expected: "-" },
    "peak RSS (MiB)": { value: Math.round(peakRss / 2 ** 20), expected: "-" },
  });
  console.log(`storm / lone AWS calls per diagnosis: ${(perDiagnosis / lone).toFixed(2)}`);
} finally {
  clearInterval(sampler);
  await bot.stop();
}
