import {
  type ServiceConfiguration as AwsServiceConfiguration,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  paginateDescribeVpcEndpointServicePermissions,
  type VpcEndpointConnection,
} from "@aws-sdk/client-ec2";
import type {
  LoadBalancer,
  ProviderAccess,
  Service,
  ServiceConfiguration,
  ServiceConnection,
} from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext } from "../context.js";
import { collectLoadBalancers } from "./load-balancers.js";

// The provider side of an endpoint service, read with credentials of the account that owns it: the service
// configuration and its allowed principals, this endpoint's connection, and the load balancers behind it.
// Only ever called for a service whose owner is readable: for another account's service these APIs would only
// log AccessDenied noise in the target account's CloudTrail.

/** What the provider side adds to the snapshot; a part whose read failed is absent, with a gap. */
export interface ProviderSide {
  serviceConfiguration?: ServiceConfiguration;
  serviceConnection?: ServiceConnection;
  loadBalancers?: LoadBalancer[];
}

/**
 * Reads the provider side of `service` through `ctx` (whose clients belong to the owner's account): the
 * configuration first, then its load balancers, while the permissions and the connection are read beside them.
 */
export async function collectProviderSide(
  ctx: CollectContext,
  service: Service,
  endpointId: string,
  access: ProviderAccess,
): Promise<ProviderSide> {
  const serviceId = service.id;
  if (!serviceId) return {};
  const configurationP = describeConfiguration(ctx, serviceId);
  const loadBalancersP = configurationP.then((raw) =>
    raw ? collectLoadBalancers(ctx, loadBalancerArnsOf(raw)) : undefined,
  );
  const [raw, principals, connection, loadBalancers] = await Promise.all([
    configurationP,
    allowedPrincipals(ctx, serviceId),
    describeConnection(ctx, serviceId, endpointId),
    loadBalancersP,
  ]);
  return {
    serviceConfiguration: raw ? toConfiguration(raw, serviceId, principals, access) : undefined,
    serviceConnection: connection ? toConnection(connection) : undefined,
    loadBalancers,
  };
}

async function describeConfiguration(
  ctx: CollectContext,
  serviceId: string,
): Promise<AwsServiceConfiguration | undefined> {
  return attempt(ctx, "serviceConfiguration", "ec2:DescribeVpcEndpointServiceConfigurations", async () => {
    const out = await ctx.clients.ec2.send(
      new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }),
    );
    return out.ServiceConfigurations?.find((c) => c.ServiceId === serviceId);
  });
}

async function allowedPrincipals(ctx: CollectContext, serviceId: string): Promise<string[] | undefined> {
  return attempt(ctx, "serviceConfiguration", "ec2:DescribeVpcEndpointServicePermissions", async () => {
    const allowed: string[] = [];
    const pager = paginateDescribeVpcEndpointServicePermissions(
      { client: ctx.clients.ec2 },
      { ServiceId: serviceId },
    );
    for await (const page of pager) {
      for (const p of page.AllowedPrincipals ?? []) if (p.Principal) allowed.push(p.Principal);
    }
    return allowed;
  });
}

async function describeConnection(
  ctx: CollectContext,
  serviceId: string,
  endpointId: string,
): Promise<VpcEndpointConnection | undefined> {
  return attempt(ctx, "serviceConnection", "ec2:DescribeVpcEndpointConnections", async () => {
    const out = await ctx.clients.ec2.send(
      new DescribeVpcEndpointConnectionsCommand({
        Filters: [
          { Name: "service-id", Values: [serviceId] },
          { Name: "vpc-endpoint-id", Values: [endpointId] },
        ],
      }),
    );
    return out.VpcEndpointConnections?.find((c) => c.VpcEndpointId === endpointId);
  });
}

function loadBalancerArnsOf(raw: AwsServiceConfiguration): string[] {
  return [...(raw.NetworkLoadBalancerArns ?? []), ...(raw.GatewayLoadBalancerArns ?? [])];
}

function toConfiguration(
  raw: AwsServiceConfiguration,
  serviceId: string,
  principals: string[] | undefined,
  access: ProviderAccess,
): ServiceConfiguration {
  return {
    serviceId,
    provider: access,
    types: (raw.ServiceType ?? []).flatMap((t) => (t.ServiceType ? [t.ServiceType] : [])),
    state: raw.ServiceState,
    acceptanceRequired: raw.AcceptanceRequired,
    allowedPrincipals: principals,
    loadBalancerArns: loadBalancerArnsOf(raw),
    availabilityZones: raw.AvailabilityZones ?? [],
    privateDnsName: raw.PrivateDnsName,
    privateDnsNameState: raw.PrivateDnsNameConfiguration?.State,
    supportedRegions: (raw.SupportedRegions ?? []).flatMap((r) => (r.Region ? [r.Region] : [])),
  };
}

function toConnection(raw: VpcEndpointConnection): ServiceConnection {
  return {
    state: raw.VpcEndpointState,
    ownerId: raw.VpcEndpointOwner,
    createdAt: raw.CreationTimestamp?.toISOString(),
    loadBalancerArns: [...(raw.NetworkLoadBalancerArns ?? []), ...(raw.GatewayLoadBalancerArns ?? [])],
  };
}
