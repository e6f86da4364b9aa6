import { ipVersion } from "./net.js";

// The client probe's output (src/aws/probe-script.ts writes it), read strictly: a header naming version 1, one
// known line after another, and END. Anything else is unreadable, and an unreadable probe never passes.

/** What the instance said about one DNS name. */
export type ProbeResolution =
  | { name: string; ok: true; addresses: string[] }
  | { name: string; ok: false; reason: string };

/** One TCP connection attempt from the instance. */
export interface ProbeConnect {
  address: string;
  port: number;
  result: "OK" | "TIMEOUT" | "REFUSED" | "ERROR";
  detail?: string;
}

/** One TLS handshake attempt (with SNI), or why none was made. */
export type ProbeTls =
  | { name: string; address: string; port: number; result: "OK" | "FAIL"; detail: string }
  | { name: string; result: "SKIP"; detail: string };

/** The probe's output, parsed. */
export interface ProbeOutput {
  platform: "linux" | "windows";
  resolutions: ProbeResolution[];
  connects: ProbeConnect[];
  tls: ProbeTls[];
  elapsedMs: number;
}

/** The parse: the output, or why it could not be read. */
export type ProbeParse = { ok: true; output: ProbeOutput } | { ok: false; reason: string };

const NAME = "([a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)";
const ADDRESS = "([0-9a-f.:]{2,45})";
const PORT = "(\\d{1,5})";
const TEXT = "([\\x20-\\x7e]{1,200})";
const HEADER = /^VPCE-PROBE 1 (linux|windows)$/;
const END = /^END (\d{1,7})$/;
const RESOLVE_OK = new RegExp(
  `^RESOLVE ${NAME} OK (${ADDRESS.slice(1, -1)}(?:,${ADDRESS.slice(1, -1)}){0,15})$`,
);
const RESOLVE_FAIL = new RegExp(`^RESOLVE ${NAME} FAIL (timeout|not-found)$`);
const CONNECT = new RegExp(`^CONNECT ${ADDRESS} ${PORT} (OK|TIMEOUT|REFUSED)$`);
const CONNECT_ERROR = new RegExp(`^CONNECT ${ADDRESS} ${PORT} ERROR ${TEXT}$`);
const TLS_DONE = new RegExp(`^TLS ${NAME} ${ADDRESS} ${PORT} (OK|FAIL) ${TEXT}$`);
const TLS_SKIP = new RegExp(`^TLS ${NAME} - - SKIP (no-tls-port|not-resolved|no-openssl)$`);

/**
 * Reads the probe's output; `names` are the names it was asked to resolve, each of which must be answered once.
 * Windows line ends are accepted; any other deviation makes the whole output unreadable.
 */
export function parseProbeOutput(text: string, names: readonly string[]): ProbeParse {
  const lines = text.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n");
  const header = HEADER.exec(lines[0] ?? "");
  if (!header) return unreadable(text.trim() === "" ? "the probe printed nothing" : "no VPCE-PROBE 1 header");
  const end = END.exec(lines.at(-1) ?? "");
  if (lines.length < 2 || !end) return unreadable("the output stops before END");
  const output: ProbeOutput = {
    platform: header[1] as ProbeOutput["platform"],
    resolutions: [],
    connects: [],
    tls: [],
    elapsedMs: Number(end[1]),
  };
  for (const [index, line] of lines.slice(1, -1).entries()) {
    if (!readLine(line, output)) return unreadable(`line ${index + 2} is not in the probe's format`);
  }
  return consistent(output, names);
}

function readLine(line: string, out: ProbeOutput): boolean {
  let m = RESOLVE_OK.exec(line);
  if (m) {
    const addresses = m[2]!.split(",");
    if (!addresses.every(isAddress)) return false;
    out.resolutions.push({ name: m[1]!, ok: true, addresses });
    return true;
  }
  m = RESOLVE_FAIL.exec(line);
  if (m) return Boolean(out.resolutions.push({ name: m[1]!, ok: false, reason: m[2]! }));
  m = CONNECT.exec(line);
  if (m) return connect(out, m[1]!, m[2]!, m[3] as ProbeConnect["result"]);
  m = CONNECT_ERROR.exec(line);
  if (m) return connect(out, m[1]!, m[2]!, "ERROR", m[3]!.trim());
  m = TLS_DONE.exec(line);
  if (m) {
    if (!isAddress(m[2]!) || !isPort(m[3]!)) return false;
    const result = m[4] as "OK" | "FAIL";
    return Boolean(
      out.tls.push({ name: m[1]!, address: m[2]!, port: Number(m[3]), result, detail: m[5]!.trim() }),
    );
  }
  m = TLS_SKIP.exec(line);
  if (m) return Boolean(out.tls.push({ name: m[1]!, result: "SKIP", detail: m[2]! }));
  return false;
}

function connect(
  out: ProbeOutput,
  address: string,
  port: string,
  result: ProbeConnect["result"],
  detail?: string,
): boolean {
  if (!isAddress(address) || !isPort(port)) return false;
  out.connects.push({ address, port: Number(port), result, ...(detail ? { detail } : {}) });
  return true;
}

/** Every asked name answered exactly once, and every connection made to an address the names resolved to. */
function consistent(output: ProbeOutput, names: readonly string[]): ProbeParse {
  const answered = output.resolutions.map((r) => r.name);
  if (new Set(answered).size !== answered.length) return unreadable("a name is answered twice");
  const missing = names.filter((name) => !answered.includes(name));
  if (missing.length > 0) return unreadable(`no answer for ${missing.join(", ")}`);
  const extra = answered.filter((name) => !names.includes(name));
  if (names.length > 0 && extra.length > 0)
    return unreadable(`answers for names not asked: ${extra.join(", ")}`);
  const resolved = new Set(output.resolutions.flatMap((r) => (r.ok ? r.addresses : [])));
  const stray = output.connects.find((c) => !resolved.has(c.address));
  if (stray) return unreadable(`a connection to ${stray.address}, which no name resolved to`);
  return { ok: true, output };
}

function isAddress(value: string): boolean {
  return ipVersion(value) !== undefined && !value.includes("/");
}

function isPort(value: string): boolean {
  const port = Number(value);
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

function unreadable(reason: string): ProbeParse {
  return { ok: false, reason };
}
