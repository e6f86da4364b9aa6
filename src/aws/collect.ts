import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import {
  type CloudTrail,
  type Endpoint,
  type Gap,
  type HostedZone,
  type PortHint,
  type ProviderAccess,
  type ResolvedSource,
  type RouteTable,
  type Service,
  type Snapshot,
  type Source,
  snapshotSchema,
} from "../diagnosis/snapshot.js";
import { collectTrailEvents, selectRelevantTrail } from "./collectors/cloudtrail.js";
import { collectEndpoint, type NotFoundHints, notFoundHints } from "./collectors/endpoint.js";
import { collectFlowLogConfigs, collectFlowRecords } from "./collectors/flow-logs.js";
import { collectHealth } from "./collectors/health.js";
import { collectHostedZones } from "./collectors/hosted-zones.js";
import { collectMetrics } from "./collectors/metrics.js";
import {
  collectNetworkAcls,
  collectNetworkInterfaces,
  collectRouteTables,
  collectSecurityGroups,
  collectSubnets,
} from "./collectors/network.js";
import { findInOtherRegions } from "./collectors/other-regions.js";
import { collectOutsidePath, type EndpointSide, placeClient } from "./collectors/outside-path.js";
import { collectPrefixLists } from "./collectors/prefix-lists.js";
import { collectProviderSide, type ProviderSide } from "./collectors/provider.js";
import { collectResolverRules } from "./collectors/resolver-rules.js";
import { collectService } from "./collectors/service.js";
import { chooseSource, completeSource, lookupSource } from "./collectors/source.js";
import { collectDhcpOptions, collectVpc } from "./collectors/vpc.js";
import { collectZoneRecords, coversName } from "./collectors/zone-records.js";
import { type AwsClients, attempt, type CollectContext } from "./context.js";
import { CredentialsError, isCredentialsError, toGap } from "./errors.js";
import type { CallCounter } from "./middleware.js";
import { cloudTrailLimiter, type RateLimiter } from "./rate-limit.js";
import type { SharedReads } from "./shared-reads.js";

/** What to collect: one endpoint in one account and region, over a look-back window ending `now`. */
export interface CollectInput {
  endpointId: string;
  region: string;
  /** Known from the accounts config; absent: asked of STS (GetCallerIdentity). */
  accountId?: string;
  accountAlias?: string;
  source?: Source;
  windowHours: number;
  now: Date;
  /** The ports the requester named for the service; copied into the snapshot unchanged. */
  portHint?: PortHint;
}

/** Instruments of one collection: the call counter the clients feed, the CloudTrail limiter, a clock. */
export interface CollectOptions {
  counter: CallCounter;
  /** Defaults to the process-wide limiter of the account and region. */
  limiter?: RateLimiter;
  /** Milliseconds, for stats.durationMs. */
  clock?: () => number;
  /** VPC-level reads (VPC, DNS attributes, DHCP options, hosted zones, route tables) shared with concurrent diagnoses. */
  shared?: SharedReads;
  /** Whose credentials the shared reads use; defaults to the account id, else "ambient". */
  accountKey?: string;
  /** Reaches the account of another account's endpoint service, when the config names its provider. */
  provider?: ProviderClients;
}

/**
 * Clients in the account that provides `serviceName` (a config account alias marked as its provider) and how
 * it was reached; undefined when no readable account provides it. May throw CredentialsError (AssumeRole).
 */
export type ProviderClients = (
  serviceName: string,
  ownerId: string | undefined,
) => Promise<{ clients: AwsClients; access: ProviderAccess } | undefined>;

/**
 * Collects the snapshot in as few round trips as the data allows. Round 1: the endpoint, the source lookup,
 * STS (when the account is not given), Health. Each later read starts as soon as what it needs is known:
 * after the endpoint, the service, ENIs, VPC, route tables, flow-log configs, metrics, hosted zones, Resolver
 * rules and the CloudTrail read (which needs the service name, then runs on behind the rate limiter); after the
 * endpoint and the source, one batched read each for security groups, subnets and NACLs; then DHCP options,
 * flow-log records, the records of zones covering the service's name, the prefix lists the group rules name
 * and the provider view of a same-account service. Failed reads become gaps; unusable credentials
 * (CredentialsError) reject the whole collection.
 */
