import type { Check, CheckOutcome } from "../diagnosis/check.js";
import type { Endpoint, HostedZone, ResolverRule, Service, Snapshot } from "../diagnosis/snapshot.js";
import { gapsFor, unknownIfGaps } from "./gaps.js";
import { type Egress, egressOf } from "./private-dns-egress.js";
import {
  DNS_DOCS,
  type DnsContext,
  type Evidence,
  endpointNames,
  type Observation,
  type Resolution,
  zoneId,
} from "./private-dns-facts.js";
import { outsideDns } from "./private-dns-outside.js";
import { zoneAnswer } from "./private-dns-records.js";
import { resolveName } from "./private-dns-resolution.js";
import { forwardRuleObservation, ruleNotes } from "./private-dns-rules.js";
import { vpcSide } from "./private-dns-servers.js";
import { judgeZone } from "./private-dns-zones.js";

// Private DNS: does the service's name resolve to the endpoint's ENIs from inside the VPC? Either through the
// endpoint's own private DNS, or through a private hosted zone that aliases it (AWS's centralised pattern), and
// not taken elsewhere by a Route 53 Resolver FORWARD rule. The facts live in the private-dns-* modules.

/** Checks that the service's private DNS name resolves to the interface endpoint inside its VPC. */
export const privateDns: Check = {
  id: "private-dns",
  title: "The service name resolves to the endpoint's private addresses inside the VPC",
  appliesTo: ["Interface"],
  notApplicable:
    "it has no DNS names of its own: clients keep the service's public name and reach it through route tables",
  needs: ["service"],
  docs: DNS_DOCS.privateDns,
  run(snapshot) {
    const endpoint = snapshot.endpoint!;
    const service = snapshot.service;
    if (!service) {
      return {
        status: "unknown",
        summary: `the details of ${endpoint.serviceName} were not returned, so its private DNS name is unknown`,
        findings: [],
      };
    }
    const name = service.privateDnsName;
    if (!name) return withoutPrivateName(endpoint, service);
    const vpcId = snapshot.vpc?.id ?? endpoint.vpcId;
    return withPrivateName({ snapshot, endpoint, service, name, vpcId, region: snapshot.region });
  },
};

/** Pass with a note: a service without a private DNS name is reached through the endpoint's own names. */
function withoutPrivateName(endpoint: Endpoint, service: Service): CheckOutcome {
  const names = endpoint.dnsEntries.map((entry) => entry.dnsName);
  return {
    status: "pass",
    summary: `${service.name} has no private DNS name: clients must use the DNS names of ${endpoint.id}`,
    findings: [
      {
        severity: "info",
        summary: `${service.name} has no private DNS name, so clients must address ${endpoint.id} by its own DNS names`,
        evidence: [
          names.length > 0
            ? `endpoint DNS names: ${names.join(", ")}`
            : `${endpoint.id} reports no DNS entries`,
        ],
        resourceIds: [endpoint.id],
      },
    ],
  };
}

function withPrivateName(ctx: DnsContext): CheckOutcome {
  const { endpoint, service } = ctx;
  const out: Evidence = { observations: [], missing: [], unverified: [] };
  const onlyInbound =
    isS3(endpoint) && endpoint.privateDnsEnabled && !!endpoint.privateDnsOnlyForInboundResolverEndpoint;
  const zones = customZones(ctx, out);
  const [rules, rulesNote] = resolverRules(ctx, out);
  const privateDnsAnswers = endpoint.privateDnsEnabled && !onlyInbound;
  const resolution = resolveName({ name: ctx.name, privateDnsAnswers, zones, rules });
  const healthy = answer(ctx, resolution, privateDnsAnswers, out);
  const dns = vpcSide(ctx, privateDnsAnswers || resolution.answerer.kind === "zone", out);
  if (endpoint.privateDnsEnabled && service.owner && service.owner.toLowerCase() !== "amazon") {
    const verification = verificationOf(service, ctx.name, ctx.region);
    if (verification) out.observations.push(verification);
  }
  if (onlyInbound) out.observations.push(inboundOnly(ctx));
  if (rulesNote) out.observations.push(rulesNote);
  outsideDns(ctx, resolution, out);
  const servers = dns.amazon ? "AmazonProvidedDNS" : "the VPC resolver";
  return conclude(ctx.snapshot, out, () =>
    resolution.answerer.kind === "private-dns"
      ? `${ctx.name} resolves to the endpoint inside ${ctx.vpcId} (private DNS on, DNS support and hostnames on, ${servers})`
      : (healthy ?? `${ctx.name} needs nothing from ${endpoint.id}'s private DNS in ${ctx.vpcId}`),
  );
}

