import { z } from "zod";

// The snapshot is the only thing checks see: plain JSON, normalised from AWS, saved and reloaded as is.
// Every field that a failed call could not fill is absent and the failure is listed in `gaps`.

const tagsSchema = z.record(z.string(), z.string()).default({});

/** The snapshot fields a collector fills; a gap names the field it left empty. */
export type SnapshotField =
  | "endpoint"
  | "service"
  | "serviceConfiguration"
  | "serviceConnection"
  | "loadBalancers"
  | "source"
  | "vpc"
  | "securityGroups"
  | "subnets"
  | "networkInterfaces"
  | "networkAcls"
  | "routeTables"
  | "dhcpOptions"
  | "hostedZones"
  | "zoneRecords"
  | "resolverRules"
  | "prefixLists"
  | "flowLogs"
  | "flowRecords"
  | "metrics"
  | "cloudTrail"
  | "health"
  | "outsidePath.routeTables"
  | "outsidePath.peerings"
  | "outsidePath.transitGateways"
  | "outsidePath.vpnGateways"
  | "outsidePath.dns"
  | "notFound.otherRegions"
  | "probe";

/** A failed AWS call kept in the snapshot so checks can say what they could not see. */
export const gapSchema = z.object({
  source: z.string(),
  iamAction: z.string(),
  error: z.string(),
  message: z.string(),
  /** The AWS request id of the failed call, when AWS answered (for a support case). */
  requestId: z.string().optional(),
});
export type Gap = z.infer<typeof gapSchema>;

/** What the client that cannot connect is, as given by the requester. */
export const sourceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("cidr"), value: z.string(), ipVersion: z.union([z.literal(4), z.literal(6)]) }),
  z.object({ kind: z.literal("instance"), value: z.string() }),
  z.object({ kind: z.literal("eni"), value: z.string() }),
  z.object({ kind: z.literal("subnet"), value: z.string() }),
  z.object({ kind: z.literal("security-group"), value: z.string() }),
]);
export type Source = z.infer<typeof sourceSchema>;

/** The source after lookup: where it sits and what guards it (fields unknown stay absent). */
export const resolvedSourceSchema = z.object({
  given: sourceSchema,
  addresses: z.array(z.string()).default([]),
  subnetId: z.string().optional(),
  vpcId: z.string().optional(),
  securityGroupIds: z.array(z.string()).default([]),
  found: z.boolean(),
});
export type ResolvedSource = z.infer<typeof resolvedSourceSchema>;

/** The endpoint as DescribeVpcEndpoints reports it. */
export const endpointSchema = z.object({
  id: z.string(),
  type: z.string(),
  vpcId: z.string(),
  serviceName: z.string(),
  serviceRegion: z.string().optional(),
  state: z.string(),
  lastError: z.object({ code: z.string(), message: z.string() }).optional(),
  subnetIds: z.array(z.string()).default([]),
  routeTableIds: z.array(z.string()).default([]),
  securityGroups: z.array(z.object({ id: z.string(), name: z.string().optional() })).default([]),
  networkInterfaceIds: z.array(z.string()).default([]),
  privateDnsEnabled: z.boolean().default(false),
  privateDnsOnlyForInboundResolverEndpoint: z.boolean().optional(),
  policyDocument: z.string().optional(),
  ipAddressType: z.string().optional(),
  dnsRecordIpType: z.string().optional(),
  dnsEntries: z.array(z.object({ dnsName: z.string(), hostedZoneId: z.string().optional() })).default([]),
  ownerId: z.string().optional(),
  requesterManaged: z.boolean().optional(),
  createdAt: z.string().optional(),
  tags: tagsSchema,
});
export type Endpoint = z.infer<typeof endpointSchema>;

/** The service as DescribeVpcEndpointServices shows it to the consumer. */
export const serviceSchema = z.object({
  name: z.string(),
  id: z.string().optional(),
  types: z.array(z.string()).default([]),
  owner: z.string().optional(),
  region: z.string().optional(),
  availabilityZones: z.array(z.string()).default([]),
  availabilityZoneIds: z.array(z.string()).default([]),
  acceptanceRequired: z.boolean().optional(),
  managesVpcEndpoints: z.boolean().optional(),
  policySupported: z.boolean().optional(),
  privateDnsName: z.string().optional(),
  privateDnsNameVerificationState: z.string().optional(),
  baseEndpointDnsNames: z.array(z.string()).default([]),
  supportedIpAddressTypes: z.array(z.string()).default([]),
});
export type Service = z.infer<typeof serviceSchema>;

