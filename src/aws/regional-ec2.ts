import { EC2Client } from "@aws-sdk/client-ec2";
import type { ClientOptions } from "./clients.js";
import { countCalls, fixedLatency, observeCalls } from "./middleware.js";

// EC2 clients for regions other than the diagnosed one, built on demand with the diagnosis's credentials and
// instruments: only the "not found here, found there" lookup uses them.

/** A factory of counted EC2 clients, one per region, sharing `options`' credentials, counter and observer. */
export function ec2InRegions(options: Omit<ClientOptions, "region">): (region: string) => EC2Client {
  const clients = new Map<string, EC2Client>();
  return (region) => {
    const known = clients.get(region);
    if (known) return known;
    const client = new EC2Client({
      region,
      retryMode: "standard",
      ...(options.credentials ? { credentials: options.credentials } : {}),
      ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    });
    client.middlewareStack.use(countCalls(options.counter));
    if (options.onCall) client.middlewareStack.use(observeCalls(options.onCall));
    if (options.latencyMs) client.middlewareStack.use(fixedLatency(options.latencyMs));
    clients.set(region, client);
    return client;
  };
}
