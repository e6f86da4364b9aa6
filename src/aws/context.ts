import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { HealthClient } from "@aws-sdk/client-health";
import type { Route53Client } from "@aws-sdk/client-route-53";
import type { Route53ResolverClient } from "@aws-sdk/client-route53resolver";
import type { STSClient } from "@aws-sdk/client-sts";
import { untilDeadline } from "../diagnosis/deadline.js";
import type { Gap, SnapshotField } from "../diagnosis/snapshot.js";
import { CredentialsError, credentialsProblem, isCredentialsError, toGap } from "./errors.js";
import type { SharedReads } from "./shared-reads.js";

/** One SDK client per service a diagnosis reads, all bound to the same credentials and region. */
export interface AwsClients {
  ec2: EC2Client;
  elbv2: ElasticLoadBalancingV2Client;
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  cloudtrail: CloudTrailClient;
  route53: Route53Client;
  route53resolver: Route53ResolverClient;
  health: HealthClient;
  sts: STSClient;
  /** An EC2 client of the same credentials in another region (the "found in another region" lookup). */
  ec2In?: (region: string) => EC2Client;
}

/** Everything a collector needs: clients, where and when to look, and where to record what failed. */
export interface CollectContext {
  clients: AwsClients;
  region: string;
  window: { start: Date; end: Date };
  gaps: Gap[];
  /** Where VPC-level reads are shared with concurrent diagnoses; `scope` names the account and region. */
  shared?: { reads: SharedReads; scope: string };
}

/**
 * Runs one AWS read; on failure records a gap for `field` (naming the IAM action) and returns undefined,
 * so a refused call shows up as `unknown` in the checks and never as an empty, passing result.
 * Unusable credentials abort the whole diagnosis instead: every other call would fail the same way.
 */
export async function attempt<T>(
  ctx: CollectContext,
  field: SnapshotField,
  iamAction: string,
  call: () => Promise<T>,
): Promise<T | undefined> {
  try {
    // A read still waiting (behind the CloudTrail limiter, or on another diagnosis's shared read) at the
    // diagnosis's deadline is a "did not answer" gap like a call that timed out.
    return await untilDeadline(iamAction, call);
  } catch (error) {
    if (isCredentialsError(error)) {
      throw new CredentialsError(credentialsProblem(error, iamAction), { cause: error });
    }
    ctx.gaps.push(toGap(field, iamAction, error));
    return undefined;
  }
}

/**
 * Sends a raw read through the context's shared reads under `key` (scoped to the account and region), or
 * directly when nothing is shared. Wrap it in `attempt`, never the other way round: the shared value is the
 * SDK answer or its error, so every diagnosis records its own gap. When another diagnosis's call failed on
 * its credentials, this one tries with its own.
 */
export async function sharedRead<T>(ctx: CollectContext, key: string, call: () => Promise<T>): Promise<T> {
  if (!ctx.shared) return call();
  let made = false;
  try {
    return await ctx.shared.reads.get(`${ctx.shared.scope}|${key}`, () => {
      made = true;
      return call();
    });
  } catch (error) {
    if (made || !isCredentialsError(error)) throw error;
    return call();
  }
}

/**
 * Like `sharedRead` for a read whose normalised result is shared (security groups, subnets, NACLs, the service,
 * Health events): every caller gets its own deep copy, so no diagnosis can change another's view.
 */
export async function sharedCopy<T>(ctx: CollectContext, key: string, call: () => Promise<T>): Promise<T> {
  return structuredClone(await sharedRead(ctx, key, call));
}
