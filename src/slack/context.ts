import type { Logger } from "pino";
import type { AwsSide } from "../aws/snapshot-source.js";
import type { ConfigFile } from "../config/schema.js";
import type { InFlight } from "../lifecycle/in-flight.js";
import type { Metrics } from "../observe/metrics.js";
import type { ReportStore } from "../state/report-store.js";
import type { ReportFlow } from "./report-flow.js";
import type { UserGroups } from "./user-groups.js";

/** Everything the listeners share, built once by the composition root. */
export interface SlackContext {
  config: ConfigFile | undefined;
  isKnownRegion: (code: string) => boolean;
  logger: Logger;
  store: ReportStore;
  flow: ReportFlow;
  userGroups: UserGroups;
  /** Slack API errors are counted here; absent in tests that do not look. */
  metrics?: Metrics;
  /** Serves GET /metrics (Prometheus text) when given. */
  metricsPage?: () => Promise<string>;
  /** Every listener run is tracked here so shutdown can wait for it; /healthz fails once it drains. */
  work?: InFlight;
  aws: Pick<AwsSide, "locate">;
}
