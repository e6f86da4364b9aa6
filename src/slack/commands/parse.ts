import {
  parseEndpointId,
  parsePorts,
  parseRegion,
  parseSource,
  parseWindow,
  RequestError,
} from "../../diagnosis/request.js";
import type { Source } from "../../diagnosis/snapshot.js";
import { parseAlias } from "../alias.js";
import type { VpceCommand } from "./vpce-command.js";

// The one reader of `/vpce` text. Slack clients rewrite what people type (non-breaking spaces,
// smart quotes, `--` turned into an em dash), so the text is normalised before it is split.

const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
const QUOTES = /["'`\u00AB\u00BB\u2018-\u201F\u2039\u203A\u300C-\u300F]/g;
const SEPARATORS = /[\s\u0085]+/u;
const DASHES = "\\-\\u2010-\\u2015\\u2212\\uFE58\\uFE63\\uFF0D";
const FLAG = new RegExp(`^[${DASHES}]+(?![${DASHES}\\d.])`);
const UNPRINTABLE = /[\p{Cc}\p{Zl}\p{Zp}]/gu;

const DEFAULT_WINDOW_HOURS = 1;
const MAX_TOKEN_LENGTH = 100;
const SHOWN_LENGTH = 40;

const EXAMPLES: Record<Option, string> = {
  account: "--account prod",
  from: "--from 10.0.1.25",
  window: "--window 1h",
  region: "--region us-east-1",
  port: "--port 5432",
};

type Option = "account" | "from" | "window" | "region" | "port";

interface Diagnose {
  endpointId?: string;
  region?: string;
  regionBy?: "positional" | "flag";
  account?: string;
  source?: Source;
  windowHours?: number;
  ports?: number[];
  seen: Set<Option>;
}

/** Parses the text of `/vpce` into a command; never throws, errors come back as one line. */
export function parseVpceCommand(text: string, isKnownRegion: (code: string) => boolean): VpceCommand {
  try {
    return parseTokens(tokenize(text), isKnownRegion);
  } catch (error) {
    const message =
      error instanceof RequestError ? error.message : "could not read that command: try /vpce help";
    return { kind: "error", message: message.replace(UNPRINTABLE, "\uFFFD") };
  }
}

function tokenize(text: string): string[] {
  const clean = String(text ?? "")
    .replace(INVISIBLE, "")
    .replace(QUOTES, "");
  return clean.split(SEPARATORS).filter((token) => token.length > 0);
}

function parseTokens(tokens: readonly string[], isKnownRegion: (code: string) => boolean): VpceCommand {
  const [head, ...rest] = tokens;
  if (head === undefined) return { kind: "help" };
  const word = head.replace(FLAG, "").toLowerCase();
  if (word === "help" || (word === "h" && FLAG.test(head))) return { kind: "help" };
  if (FLAG.test(head)) {
    throw new RequestError(
      `${shown(head)} comes too early: start with diagnose, e.g. /vpce diagnose <vpce-id>`,
    );
  }
  if (word === "accounts") {
    if (rest[0] !== undefined)
      throw new RequestError(`unexpected "${shown(rest[0])}": accounts takes no arguments`);
    return { kind: "accounts" };
  }
  if (word === "diagnose") return parseDiagnose(rest, isKnownRegion);
  // `/vpce vpce-…` is what people type first: read it as diagnose.
  if (word.startsWith("vpce-")) return parseDiagnose(tokens, isKnownRegion);
  throw new RequestError(`unknown subcommand "${shown(head)}": use diagnose, accounts or help`);
}

function parseDiagnose(tokens: readonly string[], isKnownRegion: (code: string) => boolean): VpceCommand {
  const state: Diagnose = { seen: new Set() };
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (!FLAG.test(token)) {
      positional(state, token, isKnownRegion);
      continue;
    }
    const equals = token.indexOf("=");
    const written = equals >= 0 ? token.slice(0, equals) : token;
    const option = optionNamed(written);
    let value: string | undefined;
    if (equals >= 0) value = token.slice(equals + 1);
    else if (tokens[index + 1] !== undefined && !FLAG.test(tokens[index + 1]!)) value = tokens[++index];
    if (!value) throw new RequestError(`--${option} needs a value, e.g. ${EXAMPLES[option]}`);
    setOption(state, option, value, isKnownRegion);
  }
  if (state.endpointId === undefined) {
    throw new RequestError(
      "diagnose needs a VPC endpoint id, e.g. /vpce diagnose vpce-0a1b2c3d4e5f60718 us-east-1",
    );
  }
  return {
    kind: "diagnose",
    endpointId: state.endpointId,
    ...(state.region !== undefined && { region: state.region }),
    ...(state.account !== undefined && { account: state.account }),
    ...(state.source !== undefined && { source: state.source }),
    ...(state.ports !== undefined && { ports: state.ports }),
    windowHours: state.windowHours ?? DEFAULT_WINDOW_HOURS,
  };
}

