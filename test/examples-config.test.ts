import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isMap, isSeq, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { regionInfo } from "../src/aws/regions.js";
import { checkConfig, parseConfig } from "../src/config/load.js";
import { configFileSchema } from "../src/config/schema.js";

// examples/config.yml is the reference of the config file: it must stay valid, use every key the schema
// knows, and say what each key is for. Adding a key to src/config/schema.ts without documenting it there
// fails this file.

const PATH = new URL("../examples/config.yml", import.meta.url);
const TEXT = readFileSync(PATH, "utf8");

/** Every key path of a zod schema ("alarms.routes.match.account"), arrays and wrappers seen through. */
function schemaKeyPaths(schema: z.ZodTypeAny, prefix: readonly string[] = []): string[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape as Record<string, z.ZodTypeAny>).flatMap(([key, value]) => [
      [...prefix, key].join("."),
      ...schemaKeyPaths(value, [...prefix, key]),
    ]);
  }
  if (inner instanceof z.ZodUnion || inner instanceof z.ZodDiscriminatedUnion) {
    return [
      ...new Set((inner.options as z.ZodTypeAny[]).flatMap((option) => schemaKeyPaths(option, prefix))),
    ];
  }
  const leaves = [z.ZodString, z.ZodNumber, z.ZodBoolean, z.ZodEnum, z.ZodLiteral, z.ZodNativeEnum];
  if (leaves.some((leaf) => inner instanceof leaf)) return [];
  // A record, intersection, lazy... would hide keys from this walk: teach it the new type rather than skip it.
  throw new Error(`schemaKeyPaths: ${inner.constructor.name} at "${prefix.join(".")}" is not handled`);
}

function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault) {
    return unwrap(schema._def.innerType);
  }
  if (schema instanceof z.ZodEffects) return unwrap(schema._def.schema);
  if (schema instanceof z.ZodPipeline) return unwrap(schema._def.in);
  if (schema instanceof z.ZodArray) return unwrap(schema.element);
  return schema;
}

/** Every key of a YAML text, with its key path (sequence indexes left out) and its 1-based line. */
function fileKeys(text: string): Array<{ path: string; line: number }> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const keys: Array<{ path: string; line: number }> = [];
  const walk = (node: unknown, prefix: readonly string[]) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as { value?: unknown; range?: [number] };
        const path = [...prefix, String(key.value)];
        keys.push({ path: path.join("."), line: lineCounter.linePos(key.range![0]).line });
        walk(pair.value, path);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item, prefix);
    }
  };
  walk(doc.contents, []);
  return keys;
}

/** The keys with no comment line directly above them and no comment at the end of their own line. */
function undocumentedKeys(text: string): string[] {
  const lines = text.split("\n");
  return fileKeys(text)
    .filter(({ line }) => {
      const above = lines[line - 2]?.trim() ?? "";
      // Drop quoted strings first, so a # inside a value is not taken for a comment.
      const own = (lines[line - 1] ?? "").replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '""');
      return !above.startsWith("#") && !/\s#/.test(own);
    })
    .map(({ path, line }) => `${path} (line ${line})`);
}

/** The schema key paths the text never uses. */
function missingKeys(schema: z.ZodTypeAny, text: string): string[] {
  const used = new Set(fileKeys(text).map((key) => key.path));
  return schemaKeyPaths(schema).filter((path) => !used.has(path));
}

describe("examples/config.yml", () => {
  it("is a valid config with nothing to warn about", () => {
    expect(() => parseConfig(TEXT, "examples/config.yml")).not.toThrow();
    const result = checkConfig(TEXT, "examples/config.yml", {
      isKnownRegion: (code) => regionInfo(code) !== undefined,
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it("uses every key of the schema", () => {
    expect(schemaKeyPaths(configFileSchema)).toEqual(
      expect.arrayContaining(["accounts.externalId", "alarms.routes.match.account", "state.region"]),
    );
    expect(missingKeys(configFileSchema, TEXT)).toEqual([]);
  });

  it("documents every key with a comment directly above it or at the end of its line", () => {
    expect(undocumentedKeys(TEXT)).toEqual([]);
  });

  it("puts every key on its own line, so each one carries its own comment", () => {
    const lines = fileKeys(TEXT).map((key) => key.line);
    expect(lines.filter((line, index) => lines.indexOf(line) !== index)).toEqual([]);
  });

  it("would fail for a schema key it does not use, at any depth", () => {
    const grown = configFileSchema.extend({
      metrics: z.object({ namespace: z.string() }).optional(),
      state: z.object({ dynamodbTable: z.string(), region: z.string(), ttlDays: z.number() }).optional(),
    });
    expect(missingKeys(grown, TEXT).sort()).toEqual(["metrics", "metrics.namespace", "state.ttlDays"]);
  });

  it("would fail for a key without a comment", () => {
    const text = '# the accounts\naccounts:\n  - alias: prod # its name\n    id: "1#2"\n';
    expect(undocumentedKeys(text)).toEqual(["accounts.id (line 4)"]);
  });
});
