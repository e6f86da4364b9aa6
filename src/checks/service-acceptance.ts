import type { Check, CheckOutcome, Finding } from "../diagnosis/check.js";
import type { Endpoint, Snapshot } from "../diagnosis/snapshot.js";
import { gapsFor, unknownIfGaps } from "./gaps.js";

// Runbook step 7: a connection waiting for (or refused by) the provider times out; only the provider can act.

const DOCS_ACCEPT = "https://docs.aws.amazon.com/vpc/latest/privatelink/accept-reject-endpoint-requests.html";
const DOCS_PERMISSIONS = "https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html";

const OUTSTANDING = new Set(["pendingacceptance", "rejected"]);
/** States that come after acceptance (or need none), so nothing is left for the provider to accept. */
const PAST_ACCEPTANCE = new Set(["available", "pending", "partial"]);

/** Fails when the endpoint waits for, or was refused by, the service provider; names who must act and how. */
export const serviceAcceptance: Check = {
  id: "service-acceptance",
  title: "The service provider has accepted the endpoint connection",
  appliesTo: ["Interface", "GatewayLoadBalancer"],
  notApplicable: "gateway endpoints need no acceptance by a provider",
  needs: [],
  docs: "https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html",
  run(snapshot) {
    const endpoint = snapshot.endpoint!;
    const state = endpoint.state.toLowerCase();
    const connectionState = snapshot.serviceConnection?.state?.toLowerCase();
    const sameAccount = isSameAccount(snapshot);

    if (OUTSTANDING.has(state) || (connectionState !== undefined && OUTSTANDING.has(connectionState))) {
      return outstanding(snapshot, endpoint, sameAccount);
    }
    if (sameAccount) {
      const unknown = unknownIfGaps(snapshot, "serviceConfiguration");
      if (unknown) return unknown;
    }
    if (!PAST_ACCEPTANCE.has(state)) {
      return {
        status: "skip",
        summary: `acceptance cannot be judged while ${endpoint.id} is ${endpoint.state}; endpoint-state explains that state`,
        findings: [],
      };
    }
    const owner = ownerLabel(snapshot, endpoint);
    return {
      status: "pass",
      summary: `${endpoint.id} is ${endpoint.state}: no acceptance is outstanding with ${endpoint.serviceName} (owner ${owner})`,
      findings: [],
    };
  },
};

