import { isMap, isSeq, LineCounter, parseDocument } from "yaml";
import { type CrossCheckOptions, crossCheck } from "./cross-check.js";
import { type ConfigFile, configFileSchema } from "./schema.js";

/** A config file that cannot be used; the message names the key (and line) at fault, one error per line. */
export class ConfigError extends Error {
  override name = "ConfigError";
  /** Every error on its own, each a line of the message. */
  readonly errors: readonly string[];

  constructor(message: string, errors: readonly string[] = [message]) {
    super(message);
    this.errors = errors;
  }
}

/** What checking a config text found: the config when it has no error, and every error and warning, one line each. */
export interface ConfigCheck {
  config?: ConfigFile;
  errors: string[];
  warnings: string[];
}

type KeyPath = ReadonlyArray<string | number>;

/**
 * Validates the YAML config text without throwing: YAML syntax, then the schema, then the references between
 * keys (src/config/cross-check.ts). Every error and warning names its key path and line, sorted by line.
 */
export function checkConfig(text: string, fileName = "config", options: CrossCheckOptions = {}): ConfigCheck {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (line: number | undefined) => `${fileName}${line ? `:${line}` : ""}`;
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((error) => {
      const line = lineCounter.linePos(error.pos[0]).line;
      return { line, text: `${at(line)}: not valid YAML: ${error.message.split("\n")[0]}` };
    });
    return { errors: byLine(errors), warnings: [] };
  }
  let data: unknown;
  try {
    data = doc.toJS() ?? {};
  } catch (error) {
    // Too many alias expansions and the like: the document parsed but cannot be turned into values.
    return {
      errors: [`${at(undefined)}: not valid YAML: ${(error as Error).message.split("\n")[0]}`],
      warnings: [],
    };
  }
  const problem = (path: KeyPath, message: string, prefix = "") => {
    const line = lineOf(doc, path, lineCounter);
    return { line, text: `${at(line)}: ${prefix}${path.join(".") || "(top level)"}: ${message}` };
  };
  const parsed = configFileSchema.safeParse(data);
  if (!parsed.success) {
    const errors = parsed.error.issues.flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? // One line per unknown key, at the key itself rather than at the object holding it.
          issue.keys.map((key) => problem([...issue.path, key], `Unrecognized key(s) in object: '${key}'`))
        : [problem(issue.path, issue.message)],
    );
    return { errors: byLine(errors), warnings: [] };
  }
  const issues = crossCheck(parsed.data, options);
  const errors = issues.filter((i) => i.severity === "error").map((i) => problem(i.path, i.message));
  const warnings = issues
    .filter((i) => i.severity === "warning")
    .map((i) => problem(i.path, i.message, "warning: "));
  return {
    ...(errors.length === 0 && { config: parsed.data }),
    errors: byLine(errors),
    warnings: byLine(warnings),
  };
}

/** Parses and validates the YAML config text; throws a ConfigError listing every error, one per line. */
export function parseConfig(text: string, fileName = "config", options: CrossCheckOptions = {}): ConfigFile {
  const result = checkConfig(text, fileName, options);
  if (!result.config) throw new ConfigError(result.errors.join("\n"), result.errors);
  return result.config;
}

function byLine(problems: ReadonlyArray<{ line: number | undefined; text: string }>): string[] {
  const sorted = [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return [...new Set(sorted.map((p) => p.text))];
}

/** The line of the deepest node of `path` the document has (the key's line for a map entry). */
function lineOf(
  doc: ReturnType<typeof parseDocument>,
  path: KeyPath,
  counter: LineCounter,
): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: [number] } | null)?.range?.[0];
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown })?.value === key);
      if (!pair) break;
      offset = (pair.key as { range?: [number] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key];
      offset = (node as { range?: [number] })?.range?.[0] ?? offset;
    } else break;
  }
  return offset === undefined ? undefined : counter.linePos(offset).line;
}
