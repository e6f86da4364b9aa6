import { parseEndpointId } from "../diagnosis/request.js";
import type { EndpointSource } from "./alarm-event.js";
import { either, isFields } from "./read.js";

/** Names the endpoint of alarms whose metric and description do not: `alarm` is a glob on the alarm name (`*`). */
export interface EndpointRule {
  alarm: string;
  endpointId: string;
}

/** An endpoint id and where it was read. */
export interface FoundEndpoint {
  endpointId: string;
  endpointFrom: EndpointSource;
}

const DIMENSION = "vpc endpoint id";

/** The lower-case endpoint id when the value is a valid vpce- id (8 or 17 hex digits), else undefined. */
export function validEndpointId(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    return parseEndpointId(value);
  } catch {
    return undefined;
  }
}

function isEndpointDimension(name: unknown): boolean {
  return typeof name === "string" && name.trim().replace(/\s+/g, " ").toLowerCase() === DIMENSION;
}

// SNS gives `[{ value, name }]` (lower-case keys; `Name`/`Value` accepted too), EventBridge a name -> value map.
/** The valid id in a metric's `VPC Endpoint Id` dimension, from either dimension shape, or undefined. */
export function endpointFromDimensions(dimensions: unknown): string | undefined {
  if (Array.isArray(dimensions)) {
    for (const dimension of dimensions) {
      if (!isFields(dimension) || !isEndpointDimension(either(dimension, "name", "Name"))) continue;
      const id = validEndpointId(either(dimension, "value", "Value"));
      if (id) return id;
    }
    return undefined;
  }
  if (!isFields(dimensions)) return undefined;
  for (const [name, value] of Object.entries(dimensions)) {
    const id = isEndpointDimension(name) ? validEndpointId(value) : undefined;
    if (id) return id;
  }
  return undefined;
}

const ID_IN_TEXT = /(?<![0-9a-z])vpce-(?:[0-9a-f]{17}|[0-9a-f]{8})(?![0-9a-z])/i;

/** The first vpce- id written in free text (an alarm description), lower-cased; vpce-svc- ids do not count. */
export function endpointFromText(value: unknown): string | undefined {
  const match = typeof value === "string" ? ID_IN_TEXT.exec(value) : null;
  return match ? validEndpointId(match[0]) : undefined;
}

function globMatches(glob: string, name: string): boolean {
  const pattern = glob
    .split("*")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("[\\s\\S]*");
  return new RegExp(`^${pattern}$`).test(name);
}

/** The endpoint of the first rule whose glob matches the alarm name (rules with an invalid id are skipped). */
export function endpointFromRules(alarmName: string, rules: readonly EndpointRule[]): string | undefined {
  for (const rule of rules) {
    if (!isFields(rule) || typeof rule.alarm !== "string") continue;
    const id = validEndpointId(rule.endpointId);
    if (id && globMatches(rule.alarm, alarmName)) return id;
  }
  return undefined;
}

/** The endpoint by precedence: a dimension, then an id in the description, then the first matching rule. */
export function findEndpoint(
  dimensionId: string | undefined,
  description: string | undefined,
  alarmName: string,
  rules: readonly EndpointRule[],
): FoundEndpoint | undefined {
  if (dimensionId) return { endpointId: dimensionId, endpointFrom: "dimension" };
  const described = endpointFromText(description);
  if (described) return { endpointId: described, endpointFrom: "description" };
  const ruled = endpointFromRules(alarmName, rules);
  return ruled ? { endpointId: ruled, endpointFrom: "rule" } : undefined;
}