function outstanding(snapshot: Snapshot, endpoint: Endpoint, sameAccount: boolean): CheckOutcome {
  const rejected =
    endpoint.state.toLowerCase() === "rejected" ||
    snapshot.serviceConnection?.state?.toLowerCase() === "rejected";
  const owner = ownerLabel(snapshot, endpoint);
  const serviceId = serviceIdOf(snapshot, endpoint);
  const region = snapshot.region;
  const config = snapshot.serviceConfiguration;

  const summary = rejected
    ? `${endpoint.id} was rejected by the provider of ${endpoint.serviceName} (owner ${owner}); only the provider can accept it`
    : `${endpoint.id} is waiting for the provider of ${endpoint.serviceName} (owner ${owner}) to accept it; only the provider can act`;

  const evidence = [
    `endpoint state: ${endpoint.state} (expected available)`,
    `service: ${endpoint.serviceName}${serviceId ? ` (${serviceId})` : ""}, owner ${owner}`,
  ];
  const connectionState = snapshot.serviceConnection?.state;
  if (connectionState) evidence.push(`provider-side connection state: ${connectionState}`);
  if (snapshot.service?.acceptanceRequired !== undefined) {
    evidence.push(`service AcceptanceRequired: ${snapshot.service.acceptanceRequired}`);
  }

  const acceptCommand = `aws ec2 accept-vpc-endpoint-connections --region ${region} --service-id ${serviceId ?? "<service-id>"} --vpc-endpoint-ids ${endpoint.id}`;
  const findings: Finding[] = [];
  const main: Finding = {
    severity: "critical",
    summary,
    evidence,
    remediation: {
      text: sameAccount
        ? `${serviceId ?? endpoint.serviceName} belongs to this account: accept ${endpoint.id} on the endpoint service (the command below), or turn acceptance off for trusted consumers.`
        : `Ask the provider of ${endpoint.serviceName} (owner ${owner}) to accept ${endpoint.id}; they run the command below in their account.`,
      command: acceptCommand,
      docs: DOCS_ACCEPT,
    },
    resourceIds: [endpoint.id, ...(serviceId ? [serviceId] : [])],
  };
  findings.push(main);

  if (config) {
    const principal = consumerPrincipal(snapshot);
    const allowed = config.allowedPrincipals;
    evidence.push(`provider AcceptanceRequired: ${config.acceptanceRequired ?? "unknown"}`);
    if (config.acceptanceRequired === false) {
      evidence.push(
        "acceptance is not required now, but requests made while it was required stay pending until accepted",
      );
    }
    if (allowed === undefined) {
      evidence.push("allowed principals: not read");
    } else {
      const verdict = principalVerdict(principal, allowed, snapshot.accountId);
      evidence.push(`allowed principals: ${allowed.length > 0 ? allowed.join(", ") : "(none)"}`);
      evidence.push(`consumer ${principal ?? "account (unknown id)"}: ${verdict.text}`);
      if (!verdict.allowed && principal) {
        findings.push({
          severity: "high",
          summary: `${principal} is not in the allowed principals of ${config.serviceId}`,
          evidence: [
            `allowed principals of ${config.serviceId}: ${allowed.length > 0 ? allowed.join(", ") : "(none)"}`,
          ],
          remediation: {
            text: `Allow ${principal} on ${config.serviceId}, then accept ${endpoint.id}.`,
            command: `aws ec2 modify-vpc-endpoint-service-permissions --region ${region} --service-id ${config.serviceId} --add-allowed-principals ${principal}`,
            docs: DOCS_PERMISSIONS,
          },
          resourceIds: [config.serviceId, endpoint.id],
        });
      }
    }
  } else if (sameAccount) {
    // The provider-side view is what would show the acceptance settings; say why it is missing.
    const gaps = gapsFor(snapshot, "serviceConfiguration");
    evidence.push(
      gaps.length > 0
        ? `provider-side configuration not read: ${gaps.map((gap) => `${gap.iamAction} ${gap.error}`).join("; ")}`
        : "provider-side configuration not collected",
    );
  }
  return { status: "fail", summary, findings };
}

function isSameAccount(snapshot: Snapshot): boolean {
  if (snapshot.serviceConfiguration) return true;
  const owner = snapshot.service?.owner;
  return owner !== undefined && snapshot.accountId !== undefined && owner === snapshot.accountId;
}

function ownerLabel(snapshot: Snapshot, endpoint: Endpoint): string {
  const owner = snapshot.service?.owner;
  if (!owner) return endpoint.serviceName;
  if (owner === snapshot.accountId) {
    return snapshot.accountAlias
      ? `${owner} (${snapshot.accountAlias}, this account)`
      : `${owner} (this account)`;
  }
  return owner;
}

/** The endpoint service id: from the service details, the provider view, or the custom service name. */
function serviceIdOf(snapshot: Snapshot, endpoint: Endpoint): string | undefined {
  const fromName = /(vpce-svc-[0-9a-z]+)$/.exec(endpoint.serviceName)?.[1];
  return snapshot.serviceConfiguration?.serviceId ?? snapshot.service?.id ?? fromName;
}

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

function consumerPrincipal(snapshot: Snapshot): string | undefined {
  const account = snapshot.endpoint?.ownerId ?? snapshot.accountId;
  return account ? `arn:${partitionOf(snapshot.region)}:iam::${account}:root` : undefined;
}

function principalVerdict(
  principal: string | undefined,
  allowed: string[],
  accountId: string | undefined,
): { allowed: boolean; text: string } {
  if (allowed.includes("*"))
    return { allowed: true, text: "allowed (the service allows every principal: *)" };
  if (principal && allowed.includes(principal))
    return { allowed: true, text: "allowed (account root is listed)" };
  const sameAccount = accountId ? allowed.filter((arn) => arn.includes(`::${accountId}:`)) : [];
  if (sameAccount.length > 0) {
    return {
      allowed: true,
      text: `allowed only for ${sameAccount.join(", ")} (not the whole account)`,
    };
  }
  return { allowed: false, text: "not allowed" };
}
