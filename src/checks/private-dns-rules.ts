import type { ResolverRule } from "../diagnosis/snapshot.js";
import {
  bareName,
  DNS_DOCS,
  type DnsContext,
  depth,
  endpointNames,
  type Observation,
  type Resolution,
  ruleLabel,
  targetsOf,
} from "./private-dns-facts.js";

// Findings about Route 53 Resolver rules: a FORWARD rule that takes the name away from the VPC resolver, and the
// notes that explain why a less specific FORWARD rule does not.

/**
 * A FORWARD rule answers the name. `localAnswer` says whether the VPC resolver would otherwise answer it privately
 * (the endpoint's private DNS or a private hosted zone): then the rule bypasses a private answer, a proven fault.
 */
export function forwardRuleObservation(
  ctx: DnsContext,
  rule: ResolverRule,
  localAnswer: string | undefined,
): Observation {
  const { endpoint, vpcId, name } = ctx;
  const evidence = [
    `${ruleLabel(rule)}: type FORWARD, associated with ${vpcId}, targets ${targetsOf(rule)}`,
    `Route 53 Resolver sends a query to the rule with the most specific matching domain, and a rule takes precedence over a private hosted zone for the same domain: queries for ${name} from ${vpcId} go to ${targetsOf(rule)}`,
  ];
  if (!localAnswer) {
    return {
      level: "warn",
      finding: {
        severity: "medium",
        summary: `${ruleLabel(rule)} forwards ${name} from ${vpcId} to ${targetsOf(rule)}; whether they answer with ${endpoint.id}'s addresses is not in the snapshot`,
        evidence: [
          ...evidence,
          `nothing in ${vpcId} answers ${name} privately (private DNS is off on ${endpoint.id} and no private hosted zone covers it)`,
        ],
        remediation: {
          text: `Check what ${targetsOf(rule)} answer for ${name} (dig +short ${bareName(name)} @${rule.targetIps[0]?.ip ?? "<target-ip>"}); clients reach ${endpoint.id} only if it is one of ${endpointNames(endpoint).join(", ") || "its DNS names"} or its ENI addresses.`,
          docs: DNS_DOCS.ruleMatching,
        },
        resourceIds: [rule.id, endpoint.id],
      },
    };
  }
  return {
    level: "fail",
    finding: {
      severity: "high",
      summary: `${ruleLabel(rule)} forwards ${name} away from the VPC resolver of ${vpcId}, so ${localAnswer} never answers it`,
      evidence: [...evidence, `expected: ${name} answered inside ${vpcId} by ${localAnswer}`],
      remediation: restoreLocal(ctx, rule),
      resourceIds: [rule.id, endpoint.id],
    },
  };
}

/** Keep the name with the VPC resolver: a SYSTEM rule for it when the FORWARD rule is broader, else drop the rule. */
function restoreLocal(ctx: DnsContext, rule: ResolverRule) {
  const { region, vpcId, name } = ctx;
  const domain = bareName(name);
  const back = `or have ${targetsOf(rule)} forward ${domain} back to a Route 53 Resolver inbound endpoint in ${vpcId}`;
  if (depth(rule.domainName) < depth(domain)) {
    const slug = domain.replace(/[^a-z0-9]+/g, "-");
    return {
      text: `Create a SYSTEM rule for ${domain} and associate it with ${vpcId}, so the VPC resolver answers it while ${rule.domainName} stays forwarded (${back}).`,
      command: `RULE_ID=$(aws route53resolver create-resolver-rule --region ${region} --rule-type SYSTEM --domain-name ${domain} --name system-${slug} --creator-request-id vpce-doctor-system-${slug} --query ResolverRule.Id --output text) && aws route53resolver associate-resolver-rule --region ${region} --resolver-rule-id "$RULE_ID" --vpc-id ${vpcId} --name system-${slug}`,
      docs: DNS_DOCS.ruleValues,
    };
  }
  return {
    text: `${rule.id} is for ${domain} itself, so no more specific SYSTEM rule can override it: disassociate it from ${vpcId} (${back}).`,
    command: `aws route53resolver disassociate-resolver-rule --region ${region} --vpc-id ${vpcId} --resolver-rule-id ${rule.id}`,
    docs: DNS_DOCS.zones,
  };
}

/** Notes on rules that cover the name but do not decide it: overridden, kept local by a SYSTEM rule, in transition. */
export function ruleNotes(ctx: DnsContext, resolution: Resolution, answeredBy: string): Observation[] {
  const notes: Observation[] = resolution.overridden.map((rule) => ({
    level: "info",
    finding: {
      severity: "info",
      summary: resolution.system
        ? `${ruleLabel(rule)} would forward ${ctx.name}, but SYSTEM rule ${ruleLabel(resolution.system)} keeps it with the VPC resolver`
        : `${ruleLabel(rule)} forwards less specific names; ${answeredBy} is more specific and keeps answering ${ctx.name}`,
      evidence: [
        `${ruleLabel(rule)}: type FORWARD, targets ${targetsOf(rule)}`,
        resolution.system
          ? "a SYSTEM rule makes Route 53 Resolver resolve its domain itself despite a less specific FORWARD rule"
          : "Route 53 Resolver creates an autodefined rule for each private hosted zone associated with the VPC, so the zone keeps answering under a FORWARD rule for a less specific domain",
      ],
      remediation: { text: "Nothing to do.", docs: DNS_DOCS.autodefinedRules },
      resourceIds: [rule.id],
    },
  }));
  return [...notes, ...resolution.pending.map((rule) => pendingRule(ctx, rule))];
}

function pendingRule(ctx: DnsContext, rule: ResolverRule): Observation {
  return {
    level: "warn",
    finding: {
      severity: "medium",
      summary: `${ruleLabel(rule)} is being ${rule.associationStatus?.toUpperCase() === "DELETING" ? "removed from" : "associated with"} ${ctx.vpcId}: it may take ${ctx.name} away from the VPC resolver`,
      evidence: [
        `${rule.id}: association status ${rule.associationStatus}, type FORWARD, targets ${targetsOf(rule)}`,
      ],
      remediation: {
        text: "Rerun the diagnosis once the association settles.",
        command: `aws route53resolver list-resolver-rule-associations --region ${ctx.region} --filters Name=VPCId,Values=${ctx.vpcId}`,
        docs: DNS_DOCS.ruleMatching,
      },
      resourceIds: [rule.id],
    },
  };
}
