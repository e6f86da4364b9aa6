import { isMap, isSeq, LineCounter, parseDocument } from "yaml";
import { type ConfigFile, configFileSchema } from "./schema.js";

/** A config file that cannot be used; the message names the key (and line) at fault. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses and validates the YAML config text; every error names its key path and line. */
export function parseConfig(text: string, fileName = "config"): ConfigFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new ConfigError(
      `${fileName}${line ? `:${line}` : ""}: not valid YAML: ${error.message.split("\n")[0]}`,
    );
  }
  const parsed = configFileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) => {
      const path = issue.path.join(".");
      const line = lineOf(doc, issue.path, lineCounter);
      return `${fileName}${line ? `:${line}` : ""}: ${path || "(top level)"}: ${issue.message}`;
    });
    throw new ConfigError(messages.join("\n"));
  }
  const config = parsed.data;
  const aliases = new Set<string>();
  for (const [index, account] of config.accounts.entries()) {
    if (aliases.has(account.alias)) {
      throw new ConfigError(`${fileName}: accounts.${index}.alias: "${account.alias}" is used twice`);
    }
    aliases.add(account.alias);
  }
  for (const [index, channel] of config.channels.entries()) {
    const unknown = channel.accounts.filter((alias) => !aliases.has(alias));
    if (unknown.length > 0) {
      throw new ConfigError(`${fileName}: channels.${index}.accounts: unknown alias ${unknown.join(", ")}`);
    }
  }
  return config;
}

function lineOf(
  doc: ReturnType<typeof parseDocument>,
  path: ReadonlyArray<string | number>,
  counter: LineCounter,
): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown })?.value === key);
      if (!pair) break;
      offset = (pair.key as { range?: [number] }).range?.[0];
      node = pair.value;
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key];
      offset = (node as { range?: [number] })?.range?.[0] ?? offset;
    } else break;
  }
  return offset === undefined ? undefined : counter.linePos(offset).line;
}
