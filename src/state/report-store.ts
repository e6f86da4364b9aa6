import { randomBytes } from "node:crypto";
import type { Report } from "../diagnosis/report.js";
import type { DiagnosisRequest } from "../diagnosis/request.js";
import type { Snapshot } from "../diagnosis/snapshot.js";

/** What the bot remembers about one posted report, looked up by the opaque id its buttons carry. */
export interface ReportRecord {
  id: string;
  request: DiagnosisRequest;
  accountAlias?: string;
  channel: string;
  rootTs: string;
  /** Thread reply per problem check id, so a toggle or rerun can update it. */
  replies: Record<string, string>;
  passedTs?: string;
  /** Check ids whose reply currently shows its details. */
  expanded: string[];
  trigger: string;
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

/** Reports kept in this process for `ttlMs` (default 24 h), at most `maxEntries`, oldest dropped first. */
export class MemoryReportStore implements ReportStore {
  private readonly records = new Map<string, { record: ReportRecord; expiresAt: number }>();
  private readonly locks = new Map<string, number>();

  constructor(
    private readonly options: {
      ttlMs?: number;
      maxEntries?: number;
      lockMs?: number;
      clock?: () => number;
    } = {},
  ) {}

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  async put(record: ReportRecord): Promise<void> {
    this.records.delete(record.id);
    this.records.set(record.id, {
      record: structuredClone(record),
      expiresAt: this.now() + (this.options.ttlMs ?? 86_400_000),
    });
    const max = this.options.maxEntries ?? 5_000;
    while (this.records.size > max) this.records.delete(this.records.keys().next().value!);
  }

  async get(id: string): Promise<ReportRecord | undefined> {
    const entry = this.records.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.records.delete(id);
      return undefined;
    }
    return structuredClone(entry.record);
  }

  async tryLock(id: string): Promise<boolean> {
    const until = this.locks.get(id);
    if (until !== undefined && until > this.now()) return false;
    // A lock outlives a crashed run only this long, so a stuck report can be rerun later.
    this.locks.set(id, this.now() + (this.options.lockMs ?? 5 * 60_000));
    return true;
  }

  async unlock(id: string): Promise<void> {
    this.locks.delete(id);
  }
}
