import type { Snapshot } from "./snapshot.js";

/** Outcome of one check; `unknown` means an input was missing and must never read as a pass. */
export type CheckStatus = "pass" | "fail" | "warn" | "unknown" | "skip";

/** How bad one finding is, from the blocker down to a note. */
export type Severity = "critical" | "high" | "medium" | "low" | "info";

/** What to do about a finding: a sentence, a copy-paste command with real ids, a documentation link. */
export interface Remediation {
  text: string;
  command?: string;
  docs?: string;
}

/** One observation a check makes, with the evidence behind it and the fix. */
export interface Finding {
  severity: Severity;
  summary: string;
  evidence: string[];
  remediation?: Remediation;
  /** AWS resource ids this finding implicates, so recent changes can be correlated with it. */
  resourceIds?: string[];
}

/** What a check returns: a status, a one-line summary for the report, and its findings. */
export interface CheckOutcome {
  status: CheckStatus;
  summary: string;
  findings: Finding[];
}

/** A check's outcome labelled with the check that produced it. */
export interface CheckResult extends CheckOutcome {
  id: string;
  title: string;
}

/** A pure diagnosis step: reads the snapshot (and the results of checks before it), never does I/O. */
export interface Check {
  id: string;
  title: string;
  run(snapshot: Snapshot, earlier: ReadonlyMap<string, CheckResult>): CheckOutcome;
}
