import type { Check, CheckOutcome, Finding } from "../diagnosis/check.js";
import type { Endpoint, FlowLog, FlowRecords, Snapshot } from "../diagnosis/snapshot.js";
import {
  endpointAddresses,
  otherPortsNote,
  serviceRejectFinding,
  splitRejects,
  unprovenRejectFinding,
} from "./flow-logs-rejects.js";
import { unknownIfGaps } from "./gaps.js";
import { type ServicePorts, servicePortsOf } from "./service-port.js";

// Flow logs: is there one that can see the endpoint's ENIs, and did it record REJECTs of the service's traffic?

const DOCS_CWL = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html";
const DOCS_TROUBLESHOOT = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-troubleshooting.html";
const DOCS_ATHENA = "https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-create-table-statement.html";

const NOT_PROOF = "flow logs cannot see DNS to the VPC resolver; absence of REJECTs is not proof";

/** Flow logs cover the endpoint's ENIs and show no REJECTed traffic of the service towards them. */
export const flowLogs: Check = {
  id: "flow-logs",
  title: "Flow logs cover the endpoint's network interfaces and show no rejected traffic",
  appliesTo: ["Interface", "GatewayLoadBalancer"],
  notApplicable: "it has no network interfaces, so flow logs cannot show traffic to it",
  needs: ["flowLogs"],
  docs: DOCS_CWL,
  run(snapshot) {
    const endpoint = snapshot.endpoint!;
    if (!snapshot.flowLogs) {
      return {
        status: "unknown",
        summary: `the flow-log configuration for ${endpoint.id} was not collected`,
        findings: [],
      };
    }
    const covering = coveringFlowLogs(snapshot, endpoint, snapshot.flowLogs);
    if (covering.length === 0) {
      return {
        status: "warn",
        summary: noFlowLogSummary(endpoint),
        findings: [noFlowLogFinding(snapshot, endpoint)],
        advisory: true,
      };
    }
    const usable = covering.filter((fl) => !deliveryFails(fl) && !acceptOnly(fl));
    const configFindings = covering
      .filter((fl) => !usable.includes(fl))
      .map((fl) => flowLogProblem(snapshot, endpoint, fl, usable.length > 0));
    if (usable.length === 0) {
      return {
        status: "warn",
        summary: `no flow log covering ${endpoint.id} can show rejected traffic: ${covering.map(problemOf).join("; ")}`,
        findings: configFindings,
        advisory: true,
      };
    }
    return judgeRecords(snapshot, endpoint, usable, configFindings);
  },
};

/** The ports whose REJECTs bear on the verdict: every port for a Gateway Load Balancer endpoint. */
function portsFor(snapshot: Snapshot, endpoint: Endpoint): { ports: ServicePorts; judged: number[] | "all" } {
  const ports = servicePortsOf(snapshot);
  const gwlb = endpoint.type.toLowerCase() === "gatewayloadbalancer";
  return { ports, judged: gwlb ? "all" : ports.ports };
}

/** REJECTs of the service's traffic fail (warn when its port is assumed); others are a note on the pass. */
function judgeRecords(
  snapshot: Snapshot,
  endpoint: Endpoint,
  usable: FlowLog[],
  configFindings: Finding[],
): CheckOutcome {
  const records = snapshot.flowRecords ?? [];
  const { ports, judged } = portsFor(snapshot, endpoint);
  const rejects = records.flatMap((r) => r.rejects);
  const split = splitRejects(rejects, endpointAddresses(snapshot, endpoint), judged);
  const portText = judged === "all" ? "" : `on ${ports.label}`;
  const notes =
    split.other.length > 0 && ports.basis !== "assumed" ? [otherPortsNote(endpoint, split.other, ports)] : [];
  if (ports.basis === "assumed" && judged !== "all" && split.service.length + split.other.length > 0) {
    const finding = unprovenRejectFinding(
      snapshot,
      endpoint,
      [...split.service, ...split.other],
      ports,
      "assumed",
    );
    return { status: "warn", summary: finding.summary, findings: [finding, ...configFindings] };
  }
  if (split.service.length > 0) {
    const n = split.service.length;
    return {
      status: "fail",
      summary: `${n} REJECT flow-log record${n === 1 ? "" : "s"}${portText ? ` ${portText}` : ""} for the ENIs of ${endpoint.id} in the last ${hours(snapshot)}: a security group or network ACL dropped the service's traffic`,
      findings: [
        serviceRejectFinding(snapshot, endpoint, records, split.service, portText),
        ...notes,
        ...configFindings,
      ],
    };
  }
  if (split.unattributed.length > 0) {
    const finding = unprovenRejectFinding(snapshot, endpoint, split.unattributed, ports, "no-ports");
    return { status: "warn", summary: finding.summary, findings: [finding, ...notes, ...configFindings] };
  }
  return noServiceRejects(snapshot, endpoint, usable, [...notes, ...configFindings], split.other.length);
}

