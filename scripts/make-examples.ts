import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { flowLogFields, parseFlowLogLine } from "../src/aws/collectors/flow-log-format.js";
import {
  type FlowRecord,
  type SecurityGroup,
  type Snapshot,
  type Subnet,
  snapshotSchema,
  type TrailEvent,
} from "../src/diagnosis/snapshot.js";
import {
  aRecord,
  gatewaySnapshot,
  healthyGatewaySnapshot,
  healthyInterfaceSnapshot,
  hubAndSpoke,
  IDS,
  interfaceSnapshot,
  resolverRule,
} from "../test/support/snapshot-factory.js";

// Builds examples/*.json: a healthy snapshot of each endpoint type, and one per failure mode of the runbooks.
// Each starts from the test factory's healthy snapshot and changes one thing, plus the evidence a real account
// would show with it (the CloudTrail event of the change, flow-log REJECTs, metrics that stop). Run it with
// `npx tsx scripts/make-examples.ts`; test/examples.test.ts checks that the files are what it writes.

/** Where the examples live, from the repository root. */
export const EXAMPLES_DIR = fileURLToPath(new URL("../examples/", import.meta.url));

// --- Ids and people the examples add to the factory's -------------------------------------------------------

const INSTANCE = "i-0f1e2d3c4b5a69780";
const CLIENT_IP = "10.0.3.25";
const RTB_APP = "rtb-0123456789abcdef3";
const PROVIDER_ACCOUNT = "444455556666";
const CUSTOM_SERVICE_ID = "vpce-svc-0f9e8d7c6b5a43210";
const CUSTOM_SERVICE = `com.amazonaws.vpce.us-east-1.${CUSTOM_SERVICE_ID}`;

interface Person {
  username: string;
  principalArn: string;
  sourceIp: string;
}

function person(username: string, role: string, sourceIp: string): Person {
  return {
    username,
    principalArn: `arn:aws:sts::${IDS.account}:assumed-role/${role}/${username}`,
    sourceIp,
  };
}

const JANE = person("jane.doe", "AWSReservedSSO_NetworkAdmin_5c3f1e2d4b6a7980", "198.51.100.24");
const ALICE = person("alice.martin", "AWSReservedSSO_PlatformEngineer_8e1d2c3b4a596870", "198.51.100.61");
const BOB = person("bob.nguyen", "AWSReservedSSO_NetworkAdmin_5c3f1e2d4b6a7980", "203.0.113.17");

/** subnet-0ccc... in a third Availability Zone: the factory's NACL already lists it, no subnet record does. */
const SUBNET_C: Subnet = {
  id: IDS.subnetC,
  vpcId: IDS.vpc,
  availabilityZone: "us-east-1c",
  availabilityZoneId: "use1-az4",
  cidrIpv4: "10.0.3.0/24",
  cidrsIpv6: [],
};

/** The security group of the client instance i-0f1e... (an application server). */
const SG_CLIENT: SecurityGroup = {
  id: IDS.sgClient,
  name: "orders-api",
  vpcId: IDS.vpc,
  ingress: [
    {
      ruleId: "sgr-0c0c0c0c0c0c0c0c1",
      protocol: "tcp",
      fromPort: 8080,
      toPort: 8080,
      cidrIpv4: "10.0.0.0/16",
    },
  ],
  egress: [{ ruleId: "sgr-0c0c0c0c0c0c0c0c2", protocol: "-1", cidrIpv4: "0.0.0.0/0" }],
};

// --- Evidence helpers ----------------------------------------------------------------------------------------

/** An ISO time on the day of the factory's snapshots (collected at 12:00 UTC, window 11:00-12:00). */
function at(time: string): string {
  return `2026-11-23T${time}.000Z`;
}

/** A CloudTrail write event (a change) as the collector normalises it. */
function change(
  who: Person,
  eventName: string,
  time: string,
  resourceIds: string[],
  eventId: string,
): TrailEvent {
  return {
    eventId,
    eventName,
    eventSource: "ec2.amazonaws.com",
    eventTime: at(time),
    username: who.username,
    principalArn: who.principalArn,
    sourceIp: who.sourceIp,
    resourceIds,
    readOnly: false,
  };
}

