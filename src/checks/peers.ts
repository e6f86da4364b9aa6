import type { CheckOutcome } from "../diagnosis/check.js";
import type { Endpoint, Snapshot } from "../diagnosis/snapshot.js";
import { canonicalCidr } from "./address-set.js";
import { unknownIfGaps } from "./gaps.js";
import { ipVersion } from "./net.js";

// Who talks to the endpoint and where the endpoint listens, for the security-group and NACL checks.

/** The client trying to reach the endpoint, as address blocks and (when known) security groups. */
export interface Client {
  /** How the client is named in sentences: "source i-0abc (10.0.3.7/32)", "the VPC CIDRs of vpc-... (10.0.0.0/16)". */
  description: string;
  /** True when the blocks are the client's own addresses or subnet; false when they stand in for it (VPC CIDRs). */
  precise: boolean;
  /** Canonical CIDRs the client sends from, limited to the address families the endpoint serves. */
  blocks: string[];
  /** The client's security groups; undefined when the source was given as addresses only (or not at all). */
  securityGroupIds?: string[];
  /** The client's subnet, when known. */
  subnetId?: string;
  /** Evidence lines about how the client was worked out. */
  notes: string[];
  /**
   * Why a rule naming one of the client's security groups may not match it: the client is in another VPC that is
   * not peered with the endpoint's in the same region. Undefined when such references work.
   */
  referenceCaveat?: string;
}

/** The endpoint's addresses in one of its subnets: its ENI addresses, or the subnet's CIDRs when those are unknown. */
export interface EndpointTarget {
  subnetId: string;
  blocks: string[];
  via: "eni" | "subnet";
  /** "eni-0aaa (10.0.1.10/32)" or "subnet-0aaa (10.0.1.0/24)". */
  description: string;
}

/** True when a helper answered with an outcome (a gap or missing input) instead of a value. */
export function isOutcome<T extends object>(value: T | CheckOutcome): value is CheckOutcome {
  return "status" in value && "findings" in value;
}

/** An `unknown` outcome for an input that is absent although no gap explains it. */
export function notCollected(what: string): CheckOutcome {
  const summary = `${what} not collected, so this could not be verified`;
  return {
    status: "unknown",
    summary,
    findings: [
      {
        severity: "medium",
        summary,
        evidence: [`the snapshot has no ${what} and no gap records why`],
        remediation: {
          text: "Rerun the diagnosis; a snapshot saved by an older collector may lack this input.",
        },
      },
    ],
  };
}

/** The IP families the endpoint accepts connections on: its IpAddressType (IPv4 when absent). */
export function endpointFamilies(endpoint: Endpoint): (4 | 6)[] {
  const type = (endpoint.ipAddressType ?? "ipv4").toLowerCase();
  if (type === "ipv6") return [6];
  if (type === "dualstack") return [4, 6];
  return [4];
}

function canonical(values: readonly (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    const cidr = value === undefined ? undefined : canonicalCidr(value);
    if (cidr && !out.includes(cidr)) out.push(cidr);
  }
  return out;
}

function vpcBlocks(snapshot: Snapshot): string[] | CheckOutcome {
  const gap = unknownIfGaps(snapshot, "vpc");
  if (gap) return gap;
  if (!snapshot.vpc) return notCollected("VPC CIDRs");
  return canonical([...snapshot.vpc.cidrsIpv4, ...snapshot.vpc.cidrsIpv6]);
}

function subnetBlocks(snapshot: Snapshot, subnetId: string): string[] | CheckOutcome {
  const gap = unknownIfGaps(snapshot, "subnets");
  if (gap) return gap;
  const subnet = snapshot.subnets?.find((s) => s.id === subnetId);
  if (!subnet) return [];
  return canonical([subnet.cidrIpv4, ...subnet.cidrsIpv6]);
}

/**
 * The client: the requester's source when given (its addresses, else its subnet's CIDRs, else the VPC CIDRs
 * for members of a security group), otherwise the VPC CIDRs. Blocks of a family the endpoint does not serve are
 * dropped with a note; when nothing is left the answer is a `warn` outcome.
 */
