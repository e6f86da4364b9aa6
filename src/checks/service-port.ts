import type { Snapshot } from "../diagnosis/snapshot.js";
import { servingLoadBalancers, TCP_LISTENER_PROTOCOLS } from "./service-provider-facts.js";

// The ports clients use to reach an endpoint's service, and how the port-aware checks judge them.

/** The protocol and port checked for a service, and whether the port is only assumed (single-port, legacy). */
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

/** Legacy single-port view (tcp/443), kept until network-acls moves to servicePortsOf. */
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
   * services list; "listener": the TCP listener ports of the provider's NLB (read in a readable provider
   * account); "assumed": nothing known, tcp/443 evaluated as a hypothesis (cap findings at warn).
   */
  basis: "aws-service" | "request" | "config" | "listener" | "assumed";
  custom: boolean;
  /** "tcp/443", "tcp/25, 465, 587, 2465, 2587". */
  label: string;
  /** An evidence line when the ports are assumed rather than known. */
  note?: string;
  /** The documentation that names the ports of an AWS service listening on other ports than 443. */
  source?: string;
}

/**
 * AWS services whose interface endpoints listen on other ports than 443 (by the service name's last part):
 * SES SMTP (STARTTLS on 25, 587, 2587; TLS wrapper on 465, 2465), CodeCommit's Git endpoint (HTTPS and SSH),
 * IoT Core's data endpoint (MQTT on 8883, MQTT/HTTPS/WSS on 443).
 */
export const KNOWN_AWS_PORTS: Readonly<Record<string, readonly number[]>> = Object.freeze({
  "email-smtp": [25, 465, 587, 2465, 2587],
  "git-codecommit": [22, 443],
  "iot.data": [443, 8883],
});

/** Where each entry of KNOWN_AWS_PORTS is documented. */
export const KNOWN_AWS_PORT_SOURCES: Readonly<Record<string, string>> = Object.freeze({
  "email-smtp": "https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html",
  "git-codecommit": "https://docs.aws.amazon.com/codecommit/latest/userguide/regions.html#regions-git",
  "iot.data": "https://docs.aws.amazon.com/iot/latest/developerguide/protocols.html",
});

/** "tcp/443" or "tcp/25, 465, 587" for a list of ports (sorted, without repeats). */
export function portsLabel(ports: readonly number[]): string {
  return `tcp/${sortedPorts(ports).join(", ")}`;
}

function sortedPorts(ports: readonly number[]): number[] {
  return [...new Set(ports)].sort((a, b) => a - b);
}

/**
 * The ports the checks judge for the snapshot's service: the requester's, a known AWS service's, the provider
 * NLB's TCP listener ports, or 443 assumed.
 */
export function servicePortsOf(snapshot: Snapshot): ServicePorts {
  const serviceName = snapshot.endpoint?.serviceName ?? snapshot.service?.name ?? "";
  const custom = !isAwsService(serviceName);
  const make = (
    ports: readonly number[],
    basis: ServicePorts["basis"],
    extra: Partial<ServicePorts> = {},
  ) => ({
    protocol: "tcp" as const,
    ports: sortedPorts(ports),
    basis,
    custom,
    label: portsLabel(ports),
    ...extra,
  });
  if (snapshot.portHint) return make(snapshot.portHint.ports, snapshot.portHint.origin);
  if (!custom) {
    const suffix = serviceSuffix(serviceName);
    const source = KNOWN_AWS_PORT_SOURCES[suffix];
    return make(KNOWN_AWS_PORTS[suffix] ?? [443], "aws-service", source ? { source } : {});
  }
  const listened = listenerPorts(snapshot);
  if (listened.length > 0) return make(listened, "listener");
  return make([443], "assumed", {
    note: `${serviceName} is a custom endpoint service and no port was given: tcp/443 was evaluated as a hypothesis, so nothing here can fail; rerun with --port <listener port> (or list the service's ports in the config).`,
  });
}

// The TCP listener ports of the NLBs serving the endpoint (UDP-only listeners carry no TCP to judge).
function listenerPorts(snapshot: Snapshot): number[] {
  return servingLoadBalancers(snapshot).flatMap((lb) =>
    (lb.listeners ?? []).flatMap((l) =>
      l.port !== undefined && TCP_LISTENER_PROTOCOLS.has((l.protocol ?? "").toUpperCase()) ? [l.port] : [],
    ),
  );
}

/** "email-smtp" for com.amazonaws.us-east-1.email-smtp. */
function serviceSuffix(serviceName: string): string {
  const parts = serviceName.toLowerCase().split(".");
  return parts.slice(3).join(".") || parts.at(-1) || "";
}

/** What a check found for one port: admitted, refused, not provable either way, or not seen. */
export type PortStatus = "pass" | "fail" | "warn" | "unknown";

/** The verdict over all the service's ports and which ports decided it. */
export interface PortJudgement {
  status: PortStatus;
  /** The ports whose status is the verdict (the admitted ones on pass). */
  deciding: number[];
  /** On pass: the service's other ports, not admitted; a client using one of them is refused. */
  others: number[];
  /** True when a fail was lowered to warn because the ports are only assumed. */
  capped: boolean;
}

/**
 * "any" when one of several AWS-known ports suffices (a client uses one of them, e.g. SMTP on 587 or 25);
 * "all" when the requester named the ports or there is only one: each must be admitted.
 */
export function portRule(ports: ServicePorts): "any" | "all" {
  return ports.basis === "aws-service" && ports.ports.length > 1 ? "any" : "all";
}

const ORDER: readonly PortStatus[] = ["fail", "warn", "unknown", "pass"];

/** Applies the port rule to per-port statuses; a fail on assumed ports is capped at warn. */
export function judgePorts(ports: ServicePorts, statuses: ReadonlyMap<number, PortStatus>): PortJudgement {
  const of = (status: PortStatus) => ports.ports.filter((p) => (statuses.get(p) ?? "unknown") === status);
  let status: PortStatus;
  if (portRule(ports) === "any" && of("pass").length > 0) {
    status = "pass";
  } else if (portRule(ports) === "any") {
    status = ["warn", "unknown", "fail"].find((s) => of(s as PortStatus).length > 0) as PortStatus;
  } else {
    status = ORDER.find((s) => of(s).length > 0) ?? "pass";
  }
  const deciding = of(status);
  const others = status === "pass" ? ports.ports.filter((p) => !deciding.includes(p)) : [];
  const capped = status === "fail" && ports.basis === "assumed";
  return { status: capped ? "warn" : status, deciding, others, capped };
}
