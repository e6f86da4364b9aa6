import type { Report } from "../diagnosis/report.js";

/** The stable --json document: field names here are a public interface, documented in the README. */
export function toJsonDocument(report: Report) {
  return {
    endpointId: report.endpointId,
    region: report.region,
    account: report.account,
    collectedAt: report.collectedAt,
    window: report.window,
    verdict: {
      status: report.verdict.status,
      cause: report.verdict.cause,
      summary: report.verdict.summary,
      nextSteps: report.verdict.nextSteps,
    },
    checks: report.checks.map((check) => ({
      id: check.id,
      title: check.title,
      status: check.status,
      summary: check.summary,
      muted: check.muted ?? null,
      findings: check.findings.map((finding) => ({
        severity: finding.severity,
        summary: finding.summary,
        evidence: finding.evidence,
        remediation: {
          text: finding.remediation?.text ?? null,
          command: finding.remediation?.command ?? null,
          docs: finding.remediation?.docs ?? null,
        },
        muted: finding.muted ?? null,
      })),
    })),
    gaps: report.gaps,
    stats: { durationMs: report.stats.durationMs, awsCalls: report.stats.awsCalls },
  };
}