/** How the provider side was read: with the endpoint's own account, or with a config alias that `provides` the service. */
export const providerAccessSchema = z.object({
  accountId: z.string(),
  alias: z.string().optional(),
  via: z.enum(["same-account", "provider-alias"]),
});
export type ProviderAccess = z.infer<typeof providerAccessSchema>;

/** Provider-side view (DescribeVpcEndpointServiceConfigurations + permissions), only for a readable provider account. */
export const serviceConfigurationSchema = z.object({
  serviceId: z.string(),
  /** Whose credentials read it; absent in snapshots saved before the provider side was read through aliases. */
  provider: providerAccessSchema.optional(),
  types: z.array(z.string()).optional(),
  state: z.string().optional(),
  acceptanceRequired: z.boolean().optional(),
  /** Absent when DescribeVpcEndpointServicePermissions failed (a gap) or was not called. */
  allowedPrincipals: z.array(z.string()).optional(),
  loadBalancerArns: z.array(z.string()).default([]),
  availabilityZones: z.array(z.string()).optional(),
  privateDnsName: z.string().optional(),
  privateDnsNameState: z.string().optional(),
  supportedRegions: z.array(z.string()).optional(),
});
export type ServiceConfiguration = z.infer<typeof serviceConfigurationSchema>;

/** This endpoint's connection as the provider sees it (DescribeVpcEndpointConnections). */
export const serviceConnectionSchema = z.object({
  state: z.string().optional(),
  ownerId: z.string().optional(),
  createdAt: z.string().optional(),
  loadBalancerArns: z.array(z.string()).optional(),
});
export type ServiceConnection = z.infer<typeof serviceConnectionSchema>;

/** One security group rule, flattened so that each rule has one peer. */
export const sgRuleSchema = z.object({
  ruleId: z.string().optional(),
  protocol: z.string(),
  fromPort: z.number().optional(),
  toPort: z.number().optional(),
  cidrIpv4: z.string().optional(),
  cidrIpv6: z.string().optional(),
  prefixListId: z.string().optional(),
  referencedGroupId: z.string().optional(),
  description: z.string().optional(),
});
export type SgRule = z.infer<typeof sgRuleSchema>;

/** One security group with its rules flattened. */
export const securityGroupSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  vpcId: z.string().optional(),
  ingress: z.array(sgRuleSchema).default([]),
  egress: z.array(sgRuleSchema).default([]),
});
export type SecurityGroup = z.infer<typeof securityGroupSchema>;

/** One target of a target group with its health and Availability Zone (name and id in the provider account). */
export const lbTargetSchema = z.object({
  id: z.string(),
  port: z.number().optional(),
  /** An AZ name, or "all" for a target that receives traffic from every enabled AZ. */
  availabilityZone: z.string().optional(),
  availabilityZoneId: z.string().optional(),
  state: z.string(),
  reason: z.string().optional(),
  description: z.string().optional(),
});
export type LbTarget = z.infer<typeof lbTargetSchema>;

/** One target group behind a listener: its port, health check, cross-zone setting and targets. */
export const targetGroupSchema = z.object({
  arn: z.string(),
  name: z.string().optional(),
  protocol: z.string().optional(),
  port: z.number().optional(),
  targetType: z.string().optional(),
  healthCheck: z
    .object({
      protocol: z.string().optional(),
      port: z.string().optional(),
      path: z.string().optional(),
      enabled: z.boolean().optional(),
    })
    .default({}),
  /** Attribute load_balancing.cross_zone.enabled: "true", "false" or "use_load_balancer_configuration". */
  crossZone: z.string().optional(),
  /** Absent when DescribeTargetHealth failed (a `loadBalancers` gap). */
  targets: z.array(lbTargetSchema).optional(),
});
export type TargetGroup = z.infer<typeof targetGroupSchema>;

/** One listener: the port and protocol clients reach, and the target groups it forwards to. */
export const listenerSchema = z.object({
  arn: z.string(),
  port: z.number().optional(),
  protocol: z.string().optional(),
  targetGroupArns: z.array(z.string()).default([]),
});
export type Listener = z.infer<typeof listenerSchema>;