function optionNamed(written: string): Option {
  const name = written.replace(FLAG, "").toLowerCase();
  if (name === "account" || name === "from" || name === "window" || name === "region" || name === "port")
    return name;
  throw new RequestError(`unknown option ${shown(written)}: use --account, --from, --port or --window`);
}

function positional(state: Diagnose, token: string, isKnownRegion: (code: string) => boolean): void {
  if (state.endpointId === undefined) {
    state.endpointId = checked(token, parseEndpointId);
    return;
  }
  if (state.region !== undefined) {
    throw new RequestError(
      state.regionBy === "flag"
        ? `unexpected "${shown(token)}": the region is already given by --region ${state.region}`
        : `unexpected "${shown(token)}": diagnose takes one endpoint id and one region; options start with --`,
    );
  }
  try {
    state.region = checked(token, (raw) => parseRegion(raw, isKnownRegion));
    state.regionBy = "positional";
  } catch (error) {
    throw hinted(error, token);
  }
}

function setOption(
  state: Diagnose,
  option: Option,
  value: string,
  isKnownRegion: (code: string) => boolean,
): void {
  if (state.seen.has(option)) throw new RequestError(`--${option} is given twice`);
  state.seen.add(option);
  switch (option) {
    case "account":
      state.account = checked(value, parseAlias);
      return;
    case "from":
      state.source = checked(value, parseSource);
      return;
    case "window":
      state.windowHours = checked(value, parseWindow);
      return;
    case "port":
      state.ports = checked(value, parsePorts);
      return;
    case "region":
      if (state.region !== undefined) {
        throw new RequestError(`the region is given twice: ${state.region} and --region ${shown(value)}`);
      }
      state.region = checked(value, (raw) => parseRegion(raw, isKnownRegion));
      state.regionBy = "flag";
  }
}

/** Runs a shared parser on a token, keeping its message but shortening a long token inside it. */
function checked<T>(raw: string, parse: (raw: string) => T): T {
  if (raw.length > MAX_TOKEN_LENGTH) {
    throw new RequestError(`"${shown(raw)}" is too long (${raw.length} characters)`);
  }
  try {
    return parse(raw);
  } catch (error) {
    if (error instanceof RequestError) throw new RequestError(error.message.split(raw).join(shown(raw)));
    throw error;
  }
}

/** A region that fails but reads as a source or a window most likely lost its option name. */
function hinted(error: unknown, token: string): unknown {
  if (!(error instanceof RequestError)) return error;
  for (const [option, parse] of [
    ["from", parseSource],
    ["window", parseWindow],
  ] as const) {
    try {
      parse(token);
      return new RequestError(`"${shown(token)}" is not a region: did you mean --${option} ${shown(token)}?`);
    } catch {}
  }
  return error;
}

function shown(token: string): string {
  const chars = Array.from(token);
  return chars.length > SHOWN_LENGTH ? `${chars.slice(0, SHOWN_LENGTH).join("")}...` : token;
}
