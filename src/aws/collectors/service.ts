import { DescribeVpcEndpointServicesCommand, type ServiceDetail } from "@aws-sdk/client-ec2";
import type { Endpoint, Service } from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext, sharedCopy } from "../context.js";
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
  // One read per service in a storm: every endpoint of it shares the answer for the shared reads' TTL.
  const key = `ec2:DescribeVpcEndpointServices:${name}:${crossRegion ? endpoint.serviceRegion : ""}:${endpoint.type}`;
  return attempt(ctx, "service", "ec2:DescribeVpcEndpointServices", () =>
    sharedCopy(ctx, key, async () => {
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
    }),
  );
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
