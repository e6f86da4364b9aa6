import type { Check, CheckStatus, Finding } from "../diagnosis/check.js";
import type { Endpoint, SecurityGroup, SgRule, Snapshot } from "../diagnosis/snapshot.js";
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
import { skip, skipWithoutEndpoint, unknownIfGaps } from "./gaps.js";
import { ipVersion } from "./net.js";
import { type Client, endpointTargets, isOutcome, notCollected, resolveClient } from "./peers.js";
import { type ServicePort, servicePort } from "./service-port.js";

// Security groups are stateful: the endpoint's groups must admit the client inbound on the service port and,
// when the client's own groups are known, those must let it out towards the endpoint.

const INGRESS_DOCS = "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html";
const EGRESS_DOCS = "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html";

const PROTOCOL_NAMES: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

interface GroupRule {
  groupId: string;
  rule: SgRule;
}

/** The result of one direction (ingress on the endpoint's groups, or egress on the client's groups). */
interface Verdict {
  status: Exclude<CheckStatus, "skip">;
  /** Pass: what admits what. */
  summary: string;
  finding?: Finding;
}

function describeRule(rule: SgRule, direction: "from" | "to"): string {
  const protocol = rule.protocol.toLowerCase();
  let traffic: string;
  if (protocol === "-1" || protocol === "all") {
    traffic = "all traffic";
  } else {
    const name = PROTOCOL_NAMES[protocol] ?? protocol;
    const { fromPort: from, toPort: to } = rule;
    const ports =
      from === undefined || to === undefined || from === -1
        ? ""
        : from === to
          ? `/${from}`
          : `/${from}-${to}`;
    traffic = `${name}${ports}`;
  }
  const peer =
    rule.cidrIpv4 ??
    rule.cidrIpv6 ??
    (rule.prefixListId ? `prefix list ${rule.prefixListId}` : undefined) ??
    (rule.referencedGroupId ? `members of ${rule.referencedGroupId}` : "(no peer)");
  return `${rule.ruleId ? `${rule.ruleId}: ` : ""}${traffic} ${direction} ${peer}`;
}

function ruleCoversPort(rule: SgRule, port: number): boolean {
  const protocol = rule.protocol.toLowerCase();
  if (protocol === "-1" || protocol === "all") return true;
  if (protocol !== "tcp" && protocol !== "6") return false;
  const { fromPort: from, toPort: to } = rule;
  if (from === undefined || to === undefined || from === -1) return true;
  return from <= port && port <= to;
}

function ruleCidr(rule: SgRule): string | undefined {
  return rule.cidrIpv4 ?? rule.cidrIpv6;
}

function observedLines(groups: SecurityGroup[], direction: "ingress" | "egress"): string[] {
  return groups.map((group) => {
    const rules = group[direction];
    const text = rules.length
      ? rules.map((r) => describeRule(r, direction === "ingress" ? "from" : "to")).join("; ")
      : "(none)";
    return `observed ${group.id} ${direction}: ${text}`;
  });
}

/** Per block: the part no matching CIDR rule covers, and the rules that cover some of it. */
function coverage(
  blocks: string[],
  rules: GroupRule[],
): { block: string; uncovered: AddressSet; by: GroupRule[] }[] {
  return blocks.flatMap((block) => {
    const set = cidrSet(block);
    if (!set) return [];
    let covered = emptySet(set.family);
    const by: GroupRule[] = [];
    for (const gr of rules) {
      const cidr = ruleCidr(gr.rule);
      const ruleSet = cidr ? cidrSet(cidr) : undefined;
      if (!ruleSet) continue;
      const overlap = intersect(set, ruleSet);
      if (isEmptySet(overlap)) continue;
      covered = union(covered, overlap);
      by.push(gr);
    }
    return [{ block, uncovered: subtract(set, covered), by }];
  });
}

function plural(ids: string[], one: string, many: string): string {
  return `${ids.join(", ")} ${ids.length > 1 ? many : one}`;
}

/** "10.0.128.0/17 of 10.0.0.0/16", or "10.0.0.0/16 (all of it)". */
function notCovered(c: { block: string; uncovered: AddressSet }): string {
  const all = toCidrs(c.uncovered);
  return all.length === 1 && all[0] === c.block
    ? `${c.block} (all of it)`
    : `${formatSet(c.uncovered)} of ${c.block}`;
}

