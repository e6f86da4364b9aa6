import type { Check, Finding } from "../diagnosis/check.js";
import type { Endpoint, TrailEvent } from "../diagnosis/snapshot.js";
import { describeGap, gapsFor, skipWithoutEndpoint } from "./gaps.js";

// The endpoint policy: valid, within the size limit, no Deny, and what it allows; plus the
// requests CloudTrail saw denied through this endpoint.

const DOCS = "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html";
const MAX_CHARS = 20_480;
const LIST_CAP = 8;
const EVENTS_CAP = 10;

interface Statement {
  label: string;
  raw: Record<string, unknown>;
  effect: string | undefined;
}

/** The endpoint policy is valid and grants the access clients need (the full-access default passes). */
export const endpointPolicy: Check = {
  id: "endpoint-policy",
  title: "Endpoint policy allows the requests clients make",
  appliesTo: "any",
  needs: [],
  docs: "https://docs.aws.amazon.com/vpc/latest/privatelink/",
  run(snapshot) {
    const skipped = skipWithoutEndpoint(snapshot);
    if (skipped) return skipped;
    const endpoint = snapshot.endpoint!;
    if (snapshot.service?.policySupported === false) {
      return {
        status: "skip",
        summary: `${endpoint.serviceName} does not support endpoint policies: ${endpoint.id} allows full access`,
        findings: [],
      };
    }
    const document = endpoint.policyDocument;
    if (document === undefined || document.trim() === "") {
      return { status: "skip", summary: `${endpoint.id} has no endpoint policy document`, findings: [] };
    }

    const failures: Finding[] = [];
    const warnings: Finding[] = [];
    const notes: Finding[] = [];
    const base = `aws ec2 modify-vpc-endpoint --region ${snapshot.region} --vpc-endpoint-id ${endpoint.id}`;
    const replace = `${base} --policy-document file://policy.json`;
    const reset = `${base} --reset-policy`;
    const finding = (
      severity: Finding["severity"],
      summary: string,
      evidence: string[],
      text: string,
      command = replace,
    ): Finding => ({
      severity,
      summary,
      evidence,
      remediation: { text, command, docs: DOCS },
      resourceIds: [endpoint.id],
    });

    const length = [...document].length;
    if (length > MAX_CHARS) {
      failures.push(
        finding(
          "high",
          `the endpoint policy of ${endpoint.id} is ${length} characters long, over the ${MAX_CHARS}-character limit`,
          [
            `observed: ${length} characters including white space; expected: at most ${MAX_CHARS} (not adjustable)`,
          ],
          "Shorten the policy (merge statements, use wildcards in actions, drop white space) and apply it again.",
        ),
      );
    }

    const parsed = parse(document);
    let fullAccess: Statement | undefined;
    let allows: Statement[] = [];
    if (!parsed.ok) {
      failures.push(
        finding(
          "critical",
          `the endpoint policy of ${endpoint.id} is not valid JSON`,
          [`parse error: ${parsed.error}`, `document starts: ${document.slice(0, 120)}`],
          "Write a valid JSON policy document (or reset the policy to the full-access default with --reset-policy) and apply it.",
          reset,
        ),
      );
    } else {
      const statements = statementsOf(parsed.value);
      if (statements === undefined) {
        failures.push(
          finding(
            "critical",
            `the endpoint policy of ${endpoint.id} has no Statement`,
            ["observed: no Statement element (object or array of objects); expected: at least one statement"],
            "Write a policy with at least one Allow statement that names a Principal, or reset it with --reset-policy.",
            reset,
          ),
        );
      } else {
        const invalid = statements.flatMap((s) => problemsOf(s).map((p) => `${s.label}: ${p}`));
        if (invalid.length > 0) {
          failures.push(
            finding(
              "critical",
              `the endpoint policy of ${endpoint.id} is invalid: ${invalid[0]}`,
              [...invalid, `statements: ${statements.map((s) => `${s.label}: ${describe(s)}`).join(" | ")}`],
              'Every statement needs Effect Allow or Deny, a Principal (use "*" and narrow with aws:PrincipalArn conditions) and an Action; fix the document and apply it.',
            ),
          );
        }
        for (const deny of statements.filter((s) => s.effect === "deny")) {
          failures.push(
            finding(
              "high",
              `the endpoint policy of ${endpoint.id} denies ${describe(deny).replace(/^Deny /, "")}`,
              [
                `${deny.label}: ${describe(deny)}`,
                "an explicit Deny in the endpoint policy refuses matching requests whatever identity or resource policies allow",
                ...conditionNotes(deny, endpoint),
              ],
              "Remove or narrow the Deny statement if these requests must pass, then apply the policy.",
            ),
          );
        }
        allows = statements.filter((s) => s.effect === "allow");
        fullAccess = allows.find((s) => isFullAccess(s.raw));
        if (allows.length === 0) {
          failures.push(
            finding(
              "critical",
              `the endpoint policy of ${endpoint.id} has no Allow statement: every request through it is denied`,
              [`statements: ${statements.map((s) => `${s.label}: ${describe(s)}`).join(" | ")}`],
              "Add an Allow statement for what clients need, or reset the policy to the full-access default with --reset-policy.",
              reset,
            ),
          );
        } else if (!fullAccess) {
          warnings.push(
            finding(
              "medium",
              `the endpoint policy of ${endpoint.id} only allows ${allows.map((s) => describe(s).replace(/^Allow /, "")).join("; ")}`,
              [
                ...allows.map((s) => `${s.label}: ${describe(s)}`),
                "a request outside these statements is denied by the endpoint policy (implicit deny)",
                ...allows.flatMap((s) => conditionNotes(s, endpoint)),
              ],
              "If a client's request is denied, widen the Allow statement that should cover it (principal, action, resource or condition), or reset the policy to the full-access default with --reset-policy.",
            ),
          );
        }
      }
    }

    // CloudTrail: requests denied through this endpoint.
    const trailGaps = gapsFor(snapshot, "cloudTrail");
    const window = `${snapshot.window.hours} h`;
    let trailRead = false;
    if (trailGaps.length > 0 || !snapshot.cloudTrail) {
      notes.push({
        severity: "info",
        summary: `CloudTrail denials for ${endpoint.id} could not be read: requests denied by the policy would not show here`,
        evidence:
          trailGaps.length > 0 ? trailGaps.map(describeGap) : ["CloudTrail events were not collected"],
        resourceIds: [endpoint.id],
      });
    } else {
      trailRead = true;
      const trail = snapshot.cloudTrail;
      const through = trail.accessDenied.filter(
        (e) => e.vpcEndpointId?.toLowerCase() === endpoint.id.toLowerCase(),
      );
      const byPolicy = through.filter((e) => /vpc endpoint policy|vpce policy/i.test(e.errorMessage ?? ""));
      const other = through.filter(
        (e) => !byPolicy.includes(e) && /^accessdenied|unauthorizedoperation$/i.test(e.errorCode ?? ""),
      );
      const truncated = trail.truncated
        ? [`CloudTrail reader stopped early after ${trail.scannedEvents} events: there may be more`]
        : [];
      if (byPolicy.length > 0) {
        failures.push(
          finding(
            "high",
            `CloudTrail shows ${byPolicy.length} request${byPolicy.length === 1 ? "" : "s"} denied by the endpoint policy of ${endpoint.id} in the last ${window}`,
            [...eventLines(byPolicy), ...truncated],
            "Allow these principals and actions in the endpoint policy (or remove the Deny that matches them), then apply it.",
          ),
        );
      }
      if (other.length > 0) {
        const summary = `CloudTrail shows ${other.length} AccessDenied request${other.length === 1 ? "" : "s"} through ${endpoint.id} in the last ${window}`;
        if (fullAccess && byPolicy.length === 0) {
          warnings.push(
            finding(
              "medium",
              `${summary}, but its endpoint policy allows everything: the denial comes from an identity or resource policy`,
              [...eventLines(other), `${fullAccess.label}: ${describe(fullAccess)}`, ...truncated],
              `Look at the caller's IAM policies and the resource policy (for example a bucket policy conditioned on aws:SourceVpce or aws:SourceVpc: through this endpoint they are ${endpoint.id} and ${endpoint.vpcId}).`,
            ),
          );
        } else {
          failures.push(
            finding(
              "high",
              summary,
              [...eventLines(other), ...truncated],
              "Compare each denied request with the endpoint policy's Allow statements; allow what clients need, then apply the policy.",
            ),
          );
        }
      }
      if (through.length === 0 && trail.truncated) {
        notes.push({
          severity: "info",
          summary: `the CloudTrail reader stopped early: denials through ${endpoint.id} may have been missed`,
          evidence: truncated,
          resourceIds: [endpoint.id],
        });
      }
    }

    if (failures.length > 0) {
      return {
        status: "fail",
        summary: failures[0]!.summary,
        findings: [...failures, ...warnings, ...notes],
      };
    }
    if (warnings.length > 0) {
      return { status: "warn", summary: warnings[0]!.summary, findings: [...warnings, ...notes] };
    }
    const trailNote = trailRead
      ? `, and CloudTrail shows no request denied through it in the last ${window}`
      : " (CloudTrail denials could not be read)";
    return {
      status: "pass",
      summary: `the endpoint policy of ${endpoint.id} grants full access (${fullAccess ? describe(fullAccess) : "Allow * on * for *"})${trailNote}`,
      findings: notes,
    };
  },
};