export async function collectSnapshot(
  input: CollectInput,
  clients: AwsClients,
  options: CollectOptions,
): Promise<Snapshot> {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const gaps: Gap[] = [];
  const ctx: CollectContext = { clients, region: input.region, window: windowOf(input), gaps };
  if (options.shared) {
    const accountKey = options.accountKey ?? input.accountId ?? "ambient";
    ctx.shared = { reads: options.shared, scope: `${accountKey}:${input.region}` };
  }
  const limiter = options.limiter ?? cloudTrailLimiter(`${input.accountId ?? "ambient"}:${input.region}`);
  const { endpointId } = input;

  // Round 1.
  const endpointP = observed(collectEndpoint(ctx, endpointId));
  const accountP = observed(input.accountId ? Promise.resolve(input.accountId) : callerAccount(ctx));
  const lookupP = observed(input.source ? lookupSource(ctx, input.source) : Promise.resolve(undefined));
  const healthP = observed(collectHealth(ctx));
  const rawTrailP = observed(
    endpointP.then((endpoint) =>
      collectTrailEvents(ctx, { endpointId, serviceName: endpoint?.serviceName }, limiter),
    ),
  );

  const endpoint = await endpointP;
  if (!endpoint) {
    const [accountId, health, rawTrail, found, candidates, elsewhere] = await Promise.all([
      accountP,
      healthP,
      rawTrailP,
      observed(endpoint === null ? notFoundHints(ctx, endpointId) : Promise.resolve(undefined)),
      lookupP,
      observed(endpoint === null ? findInOtherRegions(ctx, endpointId) : Promise.resolve(undefined)),
    ]);
    const hints = found && elsewhere ? { ...found, foundInRegions: elsewhere } : found;
    const trail = rawTrail ? selectRelevantTrail(rawTrail, endpointId, []) : undefined;
    return finish(input, options, clock() - started, {
      accountId,
      endpoint: endpoint ?? null,
      notFound: hints ? withDeletedEvent(hints, trail, endpointId) : undefined,
      source: input.source && candidates ? sourceWithoutEndpoint(input.source, candidates) : undefined,
      cloudTrail: trail,
      health,
      gaps,
    });
  }

  // Round 2: what the endpoint alone names.
  const isGateway = sameType(endpoint, "Gateway");
  const hasMetrics = sameType(endpoint, "Interface") || sameType(endpoint, "GatewayLoadBalancer");
  const serviceP = observed(collectService(ctx, endpoint));
  const enisP = observed(collectNetworkInterfaces(ctx, endpoint.networkInterfaceIds));
  const vpcP = observed(collectVpc(ctx, endpoint.vpcId));
  const flowLogsP = observed(
    collectFlowLogConfigs(ctx, [endpoint.vpcId, ...endpoint.subnetIds, ...endpoint.networkInterfaceIds]),
  );
  const metricsP = observed(hasMetrics ? collectMetrics(ctx, endpoint) : Promise.resolve([]));
  const isInterface = sameType(endpoint, "Interface");
  const hostedZonesP = observed(
    isInterface ? collectHostedZones(ctx, endpoint.vpcId) : Promise.resolve(undefined),
  );
  const routeTablesP = observed(
    isGateway
      ? collectRouteTables(ctx, endpoint.vpcId)
      : routeTablesForPublicAnswer(ctx, endpoint, hostedZonesP, serviceP),
  );
  const resolverRulesP = observed(
    isInterface ? collectResolverRules(ctx, endpoint.vpcId) : Promise.resolve(undefined),
  );

  // Round 2, batched with what the source adds.
  const candidates = await lookupP;
  const provisional =
    input.source && candidates ? chooseSource(input.source, candidates, endpoint.vpcId) : undefined;
  const sourceSubnet = provisional?.subnetId;
  const subnetIds = [...endpoint.subnetIds, ...(sourceSubnet ? [sourceSubnet] : [])];
  const groupIds = [...endpoint.securityGroups.map((g) => g.id), ...(provisional?.securityGroupIds ?? [])];
  const groupsP = observed(collectSecurityGroups(ctx, groupIds));
  const subnetsP = observed(collectSubnets(ctx, subnetIds));
  const aclsP = observed(collectNetworkAcls(ctx, subnetIds));

  // Only for a client outside the endpoint's VPC: its path, from round 2 on (round 3 for a subnet or an address).
  const side: EndpointSide = { endpoint, enis: enisP, vpc: vpcP };
  const outsidePathP = observed(
    placeClient(ctx, provisional, side, subnetsP).then((client) =>
      client ? collectOutsidePath(ctx, side, client) : undefined,
    ),
  );

  // Round 3: each read starts as soon as its inputs are in.
  const dhcpP = observed(
    vpcP.then((vpc) => (vpc?.dhcpOptionsId ? collectDhcpOptions(ctx, vpc.dhcpOptionsId) : undefined)),
  );
  const flowRecordsP = observed(
    Promise.all([flowLogsP, enisP]).then(([flowLogs, enis]) =>
      flowLogs && enis ? collectFlowRecords(ctx, flowLogs, enis) : undefined,
    ),
  );
  const zonesP = observed(
    Promise.all([hostedZonesP, serviceP]).then(([zones, service]) =>
      zones ? collectZoneRecords(ctx, zones, service?.privateDnsName) : undefined,
    ),
  );
  const prefixListsP = observed(
    groupsP.then((groups) => (groups ? collectPrefixLists(ctx, groups) : undefined)),
  );
  const providerP = observed(
    Promise.all([serviceP, accountP]).then(([service, accountId]) =>
      service
        ? collectProvider(ctx, { endpoint, service, accountId, alias: input.accountAlias }, options.provider)
        : {},
    ),
  );

  const [accountId, health, service, enis, vpc, routeTables, flowLogs, metrics, hostedZones, resolverRules] =
    await Promise.all([
      accountP,
      healthP,
      serviceP,
      enisP,
      vpcP,
      routeTablesP,
      flowLogsP,
      metricsP,
      zonesP,
      resolverRulesP,
    ]);
  const [securityGroups, subnets, networkAcls, dhcpOptions, flowRecords, provider, prefixLists] =
    await Promise.all([groupsP, subnetsP, aclsP, dhcpP, flowRecordsP, providerP, prefixListsP]);
  const source = provisional ? completeSource(ctx, provisional, { subnets, securityGroups }) : undefined;
  const outsidePath = await outsidePathP;

  const rawTrail = await rawTrailP;
  const resourceIds = [
    endpoint.vpcId,
    ...endpoint.subnetIds,
    ...endpoint.routeTableIds,
    ...endpoint.networkInterfaceIds,
    ...groupIds,
    ...subnetIds,
    ...(networkAcls ?? []).map((acl) => acl.id),
    ...(routeTables ?? []).map((table) => table.id),
    ...(vpc?.dhcpOptionsId?.startsWith("dopt-") ? [vpc.dhcpOptionsId] : []),
  ];
  const cloudTrail = rawTrail
    ? selectRelevantTrail(rawTrail, endpointId, [...new Set(resourceIds)])
    : undefined;

  return finish(input, options, clock() - started, {
    accountId,
    endpoint,
    source,
    outsidePath,
    service,
    ...provider,
    vpc,
    securityGroups,
    subnets,
    networkInterfaces: enis,
    networkAcls,
    routeTables,
    dhcpOptions,
    hostedZones,
    resolverRules,
    prefixLists,
    flowLogs,
    flowRecords,
    metrics,
    cloudTrail,
    health,
    gaps,
  });
}

