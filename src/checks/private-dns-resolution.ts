import type { HostedZone, ResolverRule } from "../diagnosis/snapshot.js";
import { type Answerer, covers, depth, inForce, inTransition, type Resolution } from "./private-dns-facts.js";

// Who answers a name for clients in a VPC, the way Route 53 Resolver decides it:
// - every private hosted zone associated with the VPC is an autodefined rule for its name, so it keeps answering
//   under a FORWARD rule for a less specific domain ("." or "com"); the endpoint's private DNS is such a zone;
// - among rules and zones the most specific domain wins;
// - for the same domain a Resolver rule takes precedence over a private hosted zone;
// - a SYSTEM rule keeps its domain with the VPC resolver (zones, then public DNS) despite a less specific FORWARD.
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-overview-forward-vpc-to-network-autodefined-rules.html
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html

/** What the resolution weighs: the name, the endpoint's own private zone, customer zones and Resolver rules. */
export interface ResolutionInputs {
  name: string;
  /** Whether the endpoint's private DNS zone answers queries from inside the VPC. */
  privateDnsAnswers: boolean;
  /** Customer private hosted zones associated with the VPC (the endpoint's own zone left out). */
  zones: readonly HostedZone[];
  rules: readonly ResolverRule[];
}

interface Candidate {
  depth: number;
  /** Ties on depth: a rule (0) beats a customer zone (1), which is inspected before the endpoint's zone (2). */
  rank: number;
  answerer: Answerer;
  rule?: ResolverRule;
}

/** Decides which rule or zone answers the name, most specific first. */
export function resolveName(inputs: ResolutionInputs): Resolution {
  const { name } = inputs;
  const rules = inputs.rules.filter((rule) => covers(rule.domainName, name));
  const zones = inputs.zones.filter((zone) => covers(zone.name, name));
  const local = localCandidates(inputs, zones);
  const ruled = rules.filter(inForce).flatMap((rule) => ruleCandidate(rule));
  const best = [...ruled, ...local].sort(byPrecedence)[0];
  const system = best?.rule && best.answerer.kind !== "forward" ? best.rule : undefined;
  const answerer: Answerer = system
    ? (local[0]?.answerer ?? { kind: "public" })
    : (best?.answerer ?? { kind: "public" });
  const forwarding = (rule: ResolverRule) => rule.ruleType.toUpperCase() === "FORWARD";
  return {
    name,
    answerer,
    system,
    overridden: rules.filter((rule) => forwarding(rule) && inForce(rule) && rule !== best?.rule),
    pending: rules.filter((rule) => forwarding(rule) && inTransition(rule)),
    hiddenZones: zones.filter((zone) => answerer.kind !== "zone" || answerer.zone !== zone),
  };
}

function localCandidates(inputs: ResolutionInputs, zones: HostedZone[]): Candidate[] {
  const candidates: Candidate[] = zones.map((zone) => ({
    depth: depth(zone.name),
    rank: 1,
    answerer: { kind: "zone", zone },
  }));
  if (inputs.privateDnsAnswers)
    candidates.push({ depth: depth(inputs.name), rank: 2, answerer: { kind: "private-dns" } });
  return candidates.sort(byPrecedence);
}

function ruleCandidate(rule: ResolverRule): Candidate[] {
  const type = rule.ruleType.toUpperCase();
  if (type === "FORWARD")
    return [{ depth: depth(rule.domainName), rank: 0, answerer: { kind: "forward", rule }, rule }];
  // SYSTEM (and the autodefined RECURSIVE) rules hand the name back to the VPC resolver; others do not match names.
  if (type === "SYSTEM" || type === "RECURSIVE") {
    return [{ depth: depth(rule.domainName), rank: 0, answerer: { kind: "public" }, rule }];
  }
  return [];
}

function byPrecedence(a: Candidate, b: Candidate): number {
  return b.depth - a.depth || a.rank - b.rank;
}
