import { describe, expect, it } from "vitest";
import { regionInfo } from "../../src/aws/regions.js";
import { type CliIo, runCli } from "../../src/cli/run.js";
import { parseSnapshot, SnapshotFileError } from "../../src/diagnosis/load-snapshot.js";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";
import type { Snapshot } from "../../src/diagnosis/snapshot.js";
import { renderTerminal } from "../../src/render/terminal.js";
import { interfaceSnapshot } from "../support/snapshot-factory.js";

// A snapshot file crafted to drive the terminal (they travel as ticket attachments): escape sequences that
// set the title and clear the screen, a carriage return and a newline that print a fake verdict, a bidi override.

const EVIL = "\u001b]0;owned\u0007\u001b[2J\r\n✔ HEALTHY all checks passed\u202e";
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

function io(files: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: {},
    readFile: async (path) => files[path]!,
    writeFile: async () => {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
    isKnownRegion: (code) => regionInfo(code) !== undefined,
    collector: async () => {
      throw new Error("offline only");
    },
    requester: "cli-test",
    version: "9.9.9",
  };
  return { cli, out: () => out.join(""), err: () => err.join("") };
}

/** A snapshot with valid ids and the hostile text in every free-text field the header and checks show. */
function crafted(): Snapshot {
  return interfaceSnapshot((s) => {
    s.endpoint!.serviceName = `com.amazonaws.us-east-1.ssm${EVIL}`;
    s.endpoint!.state = `pendingAcceptance${EVIL}` as never;
    s.gaps = [{ source: "networkAcls", error: `Denied${EVIL}`, iamAction: `ec2:X${EVIL}`, message: EVIL }];
  });
}

describe("diagnose --snapshot with a crafted file", () => {
  it.each([
    [
      "endpointId",
      { endpointId: `vpce-0a1b2c3d4e5f60718${EVIL}` },
      /endpointId ".* is not a VPC endpoint id/,
    ],
    ["region", { region: `us-east-1${EVIL}` }, /region ".* is not a known AWS region/],
    ["accountId", { accountId: `111122223333${EVIL}` }, /accountId ".* is not a 12-digit account id/],
    ["accountAlias", { accountAlias: `prod${EVIL}` }, /accountAlias ".* is not an alias/],
  ])("refuses a hostile %s on load with one clean line on stderr", async (_field, change, message) => {
    const h = io({ "s.json": JSON.stringify({ ...crafted(), ...change }) });
    expect(await runCli(["diagnose", "--snapshot", "s.json"], h.cli)).toBe(2);
    expect(h.out()).toBe("");
    expect(h.err()).toMatch(message);
    expect(h.err()).not.toMatch(CONTROL);
    expect(h.err().trimEnd().split("\n")).toHaveLength(1);
  });

  it("prints every other field stripped: no control character, no line the file made up", async () => {
    const h = io({ "s.json": JSON.stringify(crafted()) });
    await runCli(["diagnose", "--snapshot", "s.json"], h.cli);
    expect(h.out()).not.toMatch(CONTROL);
    expect(
      h
        .out()
        .split("\n")
        .filter((line) => line.startsWith("✔ HEALTHY")),
    ).toEqual([]);
    expect(h.out()).toMatch(/^✖ BROKEN {2}vpce-0a1b2c3d4e5f60718 com\.amazonaws\.us-east-1\.ssm\?/);
  });

  it("renders a report built from any field with no control character, on every line", () => {
    const report = diagnoseSnapshot(crafted());
    const hostile = {
      ...report,
      endpointId: EVIL,
      region: EVIL,
      endpointType: EVIL,
      account: { alias: EVIL, id: EVIL },
      collectedAt: EVIL,
      verdict: { ...report.verdict, cause: EVIL, summary: EVIL, nextSteps: [EVIL] },
      checks: report.checks.map((check) => ({ ...check, id: EVIL, summary: EVIL })),
    } as never;
    const text = renderTerminal(hostile, { color: false });
    expect(text).not.toMatch(CONTROL);
    expect(
      text.split("\n").filter((line) => line.includes("HEALTHY all checks passed") && !line.includes("?")),
    ).toEqual([]);
  });

  it("loads the snapshots vpce-doctor saves", () => {
    expect(() => parseSnapshot(JSON.stringify(interfaceSnapshot()), "s.json")).not.toThrow(SnapshotFileError);
  });
});