type Collected = Omit<
  Snapshot,
  "schemaVersion" | "collectedAt" | "endpointId" | "region" | "window" | "stats"
>;

function finish(
  input: CollectInput,
  options: CollectOptions,
  durationMs: number,
  collected: Collected,
): Snapshot {
  const { start, end } = windowOf(input);
  return snapshotSchema.parse({
    schemaVersion: 1,
    collectedAt: input.now.toISOString(),
    endpointId: input.endpointId,
    region: input.region,
    accountAlias: input.accountAlias,
    portHint: input.portHint,
    window: { start: start.toISOString(), end: end.toISOString(), hours: input.windowHours },
    ...collected,
    stats: { awsCalls: options.counter.count, durationMs: Math.round(durationMs) },
  });
}

function windowOf(input: CollectInput): { start: Date; end: Date } {
  return { start: new Date(input.now.getTime() - input.windowHours * 3_600_000), end: input.now };
}

/** What decides whether the provider side is readable: the endpoint, its service, and who is reading. */
interface ProviderQuestion {
  endpoint: Endpoint;
  service: Service;
  accountId: string | undefined;
  alias: string | undefined;
}

/**
 * The provider side, read only when its account is readable: the diagnosed account itself, or an account the
 * config marks as the service's provider (reached by `provider`). AWS-owned services, other accounts' services
 * and services in another region are never asked about. A provider role that cannot be assumed is a gap.
 */