function ipPermissions(port: ServicePort, cidrs: string[]): string {
  const v4 = cidrs.filter((c) => ipVersion(c) === 4).map((c) => `{CidrIp=${c}}`);
  const v6 = cidrs.filter((c) => ipVersion(c) === 6).map((c) => `{CidrIpv6=${c}}`);
  const parts = [`IpProtocol=${port.protocol}`, `FromPort=${port.port}`, `ToPort=${port.port}`];
  if (v4.length) parts.push(`IpRanges=[${v4.join(",")}]`);
  if (v6.length) parts.push(`Ipv6Ranges=[${v6.join(",")}]`);
  return `'${parts.join(",")}'`;
}

function ingressCommand(
  snapshot: Snapshot,
  groupId: string,
  port: ServicePort,
  client: Client,
  cidrs: string[],
) {
  const base = `aws ec2 authorize-security-group-ingress --region ${snapshot.region} --group-id ${groupId}`;
  const sourceGroup = client.securityGroupIds?.[0];
  if (sourceGroup)
    return `${base} --protocol ${port.protocol} --port ${port.port} --source-group ${sourceGroup}`;
  if (cidrs.length === 1 && ipVersion(cidrs[0]!) === 4) {
    return `${base} --protocol ${port.protocol} --port ${port.port} --cidr ${cidrs[0]}`;
  }
  return `${base} --ip-permissions ${ipPermissions(port, cidrs)}`;
}

/** The collected groups among `ids`, the ids whose rules were not collected, and the rules covering the port. */
function rulesOnPort(
  groups: SecurityGroup[],
  ids: string[],
  direction: "ingress" | "egress",
  port: ServicePort,
): { found: SecurityGroup[]; missing: string[]; portRules: GroupRule[] } {
  const found = ids.flatMap((id) => groups.filter((g) => g.id === id));
  const missing = ids.filter((id) => !found.some((g) => g.id === id));
  const portRules = found.flatMap((g) =>
    g[direction].filter((rule) => ruleCoversPort(rule, port.port)).map((rule) => ({ groupId: g.id, rule })),
  );
  return { found, missing, portRules };
}

