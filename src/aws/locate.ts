import { DescribeVpcEndpointsCommand, EC2Client } from "@aws-sdk/client-ec2";
import type { AccountConfig } from "../config/schema.js";
import type { CredentialBroker } from "./credentials.js";
import { errorMessage, errorName } from "./errors.js";
import { type CallObserver, fixedLatency, observeCalls } from "./middleware.js";

/** Which of the searched accounts hold the endpoint, and which could not be searched (and why). */
export interface Located {
  found: AccountConfig[];
  failed: { alias: string; message: string }[];
}

/**
 * Looks an endpoint id up in several accounts at once (one DescribeVpcEndpoints each), so a person may
 * leave the account out when the channel may diagnose several.
 */
export function createLocator(
  broker: CredentialBroker,
  options: { latencyMs?: number; maxAttempts?: number; onCall?: CallObserver } = {},
): (
  endpointId: string,
  region: string,
  accounts: readonly AccountConfig[],
  requester: string,
) => Promise<Located> {
  return async (endpointId, region, accounts, requester) => {
    const results = await Promise.all(
      accounts.map(async (account) => {
        try {
          const credentials = await broker.credentialsFor(account, region, requester);
          const ec2 = new EC2Client({ region, credentials, maxAttempts: options.maxAttempts });
          if (options.latencyMs) ec2.middlewareStack.use(fixedLatency(options.latencyMs));
          if (options.onCall) ec2.middlewareStack.use(observeCalls(options.onCall));
          const out = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
          const live = (out.VpcEndpoints ?? []).some(
            (e) => e.VpcEndpointId === endpointId && e.State?.toLowerCase() !== "deleted",
          );
          return { account, found: live };
        } catch (error) {
          if (errorName(error).startsWith("InvalidVpcEndpointId")) return { account, found: false };
          return { account, found: false, failure: `${errorName(error)}: ${errorMessage(error)}` };
        }
      }),
    );
    return {
      found: results.filter((r) => r.found).map((r) => r.account),
      failed: results.flatMap((r) => (r.failure ? [{ alias: r.account.alias, message: r.failure }] : [])),
    };
  };
}
