import type { FlowRecord } from "../../diagnosis/snapshot.js";

// VPC flow-log records are space-separated values in the order of the flow log's LogFormat.

/** The format AWS uses when a flow log was created without a custom LogFormat (version 2). */
export const DEFAULT_FLOW_LOG_FORMAT =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: AWS's own placeholder syntax, not a template
  "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}";

/** The field names of a LogFormat, in order (`${srcaddr} ${dstaddr}` -> ["srcaddr", "dstaddr"]). */
export function flowLogFields(logFormat: string | undefined): string[] {
  const format = logFormat?.trim() ? logFormat : DEFAULT_FLOW_LOG_FORMAT;
  return format
    .trim()
    .split(/\s+/)
    .map((token) => token.match(/^\$\{([^}]+)\}$/)?.[1] ?? token);
}

/** One parsed line: the snapshot record plus the values the record has no field for. */
export interface ParsedFlowLine {
  record: FlowRecord;
  /** `OK`, `NODATA` (no traffic in the interval) or `SKIPDATA` (records lost), when the format has it. */
  logStatus?: string;
  /** Every field by name; `-` (no value) is left out. */
  values: Record<string, string>;
}

function integer(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Parses one record with the field names from `flowLogFields`. Returns undefined when the line does not have
 * one value per field (another format, or not a flow-log line at all).
 */
export function parseFlowLogLine(line: string, fields: string[]): ParsedFlowLine | undefined {
  const raw = line.trim();
  const tokens = raw.split(/\s+/);
  if (raw === "" || tokens.length !== fields.length) return undefined;
  const values: Record<string, string> = {};
  fields.forEach((field, i) => {
    const token = tokens[i];
    if (token !== undefined && token !== "-") values[field] = token;
  });
  const record: FlowRecord = { raw };
  if (values["interface-id"]) record.interfaceId = values["interface-id"];
  if (values.srcaddr) record.srcAddr = values.srcaddr;
  if (values.dstaddr) record.dstAddr = values.dstaddr;
  const srcPort = integer(values.srcport);
  if (srcPort !== undefined) record.srcPort = srcPort;
  const dstPort = integer(values.dstport);
  if (dstPort !== undefined) record.dstPort = dstPort;
  const protocol = integer(values.protocol);
  if (protocol !== undefined) record.protocol = protocol;
  if (values.action) record.action = values.action.toUpperCase();
  const start = integer(values.start);
  if (start !== undefined) record.start = start;
  const parsed: ParsedFlowLine = { record, values };
  if (values["log-status"]) parsed.logStatus = values["log-status"].toUpperCase();
  return parsed;
}

/** Parses a line with the first of several formats that fits it (one log group can hold several flow logs). */
export function parseWithAnyFormat(line: string, formats: string[][]): ParsedFlowLine | undefined {
  for (const fields of formats) {
    const parsed = parseFlowLogLine(line, fields);
    if (parsed) return parsed;
  }
  return undefined;
}
