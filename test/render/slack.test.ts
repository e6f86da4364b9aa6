import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/diagnosis/check.js";
import { parseSnapshot } from "../../src/diagnosis/load-snapshot.js";
import type { Report } from "../../src/diagnosis/report.js";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";
import {
  ACTION_IDS,
  changesBetween,
  escapeMrkdwn,
  listWithMore,
  problemChecks,
  renderFindingReply,
  renderRerunReply,
  renderRoot,
  SLACK_LIMITS,
  serviceShortName,
  truncate,
} from "../../src/render/slack.js";
import { renderAllChecks as renderPassedReply } from "../../src/render/slack-answers.js";
import type { Block, ButtonElement, SlackMessage } from "../../src/render/slack-types.js";
import { assertWithinSlackLimits, slackLimitProblems, slackTexts } from "../support/slack-limits.js";

const EXAMPLES = new URL("../../examples/", import.meta.url);
const examples = readdirSync(EXAMPLES)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .map((name) => ({ name, report: load(name) }));

const ROOT_CTX = {
  reportId: "rpt-01HZX3Q4",
  requestKey: "req-7f3a9c",
  trigger: "<@U0456> via /vpce",
  startedAt: 1_795_435_200,
};
const FINDING_CTX = { reportId: ROOT_CTX.reportId, requestKey: ROOT_CTX.requestKey, expanded: false };

function load(name: string): Report {
  return diagnoseSnapshot(parseSnapshot(readFileSync(new URL(name, EXAMPLES), "utf8"), name));
}

function example(name: string): Report {
  return structuredClone(examples.find((e) => e.name === name)!.report);
}

function actionsBlock(message: SlackMessage): Extract<Block, { type: "actions" }> {
  const block = message.blocks.find((b) => b.type === "actions");
  if (block?.type !== "actions") throw new Error("no actions block");
  return block;
}

function buttons(message: SlackMessage): ButtonElement[] {
  return message.blocks.flatMap((block) =>
    block.type === "actions"
      ? block.elements
      : block.type === "section" && block.accessory
        ? [block.accessory]
        : [],
  );
}

function allText(message: SlackMessage): string {
  return slackTexts(message).join("\n");
}

/** Every `<` the renderer may write itself: a user mention, a date token, an https link with a label. */
const OWN_TOKENS = /<(@[A-Z0-9]+|!date\^\d+\^[^|<>]*\|[^<>]*|https:\/\/[^\s<>|]+\|[^<>]+)>/g;

function failingCheck(index: number, findings: CheckResult["findings"] = []): CheckResult {
  return {
    id: `check-${String(index).padStart(2, "0")}`,
    title: `Synthetic check number ${index}`,
    status: "fail",
    summary: `synthetic failure ${index}: ${"x".repeat(400)}`,
    findings,
  };
}

