import type { Snapshot, SnapshotField } from "./snapshot.js";

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
  /** Set by evaluate() when a config suppression covers this finding: shown, never sets the verdict. */
  muted?: Muted;
}

/** Why a finding or a whole check result is muted, and until when (a config suppression). */
export interface Muted {
  reason: string;
  /** YYYY-MM-DD, inclusive. */
  expires: string;
}

/** What a check returns: a status, a one-line summary for the report, and its findings. */
export interface CheckOutcome {
  status: CheckStatus;
  summary: string;
  findings: Finding[];
  /** A warning that is hygiene (flow logs off, no metrics while idle): shown apart, never sets the verdict. */
  advisory?: boolean;
}

/** A check's outcome labelled with the check that produced it. */
export interface CheckResult extends CheckOutcome {
  id: string;
  title: string;
  /** Every finding that would set the verdict is suppressed by the config: the result never sets it. */
  muted?: Muted;
}

/** The endpoint types a check examines, compared case-insensitively with the endpoint's `type`. */
export type EndpointKind = "Interface" | "Gateway" | "GatewayLoadBalancer";

/**
 * A pure diagnosis step, declared rather than coded: evaluate() turns a missing endpoint into skip or unknown,
 * a type not in `appliesTo` into skip (saying `notApplicable`), and a gap in any of `needs` into unknown, so
 * `run` starts from the evidence. `run` reads the snapshot and earlier results, never does I/O or reads a clock.
 */
export interface Check {
  /** Kebab-case, equal to the file name, stable: part of the JSON output. */
  id: string;
  /** The desired state, e.g. "Endpoint security groups admit the client on its port". */
  title: string;
  /** The endpoint types examined; "any" also runs when there is no endpoint at all. */
  appliesTo: readonly EndpointKind[] | "any";
  /** Why the check does not apply to the other types: "<id> is a <type> endpoint: <notApplicable>". */
  notApplicable?: string;
  /** Snapshot fields without which the check cannot judge: a gap in any of them makes it unknown. */
  needs: readonly SnapshotField[];
  /** The AWS documentation page the check follows. */
  docs: string;
  run(snapshot: Snapshot, earlier: ReadonlyMap<string, CheckResult>): CheckOutcome;
}
