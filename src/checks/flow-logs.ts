import type { Check, Finding } from "../diagnosis/check.js";
import type { Endpoint, FlowLog, FlowRecord, FlowRecords, Snapshot } from "../diagnosis/snapshot.js";
import { interfaceEndpoint, unknownIfGaps } from "./gaps.js";

// Flow logs: is there one that can see the endpoint's ENIs, and did it record REJECTs in the window?

const DOCS_CWL = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html";
const DOCS_TROUBLESHOOT = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-troubleshooting.html";
const DOCS_RECORDS = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html";
const DOCS_ATHENA = "https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-create-table-statement.html";

const NOT_PROOF = "flow logs cannot see DNS to the VPC resolver; absence of REJECTs is not proof";
const TOP = 5;
const SAMPLES = 3;

/** Flow logs cover the endpoint's ENIs and show no REJECTed traffic towards them. */
export const flowLogs: Check = {
  id: "flow-logs",
  title: "Flow logs cover the endpoint's network interfaces and show no rejected traffic",
  appliesTo: "any",
  needs: [],
  docs: "https://docs.aws.amazon.com/vpc/latest/privatelink/",
  run(snapshot) {
    const target = interfaceEndpoint(
      snapshot,
      `it has no network interfaces, so flow logs cannot show traffic to it`,
    );
    if (target.outcome) return target.outcome;
    const { endpoint } = target;
    const gap = unknownIfGaps(snapshot, "flowLogs");
    if (gap) return gap;
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
      };
    }

    const readable = usable.filter(
      (fl) => fl.destinationType.toLowerCase() === "cloud-watch-logs" && fl.logGroupName !== undefined,
    );
    const records = snapshot.flowRecords ?? [];
    const rejects = records.flatMap((r) => r.rejects);
    if (rejects.length > 0) {
      return {
        status: "fail",
        summary: `${rejects.length} REJECT flow-log record${rejects.length === 1 ? "" : "s"} for the ENIs of ${endpoint.id} in the last ${hours(snapshot)}: a security group or network ACL dropped the traffic`,
        findings: [rejectFinding(snapshot, endpoint, records, rejects), ...configFindings],
      };
    }

    if (readable.length === 0) {
      // Flow logs exist and deliver; only vpce-doctor cannot read S3 or Firehose. That is not a fault of the
      // endpoint, so it passes, with the query to run where the records are.
      const finding = { ...unreadableFinding(snapshot, endpoint, usable), severity: "info" as const };
      return { status: "pass", summary: finding.summary, findings: [finding, ...configFindings] };
    }

    if (endpoint.networkInterfaceIds.length === 0) {
      return {
        status: "skip",
        summary: `${endpoint.id} has no network interfaces to log`,
        findings: configFindings,
      };
    }
    const groups = new Set(readable.map((fl) => fl.logGroupName!));
    const recordsGap = unknownIfGaps(snapshot, "flowRecords");
    if (recordsGap) return { ...recordsGap, findings: [...recordsGap.findings, ...configFindings] };
    const read = records.filter((r) => groups.has(r.logGroupName));
    if (read.length === 0) {
      return {
        status: "unknown",
        summary: `flow-log records for ${endpoint.id} in ${[...groups].join(", ")} were not read`,
        findings: configFindings,
      };
    }

    const truncated = read.filter((r) => r.truncated);
    const info: Finding[] = truncated.map((r) => ({
      severity: "info",
      summary: `the flow-log reader stopped early in ${r.logGroupName} for ${endpoint.id}: REJECTs later in the window may have been missed`,
      evidence: [
        `log group ${r.logGroupName}: truncated after ${r.scannedEvents} events in streams ${r.streams.join(", ") || "(none)"}`,
      ],
      resourceIds: [endpoint.id, ...endpoint.networkInterfaceIds],
    }));
    for (const r of read) {
      const missing = endpoint.networkInterfaceIds.filter(
        (eni) => !r.streams.some((st) => st.startsWith(eni)),
      );
      if (missing.length === 0) continue;
      info.push({
        severity: "info",
        summary: `${r.logGroupName} has no log stream for ${missing.join(", ")} of ${endpoint.id}: no record was delivered for it in the window`,
        evidence: [
          `streams read: ${r.streams.join(", ") || "(none)"}; expected one per ENI (${endpoint.networkInterfaceIds.join(", ")})`,
          "a missing stream means no traffic was logged for that ENI (or the flow log is newer than the window)",
        ],
        resourceIds: [endpoint.id, ...missing],
      });
    }
    const note = truncated.length > 0 ? ", reader truncated" : "";
    return {
      status: "pass",
      summary: `${endpoint.id}: no REJECT records for the endpoint ENIs in the last ${hours(snapshot)} in ${read.map((r) => r.logGroupName).join(", ")}${note} (${NOT_PROOF})`,
      findings: [...info, ...configFindings],
    };
  },
};

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

