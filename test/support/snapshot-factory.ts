import { type Snapshot, snapshotSchema } from "../../src/diagnosis/snapshot.js";

// Snapshots for tests: start from a healthy endpoint, change one thing.

export const IDS = {
  account: "111122223333",
  endpoint: "vpce-0a1b2c3d4e5f60718",
  gatewayEndpoint: "vpce-0f1e2d3c4b5a69788",
  vpc: "vpc-0123456789abcdef0",
  subnetA: "subnet-0aaaaaaaaaaaaaaa1",
  subnetB: "subnet-0bbbbbbbbbbbbbbb2",
  subnetC: "subnet-0ccccccccccccccc3",
  sgEndpoint: "sg-0e0e0e0e0e0e0e0e1",
  sgClient: "sg-0c0c0c0c0c0c0c0c2",
  eniA: "eni-0aaaaaaaaaaaaaaa1",
  eniB: "eni-0bbbbbbbbbbbbbbb2",
  naclMain: "acl-0123456789abcdef1",
  rtbMain: "rtb-0123456789abcdef1",
  rtbPrivate: "rtb-0123456789abcdef2",
  dhcp: "dopt-0123456789abcdef0",
  s3PrefixList: "pl-63a5400a",
} as const;

const COLLECTED_AT = "2026-11-23T12:00:00.000Z";

function minutes(count: number, value: number): { timestamp: string; value: number }[] {
  return Array.from({ length: count }, (_, i) => ({
    timestamp: new Date(Date.parse(COLLECTED_AT) - (count - i) * 60_000).toISOString(),
    value,
  }));
}

