import { randomUUID } from "node:crypto";
import { STSClient } from "@aws-sdk/client-sts";
import type { Logger } from "pino";
import type { AccountConfig } from "../config/schema.js";
import type { DiagnosisRequest } from "../diagnosis/request.js";
import type { Snapshot } from "../diagnosis/snapshot.js";
import { READ_ACTIONS } from "./actions.js";
import { type ClientOptions, createClients } from "./clients.js";
import { collectSnapshot, type ProviderClients } from "./collect.js";
import { CredentialBroker } from "./credentials.js";
import { createLocator, type Located } from "./locate.js";
import { type CallObserver, createCallCounter, fixedLatency, observeCalls } from "./middleware.js";
import type { PollOptions } from "./probe.js";
import { cloudTrailLimiter } from "./rate-limit.js";
import { ec2InRegions } from "./regional-ec2.js";
import { SharedReads } from "./shared-reads.js";

/** Knobs of the AWS side; the defaults are what production uses. */
export interface AwsCollectorOptions {
  /** Added to every AWS call (benchmarks only). */
  latencyMs?: number;
  maxAttempts?: number;
  clock?: () => number;
  /** Receives one child logger per diagnosis; silent when absent. */
  logger?: Logger;
  /** Told of every AWS attempt and its outcome (the bot's /metrics). */
  onCall?: CallObserver;
  /** The configured accounts; those with `provides` are read for the provider side of their services. */
  providers?: readonly AccountConfig[];
  /** How the probe polls GetCommandInvocation (tests pass a fake sleep). */
  probePoll?: PollOptions;
}

/** The AWS half of the pipeline for one process: collect snapshots, and find which account holds an endpoint. */
export interface AwsSide {
  /** `providers` (the config's accounts) overrides the options' list for this diagnosis. */
  collect: (
    request: DiagnosisRequest,
    account: AccountConfig | undefined,
    providers?: readonly AccountConfig[],
  ) => Promise<Snapshot>;
  locate: (
    endpointId: string,
    region: string,
    accounts: readonly AccountConfig[],
    requester: string,
  ) => Promise<Located>;
}

/** The AWS half of the pipeline as one function, for callers that only collect (CLI, benchmarks). */
export function createAwsCollector(options: AwsCollectorOptions = {}): AwsSide["collect"] {
  return createAwsSide(options).collect;
}

/**
 * Credentials (assumed role or ambient chain) -> clients -> snapshot, plus the endpoint locator.
 * One broker is shared by everything, so sessions are cached across diagnoses and lookups.
 */