function setChanges(s: Snapshot, changes: TrailEvent[]): void {
  const trail = s.cloudTrail!;
  trail.changes = changes;
  trail.scannedEvents += changes.length;
}

/** Field names of the factory's flow log (the default version 2 format). */
const FLOW_FIELDS = flowLogFields(healthyInterfaceSnapshot().flowLogs![0]!.logFormat);

/** One REJECT record of the endpoint's flow log, parsed the way the collector parses it. */
function reject(
  eni: string,
  src: string,
  dst: string,
  srcPort: number,
  dstPort: number,
  time: string,
  packets = 3,
): FlowRecord {
  const start = Date.parse(at(time)) / 1000;
  const raw = `2 ${IDS.account} ${eni} ${src} ${dst} ${srcPort} ${dstPort} 6 ${packets} ${packets * 60} ${start} ${start + 60} REJECT OK`;
  return parseFlowLogLine(raw, FLOW_FIELDS)!.record;
}

function setRejects(s: Snapshot, rejects: FlowRecord[]): void {
  const records = s.flowRecords![0]!;
  records.rejects = rejects;
  records.scannedEvents = rejects.length;
}

/** CloudWatch publishes endpoint metrics only while there is traffic: no datapoint from `time` on. */
function trafficStopsAt(s: Snapshot, time: string): void {
  for (const series of s.metrics ?? []) {
    series.datapoints = series.datapoints.filter((point) => point.timestamp < at(time));
  }
}

/** No traffic at all in the window: every series is empty (no data, which is not zero). */
function noTraffic(s: Snapshot): void {
  for (const series of s.metrics ?? []) series.datapoints = [];
}

/** The client named with --from i-0f1e...: an instance in subnet-0ccc... (us-east-1c, use1-az4). */
function clientInSubnetC(s: Snapshot): void {
  s.source = {
    given: { kind: "instance", value: INSTANCE },
    addresses: [CLIENT_IP],
    subnetId: IDS.subnetC,
    vpcId: IDS.vpc,
    securityGroupIds: [IDS.sgClient],
    found: true,
  };
  // The collector reads the source's subnet and groups in the same batched calls as the endpoint's.
  s.subnets = [...(s.subnets ?? []), structuredClone(SUBNET_C)];
  s.securityGroups = [...(s.securityGroups ?? []), structuredClone(SG_CLIENT)];
}

