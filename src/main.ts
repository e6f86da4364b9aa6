#!/usr/bin/env node
// Composition root of the Slack bot: settings -> config -> logger -> state -> dependencies -> app.start(),
// and the graceful shutdown that undoes it.
import { readFileSync } from "node:fs";
import { SqsAlarmPoller } from "./alarms/sqs-poller.js";
import { DynamoStateStore, StateError } from "./aws/dynamodb-state.js";
import { regionDisplayNames, regionInfo } from "./aws/regions.js";
import { createAwsSide } from "./aws/snapshot-source.js";
import { createSqsQueue } from "./aws/sqs.js";
import { ConfigError, parseConfig } from "./config/load.js";
import type { ConfigFile } from "./config/schema.js";
import { diagnosisSettings } from "./config/settings.js";
import { InFlight } from "./lifecycle/in-flight.js";
import { gracefulShutdown, onStopSignals } from "./lifecycle/shutdown.js";
import { surviveUnhandledRejections } from "./lifecycle/unhandled.js";
import { createLogger, type Logger, LogSettingsError } from "./log.js";
import { createPrometheusMetrics, type Metrics } from "./observe/metrics.js";
import { createAlarmSide } from "./slack/alarm-wiring.js";
import { createSlackApp } from "./slack/app.js";
import { probeOffer } from "./slack/probe-offer.js";
import { ReportFlow } from "./slack/report-flow.js";
import { readSlackSettings, SettingsError, type SlackSettings } from "./slack/settings.js";
import { UserGroups } from "./slack/user-groups.js";
import { createBotMemory, memoryStateStore } from "./state/bot-memory.js";
import type { StateStore } from "./state/state-store.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

function fail(message: string): never {
  process.stderr.write(`vpce-doctor: ${message}\n`);
  process.exit(1);
}

function loadConfig(path: string | undefined): ConfigFile | undefined {
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(
      `cannot read VPCE_DOCTOR_CONFIG ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  // The same checks as `vpce-doctor config check`: an unknown region stops the start, not the first /vpce.
  return parseConfig(text, path, { isKnownRegion: (code) => regionInfo(code) !== undefined });
}

/** The shared table when the config names one (checked reachable now, not at the first alarm), else memory. */
async function openState(config: ConfigFile | undefined, metrics: Metrics): Promise<StateStore> {
  if (!config?.state) return memoryStateStore();
  const store = new DynamoStateStore({
    table: config.state.dynamodbTable,
    region: config.state.region ?? process.env.AWS_REGION,
    onCall: metrics.awsCall,
  });
  await store.probe();
  return store;
}

let settings: SlackSettings;
let config: ConfigFile | undefined;
try {
  settings = readSlackSettings(process.env);
  config = loadConfig(settings.configPath);
} catch (error) {
  if (error instanceof SettingsError || error instanceof ConfigError) fail(error.message);
  throw error;
}

let logger: Logger;
try {
  logger = createLogger(process.env, "info");
} catch (error) {
  if (error instanceof LogSettingsError) fail(error.message);
  throw error;
}
// A rejection nobody handled (one odd request inside a library) is logged; it must not end the process.
surviveUnhandledRejections(process, logger);
const metrics = createPrometheusMetrics();
let state: StateStore;
try {
  state = await openState(config, metrics);
} catch (error) {
  if (error instanceof StateError) fail(`state: ${error.message}`);
  throw error;
}
const memory = createBotMemory(state, config);
const work = new InFlight();
// The configured accounts also say who provides which custom service (accounts[].provides).
const aws = createAwsSide({ logger, onCall: metrics.awsCall, providers: config?.accounts });
const flow = new ReportFlow({
  collect: aws.collect,
  store: memory.reports,
  logger,
  metrics,
  settings: diagnosisSettings(config),
  probeOffer: (channel, request) => probeOffer(config, channel, request),
  deadlines: {
    ...(settings.awsCallTimeoutMs ? { callTimeoutMs: settings.awsCallTimeoutMs } : {}),
    ...(settings.diagnosisDeadlineMs ? { totalMs: settings.diagnosisDeadlineMs } : {}),
  },
});
const names = regionDisplayNames();
const alarms = config?.alarms
  ? createAlarmSide({
      config,
      flow,
      store: memory.reports,
      memory: memory.alarms,
      logger,
      metrics,
      work,
      regionByName: (name) => names.get(name),
    })
  : undefined;
const app = createSlackApp(
  settings,
  {
    config,
    isKnownRegion: (code) => regionInfo(code) !== undefined,
    logger,
    store: memory.reports,
    flow,
    userGroups: new UserGroups(),
    aws,
    metrics,
    metricsPage: () => metrics.render(),
    work,
  },
  alarms?.routes ?? [],
);
const intake = alarms?.attach(app);
const queueUrl = config?.alarms?.sqsQueueUrl;
// For bots with no public endpoint: the SNS topic feeds this queue; a message is deleted only once posted.
const poller =
  intake && queueUrl
    ? new SqsAlarmPoller({
        queue: createSqsQueue(queueUrl, { onCall: metrics.awsCall }),
        intake,
        topics: config?.alarms?.topics ?? [],
        logger: logger.child({ component: "sqs-poller" }),
        metrics,
      })
    : undefined;
poller?.start();

onStopSignals(
  gracefulShutdown({
    work,
    stopAccepting: [async () => void (await app.stop()), ...(poller ? [() => poller.stop()] : [])],
    logger,
    timeoutMs: settings.shutdownMs,
  }),
);

if (settings.appToken) await app.start();
else await app.start(settings.port);
logger.info(
  {
    port: settings.port,
    mode: settings.appToken ? "socket" : "http",
    accounts: config?.accounts.length ?? 0,
    state: config?.state ? `dynamodb:${config.state.dynamodbTable}` : "memory",
    alarms: config?.alarms ? (queueUrl ? "sns+sqs" : "sns") : "off",
  },
  "vpce-doctor is listening",
);