/** No REJECT of the service's traffic: a pass when the records were read, with what could not be seen. */
function noServiceRejects(
  snapshot: Snapshot,
  endpoint: Endpoint,
  usable: FlowLog[],
  extra: Finding[],
  otherCount: number,
): CheckOutcome {
  const readable = usable.filter(
    (fl) => fl.destinationType.toLowerCase() === "cloud-watch-logs" && fl.logGroupName !== undefined,
  );
  if (readable.length === 0) {
    // Flow logs exist and deliver; only vpce-doctor cannot read S3 or Firehose. That is not a fault of the
    // endpoint, so it passes, with the query to run where the records are.
    const finding = { ...unreadableFinding(snapshot, endpoint, usable), severity: "info" as const };
    return { status: "pass", summary: finding.summary, findings: [finding, ...extra] };
  }
  if (endpoint.networkInterfaceIds.length === 0) {
    return { status: "skip", summary: `${endpoint.id} has no network interfaces to log`, findings: extra };
  }
  const groups = new Set(readable.map((fl) => fl.logGroupName!));
  const recordsGap = unknownIfGaps(snapshot, "flowRecords");
  if (recordsGap) return { ...recordsGap, findings: [...recordsGap.findings, ...extra] };
  const read = (snapshot.flowRecords ?? []).filter((r) => groups.has(r.logGroupName));
  if (read.length === 0) {
    return {
      status: "unknown",
      summary: `flow-log records for ${endpoint.id} in ${[...groups].join(", ")} were not read`,
      findings: extra,
    };
  }
  return readPass(snapshot, endpoint, read, extra, otherCount);
}

function readPass(
  snapshot: Snapshot,
  endpoint: Endpoint,
  read: FlowRecords[],
  extra: Finding[],
  otherCount: number,
): CheckOutcome {
  const truncated = read.filter((r) => r.truncated);
  const info = [
    ...truncated.map((r) => truncatedNote(endpoint, r)),
    ...read.flatMap((r) => missingStreams(endpoint, r)),
  ];
  const note = truncated.length > 0 ? ", reader truncated" : "";
  const { ports, judged } = portsFor(snapshot, endpoint);
  const what =
    otherCount > 0 && judged !== "all"
      ? `no REJECT records on ${ports.label} for the endpoint ENIs in the last ${hours(snapshot)} (${otherCount} on other ports, not the service's traffic)`
      : `no REJECT records for the endpoint ENIs in the last ${hours(snapshot)}`;
  return {
    status: "pass",
    summary: `${endpoint.id}: ${what} in ${read.map((r) => r.logGroupName).join(", ")}${note} (${NOT_PROOF})`,
    findings: [...info, ...extra],
  };
}

function truncatedNote(endpoint: Endpoint, r: FlowRecords): Finding {
  return {
    severity: "info",
    summary: `the flow-log reader stopped early in ${r.logGroupName} for ${endpoint.id}: REJECTs later in the window may have been missed`,
    evidence: [
      `log group ${r.logGroupName}: truncated after ${r.scannedEvents} events in streams ${r.streams.join(", ") || "(none)"}`,
    ],
    resourceIds: [endpoint.id, ...endpoint.networkInterfaceIds],
  };
}

function missingStreams(endpoint: Endpoint, r: FlowRecords): Finding[] {
  const missing = endpoint.networkInterfaceIds.filter((eni) => !r.streams.some((st) => st.startsWith(eni)));
  if (missing.length === 0) return [];
  return [
    {
      severity: "info",
      summary: `${r.logGroupName} has no log stream for ${missing.join(", ")} of ${endpoint.id}: no record was delivered for it in the window`,
      evidence: [
        `streams read: ${r.streams.join(", ") || "(none)"}; expected one per ENI (${endpoint.networkInterfaceIds.join(", ")})`,
        "a missing stream means no traffic was logged for that ENI (or the flow log is newer than the window)",
      ],
      resourceIds: [endpoint.id, ...missing],
    },
  ];
}

function hours(snapshot: Snapshot): string {
  return `${snapshot.window.hours} h`;
}

function coveringFlowLogs(snapshot: Snapshot, endpoint: Endpoint, all: FlowLog[]): FlowLog[] {
  const enis = new Set(endpoint.networkInterfaceIds);
  const resources = new Set<string>([endpoint.vpcId, ...endpoint.subnetIds, ...enis]);
  for (const eni of snapshot.networkInterfaces ?? []) {
    if (enis.has(eni.id) && eni.subnetId) resources.add(eni.subnetId);
  }
  return all.filter((fl) => resources.has(fl.resourceId));
}

function deliveryFails(fl: FlowLog): boolean {
  return fl.deliverStatus !== undefined && fl.deliverStatus.toUpperCase() !== "SUCCESS";
}

function acceptOnly(fl: FlowLog): boolean {
  return fl.trafficType?.toUpperCase() === "ACCEPT";
}

function problemOf(fl: FlowLog): string {
  return deliveryFails(fl)
    ? `${fl.id} on ${fl.resourceId} is not delivering (deliverStatus ${fl.deliverStatus})`
    : `${fl.id} on ${fl.resourceId} records ACCEPT traffic only`;
}

function destinationOf(fl: FlowLog): string {
  return `${fl.destinationType} ${fl.logGroupName ?? fl.destination ?? "(destination not reported)"}`;
}

