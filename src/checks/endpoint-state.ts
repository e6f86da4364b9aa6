import type { Check, CheckOutcome, Finding, Severity } from "../diagnosis/check.js";
import type { Endpoint, Snapshot } from "../diagnosis/snapshot.js";

// Runbook step 2: the endpoint must be `available`; every other state explains itself in one sentence.

const DOCS_STATES = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcEndpoint.html";
const DOCS_ACCEPTANCE =
  "https://docs.aws.amazon.com/vpc/latest/privatelink/accept-reject-endpoint-requests.html";
const DOCS_CREATE = "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html";

/** Minutes after creation beyond which a `pending` endpoint looks stuck rather than busy. */
const PENDING_STUCK_MINUTES = 30;

/** Fails unless the endpoint is `available`, explaining the state it is in and what to do about it. */
export const endpointState: Check = {
  id: "endpoint-state",
  title: "The endpoint is available",
  appliesTo: ["Interface", "Gateway", "GatewayLoadBalancer"],
  needs: [],
  docs: "https://docs.aws.amazon.com/vpc/latest/privatelink/concepts.html",
  run(snapshot) {
    const endpoint = snapshot.endpoint!;
    const state = endpoint.state.toLowerCase();
    if (state === "available") {
      return { status: "pass", summary: `${endpoint.id} is available`, findings: [] };
    }
    return notAvailable(snapshot, endpoint, state);
  },
};

interface Explanation {
  severity: Severity;
  summary: string;
  text: string;
  command: string;
  docs: string;
}

function notAvailable(snapshot: Snapshot, endpoint: Endpoint, state: string): CheckOutcome {
  const explanation = explain(snapshot, endpoint, state);
  const evidence = [`state: ${endpoint.state} (expected available)`];
  if (endpoint.lastError)
    evidence.push(`LastError: ${endpoint.lastError.code}: ${endpoint.lastError.message}`);
  evidence.push(...contextEvidence(snapshot, endpoint, state));
  const finding: Finding = {
    severity: explanation.severity,
    summary: explanation.summary,
    evidence,
    remediation: { text: explanation.text, command: explanation.command, docs: explanation.docs },
    resourceIds: [endpoint.id],
  };
  return { status: "fail", summary: explanation.summary, findings: [finding] };
}

function explain(snapshot: Snapshot, endpoint: Endpoint, state: string): Explanation {
  const id = endpoint.id;
  const error = endpoint.lastError ? `: ${endpoint.lastError.code}: ${endpoint.lastError.message}` : "";
  const watch = `aws ec2 describe-vpc-endpoints --region ${snapshot.region} --vpc-endpoint-ids ${id} --query 'VpcEndpoints[].[State,LastError]'`;
  const recreate = createCommand(snapshot, endpoint);
  switch (state) {
    case "failed":
      return {
        severity: "critical",
        summary: `${id} is failed${error || " (AWS gave no LastError)"}`,
        text: `${id} could not be created; fix the cause named by LastError, then delete it and create it again.`,
        command: recreate,
        docs: DOCS_STATES,
      };
    case "pendingacceptance":
      return {
        severity: "critical",
        summary: `${id} is pendingAcceptance: the provider of ${endpoint.serviceName} has not accepted the connection, so no traffic flows`,
        text: "Only the service provider can accept the connection request; the service-acceptance check names the provider and the command they run.",
        command: watch,
        docs: DOCS_ACCEPTANCE,
      };
    case "rejected":
      return {
        severity: "critical",
        summary: `${id} is rejected: the provider of ${endpoint.serviceName} refused the connection, so no traffic flows`,
        text: "Only the service provider can accept the connection; the service-acceptance check names the provider and the command they run.",
        command: watch,
        docs: DOCS_ACCEPTANCE,
      };
    case "pending": {
      const age = ageMinutes(snapshot, endpoint);
      const stuck = age !== undefined && age > PENDING_STUCK_MINUTES;
      return {
        severity: "critical",
        summary: `${id} is pending: it is still being created and carries no traffic yet`,
        text: stuck
          ? `${id} has been pending for ${age} minutes, far longer than the usual few minutes: check LastError and, if it stays pending, open an AWS Support case.`
          : `Wait a few minutes for ${id} to become available, then rerun the diagnosis.`,
        command: watch,
        docs: DOCS_STATES,
      };
    }
    case "deleting":
      return {
        severity: "critical",
        summary: `${id} is deleting: it is being removed and carries no traffic`,
        text: `If the deletion was not intended, wait for it to finish and recreate the endpoint (recent-changes shows who deleted it).`,
        command: recreate,
        docs: DOCS_CREATE,
      };
    case "deleted":
      return {
        severity: "critical",
        summary: `${id} is deleted: it no longer exists and carries no traffic`,
        text: "Recreate the endpoint (preferably from your infrastructure code) and point clients at the new endpoint id.",
        command: recreate,
        docs: DOCS_CREATE,
      };
    case "expired":
      return {
        severity: "critical",
        summary: `${id} is expired: the provider of ${endpoint.serviceName} did not accept the connection request before the acceptance window expired`,
        text: "Recreate the endpoint and ask the service provider to accept the new connection request promptly.",
        command: recreate,
        docs: DOCS_ACCEPTANCE,
      };
    case "partial":
      return {
        severity: "high",
        summary: `${id} is partial: the endpoint could not be set up in some of its subnets${error}`,
        text: "Clients in the failed subnets' Availability Zones cannot use their zonal address; fix the cause in LastError, then remove and re-add the failed subnets.",
        command: `aws ec2 describe-vpc-endpoints --region ${snapshot.region} --vpc-endpoint-ids ${id} --query 'VpcEndpoints[].[State,LastError,SubnetIds,NetworkInterfaceIds]'`,
        docs: DOCS_STATES,
      };
    default:
      return {
        severity: "high",
        summary: `${id} is in the unexpected state ${endpoint.state}${error}`,
        text: `Look at ${id} in the VPC console or with the command below; only an available endpoint carries traffic.`,
        command: watch,
        docs: DOCS_STATES,
      };
  }
}