function accessDeniedMessage(action: string): string {
  return `You are not authorized to perform this operation. User: arn:aws:sts::${IDS.account}:assumed-role/vpce-doctor/vpce-doctor-U0456ABCD is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
}

// --- The examples ------------------------------------------------------------------------------------------

/** The interface endpoint for SSM in two AZs, everything collected, nothing wrong. */
function healthyInterface(): Snapshot {
  return healthyInterfaceSnapshot();
}

/** The S3 gateway endpoint on both route tables of the VPC, nothing wrong. */
function healthyGateway(): Snapshot {
  return healthyGatewaySnapshot();
}

/** The id was mistyped (last two digits swapped): DescribeVpcEndpoints finds nothing, a near miss exists. */
function endpointNotFound(): Snapshot {
  return interfaceSnapshot((s) => {
    s.endpointId = "vpce-0a1b2c3d4e5f60781";
    s.endpoint = null;
    s.notFound = { similarIds: [IDS.endpoint], endpointsInRegion: 4 };
    // Without an endpoint the collector reads nothing else but Health and CloudTrail.
    delete s.service;
    delete s.vpc;
    delete s.securityGroups;
    delete s.subnets;
    delete s.networkInterfaces;
    delete s.networkAcls;
    delete s.dhcpOptions;
    delete s.hostedZones;
    delete s.flowLogs;
    delete s.flowRecords;
    delete s.metrics;
    s.stats = { awsCalls: 5, durationMs: 420 };
  });
}

/** Created at 11:12 by alice.martin in a subnet with no free address: the endpoint is failed, with LastError. */
function endpointFailed(): Snapshot {
  return interfaceSnapshot((s) => {
    const endpoint = s.endpoint!;
    endpoint.state = "failed";
    endpoint.lastError = {
      code: "InsufficientFreeAddressesInSubnet",
      message: `There are not enough free addresses in subnet '${IDS.subnetB}' to create the network interface of the VPC endpoint.`,
    };
    endpoint.createdAt = at("11:12:41");
    // A failed endpoint has no network interface, no DNS name and carries no traffic.
    endpoint.networkInterfaceIds = [];
    endpoint.dnsEntries = [];
    s.networkInterfaces = [];
    s.flowRecords = [];
    noTraffic(s);
    setChanges(s, [
      change(
        ALICE,
        "CreateVpcEndpoint",
        "11:12:40",
        [IDS.endpoint, IDS.vpc, IDS.subnetA, IDS.subnetB, IDS.sgEndpoint],
        "6d0b6c1e-2f4a-4b8e-9a53-1c7e0f2d9b31",
      ),
    ]);
  });
}

/** An endpoint to another account's endpoint service, created at 11:05, still waiting for the provider. */
function pendingAcceptance(): Snapshot {
  return interfaceSnapshot((s) => {
    const endpoint = s.endpoint!;
    endpoint.serviceName = CUSTOM_SERVICE;
    endpoint.state = "pendingAcceptance";
    endpoint.privateDnsEnabled = false;
    endpoint.createdAt = at("11:05:13");
    endpoint.tags = { Name: "payments-api" };
    endpoint.dnsEntries = [
      {
        dnsName: `${IDS.endpoint}-7k2m9q4x.${CUSTOM_SERVICE_ID}.us-east-1.vpce.amazonaws.com`,
        hostedZoneId: "Z7HUB22UULQXV",
      },
      {
        dnsName: `${IDS.endpoint}-7k2m9q4x-us-east-1a.${CUSTOM_SERVICE_ID}.us-east-1.vpce.amazonaws.com`,
        hostedZoneId: "Z7HUB22UULQXV",
      },
      {
        dnsName: `${IDS.endpoint}-7k2m9q4x-us-east-1b.${CUSTOM_SERVICE_ID}.us-east-1.vpce.amazonaws.com`,
        hostedZoneId: "Z7HUB22UULQXV",
      },
    ];
    endpoint.securityGroups = [{ id: IDS.sgEndpoint, name: "payments-api-endpoint" }];
    s.securityGroups![0]!.name = "payments-api-endpoint";
    s.service = {
      name: CUSTOM_SERVICE,
      id: CUSTOM_SERVICE_ID,
      types: ["Interface"],
      owner: PROVIDER_ACCOUNT,
      availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
      availabilityZoneIds: ["use1-az1", "use1-az2", "use1-az4"],
      acceptanceRequired: true,
      managesVpcEndpoints: false,
      policySupported: false,
      baseEndpointDnsNames: [`${CUSTOM_SERVICE_ID}.us-east-1.vpce.amazonaws.com`],
      supportedIpAddressTypes: ["ipv4"],
    };
    // Nothing flows before the provider accepts: no metrics, no flow-log stream yet.
    noTraffic(s);
    s.flowRecords![0]!.streams = [];
    setChanges(s, [
      change(
        ALICE,
        "CreateVpcEndpoint",
        "11:05:12",
        [IDS.endpoint, IDS.vpc, IDS.subnetA, IDS.subnetB, IDS.sgEndpoint],
        "0e5f3a7c-91b2-4d6e-8f04-3b2a1c9d7e65",
      ),
    ]);
  });
}

/** AWS Health reports an open VPC operational issue in us-east-1 since 11:24; the endpoint drops packets since. */
function awsHealthEvent(): Snapshot {
  return interfaceSnapshot((s) => {
    s.health = {
      status: "ok",
      events: [
        {
          arn: "arn:aws:health:us-east-1::event/VPC/AWS_VPC_OPERATIONAL_ISSUE/AWS_VPC_OPERATIONAL_ISSUE_3B7E1A9C5D2F",
          service: "VPC",
          eventTypeCode: "AWS_VPC_OPERATIONAL_ISSUE",
          statusCode: "open",
          region: "us-east-1",
          startTime: at("11:24:00"),
          lastUpdatedTime: at("11:51:00"),
        },
      ],
    };
    const dropped = s.metrics!.find((series) => series.name === "PacketsDropped")!;
    dropped.datapoints = dropped.datapoints.map((point, i) => ({
      timestamp: point.timestamp,
      value: i >= 24 ? 40 + ((i * 37) % 90) : 0,
    }));
  });
}

/** SSM is not offered in use1-az2, the Availability Zone of the endpoint's second subnet. */
function serviceNotInAz(): Snapshot {
  return interfaceSnapshot((s) => {
    s.service!.availabilityZones = ["us-east-1a", "us-east-1c", "us-east-1d"];
    s.service!.availabilityZoneIds = ["use1-az1", "use1-az4", "use1-az6"];
  });
}

/** At 11:32 jane.doe edited the endpoint group's 443 rule to 10.1.0.0/16 (a typo for 10.0.0.0/16). */
function securityGroupBlocks443(): Snapshot {
  return interfaceSnapshot((s) => {
    const rule = s.securityGroups![0]!.ingress[0]!;
    rule.cidrIpv4 = "10.1.0.0/16";
    rule.description = "HTTPS from the VPC";
    // What follows: SYNs to both ENIs rejected, no traffic through the endpoint since the change.
    setRejects(s, [
      reject(IDS.eniA, "10.0.1.37", "10.0.1.10", 41822, 443, "11:33:05"),
      reject(IDS.eniB, "10.0.2.88", "10.0.2.10", 53104, 443, "11:36:40"),
      reject(IDS.eniA, CLIENT_IP, "10.0.1.10", 38266, 443, "11:41:12"),
      reject(IDS.eniB, "10.0.1.37", "10.0.2.10", 44970, 443, "11:47:58"),
      reject(IDS.eniA, "10.0.2.88", "10.0.1.10", 60412, 443, "11:52:31"),
      reject(IDS.eniB, CLIENT_IP, "10.0.2.10", 35588, 443, "11:58:03"),
    ]);
    trafficStopsAt(s, "11:32:00");
    setChanges(s, [
      change(
        JANE,
        "ModifySecurityGroupRules",
        "11:32:07",
        [IDS.sgEndpoint],
        "9b2f4c71-5e3a-4d08-b6c2-7a1e9f0d3c48",
      ),
    ]);
  });
}

/** At 11:20 bob.nguyen narrowed the NACL's outbound rule 100 to tcp/443: the replies (ephemeral ports) die. */
function naclDeniesEphemeralReplies(): Snapshot {
  return interfaceSnapshot((s) => {
    const nacl = s.networkAcls![0]!;
    nacl.entries = nacl.entries.map((entry) =>
      entry.egress && entry.ruleNumber === 100
        ? { ...entry, protocol: "6", fromPort: 443, toPort: 443 }
        : entry,
    );
    // The replies leave the endpoint ENIs from port 443 towards the clients' ephemeral ports and are rejected.
    setRejects(s, [
      reject(IDS.eniA, "10.0.1.10", CLIENT_IP, 443, 49822, "11:21:14", 2),
      reject(IDS.eniB, "10.0.2.10", "10.0.1.37", 443, 51310, "11:26:50", 2),
      reject(IDS.eniA, "10.0.1.10", "10.0.2.88", 443, 60877, "11:34:02", 2),
      reject(IDS.eniB, "10.0.2.10", CLIENT_IP, 443, 39144, "11:45:37", 2),
      reject(IDS.eniA, "10.0.1.10", CLIENT_IP, 443, 57203, "11:55:19", 2),
    ]);
    trafficStopsAt(s, "11:20:00");
    setChanges(s, [
      change(
        BOB,
        "ReplaceNetworkAclEntry",
        "11:20:44",
        [IDS.naclMain],
        "c4a81e0f-7d3b-42a9-95e6-2f8b0c6d1a73",
      ),
    ]);
  });
}

/** Security groups and NACLs admit the VPC, yet REJECTs arrive: a client in a peered VPC (10.1.0.0/16). */
function flowLogsShowRejects(): Snapshot {
  return interfaceSnapshot((s) => {
    const peered = "10.1.4.23";
    setRejects(s, [
      reject(IDS.eniA, peered, "10.0.1.10", 50114, 443, "11:03:27"),
      reject(IDS.eniB, peered, "10.0.2.10", 50116, 443, "11:03:28"),
      reject(IDS.eniA, peered, "10.0.1.10", 50388, 443, "11:11:52"),
      reject(IDS.eniB, peered, "10.0.2.10", 51002, 443, "11:19:40"),
      reject(IDS.eniA, peered, "10.0.1.10", 51478, 443, "11:28:06"),
      reject(IDS.eniA, peered, "10.0.1.10", 52230, 443, "11:37:33"),
      reject(IDS.eniB, peered, "10.0.2.10", 52931, 443, "11:46:15"),
      reject(IDS.eniA, peered, "10.0.1.10", 53617, 443, "11:54:48"),
    ]);
  });
}

/** At 11:41 alice.martin added an explicit Deny on /prod parameters; CloudTrail shows the denied requests. */
function endpointPolicyDenies(): Snapshot {
  return interfaceSnapshot((s) => {
    s.endpoint!.policyDocument = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "AllowAll", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" },
        {
          Sid: "DenyProdParameters",
          Effect: "Deny",
          Principal: "*",
          Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
          Resource: `arn:aws:ssm:us-east-1:${IDS.account}:parameter/prod/*`,
        },
      ],
    });
    setChanges(s, [
      change(ALICE, "ModifyVpcEndpoint", "11:41:09", [IDS.endpoint], "2a7d9e40-c1f3-4b65-8e2d-5f0a6b9c3e17"),
    ]);
    const caller = `arn:aws:sts::${IDS.account}:assumed-role/orders-api-prod/${INSTANCE}`;
    const denied = (eventName: string, action: string, parameter: string, time: string, eventId: string) => ({
      eventId,
      eventName,
      eventSource: "ssm.amazonaws.com",
      eventTime: at(time),
      username: INSTANCE,
      principalArn: caller,
      sourceIp: CLIENT_IP,
      errorCode: "AccessDeniedException",
      errorMessage: `User: ${caller} is not authorized to perform: ${action} on resource: arn:aws:ssm:us-east-1:${IDS.account}:parameter${parameter} with an explicit deny in a VPC endpoint policy`,
      vpcEndpointId: IDS.endpoint,
      resourceIds: [],
      readOnly: true,
    });
    s.cloudTrail!.accessDenied = [
      denied(
        "GetParameter",
        "ssm:GetParameter",
        "/prod/orders/db-url",
        "11:58:21",
        "f1c3b5d7-2e4a-4c6b-8d0f-1a3c5e7b9d02",
      ),
      denied(
        "GetParametersByPath",
        "ssm:GetParametersByPath",
        "/prod/orders",
        "11:50:02",
        "e8a6c4b2-0f1d-4e3c-9b5a-7d9f1b3d5f24",
      ),
      denied(
        "GetParameter",
        "ssm:GetParameter",
        "/prod/orders/db-url",
        "11:42:30",
        "d7b5a3c1-9e0f-4d2b-8a4c-6e8a0c2e4a46",
      ),
    ];
    s.cloudTrail!.scannedEvents += 3;
  });
}

const POLICY_LIMIT = 20_480;

/** The S3 gateway endpoint's policy lists 240 data-lake buckets one ARN at a time: 24,835 characters. */
function endpointPolicyTooLarge(): Snapshot {
  return gatewaySnapshot((s) => {
    const teams = ["finance", "marketing", "logistics", "risk", "payments", "search"];
    const buckets = Array.from(
      { length: 240 },
      (_, i) => `acme-datalake-${teams[i % teams.length]}-${String(i + 1).padStart(3, "0")}`,
    );
    const policy = {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowDataLakeBuckets",
          Effect: "Allow",
          Principal: "*",
          Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
          Resource: buckets.flatMap((bucket) => [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]),
        },
      ],
    };
    const document = JSON.stringify(policy, null, 2);
    if ([...document].length <= POLICY_LIMIT) throw new Error("the oversized policy is not over the limit");
    s.endpoint!.policyDocument = document;
  });
}