function evaluateIngress(
  snapshot: Snapshot,
  endpoint: Endpoint,
  groups: SecurityGroup[],
  port: ServicePort,
  client: Client,
): Verdict {
  const groupIds = endpoint.securityGroups.map((g) => g.id);
  const { found, missing, portRules } = rulesOnPort(groups, groupIds, "ingress", port);

  const byGroup = portRules.find(
    (gr) => gr.rule.referencedGroupId && client.securityGroupIds?.includes(gr.rule.referencedGroupId),
  );
  if (byGroup) {
    return {
      status: "pass",
      summary: `${byGroup.groupId} admits members of ${byGroup.rule.referencedGroupId} (${client.description}) on ${port.label} (${describeRule(byGroup.rule, "from")})`,
    };
  }

  const covered = coverage(client.blocks, portRules);
  const short = covered.filter((c) => !isEmptySet(c.uncovered));
  if (short.length === 0) {
    const rules = [...new Set(covered.flatMap((c) => c.by))];
    const ids = [...new Set(rules.map((gr) => gr.groupId))];
    return {
      status: "pass",
      summary: `${ids.join(", ")} ${ids.length > 1 ? "admit" : "admits"} ${client.blocks.join(", ")} on ${port.label} (${rules.map((gr) => describeRule(gr.rule, "from")).join("; ")})`,
    };
  }

  // Not proven: work out why and how sure we are.
  const evidence: string[] = [
    `client: ${client.description}`,
    ...client.notes,
    `expected: an ingress rule of ${groupIds.join(", ")} admitting ${port.label} from ${client.blocks.join(", ")}${
      client.securityGroupIds ? ` or from members of ${client.securityGroupIds.join(", ")}` : ""
    }`,
    ...observedLines(found, "ingress"),
    ...short.map((c) => `not admitted on ${port.label}: ${notCovered(c)}`),
  ];
  if (port.note) evidence.push(port.note);

  const prefixRules = portRules.filter((gr) => gr.rule.prefixListId);
  const unprovableGroups = client.securityGroupIds
    ? []
    : portRules.filter((gr) => gr.rule.referencedGroupId && !gr.rule.prefixListId);
  for (const gr of prefixRules) {
    evidence.push(
      `prefix list ${gr.rule.prefixListId} not expanded: ${gr.groupId} admits ${port.label} from it (${describeRule(gr.rule, "from")}), but its entries were not collected, so it cannot be proven to admit the client`,
    );
  }
  for (const gr of unprovableGroups) {
    evidence.push(
      `${gr.groupId} admits ${port.label} from members of ${gr.rule.referencedGroupId} (${describeRule(gr.rule, "from")}); the client was given as addresses only, so whether it belongs to ${gr.rule.referencedGroupId} is unknown`,
    );
  }
  for (const id of missing) evidence.push(`rules of ${id} were not collected`);

  const resourceIds = groupIds;
  const shortCidrs = short.map((c) => c.block);
  const partial = covered.some((c) => c.by.length > 0);
  const fixCommand = ingressCommand(snapshot, groupIds[0]!, port, client, shortCidrs);

  if (missing.length > 0) {
    const summary = `The rules of ${missing.join(", ")} (security group of ${endpoint.id}) were not collected, and the other groups do not admit ${client.description} on ${port.label}.`;
    return {
      status: "unknown",
      summary,
      finding: {
        severity: "medium",
        summary,
        evidence,
        remediation: {
          text: `Check the rules of ${missing.join(", ")}; rerun once they can be read.`,
          command: `aws ec2 describe-security-groups --region ${snapshot.region} --group-ids ${missing.join(" ")}`,
          docs: INGRESS_DOCS,
        },
        resourceIds,
      },
    };
  }

  if (prefixRules.length > 0 || unprovableGroups.length > 0) {
    const what = [
      ...prefixRules.map((gr) => `prefix list ${gr.rule.prefixListId}`),
      ...unprovableGroups.map((gr) => `members of ${gr.rule.referencedGroupId}`),
    ];
    const summary = `${plural(groupIds, "admits", "admit")} ${client.description} on ${port.label} only if it is in ${[...new Set(what)].join(" or ")}, which could not be verified.`;
    const firstPrefix = prefixRules[0]?.rule.prefixListId;
    const firstGroup = unprovableGroups[0]?.rule.referencedGroupId;
    return {
      status: "warn",
      summary,
      finding: {
        severity: "medium",
        summary,
        evidence,
        remediation: {
          text: firstPrefix
            ? `Check that ${firstPrefix} holds the client's addresses; if not, admit the client on ${port.label} with: ${fixCommand}`
            : `Check that the client belongs to ${firstGroup} (or rerun with the client's instance or ENI as the source); if not, admit it on ${port.label} with: ${fixCommand}`,
          command: firstPrefix
            ? `aws ec2 get-managed-prefix-list-entries --region ${snapshot.region} --prefix-list-id ${firstPrefix}`
            : `aws ec2 describe-network-interfaces --region ${snapshot.region} --filters Name=group-id,Values=${firstGroup} --query 'NetworkInterfaces[].PrivateIpAddress'`,
          docs: INGRESS_DOCS,
        },
        resourceIds,
      },
    };
  }

  if (partial && !client.precise) {
    const summary = `${plural(groupIds, "admits", "admit")} only part of ${client.description} on ${port.label}: clients in ${short.map((c) => formatSet(c.uncovered, 3)).join(", ")} are refused by ${endpoint.id}.`;
    return {
      status: "warn",
      summary,
      finding: {
        severity: "medium",
        summary,
        evidence,
        remediation: {
          text: `If the failing client is in the part not admitted, admit it on ${port.label} (or rerun with the client as the source to check it exactly).`,
          command: fixCommand,
          docs: INGRESS_DOCS,
        },
        resourceIds,
      },
    };
  }

  const summary = `Security group${groupIds.length > 1 ? "s" : ""} ${groupIds.join(", ")} of ${endpoint.id} ${groupIds.length > 1 ? "do" : "does"} not admit ${client.description} on ${port.label}.`;
  return {
    status: "fail",
    summary,
    finding: {
      severity: "critical",
      summary,
      evidence,
      remediation: {
        text: `Add an ingress rule to ${groupIds[0]} admitting ${port.label} from ${
          client.securityGroupIds ? `members of ${client.securityGroupIds[0]}` : shortCidrs.join(", ")
        }.`,
        command: fixCommand,
        docs: INGRESS_DOCS,
      },
      resourceIds,
    },
  };
}

