import type { Diagnosed } from "./scheduler.js";

// What a chat surface implements to carry reports: Slack's thread is one delivery (slack/thread-delivery.ts); a
// second surface (Teams, Mattermost) needs a renderer and a delivery, and reuses the scheduler and the flow.

/** Why a report was produced again: a rerun, an extension to 24 h, an old report revived, or an alarm. */
export interface Rerun {
  userId: string;
  kind: "rerun" | "extend" | "expired" | "alarm";
  /** For kind "alarm": what happened (surface-formatted). */
  lead?: string;
}

/**
 * Places reports on one chat surface. `P` is where a report sits there (for Slack: channel, root ts, reply ts per
 * check); the flow stores it with the report, so any replica can update the report in place later.
 */
export interface ReportDelivery<P, Target> {
  /** Posts a new report at `target` and says where it went. */
  open(report: DeliveredReport, target: Target): Promise<P>;
  /** Marks the report as being run again, or (`busy` false) restores it. */
  busy(report: DeliveredReport, placement: P, busy: boolean): Promise<void>;
  /** Shows the new run in place: the answer updated, what changed said once; returns the placement now. */
  refresh(before: DeliveredReport | undefined, after: DeliveredReport, placement: P, why: Rerun): Promise<P>;
}

/** A report as a delivery sees it: the diagnosis, its opaque id (for buttons), and how it was triggered. */
export interface DeliveredReport extends Diagnosed {
  id: string;
  /** Surface-formatted, e.g. "<@U123> via /vpce". */
  trigger: string;
  accountAlias?: string;
  requestKey: string;
  /** The instance the root's "Test from" button probes from, when the surface offers the probe here. */
  probeFrom?: string;
}
