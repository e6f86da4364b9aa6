import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildExample, EXAMPLES, EXAMPLES_DIR, renderExample } from "../scripts/make-examples.js";
import { parseSnapshot } from "../src/diagnosis/load-snapshot.js";
import type { VerdictStatus } from "../src/diagnosis/report.js";
import { diagnoseSnapshot } from "../src/diagnosis/run.js";

// Every file in examples/ is diagnosed offline and must give the verdict this table pins; the files must be
// exactly what scripts/make-examples.ts writes (regenerate with `npx tsx scripts/make-examples.ts`).

const EXPECTED: Record<string, { status: VerdictStatus; cause: string | null }> = {
  "healthy-interface": { status: "healthy", cause: null },
  "healthy-gateway": { status: "healthy", cause: null },
  "endpoint-not-found": { status: "broken", cause: "endpoint-exists" },
  "endpoint-failed": { status: "broken", cause: "endpoint-state" },
  "pending-acceptance": { status: "broken", cause: "service-acceptance" },
  "aws-health-event": { status: "broken", cause: "service-health" },
  "service-not-in-az": { status: "broken", cause: "service-availability" },
  "security-group-blocks-443": { status: "broken", cause: "security-groups" },
  "nacl-denies-ephemeral-replies": { status: "broken", cause: "network-acls" },
  "flow-logs-show-rejects": { status: "broken", cause: "flow-logs" },
  "endpoint-policy-denies": { status: "broken", cause: "endpoint-policy" },
  "endpoint-policy-too-large": { status: "broken", cause: "endpoint-policy" },
  "private-dns-disabled": { status: "broken", cause: "private-dns" },
  "vpc-dns-hostnames-off": { status: "broken", cause: "private-dns" },
  "gateway-route-missing": { status: "broken", cause: "gateway-routes" },
  // No datapoints while everything else is in order is hygiene (idle clients), not a degradation.
  "no-traffic": { status: "healthy", cause: null },
  "healthy-cross-az-client": { status: "healthy", cause: null },
  "healthy-hub-and-spoke": { status: "healthy", cause: null },
  "hub-zone-stale-record": { status: "broken", cause: "private-dns" },
  "resolver-forwards-service-name": { status: "broken", cause: "private-dns" },
  "healthy-data-perimeter-policy": { status: "healthy", cause: null },
  "policy-denies-source-ip": { status: "broken", cause: "endpoint-policy" },
  "healthy-scanner-rejects": { status: "healthy", cause: null },
  "permissions-missing": { status: "unknown", cause: "network-acls" },
};

const files = readdirSync(EXAMPLES_DIR)
  .filter((name) => name.endsWith(".json"))
  .sort();
const names = files.map((file) => file.replace(/\.json$/, ""));

function read(name: string): string {
  return readFileSync(join(EXAMPLES_DIR, `${name}.json`), "utf8");
}

describe("examples/", () => {
  it("has a file for every row of the table and a row for every file", () => {
    expect(names).toEqual(Object.keys(EXPECTED).sort());
  });

  it("has a generator for every file and a file for every generator", () => {
    expect(names).toEqual(Object.keys(EXAMPLES).sort());
  });

  it("holds the demo example that npm run demo diagnoses", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    const demo = /--snapshot examples\/([a-z0-9-]+)\.json/.exec(pkg.scripts.demo)?.[1];
    expect(demo).toBe("security-group-blocks-443");
    expect(names).toContain(demo);
  });

  it("lists every example in examples/README.md", () => {
    const readme = readFileSync(join(EXAMPLES_DIR, "README.md"), "utf8");
    for (const name of names) expect(readme).toContain(`[${name}.json](${name}.json)`);
  });

  describe.each(names)("%s.json", (name) => {
    it("gives the expected verdict status and cause", () => {
      const report = diagnoseSnapshot(parseSnapshot(read(name), `${name}.json`));
      const expected = EXPECTED[name];
      expect(expected, `no row for ${name}.json in EXPECTED`).toBeDefined();
      expect({ status: report.verdict.status, cause: report.verdict.cause }).toEqual(expected);
    });

    it("is up to date with scripts/make-examples.ts", () => {
      const text = read(name);
      const built = buildExample(name);
      expect(parseSnapshot(text, `${name}.json`)).toEqual(built);
      expect(text, "regenerate with: npx tsx scripts/make-examples.ts").toBe(renderExample(built));
    });
  });
});
