// What the bot counts for /metrics, as recorder functions: callers never see prom-client.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** What set a diagnosis off: a /vpce command, a button (rerun, extend, an expired report revived) or an alarm. */
export type DiagnosisTrigger = "command" | "rerun" | "extend" | "revive" | "alarm";

/** Where an alarm came in. */
export type AlarmSource = "sns" | "sqs";

/** The recorders every part of the bot reports into; NO_METRICS when nothing listens. */
export interface Metrics {
  /** One diagnosis finished with `verdict` ("error" when it failed) after `seconds`. */
  diagnosis(trigger: DiagnosisTrigger, verdict: string, seconds: number): void;
  /** One HTTP attempt to AWS for `action` (an IAM action), failed with `error` when given. */
  awsCall(action: string, error?: string): void;
  /** One Slack Web API call that answered an error (`ratelimited`, `not_in_channel`, `http_500`, ...). */
  slackError(method: string, error: string): void;
  /** One alarm message received. */
  alarmReceived(source: AlarmSource): void;
  /** One alarm message dropped as a redelivery of a MessageId already handled. */
  alarmDeduplicated(source: AlarmSource): void;
  /** One alarm message refused (bad signature, topic not allowed, unknown account, unparseable). */
  alarmRefused(source: AlarmSource, reason: string): void;
  /** Reports the depth of a queue (`diagnoses`, `alarm_posts`) whenever /metrics is scraped. */
  queueDepth(queue: string, read: () => number): void;
}

/** Recorders that drop everything: the CLI and tests that do not look at metrics. */
export const NO_METRICS: Metrics = {
  diagnosis() {},
  awsCall() {},
  slackError() {},
  alarmReceived() {},
  alarmDeduplicated() {},
  alarmRefused() {},
  queueDepth() {},
};

/** Metrics kept in a prom-client registry, plus the text /metrics serves. */
export interface PrometheusMetrics extends Metrics {
  registry: Registry;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
}

const PREFIX = "vpce_doctor_";

/** A fresh registry with the bot's metrics and Node's process metrics (CPU, memory, event-loop lag). */
export function createPrometheusMetrics(): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const diagnoses = new Counter({
    name: `${PREFIX}diagnoses_total`,
    help: "Diagnoses finished, by what triggered them and their verdict.",
    labelNames: ["trigger", "verdict"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${PREFIX}diagnosis_duration_seconds`,
    help: "Time from a request to its report, waiting for a diagnosis slot included, by trigger.",
    labelNames: ["trigger"],
    buckets: [0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60],
    registers: [registry],
  });
  const awsCalls = new Counter({
    name: `${PREFIX}aws_calls_total`,
    help: "HTTP attempts to AWS (retries included), by IAM action.",
    labelNames: ["api"],
    registers: [registry],
  });
  const awsErrors = new Counter({
    name: `${PREFIX}aws_errors_total`,
    help: "AWS attempts that failed, by IAM action and error name.",
    labelNames: ["api", "error"],
    registers: [registry],
  });
  const slackErrors = new Counter({
    name: `${PREFIX}slack_api_errors_total`,
    help: "Slack Web API calls answered with an error, by method and error.",
    labelNames: ["method", "error"],
    registers: [registry],
  });
  const alarms = new Counter({
    name: `${PREFIX}alarms_received_total`,
    help: "Alarm messages received, by source.",
    labelNames: ["source"],
    registers: [registry],
  });
  const deduplicated = new Counter({
    name: `${PREFIX}alarms_deduplicated_total`,
    help: "Alarm messages dropped as redeliveries of a MessageId already handled.",
    labelNames: ["source"],
    registers: [registry],
  });
  const refused = new Counter({
    name: `${PREFIX}alarms_refused_total`,
    help: "Alarm messages refused, by source and reason.",
    labelNames: ["source", "reason"],
    registers: [registry],
  });
  const depths = new Map<string, () => number>();
  new Gauge({
    name: `${PREFIX}queue_depth`,
    help: "Work waiting for its turn: diagnoses waiting for a slot, alarm posts waiting for Slack's pace.",
    labelNames: ["queue"],
    registers: [registry],
    collect() {
      for (const [queue, read] of depths) this.set({ queue }, read());
    },
  });
  return {
    registry,
    render: () => registry.metrics(),
    diagnosis(trigger, verdict, seconds) {
      diagnoses.inc({ trigger, verdict });
      duration.observe({ trigger }, seconds);
    },
    awsCall(action, error) {
      awsCalls.inc({ api: action });
      if (error) awsErrors.inc({ api: action, error });
    },
    slackError(method, error) {
      slackErrors.inc({ method, error });
    },
    alarmReceived(source) {
      alarms.inc({ source });
    },
    alarmDeduplicated(source) {
      deduplicated.inc({ source });
    },
    alarmRefused(source, reason) {
      refused.inc({ source, reason });
    },
    queueDepth(queue, read) {
      depths.set(queue, read);
    },
  };
}