/** A healthy interface endpoint for SSM in two AZs, every input collected, no gaps. */
export function healthyInterfaceSnapshot(): Snapshot {
  return snapshotSchema.parse({
    schemaVersion: 1,
    collectedAt: COLLECTED_AT,
    endpointId: IDS.endpoint,
    region: "us-east-1",
    accountId: IDS.account,
    accountAlias: "prod",
    window: { start: "2026-11-23T11:00:00.000Z", end: COLLECTED_AT, hours: 1 },
    endpoint: {
      id: IDS.endpoint,
      type: "Interface",
      vpcId: IDS.vpc,
      serviceName: "com.amazonaws.us-east-1.ssm",
      state: "available",
      subnetIds: [IDS.subnetA, IDS.subnetB],
      routeTableIds: [],
      securityGroups: [{ id: IDS.sgEndpoint, name: "ssm-endpoint" }],
      networkInterfaceIds: [IDS.eniA, IDS.eniB],
      privateDnsEnabled: true,
      policyDocument: JSON.stringify({
        Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
      }),
      ipAddressType: "ipv4",
      dnsRecordIpType: "ipv4",
      dnsEntries: [
        {
          dnsName: `${IDS.endpoint}-abcdefgh.ssm.us-east-1.vpce.amazonaws.com`,
          hostedZoneId: "Z7HUB22UULQXV",
        },
        { dnsName: "ssm.us-east-1.amazonaws.com", hostedZoneId: "ZONEPRIVATE1" },
      ],
      ownerId: IDS.account,
      requesterManaged: false,
      createdAt: "2026-01-10T09:00:00.000Z",
      tags: { Name: "ssm" },
    },
    service: {
      name: "com.amazonaws.us-east-1.ssm",
      id: "vpce-svc-0ssm0000000000000",
      types: ["Interface"],
      owner: "amazon",
      availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
      availabilityZoneIds: ["use1-az1", "use1-az2", "use1-az4"],
      acceptanceRequired: false,
      managesVpcEndpoints: false,
      policySupported: true,
      privateDnsName: "ssm.us-east-1.amazonaws.com",
      privateDnsNameVerificationState: "verified",
      baseEndpointDnsNames: ["ssm.us-east-1.vpce.amazonaws.com"],
      supportedIpAddressTypes: ["ipv4"],
    },
    vpc: {
      id: IDS.vpc,
      cidrsIpv4: ["10.0.0.0/16"],
      cidrsIpv6: [],
      dhcpOptionsId: IDS.dhcp,
      enableDnsSupport: true,
      enableDnsHostnames: true,
    },
    securityGroups: [
      {
        id: IDS.sgEndpoint,
        name: "ssm-endpoint",
        vpcId: IDS.vpc,
        ingress: [
          {
            ruleId: "sgr-0000000000000001",
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrIpv4: "10.0.0.0/16",
          },
        ],
        egress: [{ ruleId: "sgr-0000000000000002", protocol: "-1", cidrIpv4: "0.0.0.0/0" }],
      },
    ],
    subnets: [
      {
        id: IDS.subnetA,
        vpcId: IDS.vpc,
        availabilityZone: "us-east-1a",
        availabilityZoneId: "use1-az1",
        cidrIpv4: "10.0.1.0/24",
      },
      {
        id: IDS.subnetB,
        vpcId: IDS.vpc,
        availabilityZone: "us-east-1b",
        availabilityZoneId: "use1-az2",
        cidrIpv4: "10.0.2.0/24",
      },
    ],
    networkInterfaces: [
      {
        id: IDS.eniA,
        subnetId: IDS.subnetA,
        availabilityZone: "us-east-1a",
        status: "in-use",
        privateIpAddresses: ["10.0.1.10"],
        securityGroupIds: [IDS.sgEndpoint],
      },
      {
        id: IDS.eniB,
        subnetId: IDS.subnetB,
        availabilityZone: "us-east-1b",
        status: "in-use",
        privateIpAddresses: ["10.0.2.10"],
        securityGroupIds: [IDS.sgEndpoint],
      },
    ],
    networkAcls: [
      {
        id: IDS.naclMain,
        vpcId: IDS.vpc,
        isDefault: true,
        subnetIds: [IDS.subnetA, IDS.subnetB, IDS.subnetC],
        entries: [
          { ruleNumber: 100, egress: false, protocol: "-1", action: "allow", cidrIpv4: "0.0.0.0/0" },
          { ruleNumber: 32767, egress: false, protocol: "-1", action: "deny", cidrIpv4: "0.0.0.0/0" },
          { ruleNumber: 100, egress: true, protocol: "-1", action: "allow", cidrIpv4: "0.0.0.0/0" },
          { ruleNumber: 32767, egress: true, protocol: "-1", action: "deny", cidrIpv4: "0.0.0.0/0" },
        ],
      },
    ],
    dhcpOptions: { id: IDS.dhcp, domainNameServers: ["AmazonProvidedDNS"] },
    hostedZones: [],
    flowLogs: [
      {
        id: "fl-0123456789abcdef0",
        resourceId: IDS.vpc,
        trafficType: "ALL",
        destinationType: "cloud-watch-logs",
        logGroupName: "/vpc/flow-logs",
        logFormat:
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the flow-log format syntax, not a template
          "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}",
        deliverStatus: "SUCCESS",
      },
    ],
    flowRecords: [
      {
        logGroupName: "/vpc/flow-logs",
        streams: [`${IDS.eniA}-all`, `${IDS.eniB}-all`],
        rejects: [],
        scannedEvents: 0,
        truncated: false,
      },
    ],
    metrics: [
      { name: "BytesProcessed", statistic: "Sum", datapoints: minutes(60, 52_000) },
      { name: "NewConnections", statistic: "Sum", datapoints: minutes(60, 12) },
      { name: "ActiveConnections", statistic: "Maximum", datapoints: minutes(60, 4) },
      { name: "PacketsDropped", statistic: "Sum", datapoints: minutes(60, 0) },
      { name: "RstPacketsReceived", statistic: "Sum", datapoints: minutes(60, 0) },
    ],
    cloudTrail: { changes: [], accessDenied: [], scannedEvents: 12, truncated: false },
    health: { status: "ok", events: [] },
    gaps: [],
    stats: { awsCalls: 17, durationMs: 850 },
  });
}

