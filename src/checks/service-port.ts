import type { Snapshot } from "../diagnosis/snapshot.js";

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

/** The ports of one service as the port-aware checks judge them, and how sure that is. */
export interface ServicePorts {
  protocol: "tcp";
  ports: number[];
  /**
   * "aws-service": an AWS service with known ports; "request" / "config": named by --port or the config's
   * services list; "assumed": nothing known, tcp/443 evaluated as a hypothesis (cap findings at warn).
   */
  basis: "aws-service" | "request" | "config" | "assumed";
  custom: boolean;
  /** "tcp/443", "tcp/25, 465, 587, 2465, 2587". */
  label: string;
  /** An evidence line when the ports are assumed rather than known. */
  note?: string;
}

/** AWS services whose interface endpoints listen on other ports than 443 (by the service name's last part). */
export const KNOWN_AWS_PORTS: Readonly<Record<string, readonly number[]>> = Object.freeze({
  "email-smtp": [25, 465, 587, 2465, 2587],
});

/** The ports the checks judge for the snapshot's service: the requester's, a known AWS service's, or 443 assumed. */
export function servicePortsOf(snapshot: Snapshot): ServicePorts {
  const serviceName = snapshot.endpoint?.serviceName ?? snapshot.service?.name ?? "";
  const custom = !isAwsService(serviceName);
  const make = (ports: readonly number[], basis: ServicePorts["basis"], note?: string): ServicePorts => ({
    protocol: "tcp",
    ports: [...new Set(ports)].sort((a, b) => a - b),
    basis,
    custom,
    label: `tcp/${[...new Set(ports)].sort((a, b) => a - b).join(", ")}`,
    ...(note ? { note } : {}),
  });
  if (snapshot.portHint) return make(snapshot.portHint.ports, snapshot.portHint.origin);
  if (!custom) return make(KNOWN_AWS_PORTS[serviceSuffix(serviceName)] ?? [443], "aws-service");
  return make(
    [443],
    "assumed",
    `${serviceName} is a custom endpoint service and no port was given: tcp/443 was evaluated as a hypothesis, so nothing here can fail; rerun with --port <listener port> (or list the service's ports in the config).`,
  );
}

/** "email-smtp" for com.amazonaws.us-east-1.email-smtp. */
function serviceSuffix(serviceName: string): string {
  const parts = serviceName.toLowerCase().split(".");
  return parts.slice(3).join(".") || parts.at(-1) || "";
}