/** Observations that help read the state: the endpoint's age, and for `partial` which subnets have no ENI. */
function contextEvidence(snapshot: Snapshot, endpoint: Endpoint, state: string): string[] {
  const lines: string[] = [];
  const age = ageMinutes(snapshot, endpoint);
  if (endpoint.createdAt && age !== undefined) {
    lines.push(`created at ${endpoint.createdAt} (${age} minutes before this diagnosis)`);
  }
  if (state === "partial" && snapshot.networkInterfaces) {
    const withEni = new Set(snapshot.networkInterfaces.map((eni) => eni.subnetId).filter(Boolean));
    const missing = endpoint.subnetIds.filter((subnet) => !withEni.has(subnet));
    if (missing.length > 0)
      lines.push(`subnets without an endpoint network interface: ${missing.join(", ")}`);
  }
  return lines;
}

function ageMinutes(snapshot: Snapshot, endpoint: Endpoint): number | undefined {
  if (!endpoint.createdAt) return undefined;
  const created = Date.parse(endpoint.createdAt);
  const collected = Date.parse(snapshot.collectedAt);
  if (Number.isNaN(created) || Number.isNaN(collected)) return undefined;
  return Math.max(0, Math.round((collected - created) / 60_000));
}

/** A create-vpc-endpoint command that rebuilds this endpoint from what the snapshot knows of it. */
function createCommand(snapshot: Snapshot, endpoint: Endpoint): string {
  const parts = [
    "aws ec2 create-vpc-endpoint",
    `--region ${snapshot.region}`,
    `--vpc-endpoint-type ${endpoint.type}`,
    `--vpc-id ${endpoint.vpcId}`,
    `--service-name ${endpoint.serviceName}`,
  ];
  if (endpoint.subnetIds.length > 0) parts.push(`--subnet-ids ${endpoint.subnetIds.join(" ")}`);
  if (endpoint.securityGroups.length > 0) {
    parts.push(`--security-group-ids ${endpoint.securityGroups.map((group) => group.id).join(" ")}`);
  }
  if (endpoint.routeTableIds.length > 0) parts.push(`--route-table-ids ${endpoint.routeTableIds.join(" ")}`);
  if (endpoint.type.toLowerCase() === "interface") {
    parts.push(endpoint.privateDnsEnabled ? "--private-dns-enabled" : "--no-private-dns-enabled");
  }
  return parts.join(" ");
}