describe("examples", () => {
  it("finds the examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
  });

  describe.each(examples)("$name", ({ name }) => {
    it("renders the root within limits, naming the endpoint, the cause and the buttons", () => {
      const report = example(name);
      const message = renderRoot(report, ROOT_CTX);
      assertWithinSlackLimits(message);
      expect(message.text).toContain(report.endpointId);
      expect(message.text).toContain(report.verdict.status);
      expect(message.blocks[0]).toMatchObject({ type: "header" });
      if (report.verdict.cause && report.verdict.status === "broken") {
        expect(allText(message)).toContain(`*${report.verdict.cause}*`);
        expect(message.text).toContain(report.verdict.cause);
      }
      const actions = actionsBlock(message);
      expect(actions.block_id).toBe(ROOT_CTX.requestKey);
      expect(actions.elements.map((b) => [b.action_id, b.text.text, b.value])).toEqual([
        [ACTION_IDS.rerun, "Rerun", ROOT_CTX.reportId],
        [ACTION_IDS.extend, "Extend to 24 h", ROOT_CTX.reportId],
        [ACTION_IDS.export, "Export snapshot", ROOT_CTX.reportId],
        [ACTION_IDS.allChecks, "Show all checks", ROOT_CTX.reportId],
      ]);
      expect(actions.elements[0]!.style).toBe("primary");
    });

    it("renders every finding reply within limits, collapsed and expanded", () => {
      const report = example(name);
      for (const check of problemChecks(report)) {
        for (const expanded of [false, true]) {
          const message = renderFindingReply(report, check, { ...FINDING_CTX, expanded });
          assertWithinSlackLimits(message);
          expect(message.text).toContain(report.endpointId);
          expect(message.text).toContain(check.id);
          const head = message.blocks[0]!;
          expect(head).toMatchObject({ type: "section", block_id: ROOT_CTX.requestKey });
          expect(buttons(message)).toEqual([
            expect.objectContaining({
              action_id: `${ACTION_IDS.toggle}:${expanded ? "hide" : "show"}:${check.id}`,
              value: ROOT_CTX.reportId,
              text: expect.objectContaining({ text: expanded ? "Hide" : "Show details" }),
            }),
          ]);
          if (!expanded) expect(message.blocks).toHaveLength(1);
        }
      }
    });

    it("renders the passed reply within limits", () => {
      const report = example(name);
      const message = renderPassedReply(report);
      assertWithinSlackLimits(message);
      expect(message.text).toContain(report.endpointId);
      for (const check of report.checks.filter((c) => c.status === "pass" || c.status === "skip")) {
        expect(allText(message)).toContain(`*${check.id}*`);
      }
    });

    it("renders a rerun reply against the healthy example within limits", () => {
      const before = example(name);
      const after = example(name.includes("gateway") ? "healthy-gateway.json" : "healthy-interface.json");
      for (const kind of ["rerun", "extend", "expired"] as const) {
        const message = renderRerunReply(before, after, { userId: "U0456", kind });
        assertWithinSlackLimits(message);
        expect(message.text).toContain(after.endpointId);
      }
      const message = renderRerunReply(before, after, { userId: "U0456", kind: "rerun" });
      const fixed = problemChecks(before)
        .filter((c) => c.status === "fail")
        .map((c) => c.id);
      expect(allText(message)).toContain(
        fixed.length > 0
          ? `Rerun by <@U0456>: fixed ${fixed.join(", ")}`
          : "Rerun by <@U0456>: nothing changed",
      );
    });
  });
});