export function createAwsSide(options: AwsCollectorOptions = {}): AwsSide {
  const stsClients = new Map<string, STSClient>();
  const stsFor = (region: string) => {
    let sts = stsClients.get(region);
    if (!sts) {
      sts = new STSClient({ region, retryMode: "standard", maxAttempts: options.maxAttempts });
      if (options.latencyMs) sts.middlewareStack.use(fixedLatency(options.latencyMs));
      if (options.onCall) sts.middlewareStack.use(observeCalls(options.onCall));
      stsClients.set(region, sts);
    }
    return sts;
  };
  const broker = new CredentialBroker(stsFor, READ_ACTIONS, options.clock);
  const locate = createLocator(broker, options);
  // One per process: diagnoses of endpoints in one VPC (an alarm storm) share the VPC-level reads.
  const shared = new SharedReads({ clock: options.clock });
  const collect = async (
    request: DiagnosisRequest,
    account: AccountConfig | undefined,
    providers: readonly AccountConfig[] | undefined = options.providers,
  ): Promise<Snapshot> => {
    const counter = createCallCounter();
    const log = options.logger?.child({
      requestId: randomUUID(),
      endpointId: request.endpointId,
      account: account?.alias ?? "ambient",
      region: request.region,
    });
    const started = Date.now();
    const credentials = await broker.credentialsFor(account, request.region, request.requester, () => {
      counter.count += 1;
      counter.byAction["sts:AssumeRole"] = (counter.byAction["sts:AssumeRole"] ?? 0) + 1;
      log?.debug({ roleArn: account?.roleArn, requester: request.requester }, "assuming role");
    });
    const clientOptions = {
      credentials,
      counter,
      latencyMs: options.latencyMs,
      maxAttempts: options.maxAttempts,
      onCall: options.onCall,
    };
    const clients = {
      ...createClients({ region: request.region, ...clientOptions }),
      ec2In: ec2InRegions(clientOptions),
    };
    const provider: ProviderClients = async (serviceName, ownerId) => {
      const owner = providerAccount(providers ?? [], serviceName, ownerId);
      if (!owner || owner.id === account?.id) return undefined;
      const assumed = await broker.credentialsFor(owner, request.region, request.requester, () => {
        counter.count += 1;
        counter.byAction["sts:AssumeRole"] = (counter.byAction["sts:AssumeRole"] ?? 0) + 1;
        log?.debug({ roleArn: owner.roleArn, requester: request.requester }, "assuming the provider's role");
      });
      return {
        clients: createClients({ region: request.region, ...clientOptions, credentials: assumed }),
        access: { accountId: owner.id, alias: owner.alias, via: "provider-alias" },
      };
    };
    const accountKey = `${account?.id ?? "ambient"}:${request.region}`;
    const snapshot = await collectSnapshot(
      {
        endpointId: request.endpointId,
        region: request.region,
        accountId: account?.id,
        accountAlias: account?.alias,
        source: request.source,
        windowHours: request.windowHours,
        now: new Date(options.clock?.() ?? Date.now()),
      },
      clients,
      {
        counter,
        limiter: cloudTrailLimiter(accountKey),
        clock: options.clock,
        shared,
        accountKey: account?.id ?? "ambient",
        provider,
      },
    );
    if (request.probe && request.source?.kind === "instance") {
      const probeCredentials = await broker.credentialsFor(
        account,
        request.region,
        request.requester,
        () => {
          counter.count += 1;
          counter.byAction["sts:AssumeRole"] = (counter.byAction["sts:AssumeRole"] ?? 0) + 1;
          log?.info(
            { instance: request.source?.value, requester: request.requester },
            "assuming the probe session",
          );
        },
        true,
      );
      const probeOptions = { region: request.region, ...clientOptions, credentials: probeCredentials };
      snapshot.probe = await runProbe(snapshot, request, probeOptions, options.probePoll);
    }
    for (const gap of snapshot.gaps)
      log?.warn({ gap }, `could not read ${gap.source}: ${gap.iamAction} ${gap.error}`);
    log?.info(
      {
        awsCalls: counter.count,
        byAction: counter.byAction,
        gaps: snapshot.gaps.length,
        durationMs: Date.now() - started,
      },
      "snapshot collected",
    );
    return snapshot;
  };
  return { collect, locate };
}

/**
 * The client probe on the request's instance, with its own session (read actions plus the probe's): the SSM
 * client is loaded here only, so a diagnosis without --probe never builds one nor sends an SSM call.
 */
async function runProbe(
  snapshot: Snapshot,
  request: DiagnosisRequest,
  clientOptions: ClientOptions,
  poll: PollOptions | undefined,
): Promise<Snapshot["probe"]> {
  const probe = await import("./probe.js");
  const hinted: Snapshot = request.ports?.length
    ? { ...snapshot, portHint: { ports: [...request.ports], origin: "request" } }
    : snapshot;
  const target = { instanceId: request.source!.value, requestedBy: request.requester };
  const ssm = probe.createSsmClient(clientOptions);
  try {
    return await probe.probeInstance(ssm, target, probe.probePlan(hinted), snapshot.gaps, poll);
  } finally {
    ssm.destroy();
  }
}

/**
 * The configured account that provides `serviceName` (its `provides` lists it), unless the service's owner is
 * known to be another account: then the entry is stale and reading there would only collect AccessDenied noise.
 */
export function providerAccount(
  accounts: readonly AccountConfig[],
  serviceName: string,
  ownerId: string | undefined,
): AccountConfig | undefined {
  const name = serviceName.toLowerCase();
  const account = accounts.find((a) => (a.provides ?? []).some((p) => p.toLowerCase() === name));
  if (!account || (ownerId && /^\d{12}$/.test(ownerId) && ownerId !== account.id)) return undefined;
  return account;
}