/** A load balancer behind the endpoint service (NLB or GWLB), as its owner reads it with elasticloadbalancing. */
export const loadBalancerSchema = z.object({
  arn: z.string(),
  name: z.string().optional(),
  /** "network" or "gateway". */
  type: z.string().optional(),
  state: z.string().optional(),
  vpcId: z.string().optional(),
  availabilityZones: z
    .array(z.object({ name: z.string(), id: z.string().optional(), subnetId: z.string().optional() }))
    .default([]),
  /** Attribute load_balancing.cross_zone.enabled of the load balancer (off by default for NLB and GWLB). */
  crossZone: z.boolean().optional(),
  securityGroupIds: z.array(z.string()).default([]),
  /** "on" or "off": whether the NLB's security groups filter PrivateLink traffic. */
  enforceSecurityGroupsOnPrivateLink: z.string().optional(),
  /** The NLB's security groups with their rules, when it has any and they were read. */
  securityGroups: z.array(securityGroupSchema).optional(),
  listeners: z.array(listenerSchema).optional(),
  targetGroups: z.array(targetGroupSchema).optional(),
});
export type LoadBalancer = z.infer<typeof loadBalancerSchema>;

/** One subnet, with its AZ name and AZ id. */
export const subnetSchema = z.object({
  id: z.string(),
  vpcId: z.string(),
  availabilityZone: z.string(),
  availabilityZoneId: z.string().optional(),
  cidrIpv4: z.string().optional(),
  cidrsIpv6: z.array(z.string()).default([]),
  ipv6Native: z.boolean().optional(),
});
export type Subnet = z.infer<typeof subnetSchema>;

/** One network interface (the endpoint's, or the source's). */
export const networkInterfaceSchema = z.object({
  id: z.string(),
  subnetId: z.string().optional(),
  availabilityZone: z.string().optional(),
  status: z.string().optional(),
  privateIpAddresses: z.array(z.string()).default([]),
  ipv6Addresses: z.array(z.string()).default([]),
  securityGroupIds: z.array(z.string()).default([]),
});
export type NetworkInterface = z.infer<typeof networkInterfaceSchema>;

/** One network ACL entry; protocol is the number as a string, "-1" for all. */
export const naclEntrySchema = z.object({
  ruleNumber: z.number(),
  egress: z.boolean(),
  protocol: z.string(),
  action: z.enum(["allow", "deny"]),
  cidrIpv4: z.string().optional(),
  cidrIpv6: z.string().optional(),
  fromPort: z.number().optional(),
  toPort: z.number().optional(),
});
export type NaclEntry = z.infer<typeof naclEntrySchema>;

/** One network ACL with its subnet associations. */
export const networkAclSchema = z.object({
  id: z.string(),
  vpcId: z.string().optional(),
  isDefault: z.boolean().default(false),
  subnetIds: z.array(z.string()).default([]),
  entries: z.array(naclEntrySchema).default([]),
});
export type NetworkAcl = z.infer<typeof networkAclSchema>;

/** One route of a route table. */
export const routeSchema = z.object({
  destinationCidr: z.string().optional(),
  destinationIpv6Cidr: z.string().optional(),
  destinationPrefixListId: z.string().optional(),
  gatewayId: z.string().optional(),
  /** Where a route that is not through a gateway goes: NAT gateway, transit gateway, peering, ENI, instance. */
  target: z.string().optional(),
  state: z.string().optional(),
  /** CreateRouteTable, CreateRoute or EnableVgwRoutePropagation (a route learnt from a virtual private gateway). */
  origin: z.string().optional(),
});
/** One route table, its explicit subnet associations and routes. */
export const routeTableSchema = z.object({
  id: z.string(),
  vpcId: z.string().optional(),
  main: z.boolean().default(false),
  subnetIds: z.array(z.string()).default([]),
  routes: z.array(routeSchema).default([]),
  /** Virtual private gateways whose routes propagate into the table. */
  propagatingGateways: z.array(z.string()).optional(),
});
export type RouteTable = z.infer<typeof routeTableSchema>;

/** The endpoint's VPC: CIDRs, DHCP options id and DNS attributes. */
export const vpcSchema = z.object({
  id: z.string(),
  cidrsIpv4: z.array(z.string()).default([]),
  cidrsIpv6: z.array(z.string()).default([]),
  dhcpOptionsId: z.string().optional(),
  enableDnsSupport: z.boolean().optional(),
  enableDnsHostnames: z.boolean().optional(),
});
export type Vpc = z.infer<typeof vpcSchema>;

