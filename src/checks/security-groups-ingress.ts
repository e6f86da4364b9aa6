import type { CheckStatus, Finding } from "../diagnosis/check.js";
import type { Endpoint, SecurityGroup, Snapshot } from "../diagnosis/snapshot.js";
import { formatSet, isEmptySet } from "./address-set.js";
import type { Client } from "./peers.js";
import { ingressCommand } from "./security-groups-commands.js";
import {
  type Coverage,
  coverage,
  describeRule,
  expandedLines,
  type GroupRule,
  notCovered,
  observedLines,
  plural,
  rulesOnPort,
  type Unexpanded,
} from "./security-groups-rules.js";
import { judgePorts, type PortStatus, portRule, portsLabel, type ServicePorts } from "./service-port.js";

// Ingress on the endpoint's groups: facts per port, then one verdict over the service's ports.

/** Where the create-interface-endpoint guide says what the endpoint's groups must admit. */
export const INGRESS_DOCS =
  "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html";

/** The result of one direction (ingress on the endpoint's groups, or egress on the client's groups). */
export interface DirectionVerdict {
  status: Exclude<CheckStatus, "skip">;
  /** Pass: what admits what; otherwise the finding's summary. */
  summary: string;
  finding?: Finding;
  /** Info findings that go with a pass (ports of the service the rules do not admit). */
  notes: Finding[];
}

/** What a set of groups does with traffic on one port, in either direction. */
export interface PortFacts {
  port: number;
  status: PortStatus;
  found: SecurityGroup[];
  missing: string[];
  /** The rules that cover the port, whatever their peer. */
  portRules: GroupRule[];
  byGroup?: GroupRule;
  covered: Coverage[];
  short: Coverage[];
  unexpanded: Unexpanded[];
}

/** What the endpoint's groups do with the client on one port. */
export interface IngressPort extends PortFacts {
  unprovable: GroupRule[];
}

/** Ingress facts for one port: a group reference or the rules' CIDRs and prefix lists, and what is not proven. */
export function ingressPort(
  snapshot: Snapshot,
  groupIds: string[],
  groups: SecurityGroup[],
  port: number,
  client: Client,
): IngressPort {
  const { found, missing, portRules } = rulesOnPort(groups, groupIds, "ingress", port);
  const toClient = portRules.filter(
    (gr) => gr.rule.referencedGroupId && client.securityGroupIds?.includes(gr.rule.referencedGroupId),
  );
  const byGroup = client.referenceCaveat ? undefined : toClient[0];
  const empty = { covered: [], short: [], unexpanded: [], unprovable: [] };
  if (byGroup) return { port, status: "pass", found, missing, portRules, byGroup, ...empty };
  const { covered, unexpanded } = coverage(snapshot, client.blocks, portRules);
  const short = covered.filter((c) => !isEmptySet(c.uncovered));
  const unprovable = client.securityGroupIds
    ? client.referenceCaveat
      ? toClient
      : []
    : portRules.filter((gr) => gr.rule.referencedGroupId);
  const facts = { port, found, missing, portRules, covered, short, unexpanded, unprovable };
  if (short.length === 0) return { ...facts, status: "pass" };
  return { ...facts, status: statusOf(facts, client) };
}

function statusOf(f: Omit<IngressPort, "status">, client: Client): PortStatus {
  if (f.missing.length > 0 || f.unexpanded.length > 0) return "unknown";
  if (f.unprovable.length > 0) return "warn";
  if (!client.precise && f.covered.some((c) => c.by.length > 0)) return "warn";
  return "fail";
}

/** Everything one ingress verdict needs to be explained. */
interface IngressContext {
  snapshot: Snapshot;
  endpoint: Endpoint;
  ports: ServicePorts;
  client: Client;
  groupIds: string[];
  deciding: IngressPort[];
}

/** The endpoint's groups on every service port, judged by the port rule. */
export function evaluateIngress(
  snapshot: Snapshot,
  endpoint: Endpoint,
  groups: SecurityGroup[],
  ports: ServicePorts,
  client: Client,
): DirectionVerdict {
  const groupIds = endpoint.securityGroups.map((g) => g.id);
  const perPort = ports.ports.map((port) => ingressPort(snapshot, groupIds, groups, port, client));
  const judged = judgePorts(ports, new Map(perPort.map((f) => [f.port, f.status])));
  const deciding = perPort.filter((f) => judged.deciding.includes(f.port));
  const ctx = { snapshot, endpoint, ports, client, groupIds, deciding };
  if (judged.status === "pass") {
    const notes = judged.others.length > 0 ? [othersNote(ctx, judged.others)] : [];
    return { status: "pass", summary: passSummary(deciding, client), notes };
  }
  const finding = ingressFinding(ctx, judged.status, judged.capped);
  return { status: judged.status, summary: finding.summary, finding, notes: [] };
}

function uniqueRules(rules: GroupRule[]): GroupRule[] {
  return rules.filter((gr, i) => rules.indexOf(gr) === i);
}

