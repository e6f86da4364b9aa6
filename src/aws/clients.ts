import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { HealthClient } from "@aws-sdk/client-health";
import { Route53Client } from "@aws-sdk/client-route-53";
import { Route53ResolverClient } from "@aws-sdk/client-route53resolver";
import { STSClient } from "@aws-sdk/client-sts";
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  InitializeMiddleware,
  MiddlewareStack,
  Pluggable,
} from "@smithy/types";
import { DEFAULT_CALL_TIMEOUT_MS, limitCall } from "../diagnosis/deadline.js";
import { iamActionFor } from "./actions.js";
import type { AwsClients } from "./context.js";
import { type CallCounter, type CallObserver, countCalls, fixedLatency, observeCalls } from "./middleware.js";
import { globalRegionFor } from "./regions.js";

/** How to build the clients of one diagnosis. */
export interface ClientOptions {
  region: string;
  /** Absent: the SDK's default credential chain (environment, profile, container, instance role). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts?: number;
  /** Added to every HTTP attempt (benchmarks). */
  latencyMs?: number;
  counter: CallCounter;
  /** Told of every attempt and its outcome (the bot's /metrics). */
  onCall?: CallObserver;
  /** How long one call (retries included) may take before it is a "did not answer" gap (default 10 s). */
  callTimeoutMs?: number;
}

/**
 * One client per service, counting every attempt into `options.counter`. Route 53 and Health are global APIs
 * served from the partition's home region (Route 53 Resolver is regional). No endpoint is set: the SDK honours
 * AWS_ENDPOINT_URL(_<SERVICE>).
 */
export function createClients(options: ClientOptions): AwsClients {
  const config = (region: string) => ({
    region,
    retryMode: "standard",
    // A black-holed endpoint: no connection, or a connection that never answers, is dropped after the call's time.
    requestHandler: {
      connectionTimeout: callTimeout(options),
      requestTimeout: callTimeout(options),
      throwOnRequestTimeout: true,
    },
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  });
  const regional = config(options.region);
  const global = config(globalRegionFor(options.region));
  const clients: AwsClients = {
    ec2: new EC2Client(regional),
    elbv2: new ElasticLoadBalancingV2Client(regional),
    cloudwatch: new CloudWatchClient(regional),
    logs: new CloudWatchLogsClient(regional),
    cloudtrail: new CloudTrailClient(regional),
    sts: new STSClient(regional),
    route53resolver: new Route53ResolverClient(regional),
    route53: new Route53Client(global),
    health: new HealthClient(global),
  };
  instrumentClient(clients.ec2.middlewareStack, options);
  instrumentClient(clients.elbv2.middlewareStack, options);
  instrumentClient(clients.cloudwatch.middlewareStack, options);
  instrumentClient(clients.logs.middlewareStack, options);
  instrumentClient(clients.cloudtrail.middlewareStack, options);
  instrumentClient(clients.sts.middlewareStack, options);
  instrumentClient(clients.route53.middlewareStack, options);
  instrumentClient(clients.route53resolver.middlewareStack, options);
  instrumentClient(clients.health.middlewareStack, options);
  return clients;
}

/** Adds the call limit, the call counter and the observers every vpce-doctor client carries (also the probe's SSM client). */
export function instrumentClient<I extends object, O extends object>(
  stack: MiddlewareStack<I, O>,
  options: ClientOptions,
): void {
  stack.use(limitCalls<I, O>(callTimeout(options)));
  stack.use(countCalls<I, O>(options.counter));
  if (options.onCall) stack.use(observeCalls<I, O>(options.onCall));
  if (options.latencyMs) stack.use(fixedLatency<I, O>(options.latencyMs));
}

function callTimeout(options: ClientOptions): number {
  return options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
}

/**
 * SDK plugin bounding each call, retries included (outermost step), by the per-call timeout and the diagnosis's
 * deadline: a call that does not answer in time rejects with DidNotAnswer, which becomes a gap naming it.
 */
export function limitCalls<I extends object, O extends object>(callTimeoutMs: number): Pluggable<I, O> {
  const middleware: InitializeMiddleware<I, O> = (next, context) => (args) => {
    const command = context.commandName ?? "UnknownCommand";
    const client = context.clientName ?? "UnknownClient";
    const action = iamActionFor(command, client) ?? `${client}:${command}`;
    return limitCall(action, () => next(args), callTimeoutMs);
  };
  return {
    applyToStack: (stack) =>
      stack.add(middleware, { step: "initialize", priority: "high", name: "vpceDoctorCallLimit" }),
  };
}
