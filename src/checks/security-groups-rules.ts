import type { SecurityGroup, SgRule, Snapshot } from "../diagnosis/snapshot.js";
import {
  type AddressSet,
  cidrSet,
  emptySet,
  formatSet,
  intersect,
  isEmptySet,
  subtract,
  toCidrs,
  union,
} from "./address-set.js";
import { describeGap, gapsFor } from "./gaps.js";

// Security-group rules as facts: which rules cover a port, which addresses they admit (prefix lists expanded).

const PROTOCOL_NAMES: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

/** One rule and the group it belongs to. */
export interface GroupRule {
  groupId: string;
  rule: SgRule;
}

/** A prefix-list rule whose entries are not known, and why. */
export interface Unexpanded {
  groupRule: GroupRule;
  reason: string;
}

/** Per address block: the part no rule covers, and the rules that cover some of it. */
export interface Coverage {
  block: string;
  uncovered: AddressSet;
  by: GroupRule[];
}

function trafficOf(rule: SgRule): string {
  const protocol = rule.protocol.toLowerCase();
  if (protocol === "-1" || protocol === "all") return "all traffic";
  const name = PROTOCOL_NAMES[protocol] ?? protocol;
  const { fromPort: from, toPort: to } = rule;
  if (from === undefined || to === undefined || from === -1) return name;
  return from === to ? `${name}/${from}` : `${name}/${from}-${to}`;
}

/** "sgr-0a: tcp/443 from 10.0.0.0/16", "all traffic to members of sg-0b". */
export function describeRule(rule: SgRule, direction: "from" | "to"): string {
  const peer =
    rule.cidrIpv4 ??
    rule.cidrIpv6 ??
    (rule.prefixListId ? `prefix list ${rule.prefixListId}` : undefined) ??
    (rule.referencedGroupId ? `members of ${rule.referencedGroupId}` : "(no peer)");
  return `${rule.ruleId ? `${rule.ruleId}: ` : ""}${trafficOf(rule)} ${direction} ${peer}`;
}

/** True when the rule lets TCP through on `port` (all traffic, or a TCP range containing it). */
export function ruleCoversPort(rule: SgRule, port: number): boolean {
  const protocol = rule.protocol.toLowerCase();
  if (protocol === "-1" || protocol === "all") return true;
  if (protocol !== "tcp" && protocol !== "6") return false;
  const { fromPort: from, toPort: to } = rule;
  if (from === undefined || to === undefined || from === -1) return true;
  return from <= port && port <= to;
}

/** "observed sg-0a ingress: <rules>" for each group. */
export function observedLines(groups: SecurityGroup[], direction: "ingress" | "egress"): string[] {
  return groups.map((group) => {
    const rules = group[direction];
    const text = rules.length
      ? rules.map((r) => describeRule(r, direction === "ingress" ? "from" : "to")).join("; ")
      : "(none)";
    return `observed ${group.id} ${direction}: ${text}`;
  });
}

/** The collected groups among `ids`, the ids whose rules were not collected, and the rules covering the port. */
export function rulesOnPort(
  groups: SecurityGroup[],
  ids: string[],
  direction: "ingress" | "egress",
  port: number,
): { found: SecurityGroup[]; missing: string[]; portRules: GroupRule[] } {
  const found = ids.flatMap((id) => groups.filter((g) => g.id === id));
  const missing = ids.filter((id) => !found.some((g) => g.id === id));
  const portRules = found.flatMap((g) =>
    g[direction].filter((rule) => ruleCoversPort(rule, port)).map((rule) => ({ groupId: g.id, rule })),
  );
  return { found, missing, portRules };
}

/** The CIDRs of a managed prefix list, or why they are not known (never guessed). */
export function expandPrefixList(snapshot: Snapshot, id: string): { cidrs: string[] } | { reason: string } {
  const list = snapshot.prefixLists?.find((pl) => pl.id === id);
  if (list) return { cidrs: list.entries.map((e) => e.cidr) };
  const gap = gapsFor(snapshot, "prefixLists")[0];
  if (gap) return { reason: describeGap(gap) };
  if (snapshot.prefixLists) return { reason: `${id} is not among the collected prefix lists` };
  return { reason: "prefix lists were not collected" };
}

/** "prefix list pl-0a (corp-ranges): 10.8.0.0/16, 10.9.0.0/16" for each expanded list the rules use. */
export function expandedLines(snapshot: Snapshot, rules: GroupRule[]): string[] {
  const ids = [...new Set(rules.flatMap((gr) => (gr.rule.prefixListId ? [gr.rule.prefixListId] : [])))];
  return ids.flatMap((id) => {
    const list = snapshot.prefixLists?.find((pl) => pl.id === id);
    if (!list) return [];
    const entries = list.entries.map((e) => e.cidr).join(", ") || "(no entries)";
    return [`prefix list ${id}${list.name ? ` (${list.name})` : ""} holds: ${entries}`];
  });
}

function ruleSets(snapshot: Snapshot, gr: GroupRule, unexpanded: Unexpanded[]): AddressSet[] {
  const cidr = gr.rule.cidrIpv4 ?? gr.rule.cidrIpv6;
  if (cidr) return [cidrSet(cidr)].flatMap((s) => (s ? [s] : []));
  if (!gr.rule.prefixListId) return [];
  const expanded = expandPrefixList(snapshot, gr.rule.prefixListId);
  if ("reason" in expanded) {
    unexpanded.push({ groupRule: gr, reason: expanded.reason });
    return [];
  }
  return expanded.cidrs.flatMap((c) => [cidrSet(c)].flatMap((s) => (s ? [s] : [])));
}

/** Which part of each block the rules' CIDRs and expanded prefix lists cover, and which prefix lists were unknown. */
export function coverage(
  snapshot: Snapshot,
  blocks: string[],
  rules: GroupRule[],
): { covered: Coverage[]; unexpanded: Unexpanded[] } {
  const unexpanded: Unexpanded[] = [];
  const sets = rules.map((gr) => ({ gr, sets: ruleSets(snapshot, gr, unexpanded) }));
  const covered = blocks.flatMap((block) => {
    const set = cidrSet(block);
    if (!set) return [];
    let admitted = emptySet(set.family);
    const by: GroupRule[] = [];
    for (const { gr, sets: ruleSet } of sets) {
      const overlap = ruleSet.reduce((acc, s) => union(acc, intersect(set, s)), emptySet(set.family));
      if (isEmptySet(overlap)) continue;
      admitted = union(admitted, overlap);
      by.push(gr);
    }
    return [{ block, uncovered: subtract(set, admitted), by }];
  });
  return { covered, unexpanded };
}

/** "10.0.128.0/17 of 10.0.0.0/16", or "10.0.0.0/16 (all of it)". */
export function notCovered(c: Coverage): string {
  const all = toCidrs(c.uncovered);
  return all.length === 1 && all[0] === c.block
    ? `${c.block} (all of it)`
    : `${formatSet(c.uncovered)} of ${c.block}`;
}

/** "sg-a admits" / "sg-a, sg-b admit". */
export function plural(ids: string[], one: string, many: string): string {
  return `${ids.join(", ")} ${ids.length > 1 ? many : one}`;
}