/** The endpoint was created without private DNS: ssm.us-east-1.amazonaws.com resolves publicly, no traffic. */
function privateDnsDisabled(): Snapshot {
  return interfaceSnapshot((s) => {
    const endpoint = s.endpoint!;
    endpoint.privateDnsEnabled = false;
    endpoint.dnsEntries = endpoint.dnsEntries.filter((entry) =>
      entry.dnsName.includes(".vpce.amazonaws.com"),
    );
    // A private VPC: its one route table keeps traffic local, so the public addresses are out of reach.
    s.routeTables = [
      {
        id: IDS.rtbMain,
        vpcId: IDS.vpc,
        main: true,
        subnetIds: [],
        routes: [{ destinationCidr: "10.0.0.0/16", gatewayId: "local", state: "active" }],
      },
    ];
    noTraffic(s);
    s.flowRecords![0]!.streams = [];
  });
}

/** At 11:08 bob.nguyen turned enableDnsHostnames off on the VPC: the private DNS name stops resolving. */
function vpcDnsHostnamesOff(): Snapshot {
  return interfaceSnapshot((s) => {
    s.vpc!.enableDnsHostnames = false;
    trafficStopsAt(s, "11:08:00");
    setChanges(s, [
      change(BOB, "ModifyVpcAttribute", "11:08:31", [IDS.vpc], "5b8e2d6f-a0c4-4f17-b3e9-8c1d4a7f2e90"),
    ]);
  });
}