function createFlowLogCommand(snapshot: Snapshot, endpoint: Endpoint): string {
  return `aws ec2 create-flow-logs --region ${snapshot.region} --resource-type VPC --resource-ids ${endpoint.vpcId} --traffic-type REJECT --log-destination-type cloud-watch-logs --log-group-name /vpc/flow-logs --deliver-logs-permission-arn <role-arn>`;
}

const ROLE_HINT =
  "<role-arn> is an IAM role that trusts vpc-flow-logs.amazonaws.com and may call logs:CreateLogStream and logs:PutLogEvents";

function noFlowLogSummary(endpoint: Endpoint): string {
  return `no flow log covers the ENIs of ${endpoint.id}: rejected traffic towards it cannot be seen`;
}

function noFlowLogFinding(snapshot: Snapshot, endpoint: Endpoint): Finding {
  const watched = [endpoint.vpcId, ...endpoint.subnetIds, ...endpoint.networkInterfaceIds];
  return {
    severity: "low",
    summary: noFlowLogSummary(endpoint),
    evidence: [
      `observed: ${snapshot.flowLogs?.length ?? 0} flow log(s) in the snapshot, none on ${watched.join(", ")}`,
      "expected: a flow log with traffic type REJECT or ALL on the VPC, an endpoint subnet or the endpoint ENIs",
    ],
    remediation: {
      text: `Create a REJECT flow log on ${endpoint.vpcId} delivered to CloudWatch Logs, so the next diagnosis can show which sources and ports are dropped (${ROLE_HINT}).`,
      command: createFlowLogCommand(snapshot, endpoint),
      docs: DOCS_CWL,
    },
    resourceIds: [endpoint.id, endpoint.vpcId, ...endpoint.networkInterfaceIds],
  };
}

function flowLogProblem(snapshot: Snapshot, endpoint: Endpoint, fl: FlowLog, othersWork: boolean): Finding {
  const severity = othersWork ? "info" : "low";
  if (deliveryFails(fl)) {
    return {
      severity,
      summary: `flow log ${fl.id} on ${fl.resourceId} is not delivering records (deliverStatus ${fl.deliverStatus})`,
      evidence: [
        `${fl.id} on ${fl.resourceId}: deliverStatus ${fl.deliverStatus}, expected SUCCESS`,
        ...(fl.deliverError ? [`deliver error: ${fl.deliverError}`] : []),
        `destination: ${destinationOf(fl)}`,
      ],
      remediation: {
        text: "Fix the delivery: for CloudWatch Logs the DeliverLogsPermissionArn role must trust vpc-flow-logs.amazonaws.com and allow logs:CreateLogStream and logs:PutLogEvents; for S3 the bucket policy must admit delivery.logs.amazonaws.com; the destination must still exist.",
        command: `aws ec2 describe-flow-logs --region ${snapshot.region} --flow-log-ids ${fl.id}`,
        docs: DOCS_TROUBLESHOOT,
      },
      resourceIds: [fl.id, fl.resourceId, endpoint.id],
    };
  }
  return {
    severity,
    summary: `flow log ${fl.id} on ${fl.resourceId} records ACCEPT traffic only: REJECTs towards ${endpoint.id} are not logged`,
    evidence: [
      `${fl.id} on ${fl.resourceId}: trafficType ${fl.trafficType}, expected REJECT or ALL`,
      `destination: ${destinationOf(fl)}`,
    ],
    remediation: {
      text: `Add a flow log that records REJECT traffic (flow logs cannot be modified in place) (${ROLE_HINT}).`,
      command: createFlowLogCommand(snapshot, endpoint),
      docs: DOCS_CWL,
    },
    resourceIds: [fl.id, fl.resourceId, endpoint.id],
  };
}

function unreadableFinding(snapshot: Snapshot, endpoint: Endpoint, usable: FlowLog[]): Finding {
  const enis = endpoint.networkInterfaceIds.map((id) => `'${id}'`).join(", ");
  const where = usable.map((fl) => `${fl.id} on ${fl.resourceId} -> ${destinationOf(fl)}`);
  const types = [...new Set(usable.map((fl) => fl.destinationType))].join(" and ");
  return {
    severity: "low",
    summary: `flow logs for ${endpoint.id} go to ${types} only, which vpce-doctor cannot read: look for REJECTs there`,
    evidence: [
      ...where,
      `no flow log covering ${endpoint.id} delivers to CloudWatch Logs, so REJECT records were not examined`,
    ],
    remediation: {
      text: `Query the records where they are, e.g. in Athena over the S3 destination: SELECT srcaddr, dstport, count(*) FROM vpc_flow_logs WHERE action = 'REJECT' AND interface_id IN (${enis}) GROUP BY srcaddr, dstport ORDER BY 3 DESC; or add a REJECT flow log to CloudWatch Logs so the next diagnosis reads them (${ROLE_HINT}).`,
      command: createFlowLogCommand(snapshot, endpoint),
      docs: DOCS_ATHENA,
    },
    resourceIds: [endpoint.id, ...usable.map((fl) => fl.id)],
  };
}
