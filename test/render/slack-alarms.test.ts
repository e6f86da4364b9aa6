import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSnapshot } from "../../src/diagnosis/load-snapshot.js";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";
import {
  type AlarmFacts,
  alarmInsufficientNote,
  alarmLead,
  alarmTrigger,
  renderAlarmNoEndpoint,
  renderRerunReply,
  renderRoot,
  userMention,
} from "../../src/render/slack.js";
import type { SlackMessage } from "../../src/render/slack-types.js";
import { assertWithinSlackLimits, slackTexts } from "../support/slack-limits.js";

// Every message the alarm paths build, with the worst an alarm can carry: Slack's control sequences in every
// string, a 5,000-character reason, a name far over CloudWatch's 255: escaped, and within Slack's limits.

const HOSTILE = "<!channel> <@U0HOSTILE> <#C0HOSTILE> <http://evil.example/|Click> \u001b]0;x\u0007 & >";
const FACTS: AlarmFacts = {
  name: `vpce-x ${HOSTILE}`.repeat(40),
  state: `ALARM ${HOSTILE}`,
  region: `us-east-1 ${HOSTILE}`,
  accountAlias: `prod ${HOSTILE}`,
  reason: `Threshold Crossed ${HOSTILE} `.repeat(80).slice(0, 5_000),
  changedAt: `2026-01-14T09:00:12.718Z> ${HOSTILE}`,
};
const report = diagnoseSnapshot(
  parseSnapshot(
    readFileSync(new URL("../../examples/security-group-blocks-443.json", import.meta.url), "utf8"),
    "example",
  ),
);
const section = (text: string): SlackMessage => ({
  text,
  blocks: [{ type: "section", text: { type: "mrkdwn", text } }],
});

const messages: Array<[string, SlackMessage]> = [
  ["no endpoint", renderAlarmNoEndpoint(FACTS)],
  ["insufficient-data note", section(alarmInsufficientNote(FACTS))],
  [
    "root triggered by the alarm",
    renderRoot(report, {
      reportId: "r1",
      requestKey: "k1",
      trigger: alarmTrigger(FACTS),
      startedAt: 1_795_435_200,
    }),
  ],
  [
    "fired again",
    renderRerunReply(report, report, { userId: "alarm:x", kind: "alarm", lead: alarmLead(FACTS, "again") }),
  ],
  [
    "recovered",
    renderRerunReply(report, report, {
      userId: "alarm:x",
      kind: "alarm",
      lead: alarmLead(FACTS, "recovered"),
    }),
  ],
];

describe.each(messages)("the alarm message: %s", (_name, message) => {
  it("keeps Slack's limits", () => {
    assertWithinSlackLimits(message);
  });

  it("carries no live sequence, raw control character or unescaped & from the alarm", () => {
    for (const text of slackTexts(message)) {
      expect(text).not.toMatch(/<[!@#](channel|here|U0HOSTILE|C0HOSTILE)|<http:\/\/evil/);
      expect(text).not.toContain("\u001b");
      expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
  });
});

describe("userMention", () => {
  it("mentions a Slack user id and shows anything else as escaped text", () => {
    expect(userMention("U0456")).toBe("<@U0456>");
    expect(userMention("W012ABC")).toBe("<@W012ABC>");
    expect(userMention("alarm:vpce-x <!channel>")).toBe("alarm:vpce-x &lt;!channel&gt;");
  });
});
