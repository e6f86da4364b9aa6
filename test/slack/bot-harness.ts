import { type AddressInfo, createServer } from "node:net";
import { Writable } from "node:stream";
import { ChannelQueue } from "../../src/alarms/channel-queue.js";
import type { Intake } from "../../src/alarms/intake.js";
import { SnsVerifier } from "../../src/alarms/sns-verify.js";
import { collectSnapshot } from "../../src/aws/collect.js";
import type { Located } from "../../src/aws/locate.js";
import { createCallCounter } from "../../src/aws/middleware.js";
import { RateLimiter } from "../../src/aws/rate-limit.js";
import { regionDisplayNames, regionInfo } from "../../src/aws/regions.js";
import { SharedReads } from "../../src/aws/shared-reads.js";
import { parseConfig } from "../../src/config/load.js";
import type { AccountConfig } from "../../src/config/schema.js";
import type { DeadlineSettings } from "../../src/diagnosis/deadline.js";
import type { DiagnosisRequest } from "../../src/diagnosis/request.js";
import type { Probe } from "../../src/diagnosis/snapshot.js";
import { InFlight } from "../../src/lifecycle/in-flight.js";
import { createLogger } from "../../src/log.js";
import { createPrometheusMetrics, type PrometheusMetrics } from "../../src/observe/metrics.js";
import { createAlarmSide } from "../../src/slack/alarm-wiring.js";
import { createSlackApp } from "../../src/slack/app.js";
import { probeOffer } from "../../src/slack/probe-offer.js";
import { type Collect, ReportFlow } from "../../src/slack/report-flow.js";
import { UserGroups } from "../../src/slack/user-groups.js";
import { createBotMemory, memoryStateStore } from "../../src/state/bot-memory.js";
import type { ReportRecord, ReportStore } from "../../src/state/report-store.js";
import type { StateStore } from "../../src/state/state-store.js";
import { createWorld, type World } from "../aws/collect-world.js";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.js";
import { type FakeSocket, startFakeSocket } from "../support/fake-socket.js";
import {
  blockActionsBody,
  postToBolt,
  signSlackRequest,
  slashCommandBody,
  TEST_IDS,
} from "../support/slack-signing.js";
import { IDS } from "../support/snapshot-factory.js";
import { fakeCertificateFetch } from "../support/sns-signing.js";

// The real Bolt app on 127.0.0.1, a fake Slack Web API that records every call, and AWS through
// aws-sdk-client-mock (the mocked account of the collector tests): what a person does in Slack, end to end.

/** The signing secret the test bot and the test "Slack" share. */
export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

/** The default config: channel C0123ABCD may diagnose account prod (region us-east-1). */
export const ONE_ACCOUNT = `accounts:
  - alias: prod
    id: "${IDS.account}"
    roleArn: arn:aws:iam::${IDS.account}:role/vpce-doctor
    externalId: ext-1
    region: us-east-1
channels:
  - id: ${TEST_IDS.channel}
    accounts: [prod]
`;

/** A running bot with its fakes and helpers to act as Slack. */
export interface Bot {
  url: string;
  baseUrl: string;
  fake: FakeSlack;
  world: World;
  store: ReportStore;
  /** Every report stored so far (new threads, reruns, revivals), in order. */
  reports: ReportRecord[];
  /** Waits until at least `count` reports were stored; resolves with the last. */
  waitForReports(count: number, timeoutMs?: number): Promise<ReportRecord>;
  logs: Array<Record<string, unknown>>;
  /** The alarm intake (only with an `alarms` section in the config). */
  intake?: Intake;
  /** SubscribeURLs the webhook confirmed. */
  confirmed: string[];
  /** What /metrics serves. */
  metrics: PrometheusMetrics;
  /** Listener runs and webhook deliveries under way. */
  work: InFlight;
  /** The Socket Mode server the bot connected to (with `socketMode`). */
  socket?: FakeSocket;
  /** Stops accepting work, as main.ts does: the HTTP server closes and alarm posts finish. */
  stopAccepting(): Promise<void>;
  command(
    text: string,
    fields?: Record<string, string>,
  ): Promise<{ status: number; json: unknown; responseId: string }>;
  click(
    actionId: string,
    value: string,
    message: { ts: string; thread_ts?: string; blocks?: unknown[] },
    user?: string,
    /** The channel the click comes from (default the test channel). */
    channel?: string,
  ): Promise<{ status: number; responseId: string }>;
  stop(): Promise<void>;
}

