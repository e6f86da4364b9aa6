import { DescribeRegionsCommand, DescribeVpcEndpointsCommand } from "@aws-sdk/client-ec2";
import { attempt, type CollectContext } from "../context.js";
import { errorMessage, errorName } from "../errors.js";

// When the endpoint id is not in the region asked for, the likeliest mistake is the region: look the id up in
// the account's other enabled regions (DescribeRegions lists only those by default), a few regions at a time.

/** How many regions are asked at once. */
const CONCURRENCY = 6;
const NOT_FOUND = new Set(["InvalidVpcEndpointId.NotFound", "InvalidVpcEndpointId.Malformed"]);

/**
 * The other enabled regions of the account where `endpointId` exists (not deleted), or undefined when the
 * regions could not be listed or no regional EC2 client is available. Regions that could not be asked are one
 * `notFound.otherRegions` gap, never an `endpoint` gap: the endpoint is still not found where it was asked for.
 */
export async function findInOtherRegions(
  ctx: CollectContext,
  endpointId: string,
): Promise<string[] | undefined> {
  const ec2In = ctx.clients.ec2In;
  if (!ec2In) return undefined;
  const regions = await attempt(ctx, "notFound.otherRegions", "ec2:DescribeRegions", async () => {
    const out = await ctx.clients.ec2.send(new DescribeRegionsCommand({}));
    return (out.Regions ?? [])
      .filter((r) => r.RegionName && r.OptInStatus !== "not-opted-in")
      .map((r) => r.RegionName!)
      .filter((name) => name !== ctx.region)
      .sort();
  });
  if (!regions) return undefined;
  const failures: string[] = [];
  const found = await mapLimit(regions, CONCURRENCY, async (region) => {
    try {
      const out = await ec2In(region).send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
      const live = (out.VpcEndpoints ?? []).some(
        (e) => e.VpcEndpointId === endpointId && e.State?.toLowerCase() !== "deleted",
      );
      return live ? region : undefined;
    } catch (error) {
      if (!NOT_FOUND.has(errorName(error)))
        failures.push(`${region}: ${errorName(error)}: ${errorMessage(error)}`);
      return undefined;
    }
  });
  if (failures.length > 0) {
    ctx.gaps.push({
      source: "notFound.otherRegions",
      iamAction: "ec2:DescribeVpcEndpoints",
      error: failures[0]!.split(": ")[1] ?? "Error",
      message: `${failures.length} of ${regions.length} other regions could not be searched (${failures.slice(0, 3).join("; ")})`,
    });
  }
  return found.filter((r): r is string => r !== undefined);
}

/** Maps over `items` with at most `limit` calls in flight, keeping the order of `items`. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