describe("renderRoot", () => {
  it("matches the snapshot of a broken example", () => {
    expect(renderRoot(example("security-group-blocks-443.json"), ROOT_CTX)).toMatchSnapshot();
  });

  it("matches the snapshot of a healthy example", () => {
    expect(renderRoot(example("healthy-interface.json"), ROOT_CTX)).toMatchSnapshot();
  });

  it("leads the notification with the status, the endpoint, where, the verdict and the cause", () => {
    const message = renderRoot(example("security-group-blocks-443.json"), ROOT_CTX);
    expect(message.text).toMatch(
      /^🔴 vpce-0a1b2c3d4e5f60718 \(ssm, us-east-1, prod\): broken — security-groups: Security group sg-0e0e0e0e0e0e0e0e1 /,
    );
    expect(message.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "🔴 vpce-0a1b2c3d4e5f60718 · ssm · us-east-1 · prod", emoji: true },
    });
  });

  it("counts the checks by status and names the problem checks", () => {
    const text = allText(renderRoot(example("security-group-blocks-443.json"), ROOT_CTX));
    expect(text).toMatch(
      /🔴 3 failing: security-groups, flow-logs, recent-changes · ✅ \d+ passed · ➖ \d+ skipped/,
    );
  });

  it("says who triggered it, when, how long it took and how many AWS calls it made", () => {
    const text = allText(renderRoot(example("security-group-blocks-443.json"), ROOT_CTX));
    expect(text).toContain(
      "<@U0456> via /vpce · <!date^1795435200^{date_short_pretty} {time}|2026-11-23T12:00:00Z> · took 0.9 s · 17 AWS calls · window 1 h",
    );
  });

  it("says no cause was found, with the next steps, when healthy", () => {
    const text = allText(renderRoot(example("healthy-interface.json"), ROOT_CTX));
    expect(text).toContain("No cause found in the last 1 h");
    expect(text).toContain("• Extend the window to 24 h");
    expect(text).toContain("dig +short ssm.us-east-1.amazonaws.com");
    expect(text).not.toMatch(/NLB/);
    expect(text).toMatch(/\*Ruled out:\* endpoint-exists, /);
  });

  it("names what could not be read when the verdict is unknown", () => {
    const report = example("permissions-missing.json");
    const text = allText(renderRoot(report, ROOT_CTX));
    expect(report.verdict.status).toBe("unknown");
    expect(text).toContain("*Could not read*");
    expect(text).toContain(report.gaps[0]!.iamAction);
  });

  it("omits Extend when the window is already 24 h", () => {
    const report = example("security-group-blocks-443.json");
    report.window.hours = 24;
    const message = renderRoot(report, ROOT_CTX);
    assertWithinSlackLimits(message);
    expect(actionsBlock(message).elements.map((b) => b.action_id)).toEqual([
      ACTION_IDS.rerun,
      ACTION_IDS.export,
      ACTION_IDS.allChecks,
    ]);
  });

  it("shows Rerunning… while busy, keeping the buttons", () => {
    const message = renderRoot(example("healthy-interface.json"), { ...ROOT_CTX, busy: "rerunning" });
    assertWithinSlackLimits(message);
    expect(allText(message)).toContain("Rerunning…");
    expect(actionsBlock(message).block_id).toBe(ROOT_CTX.requestKey);
    expect(allText(renderRoot(example("healthy-interface.json"), ROOT_CTX))).not.toContain("Rerunning");
  });

  it("prefers the account alias from the context and keeps the header within 150 characters", () => {
    const message = renderRoot(example("healthy-interface.json"), {
      ...ROOT_CTX,
      accountAlias: "a".repeat(400),
    });
    assertWithinSlackLimits(message);
    const header = message.blocks[0]!;
    expect(header.type === "header" && header.text.text).toMatch(
      /^✅ vpce-0a1b2c3d4e5f60718 · ssm · us-east-1 · a+…$/,
    );
  });

  it("names a custom service by its vpce-svc id and omits the service when the endpoint does not exist", () => {
    expect(renderRoot(example("pending-acceptance.json"), ROOT_CTX).text).toMatch(
      /^🔴 vpce-0a1b2c3d4e5f60718 \(vpce-svc-0f9e8d7c6b5a43210, us-east-1, prod\)/,
    );
    expect(renderRoot(example("endpoint-not-found.json"), ROOT_CTX).text).toMatch(
      /^🔴 vpce-0a1b2c3d4e5f60781 \(us-east-1, prod\): broken — endpoint-exists: /,
    );
  });
});

