import type { Check, CheckOutcome, Finding } from "../diagnosis/check.js";
import type { Snapshot, TrailEvent } from "../diagnosis/snapshot.js";
import { unknownIfGaps } from "./gaps.js";

// Runbook step 1: the endpoint the person named must exist in the account and region we looked in.

const DOCS_DESCRIBE = "https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-vpc-endpoints.html";
const DOCS_CREATE = "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html";

/** Fails when the endpoint id is not found, naming the likeliest mistake (typo, region, account, deletion). */
export const endpointExists: Check = {
  id: "endpoint-exists",
  title: "The endpoint exists in this account and region",
  appliesTo: "any",
  needs: [],
  docs: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints.html",
  run(snapshot) {
    const endpoint = snapshot.endpoint;
    if (endpoint) {
      return {
        status: "pass",
        summary: `${endpoint.id} exists: ${endpoint.type} endpoint for ${endpoint.serviceName} in ${endpoint.vpcId}`,
        findings: [],
      };
    }
    return unknownIfGaps(snapshot, "endpoint") ?? notFound(snapshot);
  },
};

function notFound(snapshot: Snapshot): CheckOutcome {
  const id = snapshot.endpointId;
  const region = snapshot.region;
  const account = accountLabel(snapshot);
  const hints = snapshot.notFound;
  const similar = (hints?.similarIds ?? []).filter((candidate) => candidate !== id);
  const deleted = hints?.deletedEvent;
  const count = hints?.endpointsInRegion;

  const elsewhere = hints?.foundInRegions ?? [];

  const findings: Finding[] = [];
  if (elsewhere.length > 0) findings.push(otherRegionFinding(snapshot, elsewhere));
  if (deleted) findings.push(deletedFinding(snapshot, deleted));
  if (similar.length > 0) findings.push(typoFinding(snapshot, similar));
  findings.push(genericFinding(snapshot, count, deleted !== undefined || similar.length > 0));

  let summary: string;
  if (elsewhere.length > 0) {
    summary = `${id} is not in ${region} but was found in ${elsewhere.join(", ")}: rerun with --region ${elsewhere[0]}`;
  } else if (deleted) {
    summary = `${id} was deleted by ${who(deleted)} at ${deleted.eventTime}; it no longer exists in account ${account} in ${region}`;
  } else if (similar.length > 0) {
    summary = `${id} does not exist in account ${account} in ${region}; did you mean ${similar[0]}?`;
  } else if (count === 0) {
    summary = `${id} does not exist in account ${account} in ${region}, which has no VPC endpoints at all: check the region and the account`;
  } else {
    summary = `${id} does not exist in account ${account} in ${region}: check the id, the region and the account`;
  }
  return { status: "fail", summary, findings };
}

function otherRegionFinding(snapshot: Snapshot, regions: string[]): Finding {
  const id = snapshot.endpointId;
  return {
    severity: "high",
    summary: `${id} exists in ${regions.join(", ")}, not in ${snapshot.region}: rerun with --region ${regions[0]}`,
    evidence: [
      `DescribeVpcEndpoints in ${snapshot.region}: no endpoint ${id}`,
      `DescribeVpcEndpoints in the account's other enabled regions: ${id} found in ${regions.join(", ")}`,
    ],
    remediation: {
      text: `Endpoints are regional: diagnose ${id} in ${regions[0]}.`,
      command: `vpce-doctor diagnose ${id} --region ${regions[0]}`,
      docs: DOCS_DESCRIBE,
    },
    resourceIds: [id],
  };
}

function deletedFinding(snapshot: Snapshot, event: TrailEvent): Finding {
  const evidence = [
    `CloudTrail ${event.eventName} at ${event.eventTime} by ${who(event)} (event ${event.eventId})`,
    ...(event.sourceIp ? [`source IP: ${event.sourceIp}`] : []),
    ...(event.errorCode
      ? [`error: ${event.errorCode}${event.errorMessage ? `: ${event.errorMessage}` : ""}`]
      : []),
    `expected: ${snapshot.endpointId} present in ${snapshot.region}; observed: deleted`,
  ];
  return {
    severity: "critical",
    summary: `${snapshot.endpointId} was deleted by ${who(event)} at ${event.eventTime}`,
    evidence,
    remediation: {
      text: `Ask ${who(event)} why ${snapshot.endpointId} was deleted, then recreate it (preferably from your infrastructure code) and point clients at the new endpoint id.`,
      command: `aws cloudtrail lookup-events --region ${snapshot.region} --lookup-attributes AttributeKey=EventId,AttributeValue=${event.eventId}`,
      docs: DOCS_CREATE,
    },
    resourceIds: [snapshot.endpointId],
  };
}

function typoFinding(snapshot: Snapshot, similar: string[]): Finding {
  return {
    severity: "high",
    summary: `${snapshot.endpointId} is not in ${snapshot.region}, but ${similar.join(", ")} ${similar.length === 1 ? "is" : "are"}: did you mean ${similar[0]}?`,
    evidence: [
      `requested: ${snapshot.endpointId}`,
      `endpoints in ${snapshot.region} whose id differs by a typo: ${similar.join(", ")}`,
    ],
    remediation: {
      text: `Rerun the diagnosis with the intended id (e.g. ${similar[0]}).`,
      command: `aws ec2 describe-vpc-endpoints --region ${snapshot.region} --vpc-endpoint-ids ${similar.join(" ")}`,
      docs: DOCS_DESCRIBE,
    },
    resourceIds: [snapshot.endpointId, ...similar],
  };
}

function genericFinding(snapshot: Snapshot, count: number | undefined, explained: boolean): Finding {
  const id = snapshot.endpointId;
  const region = snapshot.region;
  const account = accountLabel(snapshot);
  const evidence = [
    `DescribeVpcEndpoints in account ${account}, region ${region}: no endpoint ${id}`,
    count === undefined
      ? `endpoints in ${region}: not counted`
      : `endpoints in ${region} in this account: ${count}`,
  ];
  const searched = snapshot.notFound?.foundInRegions;
  if (searched?.length === 0) evidence.push(`the account's other enabled regions: no endpoint ${id} either`);
  // With no endpoint at all in the region, the region or the account is the likeliest mistake.
  const searchOtherRegions = count === 0 && !explained && searched === undefined;
  return {
    severity: explained ? "medium" : "critical",
    summary: `${id} was not found in account ${account} in ${region}`,
    evidence,
    remediation: {
      text:
        `Endpoints are regional and belong to one account: confirm ${id} lives in ${region} (not another region), ` +
        `in account ${account} rather than another account, and that it was not deleted; ` +
        "then rerun with the right id, region and account.",
      command: searchOtherRegions
        ? `for r in $(aws ec2 describe-regions --region ${region} --query 'Regions[].RegionName' --output text); do echo "$r: $(aws ec2 describe-vpc-endpoints --region "$r" --filters Name=vpc-endpoint-id,Values=${id} --query 'VpcEndpoints[].State' --output text)"; done`
        : `aws ec2 describe-vpc-endpoints --region ${region} --filters Name=vpc-endpoint-id,Values=${id}`,
      docs: DOCS_DESCRIBE,
    },
    resourceIds: [id],
  };
}

function who(event: TrailEvent): string {
  return event.principalArn ?? event.username ?? "an unknown principal";
}

function accountLabel(snapshot: Snapshot): string {
  if (snapshot.accountId && snapshot.accountAlias) return `${snapshot.accountId} (${snapshot.accountAlias})`;
  return snapshot.accountId ?? snapshot.accountAlias ?? "(unknown account)";
}
