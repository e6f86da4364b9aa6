import type { HostedZone, ZoneRecord } from "../diagnosis/snapshot.js";
import { gapsFor } from "./gaps.js";
import {
  bareName,
  DNS_DOCS,
  type DnsContext,
  dnsName,
  type Evidence,
  type Observation,
  regionalEntry,
  type ZoneAnswer,
  zoneId,
} from "./private-dns-facts.js";
import { recordsAt } from "./private-dns-records.js";

// Findings about a customer private hosted zone that answers the service's name (the centralised, hub-and-spoke
// pattern): healthy when its records lead to this endpoint, a fault when they lead elsewhere or are missing.

/** Adds what the zone's answer means to the evidence; returns the sentence that explains a healthy answer. */
export function judgeZone(
  ctx: DnsContext,
  zone: HostedZone,
  answer: ZoneAnswer,
  out: Evidence,
): string | undefined {
  const where = `private hosted zone ${zone.name} (${zoneId(zone.id)})`;
  switch (answer.kind) {
    case "endpoint": {
      out.observations.push(centralised(ctx, zone, answer.records, answer.targets));
      return `${ctx.name} resolves through ${where} to ${answer.targets.join(", ")} inside ${ctx.vpcId}`;
    }
    case "elsewhere":
      out.observations.push(pointsElsewhere(ctx, zone, answer.records, answer.stray));
      return undefined;
    case "missing":
      out.observations.push(noRecord(ctx, zone, answer.present));
      return undefined;
    case "unverifiable":
      out.observations.push(unverifiable(ctx, zone, answer.records, answer.reason));
      return undefined;
    case "unread":
      if (gapsFor(ctx.snapshot, "zoneRecords").length > 0) out.missing.push("zoneRecords");
      else out.unverified.push(`${where} answers ${ctx.name}, but ${answer.reason}`);
      return undefined;
  }
}

function centralised(
  ctx: DnsContext,
  zone: HostedZone,
  records: ZoneRecord[],
  targets: string[],
): Observation {
  return {
    level: "info",
    finding: {
      severity: "info",
      summary: `${ctx.name} resolves through private hosted zone ${zone.name} (${zoneId(zone.id)}) to ${targets.join(", ")}`,
      evidence: [
        ...records.map(show),
        `private DNS is ${ctx.endpoint.privateDnsEnabled ? "on" : "off"} on ${ctx.endpoint.id}; ${zone.name} is associated with ${ctx.vpcId} and answers ${ctx.name} with ${ctx.endpoint.id}`,
        "this is AWS's centralised (hub-and-spoke) endpoint pattern: a private hosted zone named after the service, aliasing the endpoint's DNS name",
      ],
      remediation: { text: "Nothing to do.", docs: DNS_DOCS.centralised },
      resourceIds: [zone.id, ctx.endpoint.id],
    },
  };
}

function pointsElsewhere(
  ctx: DnsContext,
  zone: HostedZone,
  records: ZoneRecord[],
  stray: string[],
): Observation {
  return {
    level: "fail",
    finding: {
      severity: "high",
      summary: `private hosted zone ${zone.name} (${zoneId(zone.id)}) answers ${ctx.name} with ${stray.join(", ")}, not with ${ctx.endpoint.id}`,
      evidence: [
        ...records.map(show),
        `${zone.name} is associated with ${ctx.vpcId}, so clients there connect to ${stray.join(", ")} instead of ${ctx.endpoint.id}`,
        `expected: an alias to ${regionalEntry(ctx.endpoint)?.dnsName ?? `a DNS name of ${ctx.endpoint.id}`} or A records on its ENI addresses`,
      ],
      remediation: upsert(ctx, zone, `Point ${ctx.name} in ${zone.name} at ${ctx.endpoint.id}`),
      resourceIds: [zone.id, ctx.endpoint.id],
    },
  };
}