function passSummary(deciding: IngressPort[], client: Client): string {
  const label = portsLabel(deciding.map((f) => f.port));
  const viaCidr = uniqueRules(deciding.flatMap((f) => f.covered.flatMap((c) => c.by)));
  const viaGroup = uniqueRules(deciding.flatMap((f) => (f.byGroup ? [f.byGroup] : [])));
  const rules = uniqueRules([...viaGroup, ...viaCidr]).map((gr) => describeRule(gr.rule, "from"));
  const ids = [...new Set([...viaGroup, ...viaCidr].map((gr) => gr.groupId))];
  if (viaCidr.length === 0) {
    const ref = viaGroup[0]!.rule.referencedGroupId;
    return `${plural(ids, "admits", "admit")} members of ${ref} (${client.description}) on ${label} (${rules.join("; ")})`;
  }
  return `${plural(ids, "admits", "admit")} ${client.blocks.join(", ")} on ${label} (${rules.join("; ")})`;
}

function othersNote(ctx: IngressContext, others: number[]): Finding {
  const admitted = portsLabel(ctx.deciding.map((f) => f.port));
  return {
    severity: "info",
    summary: `${ctx.client.description} is admitted on ${admitted}, not on ${portsLabel(others)}: a client using one of those ports is refused by ${ctx.endpoint.id}.`,
    evidence: [
      `${ctx.endpoint.serviceName} listens on ${ctx.ports.label}; a client uses one of them${ctx.ports.source ? ` (${ctx.ports.source})` : ""}`,
      ...observedLines(ctx.deciding[0]?.found ?? [], "ingress"),
    ],
    resourceIds: ctx.groupIds,
  };
}

/** "on tcp/443", or "on any of tcp/25, 465, 587" when one of several known ports would do. */
export function onPorts(ports: ServicePorts, deciding: number[]): string {
  const label = portsLabel(deciding);
  return portRule(ports) === "any" && deciding.length > 1 ? `on any of ${label}` : `on ${label}`;
}

function ingressEvidence(ctx: IngressContext): string[] {
  const { client, deciding, ports } = ctx;
  const label = portsLabel(deciding.map((f) => f.port));
  const rules = deciding.flatMap((f) => f.portRules);
  const evidence = [
    `client: ${client.description}`,
    ...client.notes,
    `expected: an ingress rule of ${ctx.groupIds.join(", ")} admitting ${label} from ${client.blocks.join(", ")}${
      client.securityGroupIds ? ` or from members of ${client.securityGroupIds.join(", ")}` : ""
    }`,
    ...observedLines(deciding[0]?.found ?? [], "ingress"),
    ...expandedLines(ctx.snapshot, rules),
    ...deciding.flatMap((f) => f.short.map((c) => `not admitted on tcp/${f.port}: ${notCovered(c)}`)),
    ...unprovenLines(deciding, ctx.client.referenceCaveat),
    ...(deciding[0]?.missing ?? []).map((id) => `rules of ${id} were not collected`),
  ];
  if (ports.basis === "aws-service" && ports.ports.length > 1) {
    evidence.push(
      `${ctx.endpoint.serviceName} listens on ${ports.label}${ports.source ? ` (${ports.source})` : ""}`,
    );
  }
  if (ports.note) evidence.push(ports.note);
  return evidence;
}

function unprovenLines(deciding: IngressPort[], caveat: string | undefined): string[] {
  const lines = deciding.flatMap((f) => [
    ...f.unexpanded.map(
      (u) =>
        `prefix list ${u.groupRule.rule.prefixListId} not expanded (${u.reason}): ${u.groupRule.groupId} admits tcp/${f.port} from it (${describeRule(u.groupRule.rule, "from")}), so whether it admits the client is unknown`,
    ),
    ...f.unprovable.map(
      (gr) =>
        `${gr.groupId} admits tcp/${f.port} from members of ${gr.rule.referencedGroupId} (${describeRule(gr.rule, "from")}); ${caveat ?? `the client was given as addresses only, so whether it belongs to ${gr.rule.referencedGroupId} is unknown`}`,
    ),
  ]);
  return [...new Set(lines)];
}

function ingressFinding(ctx: IngressContext, status: PortStatus, capped: boolean): Finding {
  const first = ctx.deciding[0]!;
  if (status === "unknown" && first.missing.length > 0) return missingFinding(ctx);
  if (status === "unknown") return prefixFinding(ctx);
  if (status === "warn" && !capped && ctx.deciding.some((f) => f.unprovable.length > 0))
    return groupFinding(ctx);
  if (status === "warn" && !capped) return partialFinding(ctx);
  return refusedFinding(ctx, capped);
}

function base(ctx: IngressContext, summary: string, severity: Finding["severity"] = "medium") {
  return { severity, summary, evidence: ingressEvidence(ctx), resourceIds: ctx.groupIds };
}