function rejectFinding(
  snapshot: Snapshot,
  endpoint: Endpoint,
  records: FlowRecords[],
  rejects: FlowRecord[],
): Finding {
  const addresses = new Set(
    (snapshot.networkInterfaces ?? [])
      .filter((eni) => endpoint.networkInterfaceIds.includes(eni.id))
      .flatMap((eni) => [...eni.privateIpAddresses, ...eni.ipv6Addresses]),
  );
  const inbound = rejects.filter((r) => r.dstAddr !== undefined && addresses.has(r.dstAddr)).length;
  const outbound = rejects.filter((r) => r.srcAddr !== undefined && addresses.has(r.srcAddr)).length;
  const starts = rejects.flatMap((r) => (r.start === undefined ? [] : [r.start])).sort((a, b) => a - b);
  const enis = [...new Set(rejects.flatMap((r) => (r.interfaceId ? [r.interfaceId] : [])))];

  const evidence = [
    `observed: ${rejects.length} REJECT record(s) for ${endpoint.networkInterfaceIds.join(", ") || endpoint.id} in the last ${hours(snapshot)}; expected: none`,
    `top sources: ${top(rejects, (r) => r.srcAddr)}`,
    `top destination ports: ${top(rejects, (r) => (r.dstPort === undefined ? undefined : String(r.dstPort)))}`,
  ];
  if (enis.length > 0) evidence.push(`per ENI: ${top(rejects, (r) => r.interfaceId, enis.length)}`);
  if (addresses.size > 0) {
    evidence.push(
      `${inbound} towards the endpoint addresses (${[...addresses].join(", ")}): security group or inbound NACL; ${outbound} from them: outbound NACL (replies on ephemeral ports)`,
    );
  }
  if (starts.length > 0) {
    evidence.push(`first at ${iso(starts[0]!)}, last at ${iso(starts[starts.length - 1]!)}`);
  }
  for (const r of samples(rejects)) evidence.push(`sample: ${r.raw}`);
  for (const r of records.filter((g) => g.truncated)) {
    evidence.push(
      `log group ${r.logGroupName}: truncated after ${r.scannedEvents} events: the counts are a lower bound`,
    );
  }

  const sgs = endpoint.securityGroups.map((g) => g.id);
  const nacls = (snapshot.networkAcls ?? [])
    .filter((acl) => acl.subnetIds.some((s) => endpoint.subnetIds.includes(s)))
    .map((acl) => acl.id);
  const commands = [
    ...(sgs.length > 0
      ? [
          `aws ec2 describe-security-group-rules --region ${snapshot.region} --filters Name=group-id,Values=${sgs.join(",")}`,
        ]
      : []),
    ...(endpoint.subnetIds.length > 0
      ? [
          `aws ec2 describe-network-acls --region ${snapshot.region} --filters Name=association.subnet-id,Values=${endpoint.subnetIds.join(",")}`,
        ]
      : []),
  ];
  return {
    severity: "high",
    summary: `${rejects.length} packet flow(s) to or from the ENIs of ${endpoint.id} were REJECTed in the last ${hours(snapshot)}`,
    evidence,
    remediation: {
      text: `A REJECT towards the endpoint's addresses means a security group or network ACL dropped it: see the security-groups and network-acls checks, admit the top sources on the listed ports in ${sgs.join(", ") || "the endpoint security groups"}, and let the subnet NACLs pass the request inbound and the replies (ports 1024-65535) outbound.`,
      ...(commands.length > 0 ? { command: commands.join(" && ") } : {}),
      docs: DOCS_RECORDS,
    },
    resourceIds: [...new Set([endpoint.id, ...enis, ...sgs, ...nacls])],
  };
}

/** "value (count), ..." for the most frequent values, most frequent first. */
function top(records: FlowRecord[], key: (r: FlowRecord) => string | undefined, limit = TOP): string {
  const counts = new Map<string, number>();
  for (const r of records) {
    const value = key(r) ?? "?";
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([value, count]) => `${value} (${count})`)
    .join(", ");
}

/** A few distinct raw lines, one per source first, so the samples show the spread. */
function samples(rejects: FlowRecord[]): FlowRecord[] {
  const picked: FlowRecord[] = [];
  const sources = new Set<string | undefined>();
  for (const r of rejects) {
    if (picked.length < SAMPLES && !sources.has(r.srcAddr)) {
      picked.push(r);
      sources.add(r.srcAddr);
    }
  }
  for (const r of rejects) {
    if (picked.length < SAMPLES && !picked.some((p) => p.raw === r.raw)) picked.push(r);
  }
  return picked;
}

function iso(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}
