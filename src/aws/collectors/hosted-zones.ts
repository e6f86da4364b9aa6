import {
  type HostedZoneSummary,
  ListHostedZonesByVPCCommand,
  type VPCRegion,
} from "@aws-sdk/client-route-53";
import type { HostedZone } from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext, sharedRead } from "../context.js";

// Route 53 private hosted zones associated with the endpoint's VPC (they can shadow the endpoint's DNS name).

const PAGE_CAP = 20;

/** Private hosted zones associated with `vpcId`, from every account, following NextToken. */
export async function collectHostedZones(
  ctx: CollectContext,
  vpcId: string,
): Promise<HostedZone[] | undefined> {
  return attempt(ctx, "hostedZones", "route53:ListHostedZonesByVPC", async () => {
    const summaries = await sharedRead(ctx, `route53:ListHostedZonesByVPC:${vpcId}`, () =>
      listSummaries(ctx, vpcId),
    );
    const zones = new Map<string, HostedZone>();
    for (const summary of summaries) {
      if (!summary.HostedZoneId || !summary.Name) continue;
      const id = summary.HostedZoneId.replace(/^\/hostedzone\//, "");
      zones.set(id, { id, name: summary.Name });
    }
    return [...zones.values()];
  });
}

async function listSummaries(ctx: CollectContext, vpcId: string): Promise<HostedZoneSummary[]> {
  const summaries: HostedZoneSummary[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await ctx.clients.route53.send(
      new ListHostedZonesByVPCCommand({
        VPCId: vpcId,
        VPCRegion: ctx.region as VPCRegion,
        NextToken: nextToken,
      }),
    );
    summaries.push(...(page.HostedZoneSummaries ?? []));
    nextToken = page.NextToken || undefined;
    pages += 1;
  } while (nextToken && pages < PAGE_CAP);
  return summaries;
}
