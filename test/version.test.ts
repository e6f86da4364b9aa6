import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { packageVersion } from "../src/version.js";

describe("packageVersion", () => {
  it("finds vpce-doctor's package.json above src/, as it does above dist/ and dist/bin/", () => {
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("walks up past other packages' package.json files to vpce-doctor's", () => {
    const root = mkdtempSync(join(tmpdir(), "vpce-version-"));
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "vpce-doctor", version: "7.8.9" }));
    mkdirSync(join(root, "dist", "bin"), { recursive: true });
    writeFileSync(join(root, "dist", "package.json"), JSON.stringify({ name: "other", version: "1.0.0" }));
    expect(packageVersion(pathToFileURL(join(root, "dist", "bin", "cli.js")))).toBe("7.8.9");
  });

  it("says unknown rather than guessing when no package.json is found", () => {
    const lonely = mkdtempSync(join(tmpdir(), "vpce-version-"));
    expect(packageVersion(pathToFileURL(join(lonely, "a", "b", "c", "d", "e", "f", "g", "cli.js")))).toBe(
      "unknown",
    );
  });
});
