import type { Finding } from "../diagnosis/check.js";
import type { Endpoint, LoadBalancer, SecurityGroup, Snapshot } from "../diagnosis/snapshot.js";
import { isEmptySet } from "./address-set.js";
import { isOutcome, resolveClient } from "./peers.js";
import { coverage, describeRule, notCovered, rulesOnPort } from "./security-groups-rules.js";
import { type Judgement, unreadJudgement, whereToRun } from "./service-provider-findings.js";

// Who may come in, from the provider's side: the NLB's security groups (when they filter PrivateLink traffic,
// the source they see is the client's private address), this endpoint's connection and the allowed principals.

const DOCS_NLB_SG =
  "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html";

/** Per NLB with security groups and per client port: do the groups admit the client, when they apply at all. */
export function securityGroupJudgements(
  snapshot: Snapshot,
  endpoint: Endpoint,
  lbs: LoadBalancer[],
  ports: number[],
): Judgement[] {
  return lbs
    .filter((lb) => lb.securityGroupIds.length > 0)
    .flatMap((lb) => {
      const enforce = lb.enforceSecurityGroupsOnPrivateLink?.toLowerCase();
      if (enforce === "off") {
        return [
          {
            status: "pass" as const,
            note: `${lb.name ?? lb.arn}'s security groups do not filter PrivateLink traffic (enforcement off)`,
          },
        ];
      }
      if (!lb.securityGroups)
        return [unreadJudgement(snapshot, `the security groups of ${lb.name ?? lb.arn}`)];
      return ports.map((port) => portJudgement(snapshot, endpoint, lb, port, enforce === "on"));
    });
}

function portJudgement(
  snapshot: Snapshot,
  endpoint: Endpoint,
  lb: LoadBalancer,
  port: number,
  enforcementKnown: boolean,
): Judgement {
  const client = resolveClient(snapshot, endpoint);
  if (isOutcome(client))
    return { status: "unknown", finding: { severity: "medium", summary: client.summary, evidence: [] } };
  const groups = lb.securityGroups as SecurityGroup[];
  const { portRules } = rulesOnPort(groups, lb.securityGroupIds, "ingress", port);
  const { covered, unexpanded } = coverage(snapshot, client.blocks, portRules);
  const short = covered.filter((c) => !isEmptySet(c.uncovered));
  if (short.length === 0)
    return {
      status: "pass",
      note: `${lb.name ?? lb.arn}'s security groups admit ${client.description} on tcp/${port}`,
    };
  const nothing = short.length === covered.length && covered.every((c) => c.by.length === 0);
  const references = portRules.filter((r) => r.rule.referencedGroupId);
  const provable = enforcementKnown && nothing && unexpanded.length === 0 && references.length === 0;
  const evidence = [
    `enforcement of inbound rules on PrivateLink traffic: ${lb.enforceSecurityGroupsOnPrivateLink ?? "not reported (AWS's default is on)"}`,
    ...groups.map(
      (g) =>
        `observed ${g.id} ingress: ${g.ingress.map((r) => describeRule(r, "from")).join("; ") || "(none)"}`,
    ),
    `not admitted on tcp/${port}: ${short.map(notCovered).join("; ")}`,
    ...unexpanded.map((u) => `prefix list ${u.groupRule.rule.prefixListId}: ${u.reason}`),
    ...(references.length > 0
      ? ["rules naming security groups cannot be matched to PrivateLink clients from here"]
      : []),
    ...client.notes,
  ];
  const summary = `${lb.name ?? lb.arn}'s security groups ${provable ? "do not admit" : "may not admit"} ${client.description} on tcp/${port}`;
  return {
    status: provable ? "fail" : "warn",
    finding: {
      severity: provable ? "critical" : "medium",
      summary,
      evidence,
      remediation: {
        text: `Admit the clients' addresses on ${port} in ${lb.securityGroupIds[0]} ${whereToRun(snapshot)} (the NLB sees the client's private address for PrivateLink traffic).`,
        command: `aws ec2 authorize-security-group-ingress --region ${snapshot.region} --group-id ${lb.securityGroupIds[0]} --ip-permissions 'IpProtocol=tcp,FromPort=${port},ToPort=${port},IpRanges=[${short.map((c) => `{CidrIp=${c.block},Description=vpce-doctor ${endpoint.id}}`).join(",")}]'`,
        docs: DOCS_NLB_SG,
      },
      resourceIds: [...lb.securityGroupIds, lb.arn],
    },
  };
}

/** The connection state and allowed principals as the provider sees them: notes, never the cause. */
export function connectionNotes(snapshot: Snapshot, endpoint: Endpoint): Finding[] {
  const notes: Finding[] = [];
  const connection = snapshot.serviceConnection;
  const state = connection?.state;
  if (state && ["pendingacceptance", "rejected"].includes(state.toLowerCase())) {
    notes.push(
      note(`the provider sees ${endpoint.id} as ${state}: service-acceptance reports that as the cause`, [
        `connection state: ${state}`,
      ]),
    );
  }
  const connectionGap = gapLine(snapshot, "ec2:DescribeVpcEndpointConnections");
  if (connectionGap)
    notes.push(note("this endpoint's connection was not read from the provider's side", [connectionGap]));
  const principals = snapshot.serviceConfiguration?.allowedPrincipals;
  const consumer = endpoint.ownerId ?? connection?.ownerId;
  if (principals && consumer && !principals.some((p) => p === "*" || p.includes(`:${consumer}:`))) {
    notes.push(
      note(
        `account ${consumer} is not among the allowed principals of ${snapshot.serviceConfiguration?.serviceId}: this endpoint keeps working, but new endpoints from ${consumer} would be refused`,
        [`allowed principals: ${principals.join(", ") || "(none)"}`],
      ),
    );
  }
  const permissionsGap = gapLine(snapshot, "ec2:DescribeVpcEndpointServicePermissions");
  if (permissionsGap) notes.push(note("the allowed principals were not read", [permissionsGap]));
  return notes;
}

function gapLine(snapshot: Snapshot, action: string): string | undefined {
  const gap = snapshot.gaps.find((g) => g.iamAction === action);
  return gap ? `${gap.iamAction}: ${gap.error}: ${gap.message}` : undefined;
}

function note(summary: string, evidence: string[]): Finding {
  return { severity: "info", summary, evidence };
}
