import {
  DescribeVpcEndpointsCommand,
  paginateDescribeVpcEndpoints,
  type VpcEndpoint,
} from "@aws-sdk/client-ec2";
import type { Endpoint, Snapshot } from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext } from "../context.js";
import { errorName } from "../errors.js";

/** Near misses offered when the endpoint id is not found. */
export type NotFoundHints = NonNullable<Snapshot["notFound"]>;

const NOT_FOUND = new Set(["InvalidVpcEndpointId.NotFound", "InvalidVpcEndpointId.Malformed"]);
const HINT_PAGES = 5;
const HINT_PAGE_SIZE = 1000;
const MAX_SIMILAR = 5;

/** The endpoint by id, normalised; null when AWS does not know it (not a gap); undefined when the read failed. */
export async function collectEndpoint(
  ctx: CollectContext,
  endpointId: string,
): Promise<Endpoint | null | undefined> {
  return attempt(ctx, "endpoint", "ec2:DescribeVpcEndpoints", async () => {
    try {
      const out = await ctx.clients.ec2.send(
        new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }),
      );
      const raw = out.VpcEndpoints?.find((e) => e.VpcEndpointId === endpointId);
      return raw ? toEndpoint(raw) : null;
    } catch (error) {
      if (NOT_FOUND.has(errorName(error))) return null;
      throw error;
    }
  });
}

/**
 * Endpoint ids in the region that look like `endpointId` (edit distance <= 3 or the same first 8 hex digits), and
 * how many endpoints the region has. Best effort: reads at most 5 pages, and a failure only leaves hints out
 * (recording it as an `endpoint` gap would turn a clear "not found" into "unknown").
 */
export async function notFoundHints(ctx: CollectContext, endpointId: string): Promise<NotFoundHints> {
  const ids: string[] = [];
  let complete = false;
  await attempt({ ...ctx, gaps: [] }, "endpoint", "ec2:DescribeVpcEndpoints", async () => {
    let pages = 0;
    const pager = paginateDescribeVpcEndpoints({ client: ctx.clients.ec2, pageSize: HINT_PAGE_SIZE }, {});
    for await (const page of pager) {
      for (const endpoint of page.VpcEndpoints ?? []) {
        if (endpoint.VpcEndpointId) ids.push(endpoint.VpcEndpointId);
      }
      pages += 1;
      if (!page.NextToken) break;
      if (pages >= HINT_PAGES) return;
    }
    complete = true;
  });
  return {
    similarIds: similarIds(endpointId, ids),
    ...(complete ? { endpointsInRegion: ids.length } : {}),
  };
}

/** Ids close to `target`: edit distance <= 3 or a shared 8-hex-digit prefix, closest first. */
export function similarIds(target: string, candidates: readonly string[]): string[] {
  const wanted = target.toLowerCase();
  const prefix = hexPart(wanted).slice(0, 8);
  return [...new Set(candidates)]
    .filter((id) => id.toLowerCase() !== wanted)
    .map((id) => ({ id, distance: editDistance(wanted, id.toLowerCase()) }))
    .filter(
      ({ id, distance }) =>
        distance <= 3 || (prefix.length === 8 && hexPart(id.toLowerCase()).startsWith(prefix)),
    )
    .sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id))
    .slice(0, MAX_SIMILAR)
    .map(({ id }) => id);
}

function hexPart(id: string): string {
  return id.replace(/^vpce-/, "");
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}

function toEndpoint(raw: VpcEndpoint): Endpoint {
  return {
    id: raw.VpcEndpointId ?? "",
    type: raw.VpcEndpointType ?? "Interface",
    vpcId: raw.VpcId ?? "",
    serviceName: raw.ServiceName ?? "",
    serviceRegion: raw.ServiceRegion,
    state: raw.State ?? "unknown",
    lastError: raw.LastError?.Code
      ? { code: raw.LastError.Code, message: raw.LastError.Message ?? "" }
      : undefined,
    subnetIds: raw.SubnetIds ?? [],
    routeTableIds: raw.RouteTableIds ?? [],
    securityGroups: (raw.Groups ?? [])
      .filter((g) => g.GroupId)
      .map((g) => ({ id: g.GroupId!, name: g.GroupName })),
    networkInterfaceIds: raw.NetworkInterfaceIds ?? [],
    privateDnsEnabled: raw.PrivateDnsEnabled ?? false,
    privateDnsOnlyForInboundResolverEndpoint: raw.DnsOptions?.PrivateDnsOnlyForInboundResolverEndpoint,
    policyDocument: raw.PolicyDocument,
    ipAddressType: raw.IpAddressType,
    dnsRecordIpType: raw.DnsOptions?.DnsRecordIpType,
    dnsEntries: (raw.DnsEntries ?? [])
      .filter((d) => d.DnsName)
      .map((d) => ({ dnsName: d.DnsName!, hostedZoneId: d.HostedZoneId })),
    ownerId: raw.OwnerId,
    requesterManaged: raw.RequesterManaged,
    createdAt: raw.CreationTimestamp?.toISOString(),
    tags: tagsOf(raw.Tags),
  };
}

function tagsOf(tags: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? "";
  return out;
}