/** The client (--from i-0f1e...) runs in use1-az4, where the endpoint has no ENI: the regional name still works. */
function healthyCrossAzClient(): Snapshot {
  return interfaceSnapshot(clientInSubnetC);
}

/** At 11:06 bob.nguyen gave the private client subnet a new route table without the S3 prefix-list route. */
function gatewayRouteMissing(): Snapshot {
  return gatewaySnapshot((s) => {
    clientInSubnetC(s);
    s.routeTables!.push({
      id: RTB_APP,
      vpcId: IDS.vpc,
      main: false,
      subnetIds: [IDS.subnetC],
      routes: [{ destinationCidr: "10.0.0.0/16", gatewayId: "local", state: "active" }],
    });
    setChanges(s, [
      change(
        BOB,
        "AssociateRouteTable",
        "11:06:18",
        [RTB_APP, IDS.subnetC],
        "8f3a1d5c-6b2e-4a90-9c7d-0e4f2b8a6d13",
      ),
      change(BOB, "CreateRouteTable", "11:05:52", [RTB_APP, IDS.vpc], "7e2f0c4b-5a1d-4987-8b6c-9d3e1a7f5c02"),
    ]);
  });
}

/** Everything is in order but no datapoint in the hour: no client reaches the endpoint. */
function noTrafficExample(): Snapshot {
  return interfaceSnapshot(noTraffic);
}

