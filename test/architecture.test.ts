import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// The fences of DESIGN.md, enforced by scanning imports.

const SRC = new URL("../src/", import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function imports(path: string): string[] {
  const text = readFileSync(path, "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);
}

const all = files(SRC).map((path) => ({ path: relative(SRC, path), imports: imports(path) }));

describe("architecture fences", () => {
  it("keeps checks/, diagnosis/ and render/ free of AWS and Slack SDKs", () => {
    const offenders = all.filter(
      (f) =>
        /^(checks|diagnosis|render)\//.test(f.path) && f.imports.some((i) => /^@(aws-sdk|slack)\//.test(i)),
    );
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it("lets only aws/ import @aws-sdk", () => {
    const offenders = all.filter(
      (f) => !f.path.startsWith("aws/") && f.imports.some((i) => i.startsWith("@aws-sdk/")),
    );
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it("lets only slack/ import @slack/bolt", () => {
    const offenders = all.filter(
      (f) => !f.path.startsWith("slack/") && f.imports.some((i) => i.startsWith("@slack/bolt")),
    );
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it("keeps checks pure: no I/O modules and no clock", () => {
    const offenders = all.filter(
      (f) =>
        f.path.startsWith("checks/") &&
        (f.imports.some((i) => /^(node:)?(fs|net|http|https|child_process)/.test(i)) ||
          /Date\.now\(\)|new Date\(\)/.test(readFileSync(join(SRC, f.path), "utf8"))),
    );
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it("gives every exported declaration a one-line comment", () => {
    const missing: string[] = [];
    for (const f of all) {
      const lines = readFileSync(join(SRC, f.path), "utf8").split("\n");
      lines.forEach((line, index) => {
        if (!/^export (async )?(function|const|class|interface|type|enum) [\w]/.test(line)) return;
        if (/= z\.infer</.test(line)) return; // the type of a schema shares the schema's comment
        const previous = lines[index - 1] ?? "";
        if (!/^\s*(\*\/|\/\/|\/\*\*.*\*\/)/.test(previous)) missing.push(`${f.path}:${index + 1}`);
      });
    }
    expect(missing).toEqual([]);
  });
});

describe("the CLI's start-up", () => {
  function staticImports(path: string): string[] {
    const text = readFileSync(path, "utf8");
    return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']/gm)]
      .filter((m) => !/^\s*import\s+type\s/.test(m[0]!) && !/^\s*export\s+type\s/.test(m[0]!))
      .map((m) => m[1]!);
  }

  it("loads no AWS SDK client until a live diagnosis needs one (the offline path stays fast)", () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of staticImports(file)) {
        if (spec.startsWith(".")) visit(join(file, "..", spec.replace(/\.js$/, ".ts")));
        else packages.add(spec);
      }
    };
    visit(join(SRC, "cli.ts"));
    expect([...seen].length).toBeGreaterThan(10);
    expect([...packages].filter((p) => p.startsWith("@aws-sdk/client-"))).toEqual([]);
  });

  it("loads the SSM client only on the probe path: a diagnosis without --probe never builds one", () => {
    const ssmImporters = all.filter((f) => f.imports.includes("@aws-sdk/client-ssm")).map((f) => f.path);
    expect(ssmImporters).toEqual(["aws/probe.ts"]);
    const eager = all
      .filter((f) => staticImports(join(SRC, f.path)).includes("./probe.js"))
      .map((f) => f.path);
    expect(eager).toEqual([]);
  });
});