/** The VPC's DHCP options: which DNS servers its instances use. */
export const dhcpOptionsSchema = z.object({
  id: z.string(),
  domainNameServers: z.array(z.string()).default([]),
});
export type DhcpOptions = z.infer<typeof dhcpOptionsSchema>;

/** One record of a private hosted zone: plain values, or an alias to another DNS name. */
export const zoneRecordSchema = z.object({
  name: z.string(),
  type: z.string(),
  ttl: z.number().optional(),
  values: z.array(z.string()).default([]),
  alias: z
    .object({
      dnsName: z.string(),
      hostedZoneId: z.string().optional(),
      evaluateTargetHealth: z.boolean().optional(),
    })
    .optional(),
});
export type ZoneRecord = z.infer<typeof zoneRecordSchema>;

/**
 * A Route 53 private hosted zone associated with the VPC. `records` is read only for zones whose name is the
 * service's private DNS name or a parent of it (absent: not read; a failed read is a `zoneRecords` gap).
 */
export const hostedZoneSchema = z.object({
  id: z.string(),
  name: z.string(),
  records: z.array(zoneRecordSchema).optional(),
  recordsTruncated: z.boolean().optional(),
});
export type HostedZone = z.infer<typeof hostedZoneSchema>;

/** A VPC peering connection a route of the client's path names. */
export const peeringSchema = z.object({
  id: z.string(),
  /** initiating-request, pending-acceptance, active, deleted, rejected, failed, expired, provisioning, deleting. */
  status: z.string(),
  requester: z.object({
    vpcId: z.string().optional(),
    region: z.string().optional(),
    ownerId: z.string().optional(),
  }),
  accepter: z.object({
    vpcId: z.string().optional(),
    region: z.string().optional(),
    ownerId: z.string().optional(),
  }),
});
export type Peering = z.infer<typeof peeringSchema>;

/** A transit gateway attachment of the client's or the endpoint's VPC, with the TGW route table it is associated with. */
export const transitGatewayAttachmentSchema = z.object({
  id: z.string(),
  transitGatewayId: z.string(),
  resourceType: z.string().optional(),
  resourceId: z.string().optional(),
  state: z.string().optional(),
  routeTableId: z.string().optional(),
});
export type TransitGatewayAttachment = z.infer<typeof transitGatewayAttachmentSchema>;

/** The routes of one TGW route table that cover the addresses searched for (SearchTransitGatewayRoutes). */
export const transitGatewayRouteSearchSchema = z.object({
  routeTableId: z.string(),
  /** The CIDRs whose covering routes were asked for. */
  searched: z.array(z.string()),
  routes: z.array(
    z.object({
      destinationCidr: z.string().optional(),
      state: z.string().optional(),
      type: z.string().optional(),
      attachments: z
        .array(
          z.object({
            id: z.string().optional(),
            resourceId: z.string().optional(),
            resourceType: z.string().optional(),
          }),
        )
        .default([]),
    }),
  ),
});
export type TransitGatewayRouteSearch = z.infer<typeof transitGatewayRouteSearchSchema>;

/**
 * The path of a client outside the endpoint's VPC, collected only for such a client: the route tables of both
 * VPCs, the peering connections and transit gateways they name, the VPC's virtual private gateways, and what
 * serves the endpoint's name outside the VPC. Each part that could not be read is absent, with a gap
 * `outsidePath.<part>`.
 */
export const outsidePathSchema = z.object({
  /** The client's VPC when it is one of the account's; absent for an address in no VPC (on premises). */
  clientVpcId: z.string().optional(),
  routeTables: z.array(routeTableSchema).optional(),
  peerings: z.array(peeringSchema).optional(),
  transitGatewayAttachments: z.array(transitGatewayAttachmentSchema).optional(),
  transitGatewayRoutes: z.array(transitGatewayRouteSearchSchema).optional(),
  vpnGateways: z.array(z.object({ id: z.string(), state: z.string().optional() })).optional(),
  /** Route 53 Resolver INBOUND endpoints in the endpoint's VPC (read for on-premises clients). */
  inboundResolvers: z
    .array(
      z.object({
        id: z.string(),
        name: z.string().optional(),
        status: z.string().optional(),
        ips: z.array(z.string()).default([]),
      }),
    )
    .optional(),
  /** Private hosted zones associated with the client's VPC (read for clients in another VPC). */
  clientZones: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
});
export type OutsidePath = z.infer<typeof outsidePathSchema>;

