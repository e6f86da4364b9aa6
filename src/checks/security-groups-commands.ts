import type { Snapshot } from "../diagnosis/snapshot.js";
import { ipVersion } from "./net.js";
import type { Client } from "./peers.js";

// Copy-paste fixes for the security-groups check, on the service's real ports.

/** Who a rule should admit: members of a group, or address blocks. */
type Peer = { groupId: string } | { cidrs: string[] };

function permission(port: number, peer: Peer): string {
  const parts = ["IpProtocol=tcp", `FromPort=${port}`, `ToPort=${port}`];
  if ("groupId" in peer) {
    parts.push(`UserIdGroupPairs=[{GroupId=${peer.groupId}}]`);
  } else {
    const v4 = peer.cidrs.filter((c) => ipVersion(c) === 4).map((c) => `{CidrIp=${c}}`);
    const v6 = peer.cidrs.filter((c) => ipVersion(c) === 6).map((c) => `{CidrIpv6=${c}}`);
    if (v4.length) parts.push(`IpRanges=[${v4.join(",")}]`);
    if (v6.length) parts.push(`Ipv6Ranges=[${v6.join(",")}]`);
  }
  return `'${parts.join(",")}'`;
}

/** One --ip-permissions structure per port (the AWS CLI takes a space-separated list). */
function permissions(ports: number[], peer: Peer): string {
  return `--ip-permissions ${ports.map((port) => permission(port, peer)).join(" ")}`;
}

/** authorize-security-group-ingress admitting the client (its group, else its blocks) on each port. */
export function ingressCommand(
  snapshot: Snapshot,
  groupId: string,
  ports: number[],
  client: Client,
  cidrs: string[],
): string {
  const base = `aws ec2 authorize-security-group-ingress --region ${snapshot.region} --group-id ${groupId}`;
  const sourceGroup = client.securityGroupIds?.[0];
  const single = ports.length === 1 ? ports[0] : undefined;
  if (sourceGroup && single !== undefined) {
    return `${base} --protocol tcp --port ${single} --source-group ${sourceGroup}`;
  }
  if (sourceGroup) return `${base} ${permissions(ports, { groupId: sourceGroup })}`;
  if (single !== undefined && cidrs.length === 1 && ipVersion(cidrs[0]!) === 4) {
    return `${base} --protocol tcp --port ${single} --cidr ${cidrs[0]}`;
  }
  return `${base} ${permissions(ports, { cidrs })}`;
}

/** authorize-security-group-egress letting the client's group out to the endpoint's group on each port. */
export function egressCommand(
  snapshot: Snapshot,
  sourceGroupId: string,
  endpointGroupId: string,
  ports: number[],
) {
  return `aws ec2 authorize-security-group-egress --region ${snapshot.region} --group-id ${sourceGroupId} ${permissions(ports, { groupId: endpointGroupId })}`;
}
