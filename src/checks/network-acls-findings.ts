import type { Finding } from "../diagnosis/check.js";
import type { NetworkAcl, Snapshot } from "../diagnosis/snapshot.js";
import { type AddressSet, cidrSet, formatPorts, formatSet, subtract, toCidrs } from "./address-set.js";
import { describeKinds, EPHEMERAL_DOCS, impactLines, replyImpact } from "./network-acls-ephemeral.js";
import {
  type Denial,
  describeEntry,
  type Evaluation,
  type Flow,
  IMPLICIT_RULE,
  sortedEntries,
} from "./network-acls-walk.js";

// Facts to findings: one finding per hop that drops traffic, with what was observed against what was expected,
// the drops, and one allow entry that fixes the hop without touching anything that works today.

/** AWS's page on NACL rules. */
export const NACL_DOCS = "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html";

/** "outbound"/"to"/"--egress" or "inbound"/"from"/"--ingress". */
export function direction(flow: Flow): { dir: string; prep: string; flag: string } {
  return flow.egress
    ? { dir: "outbound", prep: "to", flag: "--egress" }
    : { dir: "inbound", prep: "from", flag: "--ingress" };
}

/** "endpoint subnets subnet-a, subnet-b". */
export function where(flow: Flow): string {
  return `${flow.side} subnet${flow.subnetIds.length > 1 ? "s" : ""} ${flow.subnetIds.join(", ")}`;
}

function portsOf(flow: Flow): string {
  return flow.ports[0] === flow.ports[1] ? `${flow.ports[0]}` : `${flow.ports[0]}-${flow.ports[1]}`;
}

/** The addresses, or "<peer> except <the rest>" when that is shorter (most of 0.0.0.0/0, say). */
function describeAddrs(flow: Flow, addrs: AddressSet): string {
  const rest = subtract(cidrSet(flow.peer)!, addrs);
  if (toCidrs(addrs).length > 4 && toCidrs(rest).length < toCidrs(addrs).length) {
    return `${flow.peer} except ${formatSet(rest, 4)}`;
  }
  return formatSet(addrs, 4);
}

function describeDenial(flow: Flow, denial: Denial): string {
  const { dir, prep } = direction(flow);
  const whole = portsOf(flow);
  const ports = formatPorts(denial.ports);
  const portText = ports === whole ? `tcp/${ports}` : `tcp/${ports} (of ${whole})`;
  const by = denial.rule === undefined ? "the implicit deny (no rule matches)" : `rule ${denial.rule} (deny)`;
  return `${dir} ${portText} ${prep} ${describeAddrs(flow, denial.addrs)} is dropped by ${by}`;
}

/** Picks free rule numbers just below the denying rule (or after the last rule for the implicit deny). */
export function allocateRuleNumber(
  nacl: NetworkAcl,
  egress: boolean,
  below: number | undefined,
  taken: Set<string>,
): number | undefined {
  const used = (n: number) =>
    taken.has(`${nacl.id}/${egress}/${n}`) ||
    nacl.entries.some((e) => e.egress === egress && e.ruleNumber === n);
  const claim = (n: number) => {
    taken.add(`${nacl.id}/${egress}/${n}`);
    return n;
  };
  if (below === undefined) {
    const numbers = nacl.entries.filter((e) => e.egress === egress && e.ruleNumber < IMPLICIT_RULE);
    const max = Math.max(0, ...numbers.map((e) => e.ruleNumber));
    for (let n = max === 0 ? 100 : max + 10 - (max % 10); n < IMPLICIT_RULE; n++)
      if (!used(n)) return claim(n);
  }
  for (let n = (below ?? IMPLICIT_RULE) - 1; n >= 1; n--) if (!used(n)) return claim(n);
  return undefined;
}

/**
 * One allow entry fixes the hop: the whole peer on the whole port range, numbered just below the first (lowest)
 * denying rule, or after the last rule when only the implicit deny drops it. Nothing before that number denied
 * any of this traffic, so the entry only lets through what was dropped: it never narrows what works today.
 */
function commandFor(snapshot: Snapshot, evaluation: Evaluation, taken: Set<string>): string | undefined {
  const { flow, denials } = evaluation;
  const number = allocateRuleNumber(flow.nacl, flow.egress, denials[0]?.rule, taken);
  if (number === undefined) return undefined;
  const block = cidrSet(flow.peer)!.family === 4 ? "--cidr-block" : "--ipv6-cidr-block";
  return `aws ec2 create-network-acl-entry --region ${snapshot.region} --network-acl-id ${flow.nacl.id} ${direction(flow).flag} --rule-number ${number} --protocol tcp --port-range From=${flow.ports[0]},To=${flow.ports[1]} ${block} ${flow.peer} --rule-action allow`;
}

/** True for a reply hop where every client address gets some reply port: a narrowed range, not a cut. */
function isNarrowedReply(evaluation: Evaluation): boolean {
  const { flow, status } = evaluation;
  return (
    flow.path === "reply" &&
    status === "warn" &&
    (flow.judge !== "internet" || isWholePeerNarrowed(evaluation))
  );
}