describe("renderFindingReply", () => {
  const report = example("security-group-blocks-443.json");
  const check = report.checks.find((c) => c.id === "security-groups")!;

  it("collapsed: one section with the status, the check, its summary and Show details", () => {
    const message = renderFindingReply(report, check, FINDING_CTX);
    expect(message.blocks).toEqual([
      {
        type: "section",
        block_id: ROOT_CTX.requestKey,
        text: { type: "mrkdwn", text: `🔴 *security-groups* — ${check.summary}` },
        accessory: {
          type: "button",
          action_id: `${ACTION_IDS.toggle}:show:security-groups`,
          text: { type: "plain_text", text: "Show details", emoji: true },
          value: ROOT_CTX.reportId,
        },
      },
    ]);
  });

  it("expanded: severity, evidence bullets, the fix, the command in a code block and the docs link", () => {
    const message = renderFindingReply(report, check, { ...FINDING_CTX, expanded: true });
    const text = allText(message);
    expect(text).toContain(`*[critical]* ${check.findings[0]!.summary}`);
    expect(text).toContain(
      "• observed sg-0e0e0e0e0e0e0e0e1 ingress: sgr-0000000000000001: tcp/443 from 10.1.0.0/16",
    );
    expect(text).toContain("*Fix:* Add an ingress rule to sg-0e0e0e0e0e0e0e0e1");
    expect(text).toContain(
      "```aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-0e0e0e0e0e0e0e0e1",
    );
    expect(text).toContain(
      "<https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html|Documentation>",
    );
    expect(buttons(message)[0]!.text.text).toBe("Hide");
  });

  it("cuts 200 evidence lines with ...and N more", () => {
    const big = structuredClone(report);
    const target = big.checks.find((c) => c.id === "security-groups")!;
    target.findings[0]!.evidence = Array.from(
      { length: 200 },
      (_, i) => `evidence line ${i}: ${"e".repeat(80)}`,
    );
    const message = renderFindingReply(big, target, { ...FINDING_CTX, expanded: true });
    assertWithinSlackLimits(message);
    expect(allText(message)).toContain("evidence line 0:");
    expect(allText(message)).toMatch(/\.\.\.and \d+ more/);
    expect(allText(message)).not.toContain("evidence line 199:");
  });

  it("cuts a 10,000-character command and says so", () => {
    const big = structuredClone(report);
    const target = big.checks.find((c) => c.id === "security-groups")!;
    target.findings[0]!.remediation!.command = `aws ec2 run --x ${"y".repeat(10_000)}`;
    const message = renderFindingReply(big, target, { ...FINDING_CTX, expanded: true });
    assertWithinSlackLimits(message);
    expect(allText(message)).toMatch(/\.\.\.and \d+ more characters: the command is cut/);
    expect(allText(message)).toMatch(/```aws ec2 run --x y+```/);
  });

  it("keeps many long findings under the JSON budget, ending with ...and N more", () => {
    const big = structuredClone(report);
    const target = big.checks.find((c) => c.id === "security-groups")!;
    target.findings = Array.from({ length: 60 }, (_, i) => ({
      severity: "high" as const,
      summary: `finding ${i} "quoted" ${"s".repeat(300)}`,
      evidence: Array.from({ length: 30 }, (_, j) => `evidence ${i}.${j} ${"q".repeat(400)}`),
      remediation: {
        text: "fix it",
        command: `aws ec2 fix --n ${i} ${"c".repeat(2_500)}`,
        docs: "https://docs.aws.amazon.com/x",
      },
    }));
    const message = renderFindingReply(big, target, { ...FINDING_CTX, expanded: true });
    assertWithinSlackLimits(message);
    expect(message.blocks.at(-1)).toMatchObject({ type: "context" });
    expect(allText(message)).toMatch(/_\.\.\.and \d+ more_$/);
    expect(JSON.stringify(message.blocks).length).toBeGreaterThan(SLACK_LIMITS.blocksJson * 0.8);
  });

  it("says so when a check has no findings", () => {
    const empty: CheckResult = { ...check, findings: [] };
    const message = renderFindingReply(report, empty, { ...FINDING_CTX, expanded: true });
    assertWithinSlackLimits(message);
    expect(allText(message)).toContain("No further details.");
  });

  it("renders a docs value that is not an https URL as text, not as a link", () => {
    const odd = structuredClone(check);
    odd.findings[0]!.remediation!.docs = "javascript:alert(1)|x";
    const text = allText(renderFindingReply(report, odd, { ...FINDING_CTX, expanded: true }));
    expect(text).toContain("Docs: javascript:alert(1)|x");
  });
});