/** Customer private hosted zones associated with the VPC; the endpoint's own private zone is left out. */
function customZones(ctx: DnsContext, out: Evidence): HostedZone[] {
  const { snapshot, endpoint } = ctx;
  if (gapsFor(snapshot, "hostedZones").length > 0) {
    out.missing.push("hostedZones");
    return [];
  }
  if (!snapshot.hostedZones) {
    out.unverified.push(`the private hosted zones of ${ctx.vpcId} were not collected`);
    return [];
  }
  const own = new Set(
    endpoint.dnsEntries.flatMap((entry) => (entry.hostedZoneId ? [zoneId(entry.hostedZoneId)] : [])),
  );
  return snapshot.hostedZones.filter((zone) => !own.has(zoneId(zone.id)));
}

/**
 * The Resolver rules associated with the VPC; a gap leaves the check unknown unless something else fails. A
 * snapshot without the field (older collector) gets a note: failing every saved snapshot on it would be noise.
 */
function resolverRules(ctx: DnsContext, out: Evidence): [ResolverRule[], Observation?] {
  const { snapshot } = ctx;
  if (gapsFor(snapshot, "resolverRules").length > 0) {
    out.missing.push("resolverRules");
    return [[]];
  }
  if (!snapshot.resolverRules) {
    const note: Observation = {
      level: "info",
      finding: {
        severity: "info",
        summary: `the Route 53 Resolver rules of ${ctx.vpcId} are not in this snapshot, so a FORWARD rule for ${ctx.name} could not be ruled out`,
        evidence: [
          "the snapshot has no resolverRules field (collected by an older version, or not collected)",
        ],
        remediation: {
          text: "Rerun the diagnosis with this version to read the rules.",
          command: `aws route53resolver list-resolver-rule-associations --region ${ctx.region} --filters Name=VPCId,Values=${ctx.vpcId}`,
          docs: DNS_DOCS.ruleMatching,
        },
      },
    };
    return [[], note];
  }
  return [snapshot.resolverRules];
}

/** What the answerer means for the endpoint; returns the sentence that explains a healthy answer. */
function answer(
  ctx: DnsContext,
  resolution: Resolution,
  privateDnsAnswers: boolean,
  out: Evidence,
): string | undefined {
  const answerer = resolution.answerer;
  if (answerer.kind === "forward") {
    const zone = ctx.snapshot.hostedZones ? resolution.hiddenZones[0] : undefined;
    const local = privateDnsAnswers
      ? `the private DNS of ${ctx.endpoint.id}`
      : zone
        ? `private hosted zone ${zone.name} (${zoneId(zone.id)})`
        : undefined;
    out.observations.push(forwardRuleObservation(ctx, answerer.rule, local));
    return undefined;
  }
  if (answerer.kind === "zone") {
    const healthy = judgeZone(
      ctx,
      answerer.zone,
      zoneAnswer(ctx.snapshot, ctx.endpoint, answerer.zone, ctx.name),
      out,
    );
    out.observations.push(...ruleNotes(ctx, resolution, `private hosted zone ${answerer.zone.name}`));
    return healthy;
  }
  if (answerer.kind === "private-dns") {
    out.observations.push(...ruleNotes(ctx, resolution, `the private zone of ${ctx.endpoint.id}`));
    out.observations.push(...resolution.hiddenZones.map((zone) => parentZone(ctx, zone)));
    return undefined;
  }
  out.observations.push(...ruleNotes(ctx, resolution, "the VPC resolver"));
  // Without the zone list a hub zone may answer: then the gap speaks, not a guess about public answers.
  if (!ctx.endpoint.privateDnsEnabled && ctx.snapshot.hostedZones) out.observations.push(publicAnswer(ctx));
  return undefined;
}