/** A healthy S3 gateway endpoint associated with both route tables of the VPC. */
export function healthyGatewaySnapshot(): Snapshot {
  const s = healthyInterfaceSnapshot();
  s.endpointId = IDS.gatewayEndpoint;
  s.endpoint = {
    ...s.endpoint!,
    id: IDS.gatewayEndpoint,
    type: "Gateway",
    serviceName: "com.amazonaws.us-east-1.s3",
    subnetIds: [],
    securityGroups: [],
    networkInterfaceIds: [],
    privateDnsEnabled: false,
    dnsEntries: [],
    routeTableIds: [IDS.rtbMain, IDS.rtbPrivate],
    ipAddressType: undefined,
    dnsRecordIpType: undefined,
    tags: { Name: "s3" },
  };
  s.service = {
    name: "com.amazonaws.us-east-1.s3",
    id: "vpce-svc-0s3gateway0000000",
    types: ["Gateway"],
    owner: "amazon",
    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    availabilityZoneIds: ["use1-az1", "use1-az2", "use1-az4"],
    acceptanceRequired: false,
    managesVpcEndpoints: false,
    policySupported: true,
    baseEndpointDnsNames: ["s3.us-east-1.amazonaws.com"],
    supportedIpAddressTypes: ["ipv4"],
  };
  s.securityGroups = [];
  s.networkInterfaces = [];
  s.flowRecords = [];
  s.metrics = [];
  s.routeTables = [
    {
      id: IDS.rtbMain,
      vpcId: IDS.vpc,
      main: true,
      subnetIds: [],
      routes: [
        { destinationCidr: "10.0.0.0/16", gatewayId: "local", state: "active" },
        { destinationPrefixListId: IDS.s3PrefixList, gatewayId: IDS.gatewayEndpoint, state: "active" },
      ],
    },
    {
      id: IDS.rtbPrivate,
      vpcId: IDS.vpc,
      main: false,
      subnetIds: [IDS.subnetA, IDS.subnetB],
      routes: [
        { destinationCidr: "10.0.0.0/16", gatewayId: "local", state: "active" },
        { destinationPrefixListId: IDS.s3PrefixList, gatewayId: IDS.gatewayEndpoint, state: "active" },
      ],
    },
  ];
  return snapshotSchema.parse(s);
}

/** The healthy interface snapshot with one change applied by `mutate`. */
export function interfaceSnapshot(mutate: (s: Snapshot) => void = () => {}): Snapshot {
  const s = healthyInterfaceSnapshot();
  mutate(s);
  return snapshotSchema.parse(s);
}

/** The healthy gateway snapshot with one change applied by `mutate`. */
export function gatewaySnapshot(mutate: (s: Snapshot) => void = () => {}): Snapshot {
  const s = healthyGatewaySnapshot();
  mutate(s);
  return snapshotSchema.parse(s);
}

/** Records a failed collector call the way the collectors do. */
export function withGap(s: Snapshot, source: string, iamAction: string, error = "AccessDenied"): void {
  s.gaps.push({ source, iamAction, error, message: `User is not authorized to perform: ${iamAction}` });
}

// --- DNS builders (private hosted zones, zone records, Resolver rules) for the private-dns checks. ---

type HostedZone = NonNullable<Snapshot["hostedZones"]>[number];
type ZoneRecord = NonNullable<HostedZone["records"]>[number];
type ResolverRule = NonNullable<Snapshot["resolverRules"]>[number];

/** The healthy endpoint's regional DNS name and the Route 53 zone id AWS gives it. */
export const ENDPOINT_DNS = {
  regional: `${IDS.endpoint}-abcdefgh.ssm.us-east-1.vpce.amazonaws.com`,
  zonalA: `${IDS.endpoint}-abcdefgh-us-east-1a.ssm.us-east-1.vpce.amazonaws.com`,
  zoneId: "Z7HUB22UULQXV",
} as const;

/** An A record that aliases `target` (by default the healthy endpoint's regional DNS name). */
export function aliasRecord(name: string, target: string = ENDPOINT_DNS.regional): ZoneRecord {
  return { name, type: "A", values: [], alias: { dnsName: `${target}.`, hostedZoneId: ENDPOINT_DNS.zoneId } };
}

/** A plain A record with these values. */
export function aRecord(name: string, values: string[], ttl = 300): ZoneRecord {
  return { name, type: "A", ttl, values };
}

/** A private hosted zone associated with the VPC, with its records read (pass `undefined` for not read). */
export function privateZone(id: string, name: string, records: ZoneRecord[] | undefined = []): HostedZone {
  return records === undefined ? { id, name } : { id, name, records };
}

/**
 * The centralised (hub-and-spoke) pattern AWS documents: private DNS off on the endpoint and a private hosted
 * zone named after the service, associated with the VPC, whose apex aliases the endpoint's regional DNS name.
 */
export function hubAndSpoke(s: Snapshot, records?: ZoneRecord[]): void {
  s.endpoint!.privateDnsEnabled = false;
  s.endpoint!.dnsEntries = s.endpoint!.dnsEntries.filter((entry) => entry.dnsName.includes(".vpce."));
  const name = `${s.service!.privateDnsName}.`;
  s.hostedZones = [privateZone("/hostedzone/Z0HUBSSM000001", name, records ?? [aliasRecord(name)])];
}