function missingFinding(ctx: IngressContext): Finding {
  const missing = ctx.deciding[0]!.missing;
  const summary = `The rules of ${missing.join(", ")} (security group of ${ctx.endpoint.id}) were not collected, and the other groups do not admit ${ctx.client.description} ${onPorts(ctx.ports, ports(ctx))}.`;
  return {
    ...base(ctx, summary),
    remediation: {
      text: `Check the rules of ${missing.join(", ")}; rerun once they can be read.`,
      command: `aws ec2 describe-security-groups --region ${ctx.snapshot.region} --group-ids ${missing.join(" ")}`,
      docs: INGRESS_DOCS,
    },
  };
}

function ports(ctx: IngressContext): number[] {
  return ctx.deciding.map((f) => f.port);
}

function fixCommand(ctx: IngressContext, portsToOpen: number[] = ports(ctx)): string {
  const blocks = [...new Set(ctx.deciding.flatMap((f) => f.short.map((c) => c.block)))];
  return ingressCommand(
    ctx.snapshot,
    ctx.groupIds[0]!,
    portsToOpen,
    ctx.client,
    blocks.length ? blocks : ctx.client.blocks,
  );
}

function prefixFinding(ctx: IngressContext): Finding {
  const unexpanded = ctx.deciding.flatMap((f) => f.unexpanded);
  const lists = [...new Set(unexpanded.map((u) => u.groupRule.rule.prefixListId!))];
  const summary = `${plural(ctx.groupIds, "admits", "admit")} ${ctx.client.description} ${onPorts(ctx.ports, ports(ctx))} only through prefix list ${lists.join(" or ")}, whose entries are unknown (${unexpanded[0]!.reason}).`;
  return {
    ...base(ctx, summary),
    remediation: {
      text: `Check that ${lists[0]} holds the client's addresses; if not, admit the client with: ${fixCommand(ctx)}`,
      command: `aws ec2 get-managed-prefix-list-entries --region ${ctx.snapshot.region} --prefix-list-id ${lists[0]}`,
      docs: INGRESS_DOCS,
    },
  };
}

function groupFinding(ctx: IngressContext): Finding {
  const refs = [
    ...new Set(ctx.deciding.flatMap((f) => f.unprovable.map((gr) => gr.rule.referencedGroupId!))),
  ];
  const summary = `${plural(ctx.groupIds, "admits", "admit")} ${ctx.client.description} ${onPorts(ctx.ports, ports(ctx))} only if it is in ${refs.map((r) => `members of ${r}`).join(" or ")}, which could not be verified.`;
  return {
    ...base(ctx, summary),
    remediation: {
      text: `Check that the client belongs to ${refs[0]} (or rerun with the client's instance or ENI as the source); if not, admit it with: ${fixCommand(ctx)}`,
      command: `aws ec2 describe-network-interfaces --region ${ctx.snapshot.region} --filters Name=group-id,Values=${refs[0]} --query 'NetworkInterfaces[].PrivateIpAddress'`,
      docs: INGRESS_DOCS,
    },
  };
}

function partialFinding(ctx: IngressContext): Finding {
  const refused = ctx.deciding.flatMap((f) => f.short.map((c) => formatSet(c.uncovered, 3)));
  const summary = `${plural(ctx.groupIds, "admits", "admit")} only part of ${ctx.client.description} ${onPorts(ctx.ports, ports(ctx))}: clients in ${[...new Set(refused)].join(", ")} are refused by ${ctx.endpoint.id}.`;
  return {
    ...base(ctx, summary),
    remediation: {
      text: "If the failing client is in the part not admitted, admit it (or rerun with the client as the source to check it exactly).",
      command: fixCommand(ctx),
      docs: INGRESS_DOCS,
    },
  };
}

function refusedFinding(ctx: IngressContext, capped: boolean): Finding {
  const { groupIds, client, endpoint } = ctx;
  const many = groupIds.length > 1;
  const refused = `Security group${many ? "s" : ""} ${groupIds.join(", ")} of ${endpoint.id} ${many ? "do" : "does"} not admit ${client.description} ${onPorts(ctx.ports, ports(ctx))}`;
  const peer = client.securityGroupIds
    ? `members of ${client.securityGroupIds[0]}`
    : client.blocks.join(", ");
  const label = portsLabel(ports(ctx));
  const anyOf = portRule(ctx.ports) === "any" && ports(ctx).length > 1;
  const text = anyOf
    ? `Add an ingress rule to ${groupIds[0]} admitting the port the client uses (one of ${label}) from ${peer}; the command admits all of them, keep the ones your clients use.`
    : `Add an ingress rule to ${groupIds[0]} admitting ${label} from ${peer}.`;
  if (capped) {
    return {
      ...base(
        ctx,
        `${refused}, but ${label} is only assumed for this custom service: if it listens there, this is the cause; otherwise rerun with --port <listener port>.`,
      ),
      remediation: {
        text: `If the service listens on ${label}: ${text}`,
        command: fixCommand(ctx),
        docs: INGRESS_DOCS,
      },
    };
  }
  return {
    ...base(ctx, `${refused}.`, "critical"),
    remediation: { text, command: fixCommand(ctx), docs: INGRESS_DOCS },
  };
}