/** Hub and spoke: private DNS off, and the VPC's private hosted zone for the service aliases the endpoint. */
function healthyHubAndSpoke(): Snapshot {
  return interfaceSnapshot((s) => hubAndSpoke(s));
}

/** At 10:52 carol.ito repointed the hub zone's record at the addresses of a deleted endpoint. */
function hubZoneStaleRecord(): Snapshot {
  return interfaceSnapshot((s) => {
    hubAndSpoke(s, [aRecord(`${s.service!.privateDnsName}.`, ["10.0.1.77", "10.0.2.77"])]);
    trafficStopsAt(s, "10:53:00");
  });
}

/** A Route 53 Resolver rule forwards the service's own name to the data centre's DNS servers. */
function resolverForwardsServiceName(): Snapshot {
  return interfaceSnapshot((s) => {
    s.resolverRules = [resolverRule(s.service!.privateDnsName!)];
    noTraffic(s);
  });
}

/** AWS's data-perimeter guardrail: Allow *, Deny callers outside the organisation. */
function healthyDataPerimeterPolicy(): Snapshot {
  return interfaceSnapshot((s) => {
    s.endpoint!.policyDocument = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "AllowAll", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" },
        {
          Sid: "DenyOutsideOrg",
          Effect: "Deny",
          Principal: "*",
          Action: "*",
          Resource: "*",
          Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
        },
      ],
    });
  });
}