/** A Route 53 Resolver rule associated with the VPC: a FORWARD rule to two on-premises resolvers by default. */
export function resolverRule(domainName: string, overrides: Partial<ResolverRule> = {}): ResolverRule {
  const forward = (overrides.ruleType ?? "FORWARD").toUpperCase() === "FORWARD";
  return {
    id: "rslvr-rr-0f0r0w0a0r0d00001",
    name: "to-datacenter",
    domainName,
    ruleType: "FORWARD",
    status: "COMPLETE",
    targetIps: forward
      ? [
          { ip: "192.168.10.53", port: 53 },
          { ip: "192.168.11.53", port: 53 },
        ]
      : [],
    resolverEndpointId: forward ? "rslvr-out-0a1b2c3d4e5f60718" : undefined,
    ownerId: IDS.account,
    associationId: "rslvr-rrassoc-0a1b2c3d4e5f607",
    associationStatus: "COMPLETE",
    ...overrides,
  };
}

// Builders for the port-aware checks (service ports, managed prefix lists).

/** Makes the endpoint one for SES SMTP (com.amazonaws.us-east-1.email-smtp), whose ports are 25, 465, 587, 2465, 2587. */
export function asSmtpEndpoint(s: Snapshot): void {
  s.endpoint!.serviceName = "com.amazonaws.us-east-1.email-smtp";
  if (s.service) s.service.name = "com.amazonaws.us-east-1.email-smtp";
}

/** Adds a collected customer-managed prefix list holding these CIDRs. */
export function withPrefixList(s: Snapshot, id: string, cidrs: string[], name = "corp-ranges"): void {
  s.prefixLists = [
    ...(s.prefixLists ?? []),
    { id, name, addressFamily: "IPv4", entries: cidrs.map((cidr) => ({ cidr, description: name })) },
  ];
}

// Builders for clients outside the endpoint's VPC (client-route, and the checks that judge their address).

/** Ids of the outside world: a peered or TGW-attached client VPC (10.1.0.0/16), a TGW, a VGW. */
export const OUTSIDE = {
  vpc: "vpc-0c1e0c1e0c1e0c1e0",
  subnet: "subnet-0c1e0c1e0c1e0c1e1",
  rtbClient: "rtb-0c1e0c1e0c1e0c1e1",
  pcx: "pcx-0123456789abcdef0",
  tgw: "tgw-0123456789abcdef0",
  tgwRtb: "tgw-rtb-0123456789abcdef0",
  attachEndpoint: "tgw-attach-0e0e0e0e0e0e0e0e0",
  attachClient: "tgw-attach-0c1e0c1e0c1e0c1e0",
  attachVpn: "tgw-attach-0f0f0f0f0f0f0f0f0",
  vgw: "vgw-0123456789abcdef0",
  address: "10.1.1.5",
  onPrem: "192.168.10.5",
} as const;

type RouteTableOf = NonNullable<NonNullable<Snapshot["outsidePath"]>["routeTables"]>[number];

function routeTable(
  id: string,
  vpcId: string,
  subnetIds: string[],
  local: string,
  routes: RouteTableOf["routes"],
  main = false,
): RouteTableOf {
  return {
    id,
    vpcId,
    main,
    subnetIds,
    routes: [{ destinationCidr: local, gatewayId: "local", state: "active" }, ...routes],
  };
}

function outsideSource(s: Snapshot, address: string, inVpc: boolean): void {
  s.source = {
    given: { kind: "cidr", value: `${address}/32`, ipVersion: 4 },
    addresses: [address],
    ...(inVpc ? { subnetId: OUTSIDE.subnet, vpcId: OUTSIDE.vpc } : {}),
    securityGroupIds: [],
    found: inVpc,
  };
  if (inVpc) {
    s.subnets!.push({
      id: OUTSIDE.subnet,
      vpcId: OUTSIDE.vpc,
      availabilityZone: "us-east-1a",
      availabilityZoneId: "use1-az1",
      cidrIpv4: "10.1.1.0/24",
      cidrsIpv6: [],
    });
    s.networkAcls![0]!.subnetIds.push(OUTSIDE.subnet);
  }
  s.securityGroups![0]!.ingress.push({
    protocol: "tcp",
    fromPort: 443,
    toPort: 443,
    cidrIpv4: inVpc ? "10.1.0.0/16" : "192.168.0.0/16",
  });
}