function noRecord(ctx: DnsContext, zone: HostedZone, present: ZoneRecord[]): Observation {
  return {
    level: "fail",
    finding: {
      severity: "high",
      summary: `private hosted zone ${zone.name} (${zoneId(zone.id)}) covers ${ctx.name} but holds no A, AAAA or CNAME record for it, so clients in ${ctx.vpcId} get NXDOMAIN`,
      evidence: [
        ...present.map(show),
        `${zone.name} is associated with ${ctx.vpcId} and is the most specific zone for ${ctx.name}; Route 53 Resolver answers from it and does not fall back to public DNS`,
        `expected: an alias record for ${ctx.name} to ${ctx.endpoint.id}`,
      ],
      remediation: upsert(
        ctx,
        zone,
        `Create the record for ${ctx.name} in ${zone.name}, aliasing ${ctx.endpoint.id}`,
      ),
      resourceIds: [zone.id, ctx.endpoint.id],
    },
  };
}

function unverifiable(ctx: DnsContext, zone: HostedZone, records: ZoneRecord[], reason: string): Observation {
  return {
    level: "warn",
    finding: {
      severity: "medium",
      summary: `private hosted zone ${zone.name} (${zoneId(zone.id)}) answers ${ctx.name}, but whether it leads to ${ctx.endpoint.id} cannot be told: ${reason}`,
      evidence: [...records.map(show), reason],
      remediation: {
        text: `Resolve ${bareName(ctx.name)} from a client in ${ctx.vpcId} (dig +short ${bareName(ctx.name)}): it must return the ENI addresses of ${ctx.endpoint.id}.`,
        command: `aws route53 list-resource-record-sets --hosted-zone-id ${zoneId(zone.id)} --query "ResourceRecordSets[?Name=='${dnsName(records[0]?.name ?? ctx.name)}.']"`,
        docs: DNS_DOCS.centralised,
      },
      resourceIds: [zone.id, ctx.endpoint.id],
    },
  };
}

/** UPSERT an alias to the endpoint's regional name (after deleting a CNAME in the way), with the real JSON body. */
function upsert(ctx: DnsContext, zone: HostedZone, text: string) {
  const { endpoint } = ctx;
  const name = dnsName(ctx.name);
  const entry = regionalEntry(endpoint);
  const target = {
    HostedZoneId: entry?.hostedZoneId ?? `<hosted-zone-id-of-${endpoint.id}-dns-name>`,
    DNSName: entry?.dnsName ?? `<regional-dns-name-of-${endpoint.id}>`,
    EvaluateTargetHealth: false,
  };
  const cnames = recordsAt(zone, name).address.filter(
    (record) => dnsName(record.name) === name && record.type.toUpperCase() === "CNAME",
  );
  const types = /ipv6|dualstack/i.test(endpoint.dnsRecordIpType ?? "") ? ["A", "AAAA"] : ["A"];
  const changes = [
    ...cnames.map((record) => ({
      Action: "DELETE",
      ResourceRecordSet: {
        Name: name,
        Type: "CNAME",
        TTL: record.ttl ?? 300,
        ResourceRecords: record.values.map((Value) => ({ Value })),
      },
    })),
    ...types.map((Type) => ({
      Action: "UPSERT",
      ResourceRecordSet: { Name: name, Type, AliasTarget: target },
    })),
  ];
  return {
    text: `${text}: an alias to its regional DNS name ${target.DNSName}, which resolves to its ENI in each Availability Zone.`,
    command: `aws route53 change-resource-record-sets --hosted-zone-id ${zoneId(zone.id)} --change-batch '${JSON.stringify({ Changes: changes })}'`,
    docs: DNS_DOCS.centralised,
  };
}

function show(record: ZoneRecord): string {
  const value = record.alias ? `ALIAS ${record.alias.dnsName}` : record.values.join(", ");
  return `${record.name} ${record.type}${record.ttl !== undefined ? ` ${record.ttl}` : ""} -> ${value}`;
}
