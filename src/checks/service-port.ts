// The port clients use to reach an endpoint's service, shared by the network checks.

/** The protocol and port checked for a service, and whether the port is only assumed. */
export interface ServicePort {
  protocol: "tcp";
  port: number;
  /** True for custom (NLB-backed) endpoint services, whose listener ports the consumer cannot see. */
  custom: boolean;
  /** "tcp/443". */
  label: string;
  /** An evidence line to add when the port is assumed rather than known. */
  note?: string;
}

const CUSTOM_SERVICE = /^com\.amazonaws\.vpce\.[^.]+\.vpce-svc-[0-9a-z]+$/i;

/** True for AWS-owned services (com.amazonaws.* or aws.*), false for custom endpoint services. */
export function isAwsService(serviceName: string): boolean {
  if (CUSTOM_SERVICE.test(serviceName)) return false;
  const name = serviceName.toLowerCase();
  return name.startsWith("com.amazonaws.") || name.startsWith("aws.");
}

/** tcp/443 for AWS services; for custom services tcp/443 too, with a note to check the provider's listeners. */
export function servicePort(serviceName: string): ServicePort {
  const base = { protocol: "tcp" as const, port: 443, label: "tcp/443" };
  if (isAwsService(serviceName)) return { ...base, custom: false };
  return {
    ...base,
    custom: true,
    note: `${serviceName} is a custom endpoint service: its NLB listener ports are not visible from the consumer account, so tcp/443 was checked; confirm the provider's listener ports and check those too.`,
  };
}
