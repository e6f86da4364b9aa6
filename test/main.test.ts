import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// `npm start` without its settings: one line naming every missing variable, a non-zero exit, nothing started.

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
}

describe("the bot's entry point", () => {
  it("exits 1 naming each missing Slack variable and pointing to the README", () => {
    const run = start({});
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/SLACK_BOT_TOKEN/);
    expect(run.stderr).toMatch(/SLACK_SIGNING_SECRET/);
    expect(run.stderr).toMatch(/README\.md, Slack setup/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("exits 1 naming the key of a broken config file", () => {
    const run = start({
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "s",
      VPCE_DOCTOR_CONFIG: "/nonexistent/vpce-doctor.yml",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^vpce-doctor: cannot read VPCE_DOCTOR_CONFIG \/nonexistent\/vpce-doctor\.yml: ENOENT/,
    );
    expect(run.stderr).not.toContain("xoxb-1");
  });
});

describe("the entry points with a bad LOG_LEVEL", () => {
  it("the bot exits 1 with one line naming LOG_LEVEL and its choices", () => {
    const run = start({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", LOG_LEVEL: "verbose" });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'vpce-doctor: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "verbose"\n',
    );
  });

  it("the CLI exits 2 with the same line", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "--version"], {
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "loud" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^vpce-doctor: LOG_LEVEL must be one of .*, not "loud"\n$/);
  });
});

describe("the bot's entry point with a config the checks refuse", () => {
  it("exits 1 on an unknown region, as config check does, before starting anything", () => {
    const dir = mkdtempSync(join(tmpdir(), "vpce-doctor-main-"));
    const file = join(dir, "config.yml");
    writeFileSync(file, 'accounts:\n  - alias: prod\n    id: "111122223333"\n    region: us-east-9\n');
    const run = start({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", VPCE_DOCTOR_CONFIG: file });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^vpce-doctor: .*config\.yml:4: accounts\.0\.region: .*us-east-9/);
  });
});