/** A parent-domain zone under private DNS: the endpoint's more specific zone answers, the parent does not. */
function parentZone(ctx: DnsContext, zone: HostedZone): Observation {
  return {
    level: "info",
    finding: {
      severity: "info",
      summary: `private hosted zone ${zone.name} (${zone.id}) is a parent domain of ${ctx.name}; the endpoint's more specific private zone answers while private DNS stays on`,
      evidence: [
        `Route 53 Resolver answers from the most specific private zone associated with ${ctx.vpcId}`,
        `if private DNS is turned off on ${ctx.endpoint.id}, ${ctx.name} resolves from ${zone.name} (NXDOMAIN unless it holds a record)`,
      ],
      resourceIds: [zone.id],
    },
  };
}

/**
 * Private DNS off and nothing private answers: the name resolves publicly. That is AWS's default for private DNS
 * off and clients may use the endpoint's own names on purpose, so it is a warning, unless the route tables prove
 * that the clients cannot leave the VPC to reach the public addresses: then their connections time out.
 */
function publicAnswer(ctx: DnsContext): Observation {
  const { endpoint, service, name, vpcId, region } = ctx;
  const names = endpointNames(endpoint);
  const egress = egressOf(ctx.snapshot, vpcId);
  const stranded = egress.kind === "none";
  return {
    level: stranded ? "fail" : "warn",
    finding: {
      severity: stranded ? "high" : "medium",
      summary: stranded
        ? `private DNS is off on ${endpoint.id}, so ${name} resolves to public addresses, and ${egress.scope} ${egress.tables.length === 1 ? "has" : "have"} no route out of ${vpcId}: connections to ${name} time out`
        : `private DNS is off on ${endpoint.id} and nothing in ${vpcId} answers ${name} privately: only clients that use the endpoint's own DNS names go through ${endpoint.id}`,
      evidence: [
        `${endpoint.id}: privateDnsEnabled = false; ${service.name} offers the private DNS name ${name}`,
        `no private hosted zone associated with ${vpcId} covers ${name}, and no Resolver rule forwards it`,
        egressLine(egress, name, vpcId),
        names.length > 0
          ? `endpoint DNS names: ${names.join(", ")}`
          : `${endpoint.id} reports no DNS names of its own`,
      ],
      remediation: {
        text: `${stranded ? "Enable" : `If clients should reach ${name} through ${endpoint.id}, enable`} private DNS on ${endpoint.id} (${vpcId} needs DNS support and DNS hostnames on); clients that address ${endpoint.id} by its own DNS names need nothing.`,
        command: `aws ec2 modify-vpc-endpoint --region ${region} --vpc-endpoint-id ${endpoint.id} --private-dns-enabled`,
        docs: DNS_DOCS.privateDns,
      },
      resourceIds: [endpoint.id, ...(stranded ? egress.tables.map((t) => t.id) : [])],
    },
  };
}

function egressLine(egress: Egress, name: string, vpcId: string): string {
  switch (egress.kind) {
    case "none":
      return `${egress.scope}: no default route (0.0.0.0/0) to an internet, NAT or transit gateway, so the public addresses of ${name} are unreachable`;
    case "some":
      return `${egress.without.map((t) => t.id).join(", ")} of ${vpcId} ${egress.without.length === 1 ? "has" : "have"} no default route: clients in their subnets time out on ${name}; the others leave ${vpcId} and bypass the endpoint`;
    case "all":
      return `${egress.scope}: a default route leads out, so clients that use ${name} reach the public service and bypass the endpoint (its policy does not apply to them)`;
    default:
      return `${egress.reason}: clients that use ${name} leave ${vpcId} through an internet or NAT gateway, or time out without one`;
  }
}