/** A Route 53 Resolver rule associated with the endpoint's VPC (FORWARD, SYSTEM or RECURSIVE). */
export const resolverRuleSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  /** Lower-case, without the trailing dot; "." is the root (every name). */
  domainName: z.string(),
  ruleType: z.string(),
  status: z.string().optional(),
  targetIps: z.array(z.object({ ip: z.string(), port: z.number().optional() })).default([]),
  resolverEndpointId: z.string().optional(),
  ownerId: z.string().optional(),
  associationId: z.string().optional(),
  associationStatus: z.string().optional(),
});
export type ResolverRule = z.infer<typeof resolverRuleSchema>;

/** A customer-managed prefix list referenced by a security group rule, expanded to its entries. */
export const prefixListSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  addressFamily: z.string().optional(),
  entries: z.array(z.object({ cidr: z.string(), description: z.string().optional() })).default([]),
});
export type PrefixList = z.infer<typeof prefixListSchema>;

/** Ports the requester named for the service (--port, or the config's services list), overriding the defaults. */
export const portHintSchema = z.object({
  ports: z.array(z.number().int().min(1).max(65535)).min(1),
  origin: z.enum(["request", "config"]),
});
export type PortHint = z.infer<typeof portHintSchema>;

/** One flow-log configuration on the VPC, a subnet or an ENI. */
export const flowLogSchema = z.object({
  id: z.string(),
  resourceId: z.string(),
  trafficType: z.string().optional(),
  destinationType: z.string(),
  logGroupName: z.string().optional(),
  destination: z.string().optional(),
  logFormat: z.string().optional(),
  deliverStatus: z.string().optional(),
  deliverError: z.string().optional(),
});
export type FlowLog = z.infer<typeof flowLogSchema>;

/** One flow-log record already parsed with its log format. */
export const flowRecordSchema = z.object({
  interfaceId: z.string().optional(),
  srcAddr: z.string().optional(),
  dstAddr: z.string().optional(),
  srcPort: z.number().optional(),
  dstPort: z.number().optional(),
  protocol: z.number().optional(),
  action: z.string().optional(),
  start: z.number().optional(),
  raw: z.string(),
});
export type FlowRecord = z.infer<typeof flowRecordSchema>;

/** The REJECT records read from one CloudWatch Logs group for the endpoint ENIs. */
export const flowRecordsSchema = z.object({
  logGroupName: z.string(),
  streams: z.array(z.string()),
  rejects: z.array(flowRecordSchema),
  scannedEvents: z.number(),
  truncated: z.boolean(),
});
export type FlowRecords = z.infer<typeof flowRecordsSchema>;

/** One metric over the window; `datapoints` empty means "no data", which is not zero. */
export const metricSeriesSchema = z.object({
  name: z.string(),
  statistic: z.string(),
  datapoints: z.array(z.object({ timestamp: z.string(), value: z.number() })),
});
export type MetricSeries = z.infer<typeof metricSeriesSchema>;

/** One CloudTrail management event, reduced to who did what, when, to which ids. */
export const trailEventSchema = z.object({
  eventId: z.string(),
  eventName: z.string(),
  eventSource: z.string().optional(),
  eventTime: z.string(),
  username: z.string().optional(),
  principalArn: z.string().optional(),
  sourceIp: z.string().optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  vpcEndpointId: z.string().optional(),
  resourceIds: z.array(z.string()).default([]),
  readOnly: z.boolean().optional(),
});
export type TrailEvent = z.infer<typeof trailEventSchema>;

/** The CloudTrail events of the window that matter: changes to the endpoint's resources and denials. */
export const cloudTrailSchema = z.object({
  changes: z.array(trailEventSchema),
  accessDenied: z.array(trailEventSchema),
  scannedEvents: z.number(),
  truncated: z.boolean(),
});
export type CloudTrail = z.infer<typeof cloudTrailSchema>;

/** One AWS Health event. */
export const healthEventSchema = z.object({
  arn: z.string(),
  service: z.string(),
  eventTypeCode: z.string(),
  statusCode: z.string(),
  region: z.string().optional(),
  startTime: z.string().optional(),
  endTime: z.string().optional(),
  lastUpdatedTime: z.string().optional(),
});
export type HealthEvent = z.infer<typeof healthEventSchema>;

