import { ipVersion, isCidr } from "../checks/net.js";
import type { Source } from "./snapshot.js";

/** What every trigger (CLI, slash command, alarm, button) builds: the one input of the pipeline. */
export interface DiagnosisRequest {
  endpointId: string;
  region: string;
  /** Alias from the accounts config; absent means the ambient credentials' account. */
  account?: string;
  source?: Source;
  windowHours: number;
  /** The service's ports as the requester gives them (--port): they override the known and assumed ports. */
  ports?: number[];
  /** Who asked, for the audit trail (RoleSessionName) and the report. */
  requester: string;
  /** Run the client probe on the source instance (opt-in, --probe or the Test from button); needs an i- source. */
  probe?: boolean;
}

/** A request that cannot be built: the message is one actionable line for a person. */
export class RequestError extends Error {
  override name = "RequestError";
}

const ENDPOINT_ID = /^vpce-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** Validates a VPC endpoint id (`vpce-` + 8 or 17 hex digits), lower-casing it. */
export function parseEndpointId(raw: string): string {
  const id = raw.trim().toLowerCase();
  if (ENDPOINT_ID.test(id)) return id;
  if (/^vpce-svc-/.test(id)) {
    throw new RequestError(
      `${raw} is an endpoint *service* id; give the endpoint id (vpce- followed by 8 or 17 hex digits)`,
    );
  }
  throw new RequestError(
    `"${raw}" is not a VPC endpoint id: expected vpce- followed by 8 or 17 hex digits, e.g. vpce-0a1b2c3d4e5f60718`,
  );
}

/** Validates a region code against the caller-supplied region catalog (the SDK's partition data). */
export function parseRegion(raw: string, isKnownRegion: (code: string) => boolean): string {
  const region = raw.trim().toLowerCase();
  if (isKnownRegion(region)) return region;
  throw new RequestError(
    `unknown AWS region "${raw}": use a region code such as us-east-1, eu-west-1 or cn-north-1`,
  );
}

const ID_SOURCES: ReadonlyArray<[RegExp, Source["kind"]]> = [
  [/^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, "instance"],
  [/^eni-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, "eni"],
  [/^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, "subnet"],
  [/^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, "security-group"],
];

/** Parses the client that cannot connect: an IPv4/IPv6 address or CIDR, or an i-, eni-, subnet- or sg- id. */
export function parseSource(raw: string): Source {
  const value = raw.trim().toLowerCase();
  for (const [pattern, kind] of ID_SOURCES) {
    if (pattern.test(value)) return { kind, value } as Source;
  }
  if (isCidr(value)) {
    const version = ipVersion(value)!;
    const cidr = value.includes("/") ? value : `${value}/${version === 4 ? 32 : 128}`;
    return { kind: "cidr", value: cidr, ipVersion: version };
  }
  throw new RequestError(
    `"${raw}" is not a source: give an IP address or CIDR (10.0.1.25, 10.0.1.0/24, 2001:db8::1) or an i-, eni-, subnet- or sg- id`,
  );
}

/** Largest look-back the checks support; CloudWatch and CloudTrail reads stay bounded. */
export const MAX_WINDOW_HOURS = 24;

/** Parses a window such as `1h`, `90m` or `24h` into hours (1 minute .. 24 hours). */
export function parseWindow(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(m|min|h|hr|d)?$/i.exec(raw.trim());
  if (!match) throw new RequestError(`"${raw}" is not a window: use minutes or hours such as 30m, 1h or 24h`);
  const value = Number(match[1]);
  const unit = (match[2] ?? "h").toLowerCase();
  const hours = unit.startsWith("m") ? value / 60 : unit === "d" ? value * 24 : value;
  if (!(hours > 0) || hours > MAX_WINDOW_HOURS) {
    throw new RequestError(`window "${raw}" is out of range: use 1m to ${MAX_WINDOW_HOURS}h`);
  }
  return Math.round(hours * 60) / 60;
}

/** Most ports one request may name; a service listening on more is judged on the ones that matter. */
export const MAX_PORTS = 10;

/** Parses `--port 5432` or `--port 25,587` into distinct TCP ports (1-65535, at most 10). */
export function parsePorts(raw: string): number[] {
  const parts = raw.split(",").map((part) => part.trim());
  const ports = parts.map((part) => (/^\d{1,5}$/.test(part) ? Number(part) : Number.NaN));
  if (parts.length === 0 || ports.some((port) => !(port >= 1 && port <= 65535))) {
    throw new RequestError(
      `"${raw}" is not a port list: give TCP ports from 1 to 65535, comma-separated, e.g. --port 5432 or --port 25,587`,
    );
  }
  const distinct = [...new Set(ports)].sort((a, b) => a - b);
  if (distinct.length > MAX_PORTS) {
    throw new RequestError(`"${raw}" names ${distinct.length} ports: give at most ${MAX_PORTS}`);
  }
  return distinct;
}

/** Checks that a probe request names an instance to run on: `--probe` needs `--from i-...`. */
export function checkProbeSource(source: Source | undefined): void {
  if (source?.kind === "instance") return;
  throw new RequestError(
    "--probe runs a test on the client instance: give it with --from i-... (an EC2 instance managed by Systems Manager)",
  );
}
