import { ListResourceRecordSetsCommand, type ResourceRecordSet } from "@aws-sdk/client-route-53";
import type { HostedZone, ZoneRecord } from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext, sharedRead } from "../context.js";

// The records of the private hosted zones that answer for the service's private DNS name: a zone named after
// it (the hub-and-spoke pattern) or after a parent domain of it. Other zones are not read.

/** At most this many covering zones are read (one or two in practice). */
const ZONE_CAP = 5;
/** Records per ListResourceRecordSets page (the API allows 300). */
const PAGE_SIZE = 300;
/** Pages read per zone; a zone with more records is marked `recordsTruncated`. */
const PAGE_CAP = 3;

/** A DNS name as the snapshot keeps it: lower case, no trailing dot, Route 53's octal escapes decoded ("\052" -> "*"). */
export function normaliseDnsName(name: string): string {
  const decoded = name.replace(/\\(\d{3})/g, (_, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
  const lower = decoded.toLowerCase();
  return lower.endsWith(".") && lower !== "." ? lower.slice(0, -1) : lower;
}

/**
 * `zones` with `records` filled in for each zone that covers `privateDnsName` (same name or a parent domain),
 * keeping only the records that decide how the name resolves. No covering zone: no call. A zone that cannot
 * be read keeps no `records` and leaves a `zoneRecords` gap.
 */
export async function collectZoneRecords(
  ctx: CollectContext,
  zones: readonly HostedZone[],
  privateDnsName: string | undefined,
): Promise<HostedZone[]> {
  if (!privateDnsName) return [...zones];
  const names = namesOf(privateDnsName);
  const covering = new Set(zones.filter((zone) => covers(zone.name, names)).slice(0, ZONE_CAP));
  return Promise.all(
    zones.map(async (zone) => {
      if (!covering.has(zone)) return zone;
      const read = await readZone(ctx, zone, names);
      return read ? { ...zone, ...read } : zone;
    }),
  );
}

/** True when a private hosted zone named `zoneName` answers for `privateDnsName` (same name or a parent domain). */
export function coversName(zoneName: string, privateDnsName: string): boolean {
  return covers(zoneName, namesOf(privateDnsName));
}

// "*.s3.us-east-1.amazonaws.com" is also asked for as "s3.us-east-1.amazonaws.com".
function namesOf(privateDnsName: string): string[] {
  const name = normaliseDnsName(privateDnsName);
  return name.startsWith("*.") ? [name, name.slice(2)] : [name];
}

function covers(zoneName: string, names: readonly string[]): boolean {
  const zone = normaliseDnsName(zoneName);
  return names.some((name) => name === zone || name.endsWith(`.${zone}`));
}

async function readZone(
  ctx: CollectContext,
  zone: HostedZone,
  names: readonly string[],
): Promise<{ records: ZoneRecord[]; recordsTruncated?: boolean } | undefined> {
  const zoneName = normaliseDnsName(zone.name);
  const exact = names.every((name) => name === zoneName);
  return attempt(ctx, "zoneRecords", "route53:ListResourceRecordSets", async () => {
    const { raw, truncated } = await sharedRead(
      ctx,
      `route53:ListResourceRecordSets:${zone.id}:${exact ? zoneName : "*"}`,
      () => listRecords(ctx, zone.id, zoneName, exact),
    );
    const records = raw.map(toZoneRecord).filter((record) => relevant(record, zoneName, names));
    return truncated ? { records, recordsTruncated: true } : { records };
  });
}

// A zone named after the service only answers with its apex records, listed first: stop at the first other
// name. A parent zone is read from its apex, up to PAGE_CAP pages.
async function listRecords(
  ctx: CollectContext,
  zoneId: string,
  zoneName: string,
  apexOnly: boolean,
): Promise<{ raw: ResourceRecordSet[]; truncated: boolean }> {
  const raw: ResourceRecordSet[] = [];
  let start: { name?: string; type?: string; identifier?: string } = { name: zoneName };
  for (let page = 0; page < PAGE_CAP; page++) {
    const out = await ctx.clients.route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        MaxItems: PAGE_SIZE,
        StartRecordName: start.name,
        StartRecordType: start.type as ResourceRecordSet["Type"],
        StartRecordIdentifier: start.identifier,
      }),
    );
    const sets = out.ResourceRecordSets ?? [];
    raw.push(...sets);
    const leftApex = apexOnly && sets.some((set) => normaliseDnsName(set.Name ?? "") !== zoneName);
    if (!out.IsTruncated || leftApex) return { raw, truncated: false };
    start = { name: out.NextRecordName, type: out.NextRecordType, identifier: out.NextRecordIdentifier };
  }
  return { raw, truncated: true };
}

function toZoneRecord(set: ResourceRecordSet): ZoneRecord {
  const alias = set.AliasTarget;
  return {
    name: normaliseDnsName(set.Name ?? ""),
    type: set.Type ?? "",
    // An alias record has no TTL of its own (moto reports 0).
    ...(set.TTL !== undefined && !alias ? { ttl: set.TTL } : {}),
    values: (set.ResourceRecords ?? []).flatMap((r) => (r.Value ? [r.Value] : [])),
    ...(alias
      ? {
          alias: {
            dnsName: normaliseDnsName(alias.DNSName ?? ""),
            hostedZoneId: alias.HostedZoneId,
            evaluateTargetHealth: alias.EvaluateTargetHealth,
          },
        }
      : {}),
  };
}

/**
 * Records that decide how `names` resolve: the names themselves, a wildcard at any ancestor inside the zone,
 * and a delegation (NS) below the apex on the way down. The zone's own SOA and apex NS never do.
 */
function relevant(record: ZoneRecord, zoneName: string, names: readonly string[]): boolean {
  if (record.type === "SOA") return false;
  if (record.type === "NS" && record.name === zoneName) return false;
  return names.some((name) => {
    if (record.name === name) return true;
    const ancestors = ancestorsWithin(name, zoneName);
    if (record.type === "NS" && ancestors.includes(record.name)) return true;
    return ancestors.some((ancestor) => record.name === `*.${ancestor}`);
  });
}

// The proper ancestors of `name` down from the zone apex, e.g. (a.b.example.com, example.com) -> [b.example.com, example.com].
function ancestorsWithin(name: string, zoneName: string): string[] {
  const out: string[] = [];
  let rest = name;
  while (rest !== zoneName && rest.includes(".")) {
    rest = rest.slice(rest.indexOf(".") + 1);
    out.push(rest);
  }
  return rest === zoneName ? out : [];
}
