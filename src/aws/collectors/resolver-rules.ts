import {
  type ResolverRule as AwsResolverRule,
  ListResolverRuleAssociationsCommand,
  ListResolverRulesCommand,
  type ResolverRuleAssociation,
} from "@aws-sdk/client-route53resolver";
import type { Gap, ResolverRule } from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext, sharedRead } from "../context.js";

// Route 53 Resolver rules associated with the endpoint's VPC (FORWARD, SYSTEM, RECURSIVE): they decide where
// the VPC's DNS queries for a domain go. ListResolverRules cannot filter by rule id, so the account's rule list
// is read page by page only until every associated rule is found: two calls for most VPCs, one when none.

const PAGE_SIZE = 100;
/** Pages of associations read for one VPC. */
const ASSOCIATION_PAGE_CAP = 3;
/** Pages of the account's rules read looking for the associated ones. */
const RULE_PAGE_CAP = 3;

// What one shared read of a VPC's rules gives: the rules found (raw), and the associated ids that were not.
interface VpcRules {
  rules: AwsResolverRule[];
  missing: string[];
}

/**
 * The Resolver rules associated with `vpcId`, with their association. A failed read leaves a `resolverRules`
 * gap; associated rules not found within the page cap leave one too, beside the rules that were found.
 */
export async function collectResolverRules(
  ctx: CollectContext,
  vpcId: string,
): Promise<ResolverRule[] | undefined> {
  const read = await attempt(ctx, "resolverRules", "route53resolver:ListResolverRuleAssociations", () =>
    sharedRead(ctx, `route53resolver:ListResolverRuleAssociations:${vpcId}`, () =>
      listAssociations(ctx, vpcId),
    ),
  );
  if (!read) return undefined;
  const ids = [...new Set(read.map((a) => a.ResolverRuleId).filter((id): id is string => !!id))];
  if (ids.length === 0) return [];
  const found = await attempt(ctx, "resolverRules", "route53resolver:ListResolverRules", () =>
    sharedRead(ctx, `route53resolver:ListResolverRules:${vpcId}`, () => findRules(ctx, ids)),
  );
  if (!found) return undefined;
  if (found.missing.length > 0) ctx.gaps.push(missingGap(found.missing, vpcId));
  return found.rules
    .map((raw) => withAssociation(toResolverRule(raw), read))
    .sort((a, b) => a.domainName.localeCompare(b.domainName) || a.id.localeCompare(b.id));
}

async function listAssociations(ctx: CollectContext, vpcId: string): Promise<ResolverRuleAssociation[]> {
  const associations: ResolverRuleAssociation[] = [];
  let token: string | undefined;
  for (let page = 0; page < ASSOCIATION_PAGE_CAP; page++) {
    const out = await ctx.clients.route53resolver.send(
      new ListResolverRuleAssociationsCommand({
        Filters: [{ Name: "VPCId", Values: [vpcId] }],
        MaxResults: PAGE_SIZE,
        NextToken: token,
      }),
    );
    associations.push(...(out.ResolverRuleAssociations ?? []).filter((a) => !a.VPCId || a.VPCId === vpcId));
    token = out.NextToken || undefined;
    if (!token) break;
  }
  return associations;
}

// Stops at the first page after which no associated rule is missing.
async function findRules(ctx: CollectContext, ids: readonly string[]): Promise<VpcRules> {
  const wanted = new Set(ids);
  const rules: AwsResolverRule[] = [];
  let token: string | undefined;
  for (let page = 0; page < RULE_PAGE_CAP && wanted.size > 0; page++) {
    const out = await ctx.clients.route53resolver.send(
      new ListResolverRulesCommand({ MaxResults: PAGE_SIZE, NextToken: token }),
    );
    for (const raw of out.ResolverRules ?? []) {
      if (!raw.Id || !wanted.delete(raw.Id)) continue;
      rules.push(raw);
    }
    token = out.NextToken || undefined;
    if (!token) break;
  }
  return { rules, missing: [...wanted] };
}

/** A rule's domain as the snapshot keeps it: lower case, no trailing dot, "." for the root. */
export function normaliseRuleDomain(domain: string | undefined): string {
  const lower = (domain ?? "").trim().toLowerCase().replace(/\.+$/, "");
  return lower === "" ? "." : lower;
}

function toResolverRule(raw: AwsResolverRule): ResolverRule {
  return {
    id: raw.Id ?? "",
    name: raw.Name || undefined,
    domainName: normaliseRuleDomain(raw.DomainName),
    ruleType: raw.RuleType ?? "",
    status: raw.Status,
    targetIps: (raw.TargetIps ?? []).flatMap((t) => {
      const ip = t.Ip ?? t.Ipv6;
      return ip ? [{ ip, ...(t.Port !== undefined ? { port: t.Port } : {}) }] : [];
    }),
    resolverEndpointId: raw.ResolverEndpointId || undefined,
    ownerId: raw.OwnerId,
  };
}

function withAssociation(rule: ResolverRule, associations: ResolverRuleAssociation[]): ResolverRule {
  const association = associations.find((a) => a.ResolverRuleId === rule.id);
  return { ...rule, associationId: association?.Id, associationStatus: association?.Status };
}

function missingGap(ids: string[], vpcId: string): Gap {
  return {
    source: "resolverRules",
    iamAction: "route53resolver:ListResolverRules",
    error: "Incomplete",
    message: `${ids.join(", ")} associated with ${vpcId} not found in the first ${RULE_PAGE_CAP * PAGE_SIZE} Resolver rules of the account`,
  };
}
