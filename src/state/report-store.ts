import { randomBytes } from "node:crypto";
import type { Report } from "../diagnosis/report.js";
import type { DiagnosisRequest } from "../diagnosis/request.js";
import type { Snapshot } from "../diagnosis/snapshot.js";
import { MemoryStateStore, type StateStore } from "./state-store.js";

/** Where a report sits in Slack: its channel, its root message, and the reply of each failing check. */
export interface SlackPlacement {
  channel: string;
  rootTs: string;
  /** Thread reply per failing check id, so a rerun updates it in place. */
  replies: Record<string, string>;
  /** The "Also noticed" reply, when one was posted. */
  noticedTs?: string;
}

/** What the bot remembers about one posted report, looked up by the opaque id its buttons carry. */
export interface ReportRecord {
  id: string;
  request: DiagnosisRequest;
  accountAlias?: string;
  /** Where the report is shown (one field, so the delivery's shape stays apart from the report's). */
  placement: SlackPlacement;
  trigger: string;
  /** The trigger's full text when the root shows it cut (an alarm's reason), for Show all checks; escaped mrkdwn. */
  triggerDetails?: string;
  startedAt: number;
  report: Report;
  snapshot: Snapshot;
}

/** Where reports behind buttons live, and the per-report lock that keeps two reruns from starting. */
export interface ReportStore {
  put(record: ReportRecord): Promise<void>;
  get(id: string): Promise<ReportRecord | undefined>;
  /** True when the caller got the lock; false when a run of this report is already under way. */
  tryLock(id: string): Promise<boolean>;
  unlock(id: string): Promise<void>;
}

/** A fresh opaque report id: 22 url-safe characters, nothing about the request in it. */
export function newReportId(): string {
  return `r${randomBytes(16).toString("base64url")}`;
}

/** Tuning for StateReportStore; every field has a default. */
export interface ReportStoreOptions {
  /** How long a report stays behind its buttons (default 24 h). */
  ttlMs?: number;
  /** A lock outlives a crashed run only this long, so a stuck report can be rerun later (default 5 min). */
  lockMs?: number;
}

/** Reports and their rerun locks kept in a StateStore, so every replica sharing the store sees them. */
export class StateReportStore implements ReportStore {
  constructor(
    private readonly state: StateStore,
    private readonly options: ReportStoreOptions = {},
  ) {}

  async put(record: ReportRecord): Promise<void> {
    await this.state.put(`report:${record.id}`, JSON.stringify(record), this.options.ttlMs ?? 86_400_000);
  }

  async get(id: string): Promise<ReportRecord | undefined> {
    // A button value is attacker-controlled: an empty or oversized one is never looked up.
    if (!id || id.length > 100) return undefined;
    const text = await this.state.get(`report:${id}`);
    return text === undefined ? undefined : withPlacement(JSON.parse(text));
  }

  async tryLock(id: string): Promise<boolean> {
    return this.state.putIfAbsent(`lock:${id}`, "1", this.options.lockMs ?? 5 * 60_000);
  }

  async unlock(id: string): Promise<void> {
    await this.state.delete(`lock:${id}`);
  }
}

/** Reports kept in this process for `ttlMs` (default 24 h), at most `maxEntries`, oldest dropped first. */
export class MemoryReportStore extends StateReportStore {
  constructor(options: ReportStoreOptions & { maxEntries?: number; clock?: () => number } = {}) {
    super(
      new MemoryStateStore({
        maxPerNamespace: { report: options.maxEntries ?? 5_000 },
        clock: options.clock,
      }),
      options,
    );
  }
}

/** A record stored before placements were one field (channel, rootTs, replies at the top) reads as the new shape. */
function withPlacement(stored: ReportRecord & Partial<SlackPlacement>): ReportRecord {
  if (stored.placement) return stored;
  const { channel = "", rootTs = "", replies = {}, ...rest } = stored;
  return { ...rest, placement: { channel, rootTs, replies } };
}
