import type { Check } from "../diagnosis/check.js";
import { clientProbe } from "./client-probe.js";
import { clientRoute } from "./client-route.js";
import { endpointExists } from "./endpoint-exists.js";
import { endpointPolicy } from "./endpoint-policy.js";
import { endpointState } from "./endpoint-state.js";
import { flowLogs } from "./flow-logs.js";
import { gatewayRoutes } from "./gateway-routes.js";
import { ipAddressType } from "./ip-address-type.js";
import { networkAcls } from "./network-acls.js";
import { privateDns } from "./private-dns.js";
import { recentChanges } from "./recent-changes.js";
import { securityGroups } from "./security-groups.js";
import { serviceAcceptance } from "./service-acceptance.js";
import { serviceAvailability } from "./service-availability.js";
import { serviceHealth } from "./service-health.js";
import { serviceProvider } from "./service-provider.js";
import { subnetCoverage } from "./subnet-coverage.js";
import { trafficMetrics } from "./traffic-metrics.js";

// THE RULE (src/checks/README.md): a check fails only on evidence that the client's traffic on the service's
// port is refused; what cannot be proven is warn or unknown with the reason; no fix may break a working setup.

/**
 * Every check, in the order the runbooks reason: does it exist, will the provider talk to us (a
 * pending acceptance is the cause, not the state it leaves behind), is it up, is AWS itself healthy, does the
 * provider's load balancer listen with healthy targets, can packets reach it, may the request pass, can the name
 * resolve, is traffic arriving, and what changed. A client outside the VPC needs a route before any rule matters. What the client itself observed (the opt-in probe) comes after the configuration that explains it. The verdict is the first failure in this order.
 */
export const CHECKS: readonly Check[] = [
  endpointExists,
  serviceAcceptance,
  endpointState,
  serviceHealth,
  serviceAvailability,
  serviceProvider,
  clientRoute,
  securityGroups,
  networkAcls,
  flowLogs,
  endpointPolicy,
  privateDns,
  subnetCoverage,
  gatewayRoutes,
  ipAddressType,
  clientProbe,
  trafficMetrics,
  recentChanges,
];
