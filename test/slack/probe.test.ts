import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import type { DiagnosisRequest } from "../../src/diagnosis/request.js";
import type { Probe } from "../../src/diagnosis/snapshot.js";
import { probeOffer } from "../../src/slack/probe-offer.js";
import { TEST_IDS } from "../support/slack-signing.js";
import { IDS } from "../support/snapshot-factory.js";
import { type Bot, startBot } from "./bot-harness.js";

// The "Test from i-..." button through the real Bolt app and the fake Slack Web API: offered only where the
// channel allows probes, authorised like /vpce, and the thread says who ran the probe on which instance.

const INSTANCE = "i-0123456789abcdef0";
const MALLORY = "U0MALLORY1";
const config = (allowProbe: boolean) => `accounts:
  - alias: prod
    id: "${IDS.account}"
    region: us-east-1
channels:
  - id: ${TEST_IDS.channel}
    accounts: [prod]
    users: [${TEST_IDS.user}]
    allowProbe: ${allowProbe}
`;
const recorded = readFileSync(
  new URL("../fixtures/probe/linux-resolves-private.txt", import.meta.url),
  "utf8",
);
const asked: DiagnosisRequest[] = [];
const observed = (request: DiagnosisRequest): Probe => {
  asked.push(request);
  return {
    instanceId: request.source!.value,
    requestedBy: request.requester,
    managed: true,
    platform: "Linux",
    document: "AWS-RunShellScript",
    names: ["ssm.us-east-1.amazonaws.com", `${IDS.endpoint}-abcdefgh.ssm.us-east-1.vpce.amazonaws.com`],
    ports: [443],
    commandId: "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
    status: "Success",
    output: recorded,
  };
};

let bot: Bot;
let running: Bot | undefined;
afterEach(async () => {
  asked.length = 0;
  await running?.stop();
  running = undefined;
});

async function start(allowProbe: boolean): Promise<Bot> {
  running = await startBot({ config: config(allowProbe), probe: observed });
  return running;
}

type Button = { action_id: string; value: string; text: { text: string } };

async function rootButtons(b: Bot, text: string): Promise<{ rootTs: string; buttons: Button[] }> {
  await b.command(text);
  await b.waitForReports(1);
  const root = b.fake.calls("chat.postMessage").find((c) => !c.args.thread_ts)!;
  const actions = (root.args.blocks as Array<{ type: string; elements?: Button[] }>).find(
    (x) => x.type === "actions",
  )!;
  return { rootTs: String(root.response.ts), buttons: actions.elements! };
}

describe("the Test from button", () => {
  it("is offered for an instance --from where the channel allows probes, and the click runs the probe as the clicker", async () => {
    bot = await start(true);
    const { rootTs, buttons } = await rootButtons(bot, `diagnose ${IDS.endpoint} --from ${INSTANCE}`);
    const test = buttons.find((b) => b.action_id === "vpce_probe")!;
    expect(test.text.text).toBe(`Test from ${INSTANCE}`);
    expect(asked).toEqual([]);
    await bot.click(test.action_id, test.value, { ts: rootTs, blocks: [] });
    const stored = await bot.waitForReports(2);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({
      probe: true,
      requester: TEST_IDS.user,
      source: { kind: "instance", value: INSTANCE },
    });
    expect(stored.request.probe).toBeUndefined();
    expect(stored.report.checks.find((c) => c.id === "client-probe")!.status).toBe("pass");
    const note = await waitForNote(bot, rootTs);
    expect(note).toMatch(new RegExp(`^<@${TEST_IDS.user}> ran the client probe on ${INSTANCE}: `));
    expect(note).toContain(`${INSTANCE} resolves ssm.us-east-1.amazonaws.com`);
  });

  it("is not offered, and a forged click is refused, where the channel does not allow probes", async () => {
    bot = await start(false);
    const { rootTs, buttons } = await rootButtons(bot, `diagnose ${IDS.endpoint} --from ${INSTANCE}`);
    expect(buttons.map((b) => b.action_id)).not.toContain("vpce_probe");
    const rerun = buttons.find((b) => b.action_id === "vpce_rerun")!;
    const { responseId } = await bot.click("vpce_probe", rerun.value, { ts: rootTs, blocks: [] });
    const answer = await bot.fake.waitForResponse((r) => r.id === responseId);
    expect(answer.body).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringContaining("does not allow the client probe"),
    });
    expect(asked).toEqual([]);
  });

  it("is not offered when the client is not an instance", async () => {
    bot = await start(true);
    const { buttons } = await rootButtons(bot, `diagnose ${IDS.endpoint} --from 10.0.3.25`);
    expect(buttons.map((b) => b.action_id)).not.toContain("vpce_probe");
  });

  it("is refused to a person the channel's users do not include, as /vpce would be", async () => {
    bot = await start(true);
    const { rootTs, buttons } = await rootButtons(bot, `diagnose ${IDS.endpoint} --from ${INSTANCE}`);
    const test = buttons.find((b) => b.action_id === "vpce_probe")!;
    const { responseId } = await bot.click(test.action_id, test.value, { ts: rootTs, blocks: [] }, MALLORY);
    const answer = await bot.fake.waitForResponse((r) => r.id === responseId);
    expect(answer.body).toMatchObject({ response_type: "ephemeral" });
    expect(asked).toEqual([]);
  });
});

describe("probeOffer for alarm threads", () => {
  const alarms = (allowProbe: boolean) =>
    parseConfig(`accounts:
  - { alias: prod, id: "${IDS.account}", region: us-east-1 }
channels:
  - { id: C0123ABCD, accounts: [prod], allowProbe: ${allowProbe} }
alarms:
  topics: [arn:aws:sns:us-east-1:${IDS.account}:vpce-alarms]
  routes:
    - { match: { alarm: "payments-*" }, channel: C0123ABCD, probeFrom: ${INSTANCE}, allowProbe: true }
    - { match: {}, channel: C0123ABCD }
`);
  const alarm = (name: string) => ({ requester: `alarm-${name}`, account: "prod", region: "us-east-1" });

  it("offers the route's instance when the route and the channel allow it", () => {
    expect(probeOffer(alarms(true), "C0123ABCD", alarm("payments-latency-high"))).toBe(INSTANCE);
  });

  it("offers nothing for another route's alarms, or where the channel does not allow probes", () => {
    expect(probeOffer(alarms(true), "C0123ABCD", alarm("orders-errors"))).toBeUndefined();
    expect(probeOffer(alarms(false), "C0123ABCD", alarm("payments-latency-high"))).toBeUndefined();
    expect(probeOffer(undefined, "C0123ABCD", alarm("payments-latency-high"))).toBeUndefined();
  });
});

async function waitForNote(b: Bot, rootTs: string): Promise<string> {
  for (let i = 0; i < 100; i += 1) {
    const note = b.fake
      .calls("chat.postMessage")
      .map((c) => c.args)
      .find((args) => args.thread_ts === rootTs && /ran the client probe/.test(String(args.text)));
    if (note) return String(note.text);
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error("no probe note in the thread");
}