function parse(document: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(document) };
  } catch (error) {
    // Some APIs return policies URL-encoded; accept that form too.
    try {
      if (document.trim().startsWith("%7B"))
        return { ok: true, value: JSON.parse(decodeURIComponent(document)) };
    } catch {
      // fall through to the original error
    }
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function statementsOf(policy: unknown): Statement[] | undefined {
  if (!isObject(policy)) return undefined;
  const raw = policy.Statement;
  const list = Array.isArray(raw) ? raw : isObject(raw) ? [raw] : undefined;
  if (!list || list.length === 0 || !list.every(isObject)) return undefined;
  return list.map((s, i) => ({
    label: typeof s.Sid === "string" && s.Sid !== "" ? `statement ${s.Sid}` : `statement #${i + 1}`,
    raw: s,
    effect: typeof s.Effect === "string" ? s.Effect.toLowerCase() : undefined,
  }));
}

function problemsOf(s: Statement): string[] {
  const problems: string[] = [];
  if (s.effect !== "allow" && s.effect !== "deny") {
    problems.push(`Effect must be Allow or Deny (found ${JSON.stringify(s.raw.Effect ?? null)})`);
  }
  if (s.raw.Principal === undefined && s.raw.NotPrincipal === undefined) {
    problems.push("names no Principal (an endpoint policy must name one)");
  }
  if (s.raw.Action === undefined && s.raw.NotAction === undefined) problems.push("names no Action");
  return problems;
}

function values(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
  return [typeof value === "string" ? value : JSON.stringify(value)];
}

function isWildcard(value: unknown): boolean {
  return values(value).includes("*");
}

function isAnyPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  if (!isObject(principal)) return false;
  const keys = Object.keys(principal);
  return keys.length === 1 && keys[0] === "AWS" && isWildcard(principal.AWS);
}