/** A client 10.1.1.5 in a peered VPC: active peering, routes both ways, the endpoint's groups admit 10.1.0.0/16. */
export function peeredClient(s: Snapshot): void {
  outsideSource(s, OUTSIDE.address, true);
  const via = { target: OUTSIDE.pcx, state: "active" };
  s.outsidePath = {
    clientVpcId: OUTSIDE.vpc,
    routeTables: [
      routeTable(OUTSIDE.rtbClient, OUTSIDE.vpc, [OUTSIDE.subnet], "10.1.0.0/16", [
        { destinationCidr: "10.0.0.0/16", ...via },
      ]),
      routeTable(IDS.rtbMain, IDS.vpc, [], "10.0.0.0/16", [{ destinationCidr: "10.1.0.0/16", ...via }], true),
    ],
    peerings: [
      {
        id: OUTSIDE.pcx,
        status: "active",
        requester: { vpcId: OUTSIDE.vpc, region: "us-east-1", ownerId: IDS.account },
        accepter: { vpcId: IDS.vpc, region: "us-east-1", ownerId: IDS.account },
      },
    ],
    transitGatewayAttachments: [],
    transitGatewayRoutes: [],
    clientZones: [],
  };
}

/** A client 10.1.1.5 in a VPC attached to the same transit gateway, with VPC and TGW routes both ways. */
export function transitClient(s: Snapshot): void {
  outsideSource(s, OUTSIDE.address, true);
  const via = { target: OUTSIDE.tgw, state: "active" };
  const attachment = (id: string, vpcId: string) => ({
    id,
    transitGatewayId: OUTSIDE.tgw,
    resourceType: "vpc",
    resourceId: vpcId,
    state: "available",
    routeTableId: OUTSIDE.tgwRtb,
  });
  const tgwRoute = (cidr: string, id: string, vpcId: string) => ({
    destinationCidr: cidr,
    state: "active",
    type: "propagated",
    attachments: [{ id, resourceId: vpcId, resourceType: "vpc" }],
  });
  s.outsidePath = {
    clientVpcId: OUTSIDE.vpc,
    routeTables: [
      routeTable(OUTSIDE.rtbClient, OUTSIDE.vpc, [OUTSIDE.subnet], "10.1.0.0/16", [
        { destinationCidr: "0.0.0.0/0", ...via },
      ]),
      routeTable(IDS.rtbMain, IDS.vpc, [], "10.0.0.0/16", [{ destinationCidr: "10.1.0.0/16", ...via }], true),
    ],
    peerings: [],
    transitGatewayAttachments: [
      attachment(OUTSIDE.attachEndpoint, IDS.vpc),
      attachment(OUTSIDE.attachClient, OUTSIDE.vpc),
    ],
    transitGatewayRoutes: [
      {
        routeTableId: OUTSIDE.tgwRtb,
        searched: ["10.0.1.10/32", "10.0.2.10/32", "10.1.1.5/32"],
        routes: [
          tgwRoute("10.0.0.0/16", OUTSIDE.attachEndpoint, IDS.vpc),
          tgwRoute("10.1.0.0/16", OUTSIDE.attachClient, OUTSIDE.vpc),
        ],
      },
    ],
    clientZones: [],
  };
}

/** An on-premises client 192.168.10.5 (no ENI holds it): the endpoint's table routes 192.168.0.0/16 to an attached VGW. */
export function onPremClient(s: Snapshot): void {
  outsideSource(s, OUTSIDE.onPrem, false);
  s.outsidePath = {
    routeTables: [
      routeTable(
        IDS.rtbMain,
        IDS.vpc,
        [],
        "10.0.0.0/16",
        [
          {
            destinationCidr: "192.168.0.0/16",
            gatewayId: OUTSIDE.vgw,
            state: "active",
            origin: "EnableVgwRoutePropagation",
          },
        ],
        true,
      ),
    ],
    transitGatewayAttachments: [],
    transitGatewayRoutes: [],
    vpnGateways: [{ id: OUTSIDE.vgw, state: "available" }],
    inboundResolvers: [],
  };
  s.outsidePath.routeTables![0]!.propagatingGateways = [OUTSIDE.vgw];
}

// --- Provider-side builders (service-provider): a same-account custom NLB service on 5432. ---

