import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { addMember, newStorm, type StormState, stormMember } from "../../src/alarms/storm-state.js";
import { parseSnapshot } from "../../src/diagnosis/load-snapshot.js";
import type { Report } from "../../src/diagnosis/report.js";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";
import {
  renderStorm,
  renderStormExport,
  renderStormTable,
  STORM_EXPORT_ACTION,
  stormExportNote,
} from "../../src/render/slack-storm.js";
import { section } from "../../src/render/slack-text.js";
import { assertWithinSlackLimits, slackTexts } from "../support/slack-limits.js";

// A storm's thread: one root table of causes, one reply per cause listing its endpoints, one reply for the healthy
// and unknown ones; every message within Slack's limits and every string from AWS or an alarm escaped, however many
// endpoints and causes, and however hostile their text.

const HOSTILE = "<!channel> <@U0HOSTILE> <#C0HOSTILE> <http://evil.example/|Click> \u001b]0;x\u0007 & >";

function example(name: string): Report {
  const text = readFileSync(new URL(`../../examples/${name}.json`, import.meta.url), "utf8");
  return diagnoseSnapshot(parseSnapshot(text, name));
}

const SG = example("security-group-blocks-443");
const NACL = example("nacl-denies-ephemeral-replies");
const HEALTHY = example("healthy-interface");
const UNKNOWN = example("permissions-missing");

function id(i: number): string {
  return `vpce-0${i.toString(16).padStart(16, "0")}`;
}

/** A storm of `count` endpoints: most behind one security group, some behind a NACL, some healthy or unknown. */
function storm(count: number, where: Partial<StormState> = {}): StormState {
  const state = newStorm({
    id: "C1|111122223333|us-east-1|1",
    channel: "C1",
    accountId: "111122223333",
    accountAlias: "prod",
    region: "us-east-1",
    openedAt: 1_795_435_200_000,
    ...where,
  });
  const reports = [SG, SG, SG, SG, SG, SG, NACL, HEALTHY, UNKNOWN];
  for (let i = 0; i < count; i += 1) {
    const report = reports[i % reports.length]!;
    addMember(state, stormMember({ ...report, endpointId: id(i) }));
  }
  return state;
}

/** A storm where every string AWS or an alarm supplies is hostile, and causes outnumber what a root can show. */
function hostileStorm(): StormState {
  const state = storm(40, { region: `us-east-1 ${HOSTILE}`, accountAlias: `prod ${HOSTILE}` });
  for (let i = 0; i < 60; i += 1) {
    const member = stormMember({ ...SG, endpointId: `vpce-${HOSTILE}-${i}`.repeat(3) });
    const cause = member.cause!;
    cause.key = `hostile-${i}`;
    member.entry.cause = cause.key;
    cause.summary = `${HOSTILE} `.repeat(40);
    cause.resources = [`sg-${HOSTILE}`, `acl-${HOSTILE}`.repeat(20)];
    cause.change = {
      by: HOSTILE.repeat(10),
      at: "2026-01-14T09:00:12Z",
      event: HOSTILE,
      resourceId: HOSTILE,
    };
    cause.fix = { text: HOSTILE.repeat(30), command: `aws ec2 ${HOSTILE}`.repeat(100) };
    addMember(state, member);
  }
  return state;
}

describe("the storm thread", () => {
  it("is one root row per cause with its count, shared resource, CloudTrail change and fix once", () => {
    const root = renderStormTable(storm(200));
    const text = JSON.stringify(root.blocks);
    expect(root.text).toMatch(/^🌩️ 200 endpoints alarming in us-east-1 \/ prod: 2 causes/);
    const rows = root.blocks.flatMap((b) => (b.type === "section" && b.text ? [b.text.text] : []));
    const sgRow = rows.find((row) => /\*134 endpoints\*/.test(row)) ?? "";
    expect(sgRow).toContain("security-groups");
    expect(sgRow).toMatch(/Shared resource: `sg-/);
    expect(sgRow).toMatch(/changed by .* at <!date\^/);
    expect(sgRow).toContain("```aws ec2");
    expect(text.match(/```aws ec2 authorize-security-group-ingress/g)).toHaveLength(1);
    const actions = root.blocks.find((b) => b.type === "actions");
    expect(actions).toMatchObject({
      elements: [{ action_id: STORM_EXPORT_ACTION, value: "C1|111122223333|us-east-1|1" }],
    });
  });

  it("lists each cause's endpoints in one reply, and the healthy and unknown ones in one more", () => {
    const messages = renderStorm(storm(200));
    expect(messages.map((m) => m.key.replace(/\|.*:/, ":"))).toEqual([
      "root",
      "cause:broken:0",
      "cause:broken:0",
      "others:0",
    ]);
    const sgReply = JSON.stringify(messages[1]!.message.blocks);
    expect(sgReply.match(/vpce-0/g)).toHaveLength(134);
    const others = JSON.stringify(messages[3]!.message.blocks);
    expect(others).toContain("✅ *22 healthy* · ❔ *22 unknown*");
    for (let i = 0; i < 200; i += 1)
      expect(messages.some((m) => JSON.stringify(m.message).includes(id(i)))).toBe(true);
  });

  it("splits a cause's endpoints across replies only when one message cannot hold them", () => {
    const keys = renderStorm(storm(1_000)).map((m) => m.key.replace(/\|.*:/, ":"));
    expect(keys.filter((k) => k.startsWith("cause:"))).toEqual([
      "cause:broken:0",
      "cause:broken:1",
      "cause:broken:2",
      "cause:broken:0",
    ]);
  });

  it.each([
    ["a small storm", storm(12)],
    ["200 endpoints", storm(200)],
    ["1,000 endpoints", storm(1_000)],
    ["hostile text and 60 causes", hostileStorm()],
  ])("keeps every Slack limit and escapes every string: %s", (_name, state) => {
    for (const { message } of renderStorm(state)) {
      assertWithinSlackLimits(message);
      for (const text of slackTexts(message)) {
        expect(text).not.toMatch(/<[!@#](channel|here|U0HOSTILE|C0HOSTILE)|<http:\/\/evil/);
        expect(text).not.toContain("\u001b");
        expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
      }
    }
    assertWithinSlackLimits({ text: "export", blocks: [section(stormExportNote(state))] });
  });

  it("shows as many causes as the root can hold, then how many more", () => {
    const root = renderStormTable(hostileStorm());
    expect(JSON.stringify(root.blocks)).toMatch(/\.\.\.and \d+ more/);
  });
});

describe("Export all", () => {
  it("has one row per endpoint with its verdict, cause, resources, change and fix, in CSV and JSON", () => {
    const { csv, json } = renderStormExport(storm(9));
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe("endpoint,verdict,cause,summary,resources,change,fix");
    expect(lines).toHaveLength(10);
    expect(lines[1]).toMatch(
      /^"vpce-00000000000000000","broken","security-groups",".*","sg-[0-9a-f]+",".*","aws ec2/,
    );
    const parsed = JSON.parse(json) as { endpoints: Array<{ endpointId: string; verdict: string }> };
    expect(parsed.endpoints.map((e) => e.verdict)).toEqual([
      ...Array(6).fill("broken"),
      "broken",
      "healthy",
      "unknown",
    ]);
  });

  it("defuses spreadsheet formulas and quotes in cells", () => {
    const state = storm(1);
    const cause = Object.values(state.causes)[0]!;
    cause.summary = '=HYPERLINK("http://evil")';
    expect(renderStormExport(state).csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });
});
