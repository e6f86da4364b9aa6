import type { CheckResult, Finding, Muted } from "./check.js";
import type { Snapshot } from "./snapshot.js";

// Suppressions from the config (as cdk-nag and prowler have): a reviewed, accepted finding is shown muted with
// its reason until its expiry date, and never sets the verdict. An expired one is active again, with a note.

/** One accepted finding: which check, optionally which resource and account, why, and until when. */
export interface Suppression {
  check: string;
  /** A resource id the finding must implicate (sg-..., acl-..., vpce-...); absent: every finding of the check. */
  resource?: string;
  /** An account alias or 12-digit id; absent: every account. */
  account?: string;
  reason: string;
  /** YYYY-MM-DD, inclusive, compared with the snapshot's collection date. */
  expires: string;
}

const SETS_VERDICT = new Set(["fail", "warn"]);

/** The result with the findings that suppressions cover marked muted; muted whole when none is left live. */
export function applySuppressions(
  result: CheckResult,
  snapshot: Snapshot,
  suppressions: readonly Suppression[],
): CheckResult {
  const mine = suppressions.filter((s) => s.check === result.id && accountMatches(s, snapshot));
  if (mine.length === 0 || !SETS_VERDICT.has(result.status)) return result;
  const today = snapshot.collectedAt.slice(0, 10);
  const expiredNotes: Finding[] = [];
  const findings = result.findings.map((finding) => {
    if (finding.severity === "info") return finding;
    const matching = mine.filter((s) => resourceMatches(s, finding));
    const active = matching.find((s) => s.expires >= today);
    if (active) return { ...finding, muted: mutedBy(active) };
    for (const expired of matching) expiredNotes.push(expiredNote(expired, finding));
    return finding;
  });
  const verdictSetting = findings.filter((f) => f.severity !== "info");
  const allMuted = verdictSetting.length > 0 && verdictSetting.every((f) => f.muted);
  const wholeCheck =
    verdictSetting.length === 0 ? mine.find((s) => !s.resource && s.expires >= today) : undefined;
  const muted = allMuted ? verdictSetting[0]!.muted : wholeCheck ? mutedBy(wholeCheck) : undefined;
  return {
    ...result,
    findings: [...findings, ...dedupe(expiredNotes)],
    ...(muted ? { muted } : {}),
  };
}

function accountMatches(s: Suppression, snapshot: Snapshot): boolean {
  if (!s.account) return true;
  return s.account === snapshot.accountAlias || s.account === snapshot.accountId;
}

function resourceMatches(s: Suppression, finding: Finding): boolean {
  if (!s.resource) return true;
  const wanted = s.resource.toLowerCase();
  return (finding.resourceIds ?? []).some((id) => id.toLowerCase() === wanted);
}

function mutedBy(s: Suppression): Muted {
  return { reason: s.reason, expires: s.expires };
}

function expiredNote(s: Suppression, finding: Finding): Finding {
  return {
    severity: "info",
    summary: `the suppression of ${s.check}${s.resource ? ` for ${s.resource}` : ""} expired on ${s.expires}: this finding is active again`,
    evidence: [`suppressed because: ${s.reason}`, `finding: ${finding.summary}`],
    remediation: {
      text: "Fix the finding, or review the suppression and extend its expiry date in the config.",
    },
    resourceIds: finding.resourceIds,
  };
}

function dedupe(notes: Finding[]): Finding[] {
  const seen = new Set<string>();
  return notes.filter((note) => !seen.has(note.summary) && seen.add(note.summary));
}
