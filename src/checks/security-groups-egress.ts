import type { Finding } from "../diagnosis/check.js";
import type { Endpoint, SecurityGroup, Snapshot } from "../diagnosis/snapshot.js";
import { formatSet, isEmptySet } from "./address-set.js";
import { unknownIfGaps } from "./gaps.js";
import { type Client, endpointTargets } from "./peers.js";
import { egressCommand } from "./security-groups-commands.js";
import { type DirectionVerdict, onPorts, type PortFacts } from "./security-groups-ingress.js";
import {
  coverage,
  describeRule,
  expandedLines,
  observedLines,
  plural,
  rulesOnPort,
  type Unexpanded,
} from "./security-groups-rules.js";
import { judgePorts, portsLabel, type ServicePorts } from "./service-port.js";

// Egress on the client's own groups: may it leave towards the endpoint on the service's ports?

const EGRESS_DOCS = "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html";

/** What the client's groups do with traffic to the endpoint on one port. */
export type EgressPort = PortFacts;

/** Everything the egress side of one client needs: its groups, the endpoint's groups and addresses. */
interface EgressContext {
  snapshot: Snapshot;
  endpoint: Endpoint;
  ports: ServicePorts;
  client: Client;
  sourceGroupIds: string[];
  endpointGroupIds: string[];
  blocks: string[];
  unresolved: string[];
}

/** Egress facts for one port: a reference to the endpoint's group, or rules covering its addresses. */
export function egressPort(ctx: EgressContext, groups: SecurityGroup[], port: number): EgressPort {
  const { found, missing, portRules } = rulesOnPort(groups, ctx.sourceGroupIds, "egress", port);
  const toEndpoint = portRules.find(
    (gr) => gr.rule.referencedGroupId && ctx.endpointGroupIds.includes(gr.rule.referencedGroupId),
  );
  const byGroup = ctx.client.referenceCaveat ? undefined : toEndpoint;
  if (byGroup) {
    return {
      port,
      status: "pass",
      found,
      missing,
      portRules,
      byGroup,
      covered: [],
      short: [],
      unexpanded: [],
    };
  }
  const { covered, unexpanded } = coverage(ctx.snapshot, ctx.blocks, portRules);
  const short = covered.filter((c) => !isEmptySet(c.uncovered));
  const facts = { port, found, missing, portRules, covered, short, unexpanded };
  if (short.length === 0 && ctx.unresolved.length === 0) return { ...facts, status: "pass" };
  // A reference to the endpoint's group that may not reach across VPCs is neither a pass nor a refusal.
  const unknown =
    missing.length > 0 || short.length === 0 || unexpanded.length > 0 || toEndpoint !== undefined;
  return { ...facts, status: unknown ? "unknown" : "fail" };
}

/** The client's groups on every service port, judged by the port rule. */
export function evaluateEgress(
  snapshot: Snapshot,
  endpoint: Endpoint,
  groups: SecurityGroup[],
  ports: ServicePorts,
  client: Client,
  sourceGroupIds: string[],
): DirectionVerdict {
  const { targets, unresolved } = endpointTargets(snapshot, endpoint);
  const endpointGroupIds = endpoint.securityGroups.map((g) => g.id);
  const blocks = targets.flatMap((t) => t.blocks);
  const ctx = { snapshot, endpoint, ports, client, sourceGroupIds, endpointGroupIds, blocks, unresolved };
  const perPort = ports.ports.map((port) => egressPort(ctx, groups, port));
  const judged = judgePorts(ports, new Map(perPort.map((f) => [f.port, f.status])));
  const deciding = perPort.filter((f) => judged.deciding.includes(f.port));
  if (judged.status === "pass") return { status: "pass", summary: passSummary(ctx, deciding), notes: [] };
  const finding =
    judged.status === "unknown"
      ? unknownFinding(ctx, deciding)
      : refusedFinding(ctx, deciding, judged.capped);
  return { status: judged.status, summary: finding.summary, finding, notes: [] };
}

function passSummary(ctx: EgressContext, deciding: EgressPort[]): string {
  const label = portsLabel(deciding.map((f) => f.port));
  const byGroup = deciding.find((f) => f.byGroup)?.byGroup;
  if (byGroup && deciding.every((f) => f.byGroup)) {
    return `${byGroup.groupId} lets ${ctx.client.description} out to ${byGroup.rule.referencedGroupId} on ${label}`;
  }
  const rules = deciding.flatMap((f) => [
    ...f.covered.flatMap((c) => c.by),
    ...(f.byGroup ? [f.byGroup] : []),
  ]);
  const ids = [...new Set(rules.map((gr) => gr.groupId))];
  return `${plural(ids, "lets", "let")} ${ctx.client.description} out to the endpoint (${ctx.blocks.join(", ")}) on ${label}`;
}