function hasConditions(raw: Record<string, unknown>): boolean {
  return isObject(raw.Condition) && Object.keys(raw.Condition).length > 0;
}

function isFullAccess(raw: Record<string, unknown>): boolean {
  return (
    raw.NotPrincipal === undefined &&
    raw.NotAction === undefined &&
    raw.NotResource === undefined &&
    isAnyPrincipal(raw.Principal) &&
    isWildcard(raw.Action) &&
    isWildcard(raw.Resource) &&
    !hasConditions(raw)
  );
}

function list(items: string[]): string {
  if (items.length === 0) return "(none)";
  const shown = items.slice(0, LIST_CAP).join(", ");
  return items.length > LIST_CAP ? `${shown} ...and ${items.length - LIST_CAP} more` : shown;
}

function principals(principal: unknown): string {
  if (isAnyPrincipal(principal)) return "*";
  if (!isObject(principal)) return list(values(principal));
  return Object.entries(principal)
    .map(([kind, v]) => `${kind} ${list(values(v))}`)
    .join("; ");
}

function conditions(raw: Record<string, unknown>): string {
  if (!isObject(raw.Condition)) return "";
  const parts: string[] = [];
  for (const [operator, block] of Object.entries(raw.Condition)) {
    if (!isObject(block)) {
      parts.push(`${operator} ${JSON.stringify(block)}`);
      continue;
    }
    for (const [key, v] of Object.entries(block)) parts.push(`${operator} ${key} = ${values(v).join(" | ")}`);
  }
  return parts.join("; ");
}