/** Ids of the custom endpoint service, its NLB, target group, targets and the NLB's security group. */
export const PROVIDER = {
  serviceId: "vpce-svc-0123456789abcdef0",
  serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
  nlb: "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/db-nlb/50dc6c495c0c9188",
  listener:
    "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/net/db-nlb/50dc6c495c0c9188/f2f7dc8efc522ab2",
  targetGroup: "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/db-tg/73e2d6bc24d8a067",
  targetA: "i-0a0a0a0a0a0a0a0a1",
  targetB: "i-0b0b0b0b0b0b0b0b2",
  nlbGroup: "sg-0n1b0n1b0n1b0n1b0",
} as const;

type LoadBalancer = NonNullable<Snapshot["loadBalancers"]>[number];
type TargetGroup = NonNullable<LoadBalancer["targetGroups"]>[number];

/** The provider's NLB: a TCP listener on 5432 forwarding to db-tg, one healthy target in each endpoint AZ, cross-zone off. */
export function providerNlb(): LoadBalancer {
  return {
    arn: PROVIDER.nlb,
    name: "db-nlb",
    type: "network",
    state: "active",
    vpcId: "vpc-0p0p0p0p0p0p0p0p0",
    availabilityZones: [
      { name: "us-east-1a", id: "use1-az1", subnetId: "subnet-0p0p0p0p0p0p0p0a1" },
      { name: "us-east-1b", id: "use1-az2", subnetId: "subnet-0p0p0p0p0p0p0p0b2" },
    ],
    crossZone: false,
    securityGroupIds: [],
    listeners: [
      { arn: PROVIDER.listener, port: 5432, protocol: "TCP", targetGroupArns: [PROVIDER.targetGroup] },
    ],
    targetGroups: [providerTargetGroup()],
  };
}

/** db-tg: TCP 5432, TCP health check, cross-zone deferring to the NLB, healthy targets in use1-az1 and use1-az2. */
export function providerTargetGroup(): TargetGroup {
  return {
    arn: PROVIDER.targetGroup,
    name: "db-tg",
    protocol: "TCP",
    port: 5432,
    targetType: "instance",
    healthCheck: { protocol: "TCP", port: "traffic-port", enabled: true },
    crossZone: "use_load_balancer_configuration",
    targets: [
      {
        id: PROVIDER.targetA,
        port: 5432,
        availabilityZone: "us-east-1a",
        availabilityZoneId: "use1-az1",
        state: "healthy",
      },
      {
        id: PROVIDER.targetB,
        port: 5432,
        availabilityZone: "us-east-1b",
        availabilityZoneId: "use1-az2",
        state: "healthy",
      },
    ],
  };
}

/**
 * Makes the healthy endpoint one to a custom service this same account provides, read on the provider side:
 * configuration, an available connection and the NLB above. The endpoint's group admits 5432 from the VPC.
 */
export function asProvidedService(s: Snapshot, lb: LoadBalancer = providerNlb()): void {
  s.endpoint!.serviceName = PROVIDER.serviceName;
  s.endpoint!.privateDnsEnabled = false;
  s.endpoint!.dnsEntries = s.endpoint!.dnsEntries.filter((entry) => entry.dnsName.includes(".vpce."));
  s.service = {
    ...s.service!,
    name: PROVIDER.serviceName,
    id: PROVIDER.serviceId,
    owner: IDS.account,
    privateDnsName: undefined,
    privateDnsNameVerificationState: undefined,
  };
  s.serviceConfiguration = {
    serviceId: PROVIDER.serviceId,
    provider: { accountId: IDS.account, alias: "prod", via: "same-account" },
    types: ["Interface"],
    state: "Available",
    acceptanceRequired: false,
    allowedPrincipals: [`arn:aws:iam::${IDS.account}:root`],
    loadBalancerArns: [lb.arn],
    availabilityZones: ["us-east-1a", "us-east-1b"],
    supportedRegions: [],
  };
  s.serviceConnection = { state: "available", ownerId: IDS.account, loadBalancerArns: [lb.arn] };
  s.loadBalancers = [lb];
  const rule = s.securityGroups![0]!.ingress[0]!;
  rule.fromPort = 5432;
  rule.toPort = 5432;
}

/** The same service provided by another account, read through the config alias "provider" (AZ names differ there). */
export function asForeignProvidedService(s: Snapshot, lb: LoadBalancer = providerNlb()): void {
  asProvidedService(s, lb);
  s.service!.owner = "444455556666";
  s.serviceConfiguration!.provider = { accountId: "444455556666", alias: "provider", via: "provider-alias" };
}