function egressEvidence(ctx: EgressContext, deciding: EgressPort[]): string[] {
  const label = portsLabel(deciding.map((f) => f.port));
  const rules = deciding.flatMap((f) => f.portRules);
  return [
    `client: ${ctx.client.description} with security groups ${ctx.sourceGroupIds.join(", ")}`,
    `expected: an egress rule of ${ctx.sourceGroupIds.join(", ")} allowing ${label} to ${
      ctx.blocks.length ? ctx.blocks.join(", ") : "the endpoint's addresses"
    } or to members of ${ctx.endpointGroupIds.join(", ")}`,
    ...observedLines(deciding[0]?.found ?? [], "egress"),
    ...expandedLines(ctx.snapshot, rules),
    ...deciding.flatMap((f) =>
      f.short.map(
        (c) => `not allowed out on tcp/${f.port}: ${formatSet(c.uncovered)} (endpoint address ${c.block})`,
      ),
    ),
    ...(deciding[0]?.missing ?? []).map((id) => `rules of ${id} were not collected`),
    ...ctx.unresolved.map(
      (id) =>
        `addresses of ${ctx.endpoint.id} in ${id} are unknown (neither its ENI nor the subnet was collected)`,
    ),
    ...[...new Set(deciding.flatMap((f) => f.unexpanded.map((u) => unexpandedLine(u, f.port))))],
    ...(ctx.ports.note ? [ctx.ports.note] : []),
  ];
}

function unexpandedLine(u: Unexpanded, port: number): string {
  return `prefix list ${u.groupRule.rule.prefixListId} not expanded (${u.reason}): ${u.groupRule.groupId} allows tcp/${port} out to it (${describeRule(u.groupRule.rule, "to")}), so whether it includes the endpoint is unknown`;
}

function unknownFinding(ctx: EgressContext, deciding: EgressPort[]): Finding {
  const missing = deciding[0]!.missing;
  const unexpanded = deciding.flatMap((f) => f.unexpanded);
  const on = onPorts(
    ctx.ports,
    deciding.map((f) => f.port),
  );
  const gap = unknownIfGaps(ctx.snapshot, "networkInterfaces", "subnets");
  if (gap && missing.length === 0 && unexpanded.length === 0 && deciding.every((f) => f.short.length === 0)) {
    return gap.findings[0]!;
  }
  const list = unexpanded[0]?.groupRule.rule.prefixListId;
  const summary =
    missing.length > 0
      ? `The egress rules of source group ${missing.join(", ")} were not collected, so whether the client may reach ${ctx.endpoint.id} ${on} is unknown.`
      : list
        ? `${plural(ctx.sourceGroupIds, "lets", "let")} the client out to ${ctx.endpoint.id} ${on} only through prefix list ${list}, whose entries are unknown (${unexpanded[0]!.reason}).`
        : `The addresses of ${ctx.endpoint.id} in ${ctx.unresolved.join(", ")} are unknown, so the client's egress towards them could not be checked.`;
  const command =
    missing.length > 0
      ? `aws ec2 describe-security-groups --region ${ctx.snapshot.region} --group-ids ${missing.join(" ")}`
      : list
        ? `aws ec2 get-managed-prefix-list-entries --region ${ctx.snapshot.region} --prefix-list-id ${list}`
        : `aws ec2 describe-vpc-endpoints --region ${ctx.snapshot.region} --vpc-endpoint-ids ${ctx.endpoint.id}`;
  return {
    severity: "medium",
    summary,
    evidence: egressEvidence(ctx, deciding),
    remediation: { text: "Rerun once the missing inputs can be read.", command, docs: EGRESS_DOCS },
    resourceIds: ctx.sourceGroupIds,
  };
}

function refusedFinding(ctx: EgressContext, deciding: EgressPort[], capped: boolean): Finding {
  const { sourceGroupIds: ids, endpoint } = ctx;
  const portList = deciding.map((f) => f.port);
  const blocks = [...new Set(deciding.flatMap((f) => f.short.map((c) => c.block)))];
  const refused = `Source security group${ids.length > 1 ? "s" : ""} ${ids.join(", ")} ${ids.length > 1 ? "do" : "does"} not allow outbound ${onPorts(ctx.ports, portList).replace(/^on /, "")} to endpoint ${endpoint.id} (${blocks.join(", ")})`;
  const summary = capped
    ? `${refused}, but ${portsLabel(portList)} is only assumed for this custom service: rerun with --port <listener port>.`
    : `${refused}.`;
  return {
    severity: capped ? "medium" : "critical",
    summary,
    evidence: egressEvidence(ctx, deciding),
    remediation: {
      text: `Add an egress rule to ${ids[0]} allowing ${portsLabel(portList)} to the endpoint's security group ${ctx.endpointGroupIds[0]}.`,
      command: egressCommand(ctx.snapshot, ids[0]!, ctx.endpointGroupIds[0]!, portList),
      docs: EGRESS_DOCS,
    },
    resourceIds: ids,
  };
}
