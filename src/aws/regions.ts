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
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(code)) return undefined;
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
