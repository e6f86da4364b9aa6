import { regionInfo } from "../aws/regions.js";
import {
  parseEndpointId,
  parsePorts,
  parseRegion,
  parseSource,
  parseWindow,
  RequestError,
} from "../diagnosis/request.js";
import type { Source } from "../diagnosis/snapshot.js";
import { parseAlias } from "./alias.js";

// A request written into a Slack block_id, so a button on an expired report can rebuild it:
// `v1|<endpoint>|<region>|<alias or empty>|<source or empty>|<minutes>m[|<port>.<port>...]`. A source's
// IPv6 zone separator `%` is the one character outside the block_id alphabet; it travels as `_`.

/** The part of a DiagnosisRequest a request key carries (the requester is whoever clicks). */
export interface RequestKeyFields {
  endpointId: string;
  region: string;
  account?: string;
  source?: Source;
  windowHours: number;
  ports?: number[];
}

/** Slack's limit on a block_id (and an action_id). */
export const MAX_REQUEST_KEY_LENGTH = 255;

const VERSION = "v1";
const SAFE = /^[A-Za-z0-9._:/|-]*$/;

const isKnownRegionDefault = (code: string): boolean => regionInfo(code) !== undefined;

/** Writes the request as a block_id-safe key; a RequestError when it would not decode to the same request. */
export function encodeRequestKey(
  request: RequestKeyFields,
  isKnownRegion: (code: string) => boolean = isKnownRegionDefault,
): string {
  const minutes = Math.round(request.windowHours * 60);
  const key = [
    VERSION,
    request.endpointId,
    request.region,
    request.account ?? "",
    (request.source?.value ?? "").replace("%", "_"),
    `${minutes}m`,
    ...(request.ports?.length ? [request.ports.join(".")] : []),
  ].join("|");
  const decoded = decodeRequestKey(key, isKnownRegion);
  if (!decoded || !sameRequest(decoded, request)) {
    throw new RequestError(
      `cannot carry this request in a Slack block id: ${request.endpointId} in ${request.region}`,
    );
  }
  return key;
}

/** Rebuilds a request from a key with the same parsers as the slash command; undefined for anything malformed. */
export function decodeRequestKey(
  key: string,
  isKnownRegion: (code: string) => boolean = isKnownRegionDefault,
): RequestKeyFields | undefined {
  if (typeof key !== "string" || key.length > MAX_REQUEST_KEY_LENGTH || !SAFE.test(key)) return undefined;
  const parts = key.split("|");
  if ((parts.length !== 6 && parts.length !== 7) || parts[0] !== VERSION) return undefined;
  const [, endpointId = "", region = "", account = "", source = "", window = "", ports] = parts;
  try {
    const request: RequestKeyFields = {
      endpointId: canonical(endpointId, parseEndpointId),
      region: canonical(region, (raw) => parseRegion(raw, isKnownRegion)),
      windowHours: windowOf(window),
    };
    if (account) request.account = canonical(account, parseAlias);
    if (source) request.source = sourceOf(source);
    if (ports !== undefined) request.ports = portsOf(ports);
    return request;
  } catch {
    return undefined;
  }
}

function canonical(raw: string, parse: (raw: string) => string): string {
  const value = parse(raw);
  if (value !== raw) throw new RequestError(`"${raw}" is not in canonical form`);
  return value;
}

function windowOf(raw: string): number {
  if (!/^[1-9]\d{0,3}m$/.test(raw)) throw new RequestError(`"${raw}" is not a window in minutes`);
  return parseWindow(raw);
}

function portsOf(raw: string): number[] {
  const ports = parsePorts(raw.split(".").join(","));
  if (ports.join(".") !== raw) throw new RequestError(`"${raw}" is not in canonical form`);
  return ports;
}

function sourceOf(raw: string): Source {
  const value = raw.replace("_", "%");
  const source = parseSource(value);
  if (source.value !== value) throw new RequestError(`"${raw}" is not in canonical form`);
  return source;
}

function sameRequest(a: RequestKeyFields, b: RequestKeyFields): boolean {
  return (
    a.endpointId === b.endpointId &&
    a.region === b.region &&
    (a.account ?? "") === (b.account ?? "") &&
    a.windowHours === b.windowHours &&
    (a.ports ?? []).join(".") === (b.ports ?? []).join(".") &&
    a.source?.kind === b.source?.kind &&
    a.source?.value === b.source?.value &&
    ipVersionOf(a.source) === ipVersionOf(b.source)
  );
}

function ipVersionOf(source: Source | undefined): number | undefined {
  return source?.kind === "cidr" ? source.ipVersion : undefined;
}
