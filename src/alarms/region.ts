import { accountId, regionCode } from "./read.js";

/** Looks a region display name up in the SDK's catalog (injected: alarms/ may not import @aws-sdk). */
export type RegionByName = (name: string) => string | undefined;

// CloudWatch names regions its own way: "EU (Ireland)" where the SDK says "Europe (Ireland)", and before
// 2018 "US East - N. Virginia" / "EU - Ireland". Each spelling is tried in turn against the SDK's names.
function spellings(name: string): string[] {
  const clean = name.trim().replace(/\s+/g, " ");
  const dashed = /^(.+?) - (.+)$/.exec(clean);
  const parenthesised = dashed ? `${dashed[1]} (${dashed[2]})` : clean;
  const european = parenthesised.replace(/^EU \(/, "Europe (");
  return [...new Set([clean, parenthesised, european])];
}

/** The region code for a CloudWatch notification's `Region` ("US East (N. Virginia)", "EU (Ireland)"), or undefined. */
export function regionFromDisplayName(name: string, regionByName: RegionByName): string | undefined {
  for (const spelling of spellings(name)) {
    const code = regionByName(spelling);
    if (code) return code;
  }
  return undefined;
}

const ALARM_ARN = /^arn:[a-z-]+:cloudwatch:([^:]*):([^:]*):alarm:./s;

/** The region and account in an alarm ARN (arn:aws:cloudwatch:us-east-1:123456789012:alarm:name), when well formed. */
export function fromAlarmArn(arn: string | undefined): { region?: string; accountId?: string; arn?: string } {
  const match = arn === undefined ? null : ALARM_ARN.exec(arn);
  if (!match) return {};
  return { arn, region: regionCode(match[1]), accountId: accountId(match[2]) };
}