/** "Allow s3:GetObject on arn:aws:s3:::my-bucket/* for * when StringEquals aws:SourceVpc = vpc-1". */
function describe(s: Statement): string {
  const r = s.raw;
  const effect = typeof r.Effect === "string" ? r.Effect : "(no Effect)";
  const action =
    r.NotAction !== undefined ? `every action except ${list(values(r.NotAction))}` : list(values(r.Action));
  const resource =
    r.NotResource !== undefined
      ? `every resource except ${list(values(r.NotResource))}`
      : r.Resource === undefined
        ? "(no Resource)"
        : list(values(r.Resource));
  const principal =
    r.NotPrincipal !== undefined
      ? `everyone except ${principals(r.NotPrincipal)}`
      : r.Principal === undefined
        ? "(no Principal)"
        : principals(r.Principal);
  const when = conditions(r);
  return `${effect} ${action} on ${resource} for ${principal}${when ? ` when ${when}` : ""}`;
}

/** Known traps in conditions seen through an endpoint. */
function conditionNotes(s: Statement, endpoint: Endpoint): string[] {
  if (!isObject(s.raw.Condition)) return [];
  const notes: string[] = [];
  for (const block of Object.values(s.raw.Condition)) {
    if (!isObject(block)) continue;
    for (const [key, v] of Object.entries(block)) {
      const name = key.toLowerCase();
      if (name === "aws:sourcevpc") {
        const vpcs = values(v);
        const matches = vpcs.some((vpc) => vpc.toLowerCase() === endpoint.vpcId.toLowerCase());
        notes.push(
          `${s.label} uses aws:SourceVpc (${vpcs.join(", ")}): through ${endpoint.id} it is always ${endpoint.vpcId}, the endpoint's VPC, not the client's; with centralised (hub) endpoints or after a network re-design it no longer names the spoke VPCs${matches ? "" : ` (${endpoint.vpcId} is not among the values)`}`,
        );
      } else if (name === "aws:sourceip") {
        notes.push(
          `${s.label} uses aws:SourceIp: requests through a VPC endpoint carry no aws:SourceIp, so the condition never matches them; use aws:VpcSourceIp, aws:SourceVpce or aws:SourceVpc`,
        );
      }
    }
  }
  return notes;
}

function eventLines(events: TrailEvent[]): string[] {
  const lines = events.slice(0, EVENTS_CAP).map((e) => {
    const who = e.principalArn ?? e.username ?? "unknown principal";
    const what = `${e.eventSource ? `${e.eventSource} ` : ""}${e.eventName}`;
    const from = e.sourceIp ? ` from ${e.sourceIp}` : "";
    return `${e.eventTime} ${who}${from}: ${what} -> ${e.errorCode ?? "error"}${e.errorMessage ? `: ${e.errorMessage}` : ""}`;
  });
  if (events.length > EVENTS_CAP) lines.push(`...and ${events.length - EVENTS_CAP} more`);
  return lines;
}