/** Health is a separate case: a missing support plan is neither a permission gap nor a pass. */
export const healthSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("ok"), events: z.array(healthEventSchema) }),
  z.object({ status: z.literal("subscription-required"), message: z.string() }),
]);
export type Health = z.infer<typeof healthSchema>;

/** Near misses offered when the endpoint id is not found. */
export const notFoundHintsSchema = z.object({
  similarIds: z.array(z.string()).default([]),
  deletedEvent: trailEventSchema.optional(),
  endpointsInRegion: z.number().optional(),
  /** Other enabled regions of the account where the endpoint id exists (looked up only when it is not found). */
  foundInRegions: z.array(z.string()).optional(),
});

/**
 * The opt-in client probe (--probe): what SSM said of the instance, what was sent, and the command's raw output,
 * which the client-probe check reads strictly. Absent when no probe was asked for.
 */
export const probeSchema = z.object({
  instanceId: z.string(),
  /** Who asked for the probe (a Slack user id or cli-<user>). */
  requestedBy: z.string(),
  /** From DescribeInstanceInformation; absent when that read failed (a `probe` gap). */
  managed: z.boolean().optional(),
  pingStatus: z.string().optional(),
  /** SSM's PlatformType: Linux, Windows or MacOS. */
  platform: z.string().optional(),
  /** AWS-RunShellScript or AWS-RunPowerShellScript. */
  document: z.string().optional(),
  names: z.array(z.string()).default([]),
  ports: z.array(z.number()).default([]),
  commandId: z.string().optional(),
  /** GetCommandInvocation's Status (Success, Failed, TimedOut...), or "NoAnswer" when polling ran out. */
  status: z.string().optional(),
  statusDetails: z.string().optional(),
  /** The command's standard output, as returned (at most 24,000 characters). */
  output: z.string().optional(),
  /** The start of its standard error. */
  error: z.string().optional(),
  /** Why nothing was sent although the instance is managed (no DNS name to test, an unsupported platform). */
  notSent: z.string().optional(),
});
export type Probe = z.infer<typeof probeSchema>;

/** Bumped when a saved snapshot can no longer be read by this version. */
export const SNAPSHOT_VERSION = 1;

/** Everything one diagnosis collected from AWS for one endpoint, at one instant. */
export const snapshotSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_VERSION),
  collectedAt: z.string().datetime({ offset: true }),
  endpointId: z.string(),
  region: z.string(),
  accountId: z.string().optional(),
  accountAlias: z.string().optional(),
  window: z.object({ start: z.string(), end: z.string(), hours: z.number() }),
  source: resolvedSourceSchema.optional(),
  endpoint: endpointSchema.nullable(),
  notFound: notFoundHintsSchema.optional(),
  outsidePath: outsidePathSchema.optional(),
  service: serviceSchema.nullable().optional(),
  serviceConfiguration: serviceConfigurationSchema.optional(),
  serviceConnection: serviceConnectionSchema.optional(),
  loadBalancers: z.array(loadBalancerSchema).optional(),
  vpc: vpcSchema.optional(),
  securityGroups: z.array(securityGroupSchema).optional(),
  subnets: z.array(subnetSchema).optional(),
  networkInterfaces: z.array(networkInterfaceSchema).optional(),
  networkAcls: z.array(networkAclSchema).optional(),
  routeTables: z.array(routeTableSchema).optional(),
  dhcpOptions: dhcpOptionsSchema.optional(),
  hostedZones: z.array(hostedZoneSchema).optional(),
  resolverRules: z.array(resolverRuleSchema).optional(),
  prefixLists: z.array(prefixListSchema).optional(),
  portHint: portHintSchema.optional(),
  flowLogs: z.array(flowLogSchema).optional(),
  flowRecords: z.array(flowRecordsSchema).optional(),
  metrics: z.array(metricSeriesSchema).optional(),
  cloudTrail: cloudTrailSchema.optional(),
  health: healthSchema.optional(),
  probe: probeSchema.optional(),
  gaps: z.array(gapSchema).default([]),
  stats: z.object({ awsCalls: z.number(), durationMs: z.number() }).default({ awsCalls: 0, durationMs: 0 }),
});
export type Snapshot = z.infer<typeof snapshotSchema>;
