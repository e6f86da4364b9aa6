import type { Logger } from "pino";
import type { AccountConfig } from "../config/schema.js";
import { RunQueue } from "../lifecycle/run-queue.js";
import type { DiagnosisTrigger, Metrics } from "../observe/metrics.js";
import type { DeadlineSettings } from "./deadline.js";
import type { Report } from "./report.js";
import type { DiagnosisRequest } from "./request.js";
import { type DiagnosisSettings, runDiagnosis } from "./run.js";
import type { Snapshot } from "./snapshot.js";

// Scheduling, apart from any chat surface: how many diagnoses run at once (in all and per account), their AWS
// deadlines, the "still waiting" signal, metrics and the "diagnosis done" log line.

/** Collects a snapshot for a request in an account (undefined: the bot's own credentials). */
export type Collect = (request: DiagnosisRequest, account: AccountConfig | undefined) => Promise<Snapshot>;

/** What the scheduler needs: AWS collection, a logger, and its limits. */
export interface SchedulerDeps {
  collect: Collect;
  logger: Logger;
  clock?: () => number;
  /** At most this many diagnoses run at once in this process (default 16). */
  concurrency?: number;
  /** At most this many diagnoses run at once against one account, so a storm cannot flood its APIs (default 4). */
  perAccount?: number;
  /** Where finished diagnoses and the queue depth are reported (default: nowhere). */
  metrics?: Metrics;
  /** The config's suppressions and service ports, applied to every diagnosis. */
  settings?: DiagnosisSettings;
  /** The AWS time limits (default 10 s a call, 25 s a diagnosis, the slow notice at 8 s). */
  deadlines?: Partial<DeadlineSettings>;
}

/** A diagnosis done: its report and snapshot, and when it started (unix seconds). */
export interface Diagnosed {
  report: Report;
  snapshot: Snapshot;
  startedAt: number;
}

/** Runs diagnoses within the process's and each account's slots, under the AWS deadlines. */
export class DiagnosisScheduler {
  private readonly queue: RunQueue;
  private readonly accountQueues = new Map<string, RunQueue>();

  constructor(private readonly deps: SchedulerDeps) {
    this.queue = new RunQueue(deps.concurrency ?? 16);
    deps.metrics?.queueDepth("diagnoses", () => this.waiting());
  }

  /** Diagnoses waiting for a slot, in the global queue and the per-account ones. */
  waiting(): number {
    let depth = this.queue.depth;
    for (const queue of this.accountQueues.values()) depth += queue.depth;
    return depth;
  }

  /** The AWS time limits this scheduler applies. */
  get deadlines(): Partial<DeadlineSettings> {
    return this.deps.deadlines ?? {};
  }

  /** Diagnoses `request` once a slot is free; `onSlow` hears which AWS calls it still waits on after ~8 s. */
  async diagnose(
    request: DiagnosisRequest,
    account: AccountConfig | undefined,
    trigger: DiagnosisTrigger,
    onSlow?: (waitingOn: string[]) => void,
  ): Promise<Diagnosed> {
    const now = this.deps.clock ?? Date.now;
    const started = now();
    let result: Awaited<ReturnType<typeof runDiagnosis>>;
    try {
      result = await this.accountQueue(account).run(() =>
        this.queue.run(() =>
          runDiagnosis(request, {
            collect: (r) => this.deps.collect(r, account),
            settings: this.deps.settings,
            deadlines: this.deps.deadlines,
            onSlow,
          }),
        ),
      );
    } catch (error) {
      this.deps.metrics?.diagnosis(trigger, "error", (now() - started) / 1000);
      throw error;
    }
    this.deps.metrics?.diagnosis(trigger, result.report.verdict.status, (now() - started) / 1000);
    this.logDone(request, account, result.report);
    return { ...result, startedAt: Math.floor(started / 1000) };
  }

  private accountQueue(account: AccountConfig | undefined): RunQueue {
    const key = account?.id ?? "ambient";
    let queue = this.accountQueues.get(key);
    if (!queue) {
      queue = new RunQueue(this.deps.perAccount ?? 4);
      this.accountQueues.set(key, queue);
    }
    return queue;
  }

  private logDone(request: DiagnosisRequest, account: AccountConfig | undefined, report: Report): void {
    this.deps.logger.info(
      {
        endpointId: request.endpointId,
        region: request.region,
        account: account?.alias ?? "ambient",
        requester: request.requester,
        verdict: report.verdict.status,
        cause: report.verdict.cause,
        gaps: report.gaps.length,
        durationMs: report.stats.durationMs,
        awsCalls: report.stats.awsCalls,
      },
      "diagnosis done",
    );
  }
}