export function resolveClient(snapshot: Snapshot, endpoint: Endpoint): Client | CheckOutcome {
  const notes: string[] = [];
  let client: Client;
  const source = snapshot.source;
  if (source) {
    const gap = unknownIfGaps(snapshot, "source");
    if (gap) return gap;
    const given = source.given;
    const groups =
      source.securityGroupIds.length > 0
        ? source.securityGroupIds
        : given.kind === "security-group"
          ? [given.value]
          : [];
    const subnetId = source.subnetId ?? (given.kind === "subnet" ? given.value : undefined);
    if (!source.found) notes.push(`source ${given.value} was not found in ${snapshot.region}`);
    let blocks = canonical(source.addresses);
    if (blocks.length === 0 && given.kind === "cidr") blocks = canonical([given.value]);
    if (blocks.length === 0 && subnetId) {
      const fromSubnet = subnetBlocks(snapshot, subnetId);
      if (isOutcome(fromSubnet)) return fromSubnet;
      if (fromSubnet.length === 0)
        notes.push(`subnet ${subnetId} of the source was not among the collected subnets`);
      blocks = fromSubnet;
    }
    let precise = true;
    let description: string;
    if (blocks.length === 0) {
      const fromVpc = vpcBlocks(snapshot);
      if (isOutcome(fromVpc)) return fromVpc;
      blocks = fromVpc;
      precise = false;
      if (given.kind === "security-group") {
        description = `members of ${given.value}`;
        notes.push(
          `members of ${given.value} are taken to be within the VPC CIDRs of ${endpoint.vpcId} (${blocks.join(", ")})`,
        );
      } else {
        description = `the VPC CIDRs of ${endpoint.vpcId} (${blocks.join(", ")})`;
        notes.push(`source ${given.value} resolved to no address; the VPC CIDRs are checked instead`);
      }
    } else if (given.kind === "cidr") {
      description = `source ${blocks.join(", ")}`;
    } else if (given.kind === "subnet") {
      description = `source subnet ${given.value} (${blocks.join(", ")})`;
    } else {
      description = `source ${given.value} (${blocks.join(", ")})`;
    }
    const referenceCaveat = referenceCaveatOf(snapshot, endpoint, source.vpcId);
    client = {
      description,
      precise,
      blocks,
      securityGroupIds: groups.length > 0 ? groups : undefined,
      subnetId,
      notes,
      referenceCaveat,
    };
  } else {
    const blocks = vpcBlocks(snapshot);
    if (isOutcome(blocks)) return blocks;
    notes.push("no source was given: every address of the VPC is checked as a possible client");
    client = {
      description: `the VPC CIDRs of ${endpoint.vpcId} (${blocks.join(", ")})`,
      precise: false,
      blocks,
      notes,
    };
  }

  const families = endpointFamilies(endpoint);
  const served = client.blocks.filter((block) => families.includes(ipVersion(block) ?? 4));
  const dropped = client.blocks.filter((block) => !served.includes(block));
  const familyText = families.map((f) => `IPv${f}`).join(" and ");
  if (dropped.length > 0) {
    client.notes.push(
      `${dropped.join(", ")} not checked: ${endpoint.id} serves ${familyText} only (IpAddressType ${endpoint.ipAddressType ?? "ipv4"})`,
    );
  }
  if (served.length === 0) {
    const summary = `${client.description} has no address of a family ${endpoint.id} serves (${familyText}).`;
    return {
      status: "warn",
      summary,
      findings: [
        {
          severity: "medium",
          summary,
          evidence: client.notes,
          remediation: {
            text: "Give the client an address of a family the endpoint serves, or change the endpoint's IP address type.",
            command: `aws ec2 describe-vpc-endpoints --region ${snapshot.region} --vpc-endpoint-ids ${endpoint.id} --query 'VpcEndpoints[].IpAddressType'`,
            docs: "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
          },
          resourceIds: [endpoint.id],
        },
      ],
    };
  }
  return { ...client, blocks: served };
}

/**
 * Security group references reach across VPCs only over a same-region peering connection, or a transit gateway
 * with security group referencing turned on (not read here): a client in another VPC without the former gets
 * the caveat. https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html
 */
function referenceCaveatOf(
  snapshot: Snapshot,
  endpoint: Endpoint,
  clientVpc: string | undefined,
): string | undefined {
  if (!clientVpc || clientVpc === endpoint.vpcId) return undefined;
  const peered = (snapshot.outsidePath?.peerings ?? []).some((p) => {
    const ends = [p.requester.vpcId, p.accepter.vpcId];
    const sameRegion = !p.requester.region || !p.accepter.region || p.requester.region === p.accepter.region;
    return p.status === "active" && sameRegion && ends.includes(clientVpc) && ends.includes(endpoint.vpcId);
  });
  if (peered) return undefined;
  return `the client is in ${clientVpc}, not peered with ${endpoint.vpcId} in the same region: a rule naming one of its security groups matches it only through a transit gateway with security group referencing on, which is not read`;
}

/**
 * Where the endpoint listens in each of its subnets. `unresolved` lists subnets for which neither the ENI
 * addresses nor the subnet CIDRs are known.
 */
export function endpointTargets(
  snapshot: Snapshot,
  endpoint: Endpoint,
): { targets: EndpointTarget[]; unresolved: string[] } {
  const families = endpointFamilies(endpoint);
  const served = (blocks: string[]) => blocks.filter((b) => families.includes(ipVersion(b) ?? 4));
  const targets: EndpointTarget[] = [];
  const unresolved: string[] = [];
  for (const subnetId of endpoint.subnetIds) {
    const enis = (snapshot.networkInterfaces ?? []).filter(
      (eni) => endpoint.networkInterfaceIds.includes(eni.id) && eni.subnetId === subnetId,
    );
    const eniBlocks = served(
      canonical(enis.flatMap((eni) => [...eni.privateIpAddresses, ...eni.ipv6Addresses])),
    );
    if (eniBlocks.length > 0) {
      targets.push({
        subnetId,
        blocks: eniBlocks,
        via: "eni",
        description: `${enis.map((eni) => eni.id).join(", ")} (${eniBlocks.join(", ")})`,
      });
      continue;
    }
    const subnet = snapshot.subnets?.find((s) => s.id === subnetId);
    const subnetCidrs = subnet ? served(canonical([subnet.cidrIpv4, ...subnet.cidrsIpv6])) : [];
    if (subnetCidrs.length > 0) {
      targets.push({
        subnetId,
        blocks: subnetCidrs,
        via: "subnet",
        description: `${subnetId} (${subnetCidrs.join(", ")})`,
      });
    } else {
      unresolved.push(subnetId);
    }
  }
  return { targets, unresolved };
}
