import type { AlarmState } from "./alarm-event.js";

/** A JSON object as parsed: keys to values nobody has checked yet. */
export type Fields = Record<string, unknown>;

/** True for a plain JSON-like object (not null, not an array). */
export function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value as a non-blank string, or undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** The value as an object, or undefined. */
export function fields(value: unknown): Fields | undefined {
  return isFields(value) ? value : undefined;
}

/** The value as an array, or an empty one. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The first of `keys` present in `object` (for the Name/name spellings the payloads mix). */
export function either(object: Fields, ...keys: string[]): unknown {
  for (const key of keys) {
    if (Object.hasOwn(object, key)) return object[key];
  }
  return undefined;
}

const STATES: readonly AlarmState[] = ["ALARM", "OK", "INSUFFICIENT_DATA"];

/** The value as an alarm state, or undefined. */
export function alarmState(value: unknown): AlarmState | undefined {
  return STATES.find((state) => state === value);
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** An ISO 8601 timestamp with a zone (CloudWatch writes `+0000`) as UTC `toISOString()`, or undefined. */
export function isoTime(value: unknown): string | undefined {
  if (typeof value !== "string" || !TIMESTAMP.test(value)) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

const ACCOUNT_ID = /^\d{12}$/;

/** The value as a 12-digit AWS account id, or undefined. */
export function accountId(value: unknown): string | undefined {
  return typeof value === "string" && ACCOUNT_ID.test(value) ? value : undefined;
}

const REGION_CODE = /^[a-z]{2,4}(?:-[a-z]+)+-\d+$/;

/** The value as something shaped like a region code (us-east-1, us-gov-west-1, eusc-de-east-1), or undefined. */
export function regionCode(value: unknown): string | undefined {
  return typeof value === "string" && REGION_CODE.test(value) ? value : undefined;
}

/** A value for a one-line reason: a string JSON-quoted (line separators escaped) and cut to 60 characters. */
export function quote(value: unknown): string {
  if (typeof value !== "string") return kindOf(value);
  const cut = value.length > 60 ? `${value.slice(0, 60)}...` : value;
  return JSON.stringify(cut).replace(
    /[\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** What sort of JSON value this is, for reasons ("an array", "the number 3"); never throws. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
    case "bigint":
    case "boolean":
      return `the ${typeof value} ${String(value)}`;
    case "object":
      return "an object";
    default:
      return "nothing";
  }
}
