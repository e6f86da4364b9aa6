import type { Check, Finding } from "../diagnosis/check.js";
import type { Endpoint, MetricSeries, Snapshot } from "../diagnosis/snapshot.js";

// AWS/PrivateLinkEndpoints metrics: is traffic arriving, and is the endpoint dropping or resetting it?
// Metrics are published only when there is traffic, so "no datapoints" means no data, not zero.

const DOCS = "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-cloudwatch-metrics.html";

interface Totals {
  /** Number of datapoints in the window; 0 means no data. */
  points: number;
  sum: number;
  /** Timestamp of the last datapoint with a value above zero. */
  lastNonZero?: string;
  peak: number;
}

/** Traffic reaches the interface endpoint and is neither dropped nor reset. */
export const trafficMetrics: Check = {
  id: "traffic-metrics",
  title: "Traffic reaches the endpoint without drops or resets",
  appliesTo: ["Interface", "GatewayLoadBalancer"],
  notApplicable: "gateway endpoints publish no CloudWatch metrics",
  needs: ["metrics"],
  docs: "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-cloudwatch-metrics.html",
  run(snapshot) {
    const endpoint = snapshot.endpoint!;
    if (!snapshot.metrics) {
      return {
        status: "unknown",
        summary: `the CloudWatch metrics of ${endpoint.id} were not collected`,
        findings: [],
      };
    }

    const metric = (name: string) => totals(snapshot.metrics!, name);
    const bytes = metric("BytesProcessed");
    const connections = metric("NewConnections");
    const dropped = metric("PacketsDropped");
    const resets = metric("RstPacketsReceived");
    const window = `${snapshot.window.hours} h`;

    if (bytes.sum === 0 && connections.sum === 0) {
      const finding = noTrafficFinding(snapshot, endpoint, bytes, connections);
      // No datapoints means no client traffic arrived: a symptom (DNS, routes, an idle client), not a refusal.
      return { status: "warn", summary: finding.summary, findings: [finding], advisory: true };
    }

    const findings: Finding[] = [];
    if (dropped.sum > 0) findings.push(droppedFinding(snapshot, endpoint, dropped));
    if (resets.sum > 0) findings.push(resetFinding(snapshot, endpoint, resets));
    if (findings.length > 0) {
      return {
        status: "warn",
        summary: findings.map((f) => f.summary).join("; "),
        findings,
      };
    }
    return {
      status: "pass",
      summary: `${endpoint.id} processed ${formatBytes(bytes.sum)} over ${formatCount(connections.sum)} new connection${connections.sum === 1 ? "" : "s"} in the last ${window}, with no packets dropped and no resets received`,
      findings: [],
    };
  },
};

function totals(series: MetricSeries[], name: string): Totals {
  const found = series.find((s) => s.name.toLowerCase() === name.toLowerCase());
  const points = [...(found?.datapoints ?? [])].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  let sum = 0;
  let peak = 0;
  let lastNonZero: string | undefined;
  for (const p of points) {
    sum += p.value;
    peak = Math.max(peak, p.value);
    if (p.value > 0) lastNonZero = p.timestamp;
  }
  return { points: points.length, sum, peak, ...(lastNonZero ? { lastNonZero } : {}) };
}

function observed(name: string, t: Totals, format: (n: number) => string): string {
  return t.points === 0
    ? `${name}: no datapoints (no data: CloudWatch publishes only when there is traffic)`
    : `${name}: ${t.points} datapoint(s), total ${format(t.sum)}`;
}

