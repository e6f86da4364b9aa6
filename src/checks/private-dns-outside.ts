import type { Finding } from "../diagnosis/check.js";
import type { OutsidePath } from "../diagnosis/snapshot.js";
import { gapsFor } from "./gaps.js";
import {
  bareName,
  covers,
  DNS_DOCS,
  type DnsContext,
  dnsName,
  type Evidence,
  type Observation,
  type Resolution,
  regionalEntry,
} from "./private-dns-facts.js";

// DNS for a client outside the endpoint's VPC (issue 10). The private answer (private DNS, or a private hosted
// zone of the endpoint's VPC) exists only inside that VPC: another VPC gets it only from a private hosted zone
// associated with it, and an on-premises network only by forwarding to a Route 53 Resolver inbound endpoint
// in the endpoint's VPC. The endpoint's regional DNS name resolves to its private addresses from any network.

/** Where AWS explains DNS for interface endpoints reached from outside their VPC. */
const OUTSIDE_DOCS = {
  onPremises: "https://repost.aws/knowledge-center/vpc-interface-configure-dns",
  inbound:
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-overview-DSN-queries-to-vpc.html",
} as const;

/** Adds what the outside client's DNS needs to `out`; nothing when the client is inside the VPC. */
export function outsideDns(ctx: DnsContext, resolution: Resolution, out: Evidence): void {
  const path = ctx.snapshot.outsidePath;
  if (!path) return;
  if (gapsFor(ctx.snapshot, "outsidePath.dns").length > 0) {
    out.missing.push("outsidePath.dns");
    return;
  }
  const privateAnswer = resolution.answerer.kind === "private-dns" || resolution.answerer.kind === "zone";
  const observation = path.clientVpcId
    ? otherVpc(ctx, path, path.clientVpcId, privateAnswer)
    : onPremises(ctx, path, privateAnswer);
  if (observation) out.observations.push(observation);
}

function regionalName(ctx: DnsContext): string {
  const entry = regionalEntry(ctx.endpoint);
  return entry ? dnsName(entry.dnsName) : `the regional DNS name of ${ctx.endpoint.id}`;
}

function alwaysWorks(ctx: DnsContext): string {
  return `${regionalName(ctx)} (the endpoint's regional DNS name) resolves to its private addresses from any network`;
}

function otherVpc(
  ctx: DnsContext,
  path: OutsidePath,
  clientVpc: string,
  privateAnswer: boolean,
): Observation | undefined {
  const name = bareName(ctx.name);
  if (!path.clientZones) {
    return note(
      ctx,
      `the private hosted zones of ${clientVpc} were not collected, so how it resolves ${name} is unknown`,
    );
  }
  const zone = path.clientZones.find((z) => covers(dnsName(z.name), dnsName(ctx.name)));
  if (zone) {
    const sameZone = (ctx.snapshot.hostedZones ?? []).some((z) => z.id === zone.id);
    return note(
      ctx,
      `${zone.name} (${zone.id}) is associated with the client's ${clientVpc}, so it answers ${name} there${sameZone ? `, with the records judged above for ${ctx.vpcId}` : `: its records must lead to ${ctx.endpoint.id}`}`,
    );
  }
  if (!privateAnswer)
    return note(ctx, `nothing answers ${name} privately, in ${ctx.vpcId} or in ${clientVpc}`);
  return warn(ctx, {
    summary: `${name} resolves to ${ctx.endpoint.id} only inside ${ctx.vpcId}: from the client's ${clientVpc} it resolves to the service's public addresses`,
    evidence: [
      `no private hosted zone associated with ${clientVpc} covers ${name}`,
      "an endpoint's private DNS answers only in its own VPC; another VPC needs a private hosted zone associated with it",
      alwaysWorks(ctx),
    ],
    text: `From ${clientVpc}, use ${regionalName(ctx)}; or, to keep ${name}, create a private hosted zone for it with an alias record to ${regionalName(ctx)} and associate it with ${clientVpc} in the same change (AWS's centralised-endpoint pattern; an empty zone would stop ${name} resolving there).`,
    docs: DNS_DOCS.centralised,
    ids: [clientVpc],
  });
}

function onPremises(ctx: DnsContext, path: OutsidePath, privateAnswer: boolean): Observation | undefined {
  const name = bareName(ctx.name);
  if (!path.inboundResolvers) {
    return note(ctx, `the Route 53 Resolver inbound endpoints of ${ctx.vpcId} were not collected`);
  }
  if (!privateAnswer)
    return note(ctx, `nothing answers ${name} privately in ${ctx.vpcId}, for on-premises clients either`);
  const inbound = path.inboundResolvers;
  if (inbound.length > 0) {
    const ids = inbound.map((r) => `${r.id}${r.status ? ` (${r.status})` : ""}`).join(", ");
    return note(
      ctx,
      `Route 53 Resolver inbound endpoint ${ids} in ${ctx.vpcId} can answer ${name} for on-premises clients, if on-premises DNS forwards ${name} to its addresses (not readable from AWS)`,
      `aws route53resolver list-resolver-endpoint-ip-addresses --region ${ctx.region} --resolver-endpoint-id ${inbound[0]!.id}`,
    );
  }
  return warn(ctx, {
    summary: `${ctx.vpcId} has no Route 53 Resolver inbound endpoint, so on-premises clients resolve ${name} to the service's public addresses, not to ${ctx.endpoint.id}`,
    evidence: [
      `no INBOUND Resolver endpoint is hosted in ${ctx.vpcId}`,
      `on-premises DNS reaches the VPC's private answer for ${name} only through an inbound endpoint`,
      alwaysWorks(ctx),
    ],
    text: `Have on-premises clients use ${regionalName(ctx)}, or create a Route 53 Resolver inbound endpoint in ${ctx.vpcId} and a conditional forwarder for ${name} to its addresses on the on-premises DNS servers.`,
    docs: OUTSIDE_DOCS.inbound,
    ids: [ctx.vpcId],
  });
}

function note(ctx: DnsContext, summary: string, command?: string): Observation {
  const finding: Finding = {
    severity: "info",
    summary: `client outside ${ctx.vpcId}: ${summary}`,
    evidence: [summary, alwaysWorks(ctx)],
    remediation: {
      text: `Clients outside ${ctx.vpcId} can always use ${regionalName(ctx)}.`,
      command,
      docs: OUTSIDE_DOCS.onPremises,
    },
    resourceIds: [ctx.endpoint.id],
  };
  return { level: "info", finding };
}

function warn(
  ctx: DnsContext,
  w: { summary: string; evidence: string[]; text: string; docs: string; ids: string[] },
): Observation {
  return {
    level: "warn",
    finding: {
      severity: "medium",
      summary: w.summary,
      evidence: w.evidence,
      remediation: { text: w.text, command: `dig +short ${regionalName(ctx)}`, docs: w.docs },
      resourceIds: [ctx.endpoint.id, ...w.ids],
    },
  };
}