let responseCounter = 0;

/** A port free on 127.0.0.1 right now (Socket Mode's small HTTP server takes a port number, not 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Starts the bot against a fake Slack; the world is healthy unless a test breaks it. */
export async function startBot(
  options: {
    config?: string | null;
    locate?: (accounts: readonly AccountConfig[]) => Located;
    /** Pause between posts in one channel for alarms (default 0 in tests; production uses 1 s). */
    alarmPostIntervalMs?: number;
    /** Shared state (replica tests); default the in-process store. */
    state?: StateStore;
    /** A fake Slack shared with other bots (one workspace, several replicas); default a fresh one. */
    fake?: FakeSlack;
    /** Socket Mode against a local WebSocket server instead of HTTP requests to /slack/events. */
    socketMode?: boolean;
    /** An alarm MessageId's lease and its renewal period (production: 60 s and 20 s). */
    alarmLease?: { leaseMs: number; renewEveryMs: number };
    /** The AWS time limits of every diagnosis (default: production's 10 s / 25 s / 8 s). */
    deadlines?: Partial<DeadlineSettings>;
    /** Downloads SNS signing certificates (default: the test certificate for any URL, never the network). */
    fetchCertificate?: (url: string) => Promise<string>;
    /** Storm timings (default for tests: no hold, an edit every 50 ms, edits unpaced; production: 2 s, 2 s, 50/min). */
    storm?: { holdMs?: number; editEveryMs?: number; editsPerSecond?: number };
    /** The CloudTrail LookupEvents limiter (default: 1,000 a second, i.e. none; production's is 2 a second). */
    cloudTrailLimiter?: RateLimiter;
    /** What the client probe observed, for diagnoses that ask for it (the collector's SSM side is tested apart). */
    probe?: (request: DiagnosisRequest) => Probe;
  } = {},
): Promise<Bot> {
  const fake = options.fake ?? (await startFakeSlack());
  const world = createWorld();
  world.flowMessages = [];
  world.metricValues = { packetsDropped: 0, rstPacketsReceived: 0 };
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger({ LOG_LEVEL: "info" }, "info", sink);
  // As in production: one SharedReads per process, so diagnoses in one VPC share its VPC-level reads.
  const shared = new SharedReads();
  const limiter = options.cloudTrailLimiter ?? new RateLimiter(1000, 100);
  const collect: Collect = (request, account) => collectAndProbe(request, account);
  const collectAndProbe = async (request: DiagnosisRequest, account: AccountConfig | undefined) => {
    const snapshot = await collectOnly(request, account);
    return request.probe && options.probe ? { ...snapshot, probe: options.probe(request) } : snapshot;
  };
  const collectOnly = (request: DiagnosisRequest, account: AccountConfig | undefined) =>
    collectSnapshot(
      {
        endpointId: request.endpointId,
        region: request.region,
        accountId: account?.id ?? IDS.account,
        accountAlias: account?.alias,
        source: request.source,
        windowHours: request.windowHours,
        now: new Date(),
      },
      world.clients,
      {
        counter: createCallCounter(),
        limiter,
        shared,
        accountKey: account?.id ?? "ambient",
      },
    );
  const config = options.config === null ? undefined : parseConfig(options.config ?? ONE_ACCOUNT);
  const state = options.state ?? memoryStateStore();
  const memory = createBotMemory(state, config, {
    leaseMs: options.alarmLease?.leaseMs,
  });
  // Every report the flow stores, in order: a test waits for the Nth to know a diagnosis (or rerun) has finished.
  const reports: ReportRecord[] = [];
  const store: ReportStore = {
    put: async (record) => {
      await memory.reports.put(record);
      reports.push(record);
    },
    get: (id) => memory.reports.get(id),
    tryLock: (id) => memory.reports.tryLock(id),
    unlock: (id) => memory.reports.unlock(id),
  };
  const metrics = createPrometheusMetrics();
  const work = new InFlight();
  const probeFrom = (channel: string, request: DiagnosisRequest) => probeOffer(config, channel, request);
  const flow = new ReportFlow({
    collect,
    store,
    logger,
    metrics,
    deadlines: options.deadlines,
    probeOffer: probeFrom,
  });
  const confirmed: string[] = [];
  const names = regionDisplayNames();
  const alarmSide = config?.alarms
    ? createAlarmSide({
        config,
        flow,
        store,
        logger,
        regionByName: (name) => names.get(name),
        verifier: new SnsVerifier({
          fetchCertificate: options.fetchCertificate ?? fakeCertificateFetch().fetchCertificate,
        }),
        confirm: async (url) => {
          confirmed.push(url);
        },
        queue: new ChannelQueue({ intervalMs: options.alarmPostIntervalMs ?? 0 }),
        memory: memory.alarms,
        state,
        stormTimings: { holdMs: 0, editEveryMs: 50, editsPerSecond: 1_000, ...options.storm },
        renewEveryMs: options.alarmLease?.renewEveryMs,
        metrics,
        work,
      })
    : undefined;
  // Socket Mode: Slack's apps.connections.open (the fake Web API) hands out a local WebSocket server.
  const socket = options.socketMode ? await startFakeSocket() : undefined;
  if (socket) fake.handle("apps.connections.open", () => ({ ok: true, url: socket.url }));
  const socketPort = socket ? await freePort() : 0;
  const app = createSlackApp(
    {
      botToken: "xoxb-test-token",
      ...(socket ? { appToken: "xapp-1-A0FAKE-1-test" } : { signingSecret: SIGNING_SECRET }),
      port: socketPort,
      apiUrl: fake.apiUrl,
      shutdownMs: 20_000,
    },
    {
      config,
      isKnownRegion: (code) => regionInfo(code) !== undefined,
      logger,
      store,
      flow,
      userGroups: new UserGroups(),
      metrics,
      metricsPage: () => metrics.render(),
      work,
      aws: {
        locate: async (_id, _region, accounts) => options.locate?.(accounts) ?? { found: [], failed: [] },
      },
    },
    alarmSide?.routes ?? [],
  );
  const intake = alarmSide?.attach(app);
  let stopped = false;
  let baseUrl: string;
  if (socket) {
    await app.start();
    await socket.connected();
    baseUrl = `http://127.0.0.1:${socketPort}`;
  } else {
    const server = (await app.start({ port: 0, host: "127.0.0.1" })) as { address(): AddressInfo };
    baseUrl = `http://127.0.0.1:${server.address().port}`;
  }
  const url = `${baseUrl}/slack/events`;
  return {
    url,
    baseUrl,
    fake,
    world,
    store,
    reports,
    waitForReports: (count, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const tick = () => {
          if (reports.length >= count) return resolve(reports[reports.length - 1]!);
          if (Date.now() >= deadline)
            return reject(new Error(`${reports.length} of ${count} reports stored in ${timeoutMs} ms`));
          setTimeout(tick, 10);
        };
        tick();
      }),
    logs,
    intake,
    confirmed,
    metrics,
    work,
    socket,
    async stopAccepting() {
      stopped = true;
      await app.stop();
    },
    async command(text, fields = {}) {
      const responseId = `cmd-${++responseCounter}`;
      const body = slashCommandBody({ text, response_url: fake.responseUrl(responseId), ...fields });
      const response = await postToBolt(url, body, signSlackRequest(body, SIGNING_SECRET));
      return { status: response.status, json: response.json, responseId };
    },
    async click(actionId, value, message, user = TEST_IDS.user, channel = TEST_IDS.channel) {
      const responseId = `click-${++responseCounter}`;
      const body = blockActionsBody({
        user: { id: user, username: "someone", name: "someone", team_id: TEST_IDS.team },
        response_url: fake.responseUrl(responseId),
        container: { type: "message", message_ts: message.ts, channel_id: channel },
        channel: { id: channel, name: channel === TEST_IDS.channel ? TEST_IDS.channelName : "other" },
        message: {
          type: "message",
          ts: message.ts,
          thread_ts: message.thread_ts,
          blocks: message.blocks ?? [],
        },
        actions: [{ type: "button", action_id: actionId, block_id: "b", value, action_ts: "1700000000.1" }],
      });
      const response = await postToBolt(url, body, signSlackRequest(body, SIGNING_SECRET));
      return { status: response.status, responseId };
    },
    async stop() {
      if (!stopped) await app.stop();
      stopped = true;
      await socket?.close();
      if (!options.fake) await fake.stop();
    },
  };
}