describe("renderAllChecks (Show all checks, to the clicker alone)", () => {
  it("lists every check with its status and summary, in registry order", () => {
    const message = renderPassedReply(example("security-group-blocks-443.json"));
    const text = allText(message);
    expect(message.text).toBe("All checks on vpce-0a1b2c3d4e5f60718");
    expect(text).toContain("✅ *endpoint-exists* — vpce-0a1b2c3d4e5f60718 exists");
    expect(text).toContain("➖ *gateway-routes* — vpce-0a1b2c3d4e5f60718 is an Interface endpoint");
    expect(text).toContain("🔴 *security-groups* — ");
  });

  it("cuts 60 long passed checks with ...and N more", () => {
    const report = example("healthy-interface.json");
    report.checks = Array.from({ length: 60 }, (_, i) => ({ ...failingCheck(i), status: "pass" as const }));
    const message = renderPassedReply(report);
    assertWithinSlackLimits(message);
    expect(allText(message)).toMatch(/_\.\.\.and \d+ more_$/);
  });
});

describe("renderRerunReply", () => {
  const broken = example("security-group-blocks-443.json");
  const healthy = example("healthy-interface.json");
  const nacl = example("nacl-denies-ephemeral-replies.json");

  it("says what was fixed, what still fails and what is new, then the new verdict", () => {
    const changes = changesBetween(broken, nacl);
    expect(changes).toEqual({
      fixed: ["security-groups"],
      still: expect.arrayContaining(["recent-changes"]),
      added: expect.arrayContaining(["network-acls"]),
    });
    const message = renderRerunReply(broken, nacl, { userId: "U0456", kind: "rerun" });
    assertWithinSlackLimits(message);
    const first = message.blocks[0]!;
    expect(first.type === "section" && first.text?.text).toBe(
      `Rerun by <@U0456>: fixed security-groups; still failing ${changes.still.join(", ")}; new ${changes.added.join(", ")}`,
    );
    expect(allText(message)).toContain("Now 🔴 *broken* — *network-acls*: ");
  });

  it("says nothing changed when nothing did", () => {
    const message = renderRerunReply(healthy, healthy, { userId: "U0456", kind: "rerun" });
    expect(allText(message)).toContain("Rerun by <@U0456>: nothing changed");
    expect(allText(message)).toContain("Now ✅ *healthy* — No cause found in the last 1 h");
  });

  it("names the extension to 24 h", () => {
    const after = structuredClone(healthy);
    after.window.hours = 24;
    const message = renderRerunReply(broken, after, { userId: "U0456", kind: "extend" });
    expect(allText(message)).toContain(
      "Extended to 24 h by <@U0456>: fixed security-groups, flow-logs, recent-changes",
    );
  });

  it("explains an expired report, with or without the old one", () => {
    const without = renderRerunReply(undefined, broken, { userId: "U0456", kind: "expired" });
    assertWithinSlackLimits(without);
    expect(allText(without)).toContain(
      "This report was no longer in memory, so it was run again: now failing security-groups, flow-logs, recent-changes",
    );
    const healthyAgain = renderRerunReply(undefined, healthy, { userId: "U0456", kind: "expired" });
    expect(allText(healthyAgain)).toContain("so it was run again: nothing failing");
    const withBefore = renderRerunReply(broken, healthy, { userId: "U0456", kind: "expired" });
    expect(allText(withBefore)).toContain("so it was run again: fixed security-groups");
  });
});

