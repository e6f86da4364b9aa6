import {
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicesCommand,
  paginateDescribeVpcEndpointServicePermissions,
  type ServiceDetail,
} from "@aws-sdk/client-ec2";
import type { Endpoint, Service, ServiceConfiguration } from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext } from "../context.js";
import { errorName } from "../errors.js";

const MAX_PAGES = 5;

/**
 * The endpoint's service as the consumer sees it (DescribeVpcEndpointServices by name); null when the region
 * does not offer it (InvalidServiceName or no details), undefined when the read failed.
 */
export async function collectService(
  ctx: CollectContext,
  endpoint: Pick<Endpoint, "serviceName" | "type" | "serviceRegion">,
): Promise<Service | null | undefined> {
  const name = endpoint.serviceName;
  const crossRegion = endpoint.serviceRegion && endpoint.serviceRegion !== ctx.region;
  return attempt(ctx, "service", "ec2:DescribeVpcEndpointServices", async () => {
    const details: ServiceDetail[] = [];
    try {
      let token: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const out = await ctx.clients.ec2.send(
          new DescribeVpcEndpointServicesCommand({
            ServiceNames: [name],
            ...(crossRegion ? { ServiceRegions: [endpoint.serviceRegion!] } : {}),
            ...(token ? { NextToken: token } : {}),
          }),
        );
        details.push(...(out.ServiceDetails ?? []).filter((d) => d.ServiceName === name));
        token = out.NextToken || undefined;
        if (!token) break;
      }
    } catch (error) {
      if (errorName(error) === "InvalidServiceName") return null;
      throw error;
    }
    return details.length > 0 ? toService(name, details, endpoint.type) : null;
  });
}

// A name can be listed once per type (s3 is both Interface and Gateway): describe the entry of the endpoint's type.
function toService(name: string, details: ServiceDetail[], endpointType: string): Service {
  const typesOf = (d: ServiceDetail) => (d.ServiceType ?? []).map((t) => t.ServiceType ?? "").filter(Boolean);
  const wanted = endpointType.toLowerCase();
  const detail = details.find((d) => typesOf(d).some((t) => t.toLowerCase() === wanted)) ?? details[0]!;
  return {
    name,
    id: detail.ServiceId,
    types: [...new Set(details.flatMap(typesOf))],
    owner: detail.Owner,
    region: detail.ServiceRegion,
    availabilityZones: detail.AvailabilityZones ?? [],
    availabilityZoneIds: detail.AvailabilityZoneIds ?? [],
    acceptanceRequired: detail.AcceptanceRequired,
    managesVpcEndpoints: detail.ManagesVpcEndpoints,
    policySupported: detail.VpcEndpointPolicySupported,
    privateDnsName:
      detail.PrivateDnsName ?? detail.PrivateDnsNames?.find((p) => p.PrivateDnsName)?.PrivateDnsName,
    privateDnsNameVerificationState: detail.PrivateDnsNameVerificationState,
    baseEndpointDnsNames: detail.BaseEndpointDnsNames ?? [],
    supportedIpAddressTypes: detail.SupportedIpAddressTypes ?? [],
  };
}

/**
 * The provider-side view (configuration, allowed principals, this endpoint's connection), only for a service
 * owned by `accountId`: for other accounts' services it calls nothing, since the permission APIs would only
 * log AccessDenied noise in the target account's CloudTrail. Parts that fail stay absent, with a gap.
 */
export async function collectServiceConfiguration(
  ctx: CollectContext,
  service: Service,
  endpointId: string,
  accountId: string | undefined,
): Promise<ServiceConfiguration | undefined> {
  const serviceId = service.id;
  if (!serviceId || !accountId || service.owner !== accountId) return undefined;
  const ec2 = ctx.clients.ec2;
  const [configuration, principals, connection] = await Promise.all([
    attempt(ctx, "serviceConfiguration", "ec2:DescribeVpcEndpointServiceConfigurations", async () => {
      const out = await ec2.send(
        new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }),
      );
      return out.ServiceConfigurations?.find((c) => c.ServiceId === serviceId);
    }),
    attempt(ctx, "serviceConfiguration", "ec2:DescribeVpcEndpointServicePermissions", async () => {
      const allowed: string[] = [];
      const pager = paginateDescribeVpcEndpointServicePermissions({ client: ec2 }, { ServiceId: serviceId });
      for await (const page of pager) {
        for (const p of page.AllowedPrincipals ?? []) if (p.Principal) allowed.push(p.Principal);
      }
      return allowed;
    }),
    attempt(ctx, "serviceConfiguration", "ec2:DescribeVpcEndpointConnections", async () => {
      const out = await ec2.send(
        new DescribeVpcEndpointConnectionsCommand({
          Filters: [
            { Name: "service-id", Values: [serviceId] },
            { Name: "vpc-endpoint-id", Values: [endpointId] },
          ],
        }),
      );
      return out.VpcEndpointConnections?.find((c) => c.VpcEndpointId === endpointId);
    }),
  ]);
  if (!configuration) return undefined;
  return {
    serviceId,
    state: configuration.ServiceState,
    acceptanceRequired: configuration.AcceptanceRequired,
    allowedPrincipals: principals,
    connectionState: connection?.VpcEndpointState,
    loadBalancerArns: [
      ...(configuration.NetworkLoadBalancerArns ?? []),
      ...(configuration.GatewayLoadBalancerArns ?? []),
    ],
  };
}