async function collectProvider(
  ctx: CollectContext,
  question: ProviderQuestion,
  provider: ProviderClients | undefined,
): Promise<ProviderSide> {
  const { endpoint, service, accountId } = question;
  const owner = service.owner;
  if (!service.id || !owner || owner === "amazon") return {};
  if (endpoint.serviceRegion && endpoint.serviceRegion !== ctx.region) return {};
  if (accountId && owner === accountId) {
    const access: ProviderAccess = { accountId, alias: question.alias, via: "same-account" };
    return collectProviderSide(ctx, service, endpoint.id, access);
  }
  if (!provider) return {};
  try {
    const reached = await provider(service.name, owner);
    if (!reached) return {};
    return await collectProviderSide(
      { ...ctx, clients: reached.clients, shared: undefined },
      service,
      endpoint.id,
      reached.access,
    );
  } catch (error) {
    if (!(error instanceof CredentialsError) && !isCredentialsError(error)) throw error;
    ctx.gaps.push(toGap("serviceConfiguration", "sts:AssumeRole", error));
    return {};
  }
}

// The only consumer of the account id is the same-account service check, so a failure is recorded there.
async function callerAccount(ctx: CollectContext): Promise<string | undefined> {
  const identity = await attempt(ctx, "serviceConfiguration", "sts:GetCallerIdentity", () =>
    ctx.clients.sts.send(new GetCallerIdentityCommand({})),
  );
  return identity?.Account;
}

/**
 * With private DNS off and no private hosted zone covering the service's name, clients resolve it publicly: the
 * route tables then tell whether they can leave the VPC at all. In every other case they are not read.
 */
async function routeTablesForPublicAnswer(
  ctx: CollectContext,
  endpoint: Endpoint,
  zonesP: Promise<HostedZone[] | undefined>,
  serviceP: Promise<Service | null | undefined>,
): Promise<RouteTable[] | undefined> {
  if (!sameType(endpoint, "Interface") || endpoint.privateDnsEnabled) return undefined;
  const [zones, service] = await Promise.all([zonesP, serviceP]);
  const name = service?.privateDnsName;
  if (!zones || !name || zones.some((zone) => coversName(zone.name, name))) return undefined;
  return collectRouteTables(ctx, endpoint.vpcId);
}

function sameType(endpoint: Endpoint, type: string): boolean {
  return endpoint.type.toLowerCase() === type.toLowerCase();
}

// Without an endpoint nothing is batched, so only sources that round 1 looked up are reported.
function sourceWithoutEndpoint(source: Source, candidates: ResolvedSource[]): ResolvedSource | undefined {
  if (source.kind === "subnet" || source.kind === "security-group") return undefined;
  return chooseSource(source, candidates, undefined);
}

function withDeletedEvent(
  hints: NotFoundHints,
  trail: CloudTrail | undefined,
  endpointId: string,
): NotFoundHints {
  const deletedEvent = trail?.changes.find(
    (event) => event.eventName === "DeleteVpcEndpoints" && event.resourceIds.includes(endpointId),
  );
  return deletedEvent ? { ...hints, deletedEvent } : hints;
}

/**
 * Marks a promise as observed so that, when a CredentialsError ends the collection early, the reads still in
 * flight do not surface as unhandled rejections; awaiting it still sees the rejection.
 */
function observed<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