function evaluateEgress(
  snapshot: Snapshot,
  endpoint: Endpoint,
  groups: SecurityGroup[],
  port: ServicePort,
  client: Client,
  sourceGroupIds: string[],
): Verdict {
  const endpointGroupIds = endpoint.securityGroups.map((g) => g.id);
  const { found, missing, portRules } = rulesOnPort(groups, sourceGroupIds, "egress", port);
  const byGroup = portRules.find(
    (gr) => gr.rule.referencedGroupId && endpointGroupIds.includes(gr.rule.referencedGroupId),
  );
  if (byGroup) {
    return {
      status: "pass",
      summary: `${byGroup.groupId} lets ${client.description} out to ${byGroup.rule.referencedGroupId} on ${port.label}`,
    };
  }

  const { targets, unresolved } = endpointTargets(snapshot, endpoint);
  const blocks = targets.flatMap((t) => t.blocks);
  const covered = coverage(blocks, portRules);
  const short = covered.filter((c) => !isEmptySet(c.uncovered));
  const resourceIds = sourceGroupIds;
  if (short.length === 0 && unresolved.length === 0) {
    const rules = [...new Set(covered.flatMap((c) => c.by))];
    const ids = [...new Set(rules.map((gr) => gr.groupId))];
    return {
      status: "pass",
      summary: `${ids.join(", ")} ${ids.length > 1 ? "let" : "lets"} ${client.description} out to the endpoint (${blocks.join(", ")}) on ${port.label}`,
    };
  }

  const evidence = [
    `client: ${client.description} with security groups ${sourceGroupIds.join(", ")}`,
    `expected: an egress rule of ${sourceGroupIds.join(", ")} allowing ${port.label} to ${
      blocks.length ? blocks.join(", ") : "the endpoint's addresses"
    } or to members of ${endpointGroupIds.join(", ")}`,
    ...observedLines(found, "egress"),
    ...short.map(
      (c) => `not allowed out on ${port.label}: ${formatSet(c.uncovered)} (endpoint address ${c.block})`,
    ),
    ...missing.map((id) => `rules of ${id} were not collected`),
    ...unresolved.map(
      (id) =>
        `addresses of ${endpoint.id} in ${id} are unknown (neither its ENI nor the subnet was collected)`,
    ),
  ];
  if (port.note) evidence.push(port.note);
  const prefixRules = portRules.filter((gr) => gr.rule.prefixListId);
  for (const gr of prefixRules) {
    evidence.push(
      `prefix list ${gr.rule.prefixListId} not expanded: ${gr.groupId} allows ${port.label} out to it, but its entries were not collected, so it cannot be proven to include the endpoint`,
    );
  }
  const command = `aws ec2 authorize-security-group-egress --region ${snapshot.region} --group-id ${sourceGroupIds[0]} --ip-permissions 'IpProtocol=${port.protocol},FromPort=${port.port},ToPort=${port.port},UserIdGroupPairs=[{GroupId=${endpointGroupIds[0]}}]'`;

  if (short.length === 0 || missing.length > 0) {
    // Nothing refused that we can see, but part of the picture is missing.
    const gap = unknownIfGaps(snapshot, "networkInterfaces", "subnets");
    if (gap && missing.length === 0)
      return { status: "unknown", summary: gap.summary, finding: gap.findings[0]! };
    const summary =
      missing.length > 0
        ? `The egress rules of source group ${missing.join(", ")} were not collected, so whether the client may reach ${endpoint.id} on ${port.label} is unknown.`
        : `The addresses of ${endpoint.id} in ${unresolved.join(", ")} are unknown, so the client's egress towards them could not be checked.`;
    return {
      status: "unknown",
      summary,
      finding: {
        severity: "medium",
        summary,
        evidence,
        remediation: {
          text: "Rerun once the missing inputs can be read.",
          command:
            missing.length > 0
              ? `aws ec2 describe-security-groups --region ${snapshot.region} --group-ids ${missing.join(" ")}`
              : `aws ec2 describe-vpc-endpoints --region ${snapshot.region} --vpc-endpoint-ids ${endpoint.id}`,
          docs: EGRESS_DOCS,
        },
        resourceIds,
      },
    };
  }

  const firstPrefix = prefixRules[0]?.rule.prefixListId;
  if (firstPrefix) {
    const summary = `${plural(sourceGroupIds, "lets", "let")} the client out to ${endpoint.id} on ${port.label} only if ${[
      ...new Set(prefixRules.map((gr) => gr.rule.prefixListId)),
    ].join(" or ")} holds the endpoint's addresses, which could not be verified.`;
    return {
      status: "warn",
      summary,
      finding: {
        severity: "medium",
        summary,
        evidence,
        remediation: {
          text: `Check that ${firstPrefix} holds the endpoint's addresses; if not, allow egress to the endpoint's security group with: ${command}`,
          command: `aws ec2 get-managed-prefix-list-entries --region ${snapshot.region} --prefix-list-id ${firstPrefix}`,
          docs: EGRESS_DOCS,
        },
        resourceIds,
      },
    };
  }

  const summary = `Source security group${sourceGroupIds.length > 1 ? "s" : ""} ${sourceGroupIds.join(", ")} ${sourceGroupIds.length > 1 ? "do" : "does"} not allow outbound ${port.label} to endpoint ${endpoint.id} (${short.map((c) => c.block).join(", ")}).`;
  return {
    status: "fail",
    summary,
    finding: {
      severity: "critical",
      summary,
      evidence,
      remediation: {
        text: `Add an egress rule to ${sourceGroupIds[0]} allowing ${port.label} to the endpoint's security group ${endpointGroupIds[0]}.`,
        command,
        docs: EGRESS_DOCS,
      },
      resourceIds,
    },
  };
}