/** At 11:15 alice.martin limited the endpoint to "our addresses" with aws:SourceIp, absent through an endpoint. */
function policyDeniesSourceIp(): Snapshot {
  return interfaceSnapshot((s) => {
    s.endpoint!.policyDocument = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "AllowAll", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" },
        {
          Sid: "OnlyFromCorp",
          Effect: "Deny",
          Principal: "*",
          Action: "*",
          Resource: "*",
          Condition: { NotIpAddress: { "aws:SourceIp": ["10.0.0.0/16", "192.168.0.0/16"] } },
        },
      ],
    });
    trafficStopsAt(s, "11:16:00");
  });
}

/** A scanner probes the endpoint's addresses on 22 and 3389: REJECTs that are not the service's traffic. */
function healthyScannerRejects(): Snapshot {
  return interfaceSnapshot((s) => {
    const scanner = "10.0.3.200";
    setRejects(s, [
      reject(IDS.eniA, scanner, "10.0.1.10", 41022, 22, "11:12:04", 1),
      reject(IDS.eniB, scanner, "10.0.2.10", 41023, 22, "11:12:05", 1),
      reject(IDS.eniA, scanner, "10.0.1.10", 41090, 3389, "11:12:09", 1),
      reject(IDS.eniB, scanner, "10.0.2.10", 41091, 3389, "11:12:10", 1),
    ]);
  });
}

/** The vpce-doctor role may not read NACLs nor flow logs: those checks stay unknown, never pass. */
function permissionsMissing(): Snapshot {
  return interfaceSnapshot((s) => {
    delete s.networkAcls;
    delete s.flowLogs;
    // Without the flow-log configuration no log group is known, so no record is read either.
    delete s.flowRecords;
    for (const [source, iamAction] of [
      ["networkAcls", "ec2:DescribeNetworkAcls"],
      ["flowLogs", "ec2:DescribeFlowLogs"],
    ] as const) {
      s.gaps.push({ source, iamAction, error: "AccessDenied", message: accessDeniedMessage(iamAction) });
    }
  });
}

/** Every example by file name (without .json), in the order of the runbooks. */
export const EXAMPLES: Readonly<Record<string, () => Snapshot>> = {
  "healthy-interface": healthyInterface,
  "healthy-gateway": healthyGateway,
  "endpoint-not-found": endpointNotFound,
  "endpoint-failed": endpointFailed,
  "pending-acceptance": pendingAcceptance,
  "aws-health-event": awsHealthEvent,
  "service-not-in-az": serviceNotInAz,
  "security-group-blocks-443": securityGroupBlocks443,
  "nacl-denies-ephemeral-replies": naclDeniesEphemeralReplies,
  "flow-logs-show-rejects": flowLogsShowRejects,
  "endpoint-policy-denies": endpointPolicyDenies,
  "endpoint-policy-too-large": endpointPolicyTooLarge,
  "private-dns-disabled": privateDnsDisabled,
  "vpc-dns-hostnames-off": vpcDnsHostnamesOff,
  "gateway-route-missing": gatewayRouteMissing,
  "no-traffic": noTrafficExample,
  "healthy-cross-az-client": healthyCrossAzClient,
  "healthy-hub-and-spoke": healthyHubAndSpoke,
  "hub-zone-stale-record": hubZoneStaleRecord,
  "resolver-forwards-service-name": resolverForwardsServiceName,
  "healthy-data-perimeter-policy": healthyDataPerimeterPolicy,
  "policy-denies-source-ip": policyDeniesSourceIp,
  "healthy-scanner-rejects": healthyScannerRejects,
  "permissions-missing": permissionsMissing,
};

/** Builds one example and validates it against the snapshot schema. */
export function buildExample(name: string): Snapshot {
  const build = EXAMPLES[name];
  if (!build) throw new Error(`no example named ${name}`);
  return snapshotSchema.parse(build());
}

/** The exact text of an example file: pretty JSON, 2-space indent, trailing newline. */
export function renderExample(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

function main(): void {
  mkdirSync(EXAMPLES_DIR, { recursive: true });
  for (const name of Object.keys(EXAMPLES)) {
    const file = join(EXAMPLES_DIR, `${name}.json`);
    writeFileSync(file, renderExample(buildExample(name)));
    console.log(`wrote examples/${name}.json`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