function summaryOf(evaluation: Evaluation): string {
  const { flow, denials } = evaluation;
  const { dir, prep } = direction(flow);
  const impact = replyImpact(evaluation);
  if (isNarrowedReply(evaluation) && isWholePeerNarrowed(evaluation) && impact.affected.length > 0) {
    const served = impact.served.length > 0 ? `; served: ${describeKinds(impact.served)}` : "";
    return `NACL ${flow.nacl.id} on ${where(flow)} allows ${dir} replies ${prep} ${flow.peer} only on tcp/${formatPorts(impact.allowed)} (of ${portsOf(flow)}), so clients that pick source ports outside it get no reply: ${describeKinds(impact.affected)}${served}.`;
  }
  const first = denials[0]!;
  const more =
    denials.length > 1 ? ` (and ${denials.length - 1} more drop${denials.length > 2 ? "s" : ""})` : "";
  return evaluation.status === "warn"
    ? `NACL ${flow.nacl.id} on ${where(flow)} drops part of the ${flow.path} path: ${describeDenial(flow, first)}${more}; ${flow.consequence} for the addresses concerned.`
    : `NACL ${flow.nacl.id} on ${where(flow)} drops the ${flow.path} path: ${describeDenial(flow, first)}${more}, so ${flow.consequence}.`;
}

/** True when the drops apply to every address of the peer, so the narrowed range is the story, not the addresses. */
function isWholePeerNarrowed(evaluation: Evaluation): boolean {
  const peer = cidrSet(evaluation.flow.peer)!;
  return evaluation.denials.every((d) => subtract(peer, d.addrs).ranges.length === 0);
}

function evidenceOf(evaluation: Evaluation, notes: string[]): string[] {
  const { flow, denials } = evaluation;
  const { dir, prep } = direction(flow);
  const evidence = [
    `${flow.path} path: ${flow.story}, checked on ${flow.nacl.id} ${dir} (${where(flow)})`,
    `expected: ${dir} tcp/${portsOf(flow)} ${prep} ${flow.peer} allowed`,
    `observed ${flow.nacl.id} ${dir} entries, lowest first: ${sortedEntries(flow.nacl, flow.egress).map(describeEntry).join("; ") || "(none)"}`,
    ...denials.map((d) => `dropped: ${describeDenial(flow, d)}`),
    ...(evaluation.folded ?? []).flatMap((f) =>
      f.denials.map((d) => `dropped: ${describeDenial(f.flow, d)}`),
    ),
    ...(evaluation.notes ?? []),
  ];
  if (flow.path === "reply") evidence.push(...impactLines(replyImpact(evaluation)));
  if (isNarrowedReply(evaluation)) {
    evidence.push(
      "which source ports the client picks is not in the snapshot: a narrowed reply range is a warning about the clients it leaves out, not proof of an outage",
    );
  }
  if (flow.judge === "internet" && evaluation.status === "warn" && !isWholePeerNarrowed(evaluation)) {
    evidence.push(
      `only part of ${flow.peer} is allowed; whether it holds every address range of the service is not known (AWS publishes them in https://ip-ranges.amazonaws.com/ip-ranges.json)`,
    );
  }
  return [...evidence, ...notes];
}

function remediationText(evaluation: Evaluation, command: string | undefined): string {
  const { flow, denials } = evaluation;
  const { dir, prep } = direction(flow);
  const first = denials[0]!;
  const hop = `${dir} tcp/${portsOf(flow)} ${prep} ${flow.peer}`;
  if (!command) {
    return `${flow.nacl.id} has no free rule number below rule ${first.rule}: replace or renumber that rule so that ${hop} is allowed.`;
  }
  const placement =
    first.rule === undefined
      ? ": no entry matches that traffic now, so the implicit deny drops it"
      : `, numbered below rule ${first.rule} (or narrow rule ${first.rule})`;
  const deliberate =
    flow.path === "reply" && first.rule !== undefined
      ? ` If rule ${first.rule} deliberately blocks known-bad ports, keep it and accept that clients whose source ports fall there fail.`
      : "";
  return `Add an allow entry to ${flow.nacl.id} for ${hop}${placement}.${deliberate}`;
}

/** The finding for one hop that drops traffic: summary, evidence, and an allow entry on a free rule number. */
export function findingFor(
  snapshot: Snapshot,
  evaluation: Evaluation,
  notes: string[],
  taken: Set<string>,
): Finding {
  const { flow } = evaluation;
  const command = commandFor(snapshot, evaluation, taken);
  return {
    severity: evaluation.status === "fail" ? "critical" : "medium",
    summary: summaryOf(evaluation),
    evidence: evidenceOf(evaluation, notes),
    remediation: {
      text: remediationText(evaluation, command),
      ...(command ? { command } : {}),
      docs: flow.path === "reply" ? EPHEMERAL_DOCS : NACL_DOCS,
    },
    resourceIds: [flow.nacl.id, ...flow.subnetIds],
  };
}

/** "NACLs allow the request and the reply: acl-... on endpoint subnets ... allows inbound tcp/443 from ... (rule 100), ...". */
export function passSummary(evaluations: Evaluation[]): string {
  // acl + subnets -> "outbound tcp/443 to" + "(rule 100)" -> peers
  const groups = new Map<string, Map<string, string[]>>();
  for (const { flow, allowedBy } of evaluations) {
    const { dir, prep } = direction(flow);
    const rules = allowedBy.length === 1 ? `rule ${allowedBy[0]}` : `rules ${allowedBy.join(", ")}`;
    const key = `${flow.nacl.id} on ${where(flow)}`;
    const hops = groups.get(key) ?? new Map<string, string[]>();
    const hop = `${dir} tcp/${portsOf(flow)} ${prep}|(${rules})`;
    hops.set(hop, [...(hops.get(hop) ?? []), flow.peer]);
    groups.set(key, hops);
  }
  const parts = [...groups].map(([key, hops]) => {
    const allowed = [...hops].map(([hop, peers]) => {
      const [what, rules] = hop.split("|");
      return `${what} ${peers.join(", ")} ${rules}`;
    });
    return `${key} allows ${allowed.join(", ")}`;
  });
  return `NACLs allow the request and the reply: ${parts.join("; ")}.`;
}