const RANK: Record<Verdict["status"], number> = { fail: 4, warn: 3, unknown: 2, pass: 1 };

/** Security groups: the endpoint's groups admit the client on the service port, and the client's groups let it out. */
export const securityGroups: Check = {
  id: "security-groups",
  title: "Endpoint security groups admit the client on the service port",
  appliesTo: "any",
  needs: [],
  docs: "https://docs.aws.amazon.com/vpc/latest/privatelink/",
  run(snapshot) {
    const noEndpoint = skipWithoutEndpoint(snapshot);
    if (noEndpoint) return noEndpoint;
    const endpoint = snapshot.endpoint!;
    const type = endpoint.type.toLowerCase();
    if (type === "gateway") {
      return skip(`${endpoint.id} is a gateway endpoint: it has no network interface and no security group.`);
    }
    if (type === "gatewayloadbalancer") {
      return skip(`${endpoint.id} is a Gateway Load Balancer endpoint: it does not use security groups.`);
    }
    const gap = unknownIfGaps(snapshot, "securityGroups");
    if (gap) return gap;
    if (!snapshot.securityGroups) return notCollected("security groups");
    const groupIds = endpoint.securityGroups.map((g) => g.id);
    if (groupIds.length === 0) {
      const summary = `${endpoint.id} lists no security group, so what it admits could not be checked.`;
      return {
        status: "unknown",
        summary,
        findings: [
          {
            severity: "medium",
            summary,
            evidence: [`${endpoint.id} Groups: (none); interface endpoints always have at least one`],
            remediation: {
              text: "Look at the endpoint's groups directly.",
              command: `aws ec2 describe-vpc-endpoints --region ${snapshot.region} --vpc-endpoint-ids ${endpoint.id} --query 'VpcEndpoints[].Groups'`,
              docs: INGRESS_DOCS,
            },
            resourceIds: [endpoint.id],
          },
        ],
      };
    }

    const port = servicePort(endpoint.serviceName);
    const client = resolveClient(snapshot, endpoint);
    if (isOutcome(client)) return client;

    const verdicts = [evaluateIngress(snapshot, endpoint, snapshot.securityGroups, port, client)];
    if (client.securityGroupIds) {
      verdicts.push(
        evaluateEgress(snapshot, endpoint, snapshot.securityGroups, port, client, client.securityGroupIds),
      );
    }
    const worst = verdicts.reduce((a, b) => (RANK[b.status] > RANK[a.status] ? b : a));
    const findings = verdicts
      .filter((v) => v.finding)
      .sort((a, b) => RANK[b.status] - RANK[a.status])
      .map((v) => v.finding!);
    if (worst.status !== "pass") return { status: worst.status, summary: worst.summary, findings };

    if (port.note) {
      findings.push({
        severity: "info",
        summary: `${endpoint.id} serves a custom endpoint service: tcp/${port.port} was checked, the provider's listener ports were not.`,
        evidence: [port.note],
        resourceIds: groupIds,
      });
    }
    return { status: "pass", summary: `${verdicts.map((v) => v.summary).join("; ")}.`, findings };
  },
};
