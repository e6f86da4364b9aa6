import type { Remediation } from "../diagnosis/check.js";
import type { Report, VerdictChange, VerdictStatus } from "../diagnosis/report.js";

// What a storm thread shows, as plain data kept in the StateStore (so every replica edits the same thread): each
// endpoint's verdict, grouped by cause, and where the thread's messages are. Pure: no I/O, no clock.

/** One endpoint of a storm: its verdict and, when broken or degraded, the key of its cause. */
export interface StormEntry {
  status: VerdictStatus;
  cause?: string;
}

/** One distinct cause: the failing check, the resources it implicates, the change behind it and the fix, once. */
export interface StormCause {
  key: string;
  status: VerdictStatus;
  /** The check that explains the verdict (e.g. security-groups); empty when the verdict names none. */
  check: string;
  /** The first endpoint's verdict sentence, raw (escaped when rendered). */
  summary: string;
  /** The shared resource ids the failing finding implicates (sg-…, acl-…, rtb-…, the service). */
  resources: string[];
  change?: VerdictChange;
  fix?: Remediation;
}

/** Where the storm's messages are: the root, and each reply by its key (cause:<key>:<part>, others:<part>). */
export interface StormPosted {
  rootTs?: string;
  replies: Record<string, string>;
  /** What each message last showed (a hash per message key, "root" included), so an edit is made only on change. */
  shown: Record<string, string>;
}

/** A storm in one channel for one account and region. */
export interface StormState {
  id: string;
  channel: string;
  region: string;
  accountId: string;
  accountAlias: string;
  /** Epoch ms. */
  openedAt: number;
  /** By endpoint id, in the order they were first diagnosed. */
  entries: Record<string, StormEntry>;
  /** By cause key. */
  causes: Record<string, StormCause>;
  posted: StormPosted;
}

/** A diagnosis reduced to what the storm keeps of it. */
export interface StormMember {
  endpointId: string;
  entry: StormEntry;
  cause?: StormCause;
}

/** A new, empty storm. */
export function newStorm(fields: Omit<StormState, "entries" | "causes" | "posted">): StormState {
  return { ...fields, entries: {}, causes: {}, posted: { replies: {}, shown: {} } };
}

/**
 * The storm's view of one report. Its cause is the verdict's check plus the resources of that check's failing
 * finding, so 200 endpoints behind one security group are one cause, and two groups are two.
 */
export function stormMember(report: Report): StormMember {
  const { status, cause: check } = report.verdict;
  if (status !== "broken" && status !== "degraded")
    return { endpointId: report.endpointId, entry: { status } };
  const result = report.checks.find((c) => c.id === check);
  const findings = (result?.findings ?? []).filter((f) => !f.muted);
  const finding = findings.find((f) => (f.resourceIds ?? []).length > 0) ?? findings[0];
  // What the endpoints share: never the endpoint itself or its own network interfaces.
  const own = (id: string) => id === report.endpointId || id.startsWith("eni-");
  const resources = [...new Set(finding?.resourceIds ?? [])].filter((id) => !own(id)).sort();
  const withFix = findings.filter((f) => f.remediation);
  const fix = (withFix.find((f) => f.remediation?.command) ?? withFix[0])?.remediation;
  const key = `${status}|${check ?? ""}|${resources.join(",")}`;
  const cause: StormCause = { key, status, check: check ?? "", summary: report.verdict.summary, resources };
  if (report.verdict.change) cause.change = report.verdict.change;
  if (fix) cause.fix = fix;
  return { endpointId: report.endpointId, entry: { status, cause: key }, cause };
}

/** Adds (or replaces) one endpoint's verdict; a cause is kept once, with the newest change CloudTrail tied to it. */
export function addMember(state: StormState, member: StormMember): void {
  state.entries[member.endpointId] = member.entry;
  if (!member.cause) return;
  const known = state.causes[member.cause.key];
  if (!known) state.causes[member.cause.key] = member.cause;
  else if (member.cause.change && (!known.change || member.cause.change.at > known.change.at))
    known.change = member.cause.change;
}

/** The endpoint ids of one cause, in the order they were diagnosed. */
export function endpointsOf(state: StormState, causeKey: string): string[] {
  return Object.entries(state.entries)
    .filter(([, entry]) => entry.cause === causeKey)
    .map(([id]) => id);
}

/** Causes, the most endpoints first (then the first seen), each with its endpoint ids. */
export function causesByCount(state: StormState): Array<{ cause: StormCause; endpoints: string[] }> {
  return Object.values(state.causes)
    .map((cause) => ({ cause, endpoints: endpointsOf(state, cause.key) }))
    .filter((row) => row.endpoints.length > 0)
    .sort((a, b) => b.endpoints.length - a.endpoints.length);
}

/** Endpoints with no cause (healthy, unknown, or a verdict with no check), in diagnosis order. */
export function uncaused(state: StormState): Array<{ endpointId: string; status: VerdictStatus }> {
  return Object.entries(state.entries)
    .filter(([, entry]) => !entry.cause)
    .map(([endpointId, entry]) => ({ endpointId, status: entry.status }));
}

/** How many endpoints have each verdict. */
export function statusCounts(state: StormState): Record<VerdictStatus, number> {
  const counts: Record<VerdictStatus, number> = { broken: 0, degraded: 0, healthy: 0, unknown: 0 };
  for (const entry of Object.values(state.entries)) counts[entry.status] += 1;
  return counts;
}