function noTrafficFinding(
  snapshot: Snapshot,
  endpoint: Endpoint,
  bytes: Totals,
  connections: Totals,
): Finding {
  const window = `${snapshot.window.hours} h`;
  const addresses = (snapshot.networkInterfaces ?? [])
    .filter((eni) => endpoint.networkInterfaceIds.includes(eni.id))
    .flatMap((eni) => [...eni.privateIpAddresses, ...eni.ipv6Addresses]);
  const names = endpoint.dnsEntries.map((d) => d.dnsName);
  const privateName = snapshot.service?.privateDnsName;
  const evidence = [
    "metrics are published only when traffic flows: no datapoints is not proof that traffic is refused",
    observed("BytesProcessed", bytes, formatBytes),
    observed("NewConnections", connections, formatCount),
    `window: ${snapshot.window.start} to ${snapshot.window.end}; expected: traffic from the clients that use ${endpoint.id}`,
    `private DNS: ${endpoint.privateDnsEnabled ? "enabled" : "disabled"}${privateName ? ` (${privateName})` : ""}`,
  ];
  if (addresses.length > 0) evidence.push(`endpoint addresses: ${addresses.join(", ")}`);
  if (names.length > 0) evidence.push(`endpoint DNS names: ${names.join(", ")}`);
  const resolve = privateName ?? names[0];
  return {
    severity: "medium",
    summary: `no traffic reached ${endpoint.id} in the last ${window}: clients are idle or not reaching it`,
    evidence,
    remediation: {
      text: `Check DNS and routing (runbook Diagnosis step 7): from a failing client, ${resolve ? `dig +short ${resolve} must return ${addresses.length > 0 ? addresses.join(", ") : "the endpoint's private IPs"}` : "the service name must resolve to the endpoint's private IPs"}; if it returns public addresses, private DNS is off or the client does not use the VPC resolver (custom DNS servers, on-premises without a Resolver inbound endpoint); then check the client subnet's route table and, for cross-VPC clients, the peering or transit gateway routes to the endpoint subnets. If the window is short, extend it to 24 h: quiet clients produce no data either.`,
      command: `aws ec2 describe-vpc-endpoints --region ${snapshot.region} --vpc-endpoint-ids ${endpoint.id} --query 'VpcEndpoints[0].[PrivateDnsEnabled,DnsEntries]'`,
      docs: DOCS,
    },
    resourceIds: [endpoint.id],
  };
}

function droppedFinding(snapshot: Snapshot, endpoint: Endpoint, dropped: Totals): Finding {
  const window = `${snapshot.window.hours} h`;
  return {
    severity: "medium",
    summary: `${endpoint.id} dropped ${formatCount(dropped.sum)} packet${dropped.sum === 1 ? "" : "s"} in the last ${window}, last at ${dropped.lastNonZero}`,
    evidence: [
      `PacketsDropped: total ${formatCount(dropped.sum)}, peak ${formatCount(dropped.peak)} in one datapoint, last at ${dropped.lastNonZero}; expected: 0`,
    ],
    remediation: {
      text: "The endpoint drops packets larger than 8,500 bytes (MTU 8500, no path-MTU discovery) and drops when the endpoint or the service behind it is unhealthy or over 10 Gbps per AZ (bursting to 100 Gbps): check client MTU and jumbo frames, traffic peaks at that minute, and the provider's health.",
      command: metricCommand(snapshot, endpoint, "PacketsDropped"),
      docs: DOCS,
    },
    resourceIds: [endpoint.id],
  };
}

function resetFinding(snapshot: Snapshot, endpoint: Endpoint, resets: Totals): Finding {
  const window = `${snapshot.window.hours} h`;
  const lbs = snapshot.serviceConfiguration?.loadBalancerArns ?? [];
  return {
    severity: "medium",
    summary: `${endpoint.id} received ${formatCount(resets.sum)} TCP reset${resets.sum === 1 ? "" : "s"} from the service in the last ${window}, last at ${resets.lastNonZero}`,
    evidence: [
      `RstPacketsReceived: total ${formatCount(resets.sum)}, peak ${formatCount(resets.peak)} in one datapoint, last at ${resets.lastNonZero}; expected: 0`,
      `service: ${endpoint.serviceName}`,
      ...lbs.map((arn) => `load balancer behind the service: ${arn}`),
    ],
    remediation: {
      text: "Resets come from the service side: for a custom (NLB) endpoint service, check that the NLB has a listener on the port clients use and healthy targets in every endpoint AZ (or cross-zone load balancing on); for an AWS service, check the AWS Health events for the service.",
      command: lbs[0]
        ? `aws elbv2 describe-listeners --region ${snapshot.region} --load-balancer-arn ${lbs[0]}`
        : metricCommand(snapshot, endpoint, "RstPacketsReceived"),
      docs: DOCS,
    },
    resourceIds: [endpoint.id],
  };
}

/** Per-minute sums of one endpoint metric over the window, with the dimension set AWS publishes. */
function metricCommand(snapshot: Snapshot, endpoint: Endpoint, metric: string): string {
  const dimensions = [
    `'Name=Endpoint Type,Value=${endpoint.type}'`,
    `'Name=Service Name,Value=${endpoint.serviceName}'`,
    `'Name=VPC Endpoint Id,Value=${endpoint.id}'`,
    `'Name=VPC Id,Value=${endpoint.vpcId}'`,
  ].join(" ");
  return `aws cloudwatch get-metric-statistics --region ${snapshot.region} --namespace AWS/PrivateLinkEndpoints --metric-name ${metric} --dimensions ${dimensions} --start-time ${snapshot.window.start} --end-time ${snapshot.window.end} --period 60 --statistics Sum`;
}

// Bytes with a binary unit, e.g. "2.98 MiB".
function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(2)} ${units[unit]}`;
}

function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}