describe("a report with 40 failing checks", () => {
  const report = example("security-group-blocks-443.json");
  report.checks = Array.from({ length: 40 }, (_, i) =>
    failingCheck(i, [
      {
        severity: "critical",
        summary: `finding ${i}`,
        evidence: [`evidence ${i}`],
        remediation: { text: "fix" },
      },
    ]),
  );
  report.verdict = { status: "broken", cause: "check-00", summary: report.checks[0]!.summary, nextSteps: [] };

  it("stays within limits everywhere, cutting lists with ...and N more", () => {
    const root = renderRoot(report, ROOT_CTX);
    assertWithinSlackLimits(root);
    expect(allText(root)).toContain(
      "🔴 40 failing: check-00, check-01, check-02, check-03, check-04, ...and 35 more",
    );
    expect(problemChecks(report)).toHaveLength(40);
    for (const check of problemChecks(report)) {
      assertWithinSlackLimits(renderFindingReply(report, check, { ...FINDING_CTX, expanded: true }));
    }
    assertWithinSlackLimits(renderPassedReply(report));
    const rerun = renderRerunReply(report, example("healthy-interface.json"), {
      userId: "U0456",
      kind: "rerun",
    });
    assertWithinSlackLimits(rerun);
    expect(allText(rerun)).toMatch(/fixed check-00, .*check-09, \.\.\.and 30 more/);
  });
});

describe("text that came from AWS", () => {
  const EVIL = "<!channel> <https://evil|click> &amp;";

  function hostile(): Report {
    const report = example("security-group-blocks-443.json");
    report.endpointId = `vpce-0a1b2c3d4e5f60718${EVIL}`;
    report.serviceName = `com.amazonaws.us-east-1.${EVIL}`;
    report.region = `us-east-1${EVIL}`;
    report.account.alias = `prod${EVIL}`;
    report.verdict.summary = `verdict ${EVIL}`;
    report.verdict.cause = `security-groups${EVIL}`;
    report.verdict.nextSteps = [`step ${EVIL}`];
    report.gaps = [{ source: EVIL, iamAction: `ec2:Describe${EVIL}`, error: EVIL, message: EVIL }];
    for (const check of report.checks) {
      check.id = `${check.id}${EVIL}`;
      check.title = `${check.title}${EVIL}`;
      check.summary = `${check.summary}${EVIL}`;
      for (const finding of check.findings) {
        finding.summary = `${finding.summary}${EVIL}`;
        finding.evidence.push(EVIL);
        finding.remediation = {
          text: `fix ${EVIL}`,
          command: `aws ec2 x ${EVIL}`,
          docs: `https://docs${EVIL}`,
        };
      }
    }
    return report;
  }

  function rendered(report: Report): SlackMessage[] {
    const unknownReport = { ...report, verdict: { ...report.verdict, status: "unknown" as const } };
    return [
      renderRoot(report, ROOT_CTX),
      renderRoot(unknownReport, ROOT_CTX),
      renderPassedReply(report),
      renderRerunReply(report, report, { userId: "U0456", kind: "rerun" }),
      renderRerunReply(example("healthy-interface.json"), report, { userId: "U0456", kind: "extend" }),
      ...problemChecks(report).flatMap((check) => [
        renderFindingReply(report, check, FINDING_CTX),
        renderFindingReply(report, check, { ...FINDING_CTX, expanded: true }),
      ]),
    ];
  }

  it("is escaped everywhere: no raw < from AWS reaches any text field", () => {
    const messages = rendered(hostile());
    expect(messages.length).toBeGreaterThan(5);
    for (const message of messages) {
      assertWithinSlackLimits(message);
      for (const text of slackTexts(message)) {
        expect(text).not.toContain("<!channel>");
        expect(text).not.toContain("<https://evil");
        expect(text.replace(OWN_TOKENS, "")).not.toMatch(/[<>]/);
      }
    }
    const everything = messages.map(allText).join("\n");
    expect(everything).toContain("&lt;!channel&gt; &lt;https://evil|click&gt; &amp;amp;");
  });

  it("cannot break out of a notification line with newlines or control characters", () => {
    const report = example("security-group-blocks-443.json");
    report.verdict.summary = "line one\nline two\u0007\u001b[2J";
    const message = renderRoot(report, ROOT_CTX);
    for (const control of ["\n", "\u0007", "\u001b"]) expect(message.text).not.toContain(control);
    expect(message.text).toContain("line one line two??[2J");
  });
});

