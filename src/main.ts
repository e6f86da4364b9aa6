#!/usr/bin/env node
// Composition root of the Slack bot: settings -> config -> logger -> dependencies -> app.start().
import { readFileSync } from "node:fs";
import { SqsAlarmPoller } from "./alarms/sqs-poller.js";
import { regionDisplayNames, regionInfo } from "./aws/regions.js";
import { createAwsSide } from "./aws/snapshot-source.js";
import { createSqsQueue } from "./aws/sqs.js";
import { ConfigError, parseConfig } from "./config/load.js";
import type { ConfigFile } from "./config/schema.js";
import { createLogger } from "./log.js";
import { createAlarmSide } from "./slack/alarm-wiring.js";
import { createSlackApp } from "./slack/app.js";
import { ReportFlow } from "./slack/report-flow.js";
import { readSlackSettings, SettingsError, type SlackSettings } from "./slack/settings.js";
import { UserGroups } from "./slack/user-groups.js";
import { MemoryReportStore } from "./state/report-store.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

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
  return parseConfig(text, path);
}

let settings: SlackSettings;
let config: ConfigFile | undefined;
try {
  settings = readSlackSettings(process.env);
  config = loadConfig(settings.configPath);
} catch (error) {
  if (error instanceof SettingsError || error instanceof ConfigError) {
    process.stderr.write(`vpce-doctor: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger(process.env, "info");
const aws = createAwsSide({ logger });
const store = new MemoryReportStore();
const flow = new ReportFlow({ collect: aws.collect, store, logger });
const names = regionDisplayNames();
const alarms = config?.alarms
  ? createAlarmSide({ config, flow, store, logger, regionByName: (name) => names.get(name) })
  : undefined;
const app = createSlackApp(
  settings,
  {
    config,
    isKnownRegion: (code) => regionInfo(code) !== undefined,
    logger,
    store,
    flow,
    userGroups: new UserGroups(),
    aws,
  },
  alarms?.routes ?? [],
);
const intake = alarms?.attach(app);
const queueUrl = config?.alarms?.sqsQueueUrl;
if (intake && queueUrl) {
  // For bots with no public endpoint: the SNS topic feeds this queue; a message is deleted only once posted.
  new SqsAlarmPoller({
    queue: createSqsQueue(queueUrl),
    intake,
    topics: config?.alarms?.topics ?? [],
    logger: logger.child({ component: "sqs-poller" }),
  }).start();
}

if (settings.appToken) await app.start();
else await app.start(settings.port);
logger.info(
  {
    port: settings.port,
    mode: settings.appToken ? "socket" : "http",
    accounts: config?.accounts.length ?? 0,
  },
  "vpce-doctor is listening",
);
