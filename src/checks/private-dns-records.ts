import type { Endpoint, HostedZone, Snapshot, ZoneRecord } from "../diagnosis/snapshot.js";
import { describeGap, gapsFor } from "./gaps.js";
import {
  bareName,
  covers,
  dnsName,
  endpointAddresses,
  isEndpointName,
  isVpceName,
  type ZoneAnswer,
} from "./private-dns-facts.js";

// What a customer private hosted zone answers for the service's name: records in, facts out.
// A matching zone without a record for the name answers NXDOMAIN (Route 53 does not fall back to public DNS).

const ADDRESS_TYPES = new Set(["A", "AAAA", "CNAME"]);
const MAX_CHAIN = 3;

/** The records at the name (exact owner, else the nearest wildcard), split into address records and the rest. */
export function recordsAt(zone: HostedZone, name: string): { address: ZoneRecord[]; other: ZoneRecord[] } {
  const records = zone.records ?? [];
  for (const owner of ownerNames(zone, name)) {
    const here = records.filter((record) => dnsName(record.name) === owner);
    if (here.length === 0) continue;
    const address = here.filter((record) => ADDRESS_TYPES.has(record.type.toUpperCase()));
    return { address, other: here.filter((record) => !address.includes(record)) };
  }
  return { address: [], other: [] };
}

/** The owner names that could answer `name` in the zone: itself, then wildcards from the nearest parent up. */
function ownerNames(zone: HostedZone, name: string): string[] {
  const query = dnsName(name);
  const apex = bareName(zone.name);
  const labels = bareName(query).split(".");
  // A wildcard query (*.s3...) stands for any name below its base, so the base's own wildcard comes first.
  const start = query.startsWith("*.") ? 0 : 1;
  const wildcards: string[] = [];
  for (let i = start; i < labels.length; i += 1) {
    const parent = labels.slice(i).join(".");
    if (!covers(apex, parent)) break;
    wildcards.push(`*.${parent}`);
  }
  return [query, ...wildcards.filter((owner) => owner !== query)];
}

/** What the zone answers for the name, judged against the endpoint's DNS names and ENI addresses. */
export function zoneAnswer(
  snapshot: Snapshot,
  endpoint: Endpoint,
  zone: HostedZone,
  name: string,
): ZoneAnswer {
  if (!zone.records) {
    const gap = gapsFor(snapshot, "zoneRecords")[0];
    return {
      kind: "unread",
      reason: gap ? describeGap(gap) : `the records of ${zone.name} were not collected`,
    };
  }
  const { address, other } = recordsAt(zone, name);
  if (address.length === 0) {
    if (zone.recordsTruncated) {
      return {
        kind: "unread",
        reason: `the record list of ${zone.name} was truncated before a record for ${name}`,
      };
    }
    return { kind: "missing", present: other };
  }
  const verdicts = address.map((record) => judge(snapshot, endpoint, zone, record, 0));
  const stray = verdicts.flatMap((v) => v.stray);
  if (stray.length > 0) return { kind: "elsewhere", records: address, stray };
  const doubt = verdicts.find((v) => v.doubt)?.doubt;
  if (doubt) return { kind: "unverifiable", records: address, reason: doubt };
  return { kind: "endpoint", records: address, targets: [...new Set(verdicts.flatMap((v) => v.targets))] };
}

interface Verdict {
  targets: string[];
  stray: string[];
  doubt?: string;
}

function judge(
  snapshot: Snapshot,
  endpoint: Endpoint,
  zone: HostedZone,
  record: ZoneRecord,
  hops: number,
): Verdict {
  const type = record.type.toUpperCase();
  const target = record.alias?.dnsName ?? (type === "CNAME" ? record.values[0] : undefined);
  if (target !== undefined) return judgeName(snapshot, endpoint, zone, dnsName(target), hops);
  const addresses = endpointAddresses(snapshot, endpoint);
  if (!addresses) {
    return {
      targets: [],
      stray: [],
      doubt: `the ENIs of ${endpoint.id} were not read, so ${record.values.join(", ")} cannot be matched to them`,
    };
  }
  const stray = record.values.filter((value) => !addresses.has(value));
  return { targets: record.values.filter((value) => addresses.has(value)), stray };
}

function judgeName(
  snapshot: Snapshot,
  endpoint: Endpoint,
  zone: HostedZone,
  target: string,
  hops: number,
): Verdict {
  if (isEndpointName(endpoint, target)) return { targets: [target], stray: [] };
  if (isVpceName(target)) return { targets: [], stray: [`${target} (another endpoint)`] };
  if (covers(zone.name, target) && hops < MAX_CHAIN) {
    const next = recordsAt(zone, target).address;
    if (next.length === 0) return { targets: [], stray: [`${target} (no record in ${zone.name})`] };
    const verdicts = next.map((record) => judge(snapshot, endpoint, zone, record, hops + 1));
    return {
      targets: verdicts.flatMap((v) => v.targets),
      stray: verdicts.flatMap((v) => v.stray),
      doubt: verdicts.find((v) => v.doubt)?.doubt,
    };
  }
  return {
    targets: [],
    stray: [],
    doubt: `${target} is not a DNS name of ${endpoint.id}; where it resolves is not in the snapshot`,
  };
}