describe("helpers", () => {
  it("escapeMrkdwn escapes Slack's three characters, & first", () => {
    expect(escapeMrkdwn("a & b < c > d &amp;")).toBe("a &amp; b &lt; c &gt; d &amp;amp;");
    expect(escapeMrkdwn("*bold* _it_")).toBe("*bold* _it_");
  });

  it("truncate keeps short text and cuts long text with …, never inside an entity, a token or an emoji", () => {
    expect(truncate("short", 10)).toBe("short");
    expect(truncate("abcdefghij", 5)).toBe("abcd…");
    expect(truncate("abc &amp; def", 7)).toBe("abc …");
    expect(truncate("see <@U0456> now", 8)).toBe("see …");
    expect(truncate("ab🔴cd", 4)).toBe("ab…");
    expect(truncate("abc", 0)).toBe("");
  });

  it("listWithMore lists items and ends with ...and N more when cut", () => {
    expect(listWithMore(["a", "b"], 3)).toEqual(["a", "b"]);
    expect(listWithMore(["a", "b", "c", "d"], 2)).toEqual(["a", "b", "...and 2 more"]);
  });

  it("problemChecks puts fail before warn before unknown, registry order within a status", () => {
    const report = example("aws-health-event.json");
    const statuses = ["unknown", "warn", "fail", "pass", "warn", "fail"] as const;
    report.checks = statuses.map((status, i) => ({ ...failingCheck(i), status }));
    expect(problemChecks(report).map((c) => `${c.status}:${c.id}`)).toEqual([
      "fail:check-02",
      "fail:check-05",
      "warn:check-01",
      "warn:check-04",
      "unknown:check-00",
    ]);
  });

  it("serviceShortName keeps what follows the region", () => {
    expect(serviceShortName("com.amazonaws.us-east-1.ssm", "us-east-1")).toBe("ssm");
    expect(serviceShortName("com.amazonaws.us-east-1.ecr.dkr", "us-east-1")).toBe("ecr.dkr");
    expect(serviceShortName("com.amazonaws.vpce.us-east-1.vpce-svc-0f9e8d7c6b5a43210", "us-east-1")).toBe(
      "vpce-svc-0f9e8d7c6b5a43210",
    );
    expect(serviceShortName("com.amazonaws.s3-global.accesspoint", "us-east-1")).toBe("accesspoint");
    expect(serviceShortName(undefined, "us-east-1")).toBeUndefined();
  });

  it("SLACK_LIMITS holds Slack's documented numbers", () => {
    expect(SLACK_LIMITS).toMatchObject({
      blocksPerMessage: 50,
      sectionText: 3_000,
      fieldText: 2_000,
      headerText: 150,
      buttonLabel: 75,
      buttonValue: 2_000,
      actionId: 255,
      blockId: 255,
      blocksJson: 12_000,
      fieldsPerSection: 10,
      contextElements: 10,
    });
  });

  it("assertWithinSlackLimits names each broken limit", () => {
    const long = "x".repeat(3_001);
    const bad: SlackMessage = {
      text: "",
      blocks: [
        { type: "header", text: { type: "mrkdwn", text: "h".repeat(151) } },
        { type: "section", block_id: "a", text: { type: "mrkdwn", text: long } },
        { type: "context", block_id: "a", elements: [] },
        {
          type: "actions",
          elements: [
            {
              type: "button",
              action_id: "x",
              text: { type: "plain_text", text: "b".repeat(76) },
              value: "v",
            },
          ],
        },
      ],
    };
    const problems = slackLimitProblems(bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        "text: empty",
        "blocks[0] (header): text: mrkdwn, expected plain_text",
        "blocks[0] (header): text: 151 characters, over 150",
        "blocks[1] (section): text: 3001 characters, over 3000",
        "blocks[2] (context): duplicate block_id a",
        "blocks[2] (context): 0 elements",
        "blocks[3] (actions): elements[0].text: 76 characters, over 75",
      ]),
    );
    expect(() => assertWithinSlackLimits(bad)).toThrow();
  });
});
