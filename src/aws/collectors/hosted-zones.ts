import { ListHostedZonesByVPCCommand, type VPCRegion } from "@aws-sdk/client-route-53";
import type { HostedZone } from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext } from "../context.js";

// Route 53 private hosted zones associated with the endpoint's VPC (they can shadow the endpoint's DNS name).

const PAGE_CAP = 20;

/** Private hosted zones associated with `vpcId`, from every account, following NextToken. */
export async function collectHostedZones(
  ctx: CollectContext,
  vpcId: string,
): Promise<HostedZone[] | undefined> {
  return attempt(ctx, "hostedZones", "route53:ListHostedZonesByVPC", async () => {
    const zones = new Map<string, HostedZone>();
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
      for (const summary of page.HostedZoneSummaries ?? []) {
        if (!summary.HostedZoneId || !summary.Name) continue;
        const id = summary.HostedZoneId.replace(/^\/hostedzone\//, "");
        zones.set(id, { id, name: summary.Name });
      }
      nextToken = page.NextToken || undefined;
      pages += 1;
    } while (nextToken && pages < PAGE_CAP);
    return [...zones.values()];
  });
}
