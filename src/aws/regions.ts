import { partition } from "@aws-sdk/core/client";

/** What we know about a region code from the SDK's own partition data. */
export interface RegionInfo {
  code: string;
  partition: string;
  description: string;
  dnsSuffix: string;
}

/** The region's partition and display name, or undefined when the SDK does not list it (typos, fakes). */
export function regionInfo(code: string): RegionInfo | undefined {
  if (!/^[a-z]{2,4}(-[a-z]+)+-\d+$/.test(code)) return undefined;
  const info = partition(code) as { name: string; description?: string; dnsSuffix: string };
  if (!info.description) return undefined;
  return { code, partition: info.name, description: info.description, dnsSuffix: info.dnsSuffix };
}

const GLOBAL_REGIONS: Record<string, string> = {
  aws: "us-east-1",
  "aws-cn": "cn-northwest-1",
  "aws-us-gov": "us-gov-west-1",
};

/** The region that serves a partition's global APIs (Route 53, Health), for a region code. */
export function globalRegionFor(code: string): string {
  const info = regionInfo(code);
  return (info && GLOBAL_REGIONS[info.partition]) ?? info?.code ?? code;
}

// partition() answers one code at a time, so the catalog is found by asking it about every code shaped like
// the partitions' regionRegex patterns (area, direction, number); the SDK lists only the regions that exist.
const PREFIXES = [
  ...["af", "ap", "ca", "cn", "eu", "il", "me", "mx", "sa", "us"].map((area) => `${area}-`),
  ...["us-gov-", "us-iso-", "us-isob-", "us-isof-", "eu-isoe-", "eusc-de-"],
];
const DIRECTIONS = [
  "central",
  "east",
  "north",
  "northeast",
  "northwest",
  "south",
  "southeast",
  "southwest",
  "west",
];
const MAX_NUMBER = 12;

let displayNames: Map<string, string> | undefined;

/** Every region the SDK lists, keyed by its display name ("US East (N. Virginia)" -> "us-east-1"); built once. */
export function regionDisplayNames(): Map<string, string> {
  if (displayNames) return displayNames;
  const names = new Map<string, string>();
  for (const prefix of PREFIXES) {
    for (const direction of DIRECTIONS) {
      for (let n = 1; n <= MAX_NUMBER; n++) {
        const code = `${prefix}${direction}-${n}`;
        const { description } = partition(code) as { description?: string };
        if (description && !names.has(description)) names.set(description, code);
      }
    }
  }
  displayNames = names;
  return names;
}