/** A custom service's private DNS name answers only once its provider has verified the domain. */
function verificationOf(service: Service, name: string, region: string): Observation | undefined {
  const state = service.privateDnsNameVerificationState;
  if (state?.toLowerCase() === "verified") return undefined;
  const serviceId = service.id ?? service.name;
  return {
    level: state ? "fail" : "warn",
    finding: {
      severity: state ? "high" : "medium",
      summary: state
        ? `the provider of ${service.name} has not verified its private DNS name ${name} (state ${state})`
        : `${service.name} does not report whether its private DNS name ${name} is verified`,
      evidence: [
        `${serviceId}: privateDnsNameVerificationState = ${state ?? "(not reported)"} (expected verified)`,
        "a custom endpoint service's private DNS name is served to consumers only after the provider proves the domain with a TXT record",
      ],
      remediation: {
        text: `Ask the provider of ${serviceId} to publish the verification TXT record and start verification in their account; until then use the endpoint's own DNS names.`,
        command: `aws ec2 start-vpc-endpoint-service-private-dns-verification --region ${region} --service-id ${serviceId}`,
        docs: DNS_DOCS.verification,
      },
      resourceIds: [serviceId],
    },
  };
}

/**
 * S3 interface endpoints can keep private DNS for queries that arrive through an inbound resolver only. With a
 * gateway endpoint route in the VPC that is AWS's recommended split (in-VPC through the gateway): a note.
 */
function inboundOnly(ctx: DnsContext): Observation {
  const { endpoint, name, vpcId, region } = ctx;
  const gateway = (ctx.snapshot.routeTables ?? [])
    .flatMap((table) => table.routes)
    .find((route) => route.destinationPrefixListId && route.gatewayId?.startsWith("vpce-"));
  return {
    level: gateway ? "info" : "warn",
    finding: {
      severity: gateway ? "info" : "low",
      summary: `private DNS of ${endpoint.id} answers only queries that arrive through a Route 53 Resolver inbound endpoint`,
      evidence: [
        `${endpoint.id}: privateDnsOnlyForInboundResolverEndpoint = true`,
        gateway
          ? `clients inside ${vpcId} resolve ${name} to public S3 addresses and reach S3 through gateway endpoint ${gateway.gatewayId} (route to ${gateway.destinationPrefixListId}), not through ${endpoint.id}`
          : `clients inside ${vpcId} resolve ${name} to public S3 addresses and no S3 gateway endpoint route was seen in ${vpcId}, so they reach S3 through an internet or NAT gateway (or time out)`,
        "on-premises clients that resolve through the inbound resolver endpoint get the interface endpoint's private addresses",
      ],
      remediation: {
        text: gateway
          ? "Nothing to do: in-VPC traffic uses the gateway endpoint, on-premises traffic the interface endpoint."
          : `Add an S3 gateway endpoint to ${vpcId}, or turn the option off to send in-VPC clients through ${endpoint.id}.`,
        command: `aws ec2 modify-vpc-endpoint --region ${region} --vpc-endpoint-id ${endpoint.id} --dns-options PrivateDnsOnlyForInboundResolverEndpoint=false`,
        docs: DNS_DOCS.s3,
      },
      resourceIds: [endpoint.id],
    },
  };
}

/** A failure wins over missing inputs; missing inputs win over warnings; otherwise warn or pass. */
function conclude(snapshot: Snapshot, out: Evidence, passSummary: () => string): CheckOutcome {
  const findings = out.observations.map((o) => o.finding);
  const failure = out.observations.find((o) => o.level === "fail");
  if (failure) return { status: "fail", summary: failure.finding.summary, findings };
  const gaps = unknownIfGaps(snapshot, ...out.missing);
  if (gaps) return { ...gaps, findings: [...gaps.findings, ...findings] };
  if (out.unverified.length > 0) {
    return {
      status: "unknown",
      summary: out.unverified[0]!,
      findings: [
        {
          severity: "medium",
          summary: `private DNS could not be fully verified: ${out.unverified.join("; ")}`,
          evidence: out.unverified,
        },
        ...findings,
      ],
    };
  }
  const warning = out.observations.find((o) => o.level === "warn");
  if (warning) return { status: "warn", summary: warning.finding.summary, findings };
  return { status: "pass", summary: passSummary(), findings };
}

function isS3(endpoint: Endpoint): boolean {
  return /\.s3$/i.test(endpoint.serviceName);
}
