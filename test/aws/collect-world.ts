import { setTimeout as sleep } from "node:timers/promises";
import { type Event, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeAvailabilityZonesCommand,
  DescribeDhcpOptionsCommand,
  DescribeFlowLogsCommand,
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  type Filter,
  GetManagedPrefixListEntriesCommand,
  type VpcEndpoint,
} from "@aws-sdk/client-ec2";
import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeEventsCommand } from "@aws-sdk/client-health";
import {
  type HostedZoneSummary,
  ListHostedZonesByVPCCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
} from "@aws-sdk/client-route-53";
import {
  ListResolverRuleAssociationsCommand,
  ListResolverRulesCommand,
  type ResolverRule,
} from "@aws-sdk/client-route53resolver";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import type { AwsClients } from "../../src/aws/context.js";
import { IDS } from "../support/snapshot-factory.js";
import { awsError, testClients } from "./collectors/telemetry-context.js";

// A small mocked AWS account for collectSnapshot tests: one VPC with an SSM interface endpoint (or an S3 gateway
// endpoint), a client instance in a third subnet, flow logs to CloudWatch Logs. The SSM endpoint follows AWS's
// centralised pattern, so that the DNS reads decide the diagnosis: private DNS off, a private hosted zone named
// ssm.us-east-1.amazonaws.com aliasing its regional DNS name, the Internet Resolver plus a FORWARD rule for a
// corporate domain; its security group admits 443 from a customer-managed prefix list holding the VPC CIDR.
// Every call is logged with its start and end, and may be delayed, so tests can check what was called and in
// which round.

export const SOURCE_INSTANCE = "i-0123456789abcdef0";
export const SOURCE_IP = "10.0.3.25";
export const CUSTOM_SERVICE = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";
const SSM = "com.amazonaws.us-east-1.ssm";
/** The customer-managed prefix list the endpoint group admits 443 from. */
export const CORP_PREFIX_LIST = "pl-0c0ffee0c0ffee000";
/** The SSM endpoint's regional DNS name, which the hub zone aliases. */
export const REGIONAL_DNS_NAME = `${IDS.endpoint}-abcdefgh.ssm.us-east-1.vpce.amazonaws.com`;
/** The private hosted zone associated with the VPC, named after the SSM service (hub-and-spoke). */
export const HUB_ZONE: HostedZoneSummary = {
  HostedZoneId: "Z0HUB0EXAMPLE00",
  Name: "ssm.us-east-1.amazonaws.com.",
  Owner: { OwningAccount: IDS.account },
};
/** Resolver rules of the account; the world associates the first two with the VPC. */
export const RESOLVER_RULES: ResolverRule[] = [
  {
    Id: "rslvr-autodefined-rr-internet-resolver",
    Name: "Internet Resolver",
    DomainName: ".",
    RuleType: "RECURSIVE",
    Status: "COMPLETE",
    OwnerId: "Route 53 Resolver",
  },
  {
    Id: "rslvr-rr-0c0rp0000000000001",
    Name: "corp",
    DomainName: "corp.example.internal.",
    RuleType: "FORWARD",
    Status: "COMPLETE",
    TargetIps: [{ Ip: "192.168.0.2", Port: 53 }],
    ResolverEndpointId: "rslvr-out-0123456789abcdef0",
    OwnerId: IDS.account,
  },
  { Id: "rslvr-rr-0unassociated00001", DomainName: "lab.example.internal.", RuleType: "FORWARD" },
];
const S3 = "com.amazonaws.us-east-1.s3";

/** One logged AWS call: which client, which command (without "Command"), start or end. */
export interface CallEvent {
  client: string;
  command: string;
  phase: "start" | "end";
}

export interface World {
  clients: AwsClients;
  log: CallEvent[];
  /** Endpoints AWS knows, by id. */
  endpoints: Map<string, VpcEndpoint>;
  /** Owner of every described endpoint service ("amazon" unless a test changes it). */
  serviceOwner: string;
  /** Commands (e.g. "DescribeNetworkAcls") that fail, with the AWS error name (e.g. "UnauthorizedOperation"). */
  failures: Map<string, string>;
  /** What CloudTrail LookupEvents returns. */
  trailEvents: Event[];
  /** Milliseconds every call takes. */
  delayMs: number;
  /** Flow-log lines FilterLogEvents returns for the first endpoint ENI (default: one REJECT from the source). */
  flowMessages: string[];
  /** The datapoint value per metric query id; absent ids answer 1 (so drops and resets show). */
  metricValues: Record<string, number>;
  /** Private hosted zones associated with the VPC, and the records of each by zone id. */
  hostedZones: HostedZoneSummary[];
  zoneRecords: Map<string, ResourceRecordSet[]>;
  /** Ids of the Resolver rules associated with the VPC (RESOLVER_RULES lists them). */
  resolverAssociations: string[];
  /** Entries of the managed prefix lists, by id. */
  prefixListEntries: Map<string, string[]>;
  /** Started calls by command, in order. */
  started(): string[];
  /** Registers (or replaces) the answer to one command: worlds built on this one add theirs (outside-world.ts). */
  // biome-ignore lint/suspicious/noExplicitAny: one helper serves every client's differently typed commands.
  serve(client: keyof AwsClients, command: any, reply: (input: any) => unknown): void;
}

export const INTERFACE_ENDPOINT: VpcEndpoint = {
  VpcEndpointId: IDS.endpoint,
  VpcEndpointType: "Interface",
  VpcId: IDS.vpc,
  ServiceName: SSM,
  State: "available" as VpcEndpoint["State"],
  SubnetIds: [IDS.subnetA, IDS.subnetB],
  Groups: [{ GroupId: IDS.sgEndpoint, GroupName: "ssm-endpoint" }],
  NetworkInterfaceIds: [IDS.eniA, IDS.eniB],
  PrivateDnsEnabled: false,
  DnsEntries: [
    { DnsName: REGIONAL_DNS_NAME, HostedZoneId: "Z7HUB4ZLMNOPQ" },
    {
      DnsName: `${IDS.endpoint}-abcdefgh-us-east-1a.ssm.us-east-1.vpce.amazonaws.com`,
      HostedZoneId: "Z7HUB4ZLMNOPQ",
    },
    {
      DnsName: `${IDS.endpoint}-abcdefgh-us-east-1b.ssm.us-east-1.vpce.amazonaws.com`,
      HostedZoneId: "Z7HUB4ZLMNOPQ",
    },
  ],
  OwnerId: IDS.account,
};

export const GATEWAY_ENDPOINT: VpcEndpoint = {
  VpcEndpointId: IDS.gatewayEndpoint,
  VpcEndpointType: "Gateway",
  VpcId: IDS.vpc,
  ServiceName: S3,
  State: "available" as VpcEndpoint["State"],
  RouteTableIds: [IDS.rtbMain],
  OwnerId: IDS.account,
};

/** A second interface endpoint in the same VPC (not in the world unless a test adds it). */
export const SECOND_INTERFACE_ENDPOINT: VpcEndpoint = {
  ...INTERFACE_ENDPOINT,
  VpcEndpointId: "vpce-0b1c2d3e4f5a60729",
  ServiceName: "com.amazonaws.us-east-1.ssmmessages",
  NetworkInterfaceIds: ["eni-0aaaaaaaaaaaaaaa4", "eni-0bbbbbbbbbbbbbbb5"],
  PrivateDnsEnabled: true,
  DnsEntries: [
    {
      DnsName: "vpce-0b1c2d3e4f5a60729-ijklmnop.ssmmessages.us-east-1.vpce.amazonaws.com",
      HostedZoneId: "Z7HUB4ZLMNOPQ",
    },
  ],
};

const SUBNETS = [
  { SubnetId: IDS.subnetA, VpcId: IDS.vpc, AvailabilityZone: "us-east-1a", CidrBlock: "10.0.1.0/24" },
  { SubnetId: IDS.subnetB, VpcId: IDS.vpc, AvailabilityZone: "us-east-1b", CidrBlock: "10.0.2.0/24" },
  { SubnetId: IDS.subnetC, VpcId: IDS.vpc, AvailabilityZone: "us-east-1c", CidrBlock: "10.0.3.0/24" },
];
const GROUPS = [
  {
    GroupId: IDS.sgEndpoint,
    GroupName: "ssm-endpoint",
    VpcId: IDS.vpc,
    IpPermissions: [
      {
        IpProtocol: "tcp",
        FromPort: 443,
        ToPort: 443,
        PrefixListIds: [{ PrefixListId: CORP_PREFIX_LIST }],
      },
    ],
  },
  {
    GroupId: IDS.sgClient,
    GroupName: "client",
    VpcId: IDS.vpc,
    IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
  },
];
const ENIS = [
  {
    NetworkInterfaceId: IDS.eniA,
    SubnetId: IDS.subnetA,
    VpcId: IDS.vpc,
    PrivateIpAddress: "10.0.1.10",
    Status: "in-use",
  },
  {
    NetworkInterfaceId: IDS.eniB,
    SubnetId: IDS.subnetB,
    VpcId: IDS.vpc,
    PrivateIpAddress: "10.0.2.10",
    Status: "in-use",
  },
  {
    NetworkInterfaceId: "eni-0aaaaaaaaaaaaaaa4",
    SubnetId: IDS.subnetA,
    VpcId: IDS.vpc,
    PrivateIpAddress: "10.0.1.11",
    Status: "in-use",
  },
  {
    NetworkInterfaceId: "eni-0bbbbbbbbbbbbbbb5",
    SubnetId: IDS.subnetB,
    VpcId: IDS.vpc,
    PrivateIpAddress: "10.0.2.11",
    Status: "in-use",
  },
  {
    NetworkInterfaceId: "eni-0c0c0c0c0c0c0c0c3",
    SubnetId: IDS.subnetC,
    VpcId: IDS.vpc,
    PrivateIpAddress: SOURCE_IP,
    Groups: [{ GroupId: IDS.sgClient }],
  },
].map((eni) => ({ ...eni, Groups: eni.Groups ?? [{ GroupId: IDS.sgEndpoint }] }));
const NACL = {
  NetworkAclId: IDS.naclMain,
  VpcId: IDS.vpc,
  IsDefault: true,
  Associations: SUBNETS.map((s) => ({ SubnetId: s.SubnetId })),
  Entries: [
    { RuleNumber: 100, Egress: false, Protocol: "-1", RuleAction: "allow" as const, CidrBlock: "0.0.0.0/0" },
    { RuleNumber: 100, Egress: true, Protocol: "-1", RuleAction: "allow" as const, CidrBlock: "0.0.0.0/0" },
  ],
};

// AWS services offer <service>.<region>.amazonaws.com (ssm.us-east-1.amazonaws.com); S3 and custom services none here.
function privateDnsNameOf(serviceName: string): string | undefined {
  const [, service] = /^com\.amazonaws\.us-east-1\.([a-z0-9-]+)$/.exec(serviceName) ?? [];
  return service && serviceName !== S3 ? `${service}.us-east-1.amazonaws.com` : undefined;
}

function values(filters: Filter[] | undefined, name: string): string[] {
  return filters?.find((f) => f.Name === name)?.Values ?? [];
}

/** The NLB behind the custom service (CUSTOM_SERVICE) when the account owns it: a TCP listener on 443. */
export const PROVIDER_NLB =
  "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/svc-nlb/50dc6c495c0c9188";
const PROVIDER_TG = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/svc-tg/73e2d6bc24d8a067";
const PROVIDER_TARGETS = new Map([
  ["i-0a0a0a0a0a0a0a0a1", "us-east-1a"],
  ["i-0b0b0b0b0b0b0b0b2", "us-east-1b"],
]);

/** The world's serve helper, as the provider's answers use it. */
type Serve = (
  client: keyof AwsClients,
  command: object,
  reply: (input: Record<string, never>) => unknown,
) => void;

function serveProvider(serve: Serve) {
  serve("ec2", DescribeAvailabilityZonesCommand, () => ({
    AvailabilityZones: [
      { ZoneName: "us-east-1a", ZoneId: "use1-az1" },
      { ZoneName: "us-east-1b", ZoneId: "use1-az2" },
      { ZoneName: "us-east-1c", ZoneId: "use1-az4" },
    ],
  }));
  serve("elbv2", DescribeLoadBalancersCommand, () => ({
    LoadBalancers: [
      {
        LoadBalancerArn: PROVIDER_NLB,
        LoadBalancerName: "svc-nlb",
        Type: "network",
        State: { Code: "active" },
        AvailabilityZones: [{ ZoneName: "us-east-1a" }, { ZoneName: "us-east-1b" }],
      },
    ],
  }));
  serve("elbv2", DescribeListenersCommand, () => ({
    Listeners: [
      {
        ListenerArn: `${PROVIDER_NLB}/l1`,
        Port: 443,
        Protocol: "TCP",
        DefaultActions: [{ Type: "forward", TargetGroupArn: PROVIDER_TG }],
      },
    ],
  }));
  serve("elbv2", DescribeLoadBalancerAttributesCommand, () => ({
    Attributes: [{ Key: "load_balancing.cross_zone.enabled", Value: "false" }],
  }));
  serve("elbv2", DescribeTargetGroupsCommand, () => ({
    TargetGroups: [
      {
        TargetGroupArn: PROVIDER_TG,
        TargetGroupName: "svc-tg",
        Protocol: "TCP",
        Port: 443,
        TargetType: "instance",
      },
    ],
  }));
  serve("elbv2", DescribeTargetGroupAttributesCommand, () => ({
    Attributes: [{ Key: "load_balancing.cross_zone.enabled", Value: "use_load_balancer_configuration" }],
  }));
  serve("elbv2", DescribeTargetHealthCommand, () => ({
    TargetHealthDescriptions: [...PROVIDER_TARGETS.keys()].map((Id) => ({
      Target: { Id, Port: 443 },
      TargetHealth: { State: "healthy" },
    })),
  }));
}

/** A mocked account answering every read vpce-doctor makes. */
export function createWorld(): World {
  const clients = testClients();
  const log: CallEvent[] = [];
  const world: World = {
    clients,
    log,
    endpoints: new Map([
      [IDS.endpoint, INTERFACE_ENDPOINT],
      [IDS.gatewayEndpoint, GATEWAY_ENDPOINT],
    ]),
    serviceOwner: "amazon",
    failures: new Map(),
    trailEvents: [],
    delayMs: 0,
    flowMessages: [
      `2 ${IDS.account} ${IDS.eniA} ${SOURCE_IP} 10.0.1.10 40000 443 6 3 180 1795000000 1795000060 REJECT OK`,
    ],
    metricValues: {},
    hostedZones: [HUB_ZONE],
    zoneRecords: new Map([
      [
        HUB_ZONE.HostedZoneId!,
        [
          {
            Name: "ssm.us-east-1.amazonaws.com.",
            Type: "A",
            AliasTarget: {
              DNSName: `${REGIONAL_DNS_NAME}.`,
              HostedZoneId: "Z7HUB4ZLMNOPQ",
              EvaluateTargetHealth: true,
            },
          },
          {
            Name: "ssm.us-east-1.amazonaws.com.",
            Type: "NS",
            TTL: 172800,
            ResourceRecords: [{ Value: "ns-1.awsdns-01.org." }],
          },
        ],
      ],
    ]),
    resolverAssociations: RESOLVER_RULES.slice(0, 2).map((rule) => rule.Id!),
    prefixListEntries: new Map([[CORP_PREFIX_LIST, ["10.0.0.0/16", "192.168.0.0/16"]]]),
    started: () => log.filter((e) => e.phase === "start").map((e) => e.command),
    serve: (client, command, reply) => serve(client, command, reply),
  };

  // One mock per client: mocking a client again would drop the answers already registered.
  // biome-ignore lint/suspicious/noExplicitAny: one helper serves seven clients' differently typed commands.
  const mocks = new Map<keyof AwsClients, any>();
  // biome-ignore lint/suspicious/noExplicitAny: see above.
  function serve(client: keyof AwsClients, command: any, reply: (input: any) => unknown): void {
    // biome-ignore lint/suspicious/noExplicitAny: see above.
    const mock = mocks.get(client) ?? mockClient(clients[client] as any);
    mocks.set(client, mock);
    const name = String(command.name).replace(/Command$/, "");
    mock.on(command).callsFake(async (input: unknown) => {
      log.push({ client, command: name, phase: "start" });
      try {
        if (world.delayMs > 0) await sleep(world.delayMs);
        const failure = world.failures.get(name);
        if (failure) throw awsError(failure, `${failure}: ${name} refused`);
        return reply(input);
      } finally {
        log.push({ client, command: name, phase: "end" });
      }
    });
  }

  serve("ec2", DescribeVpcEndpointsCommand, (input) => {
    if (!input.VpcEndpointIds) return { VpcEndpoints: [...world.endpoints.values()] };
    const found = input.VpcEndpointIds.map((id: string) => world.endpoints.get(id)).filter(Boolean);
    if (found.length === 0) throw awsError("InvalidVpcEndpointId.NotFound");
    return { VpcEndpoints: found };
  });
  serve("ec2", DescribeVpcEndpointServicesCommand, (input) => ({
    ServiceDetails: input.ServiceNames.map((name: string) => ({
      ServiceName: name,
      ServiceId: name === CUSTOM_SERVICE ? "vpce-svc-0123456789abcdef0" : `vpce-svc-${name.split(".").pop()}`,
      ServiceType: [{ ServiceType: name === S3 ? "Gateway" : "Interface" }],
      Owner: world.serviceOwner,
      AvailabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
      VpcEndpointPolicySupported: true,
      PrivateDnsName: privateDnsNameOf(name),
    })),
  }));
  serve("ec2", DescribeVpcEndpointServiceConfigurationsCommand, (input) => ({
    ServiceConfigurations: input.ServiceIds.map((id: string) => ({
      ServiceId: id,
      ServiceState: "Available",
      AcceptanceRequired: true,
      NetworkLoadBalancerArns: id === "vpce-svc-0123456789abcdef0" ? [PROVIDER_NLB] : [],
    })),
  }));
  serve("ec2", DescribeVpcEndpointServicePermissionsCommand, () => ({
    AllowedPrincipals: [{ Principal: `arn:aws:iam::${IDS.account}:root` }],
  }));
  serve("ec2", DescribeVpcEndpointConnectionsCommand, () => ({
    VpcEndpointConnections: [{ VpcEndpointId: IDS.endpoint, VpcEndpointState: "available" }],
  }));
  serve("ec2", DescribeSecurityGroupsCommand, (input) => ({
    SecurityGroups: GROUPS.filter((g) => values(input.Filters, "group-id").includes(g.GroupId)),
  }));
  serve("ec2", DescribeSubnetsCommand, (input) => ({
    Subnets: SUBNETS.filter((s) => values(input.Filters, "subnet-id").includes(s.SubnetId)),
  }));
  serve("ec2", DescribeNetworkInterfacesCommand, (input) => ({
    NetworkInterfaces: ENIS.filter(
      (e) =>
        values(input.Filters, "network-interface-id").includes(e.NetworkInterfaceId) ||
        values(input.Filters, "addresses.private-ip-address").includes(e.PrivateIpAddress),
    ),
  }));
  serve("ec2", DescribeInstancesCommand, (input) => ({
    Reservations: values(input.Filters, "instance-id").some((id) => PROVIDER_TARGETS.has(id))
      ? [
          {
            Instances: [...PROVIDER_TARGETS]
              .filter(([id]) => values(input.Filters, "instance-id").includes(id))
              .map(([InstanceId, AvailabilityZone]) => ({ InstanceId, Placement: { AvailabilityZone } })),
          },
        ]
      : values(input.Filters, "instance-id").includes(SOURCE_INSTANCE)
        ? [
            {
              Instances: [
                {
                  InstanceId: SOURCE_INSTANCE,
                  SubnetId: IDS.subnetC,
                  VpcId: IDS.vpc,
                  PrivateIpAddress: SOURCE_IP,
                  SecurityGroups: [{ GroupId: IDS.sgClient }],
                },
              ],
            },
          ]
        : [],
  }));
  serve("ec2", DescribeNetworkAclsCommand, (input) => ({
    NetworkAcls: values(input.Filters, "association.subnet-id").some((id) =>
      NACL.Associations.some((a) => a.SubnetId === id),
    )
      ? [NACL]
      : [],
  }));
  serve("ec2", DescribeRouteTablesCommand, () => ({
    RouteTables: [
      {
        RouteTableId: IDS.rtbMain,
        VpcId: IDS.vpc,
        Associations: [{ Main: true }],
        Routes: [
          { DestinationPrefixListId: IDS.s3PrefixList, GatewayId: IDS.gatewayEndpoint, State: "active" },
        ],
      },
    ],
  }));
  serve("ec2", DescribeVpcsCommand, () => ({
    Vpcs: [{ VpcId: IDS.vpc, CidrBlock: "10.0.0.0/16", DhcpOptionsId: IDS.dhcp }],
  }));
  serve("ec2", DescribeVpcAttributeCommand, (input) =>
    input.Attribute === "enableDnsSupport"
      ? { EnableDnsSupport: { Value: true } }
      : { EnableDnsHostnames: { Value: true } },
  );
  serve("ec2", DescribeDhcpOptionsCommand, () => ({
    DhcpOptions: [
      {
        DhcpOptionsId: IDS.dhcp,
        DhcpConfigurations: [{ Key: "domain-name-servers", Values: [{ Value: "AmazonProvidedDNS" }] }],
      },
    ],
  }));
  serve("ec2", DescribeFlowLogsCommand, () => ({
    FlowLogs: [
      {
        FlowLogId: "fl-0123456789abcdef0",
        ResourceId: IDS.vpc,
        TrafficType: "ALL",
        LogDestinationType: "cloud-watch-logs",
        LogGroupName: "/vpc/flow-logs",
        DeliverLogsStatus: "SUCCESS",
      },
    ],
  }));
  serve("logs", FilterLogEventsCommand, () => ({
    events: world.flowMessages.map((message) => ({ logStreamName: `${IDS.eniA}-all`, message })),
  }));
  serve("cloudwatch", GetMetricDataCommand, (input) => ({
    MetricDataResults: input.MetricDataQueries.map((q: { Id: string }) => ({
      Id: q.Id,
      StatusCode: "Complete",
      Timestamps: [new Date("2026-11-23T11:30:00.000Z")],
      Values: [world.metricValues[q.Id] ?? 1],
    })),
  }));
  serve("cloudtrail", LookupEventsCommand, () => ({ Events: world.trailEvents }));
  serve("health", DescribeEventsCommand, () => ({ events: [] }));
  serve("route53", ListHostedZonesByVPCCommand, () => ({
    HostedZoneSummaries: world.hostedZones,
    MaxItems: 100,
  }));
  serve("route53", ListResourceRecordSetsCommand, (input) => ({
    ResourceRecordSets: world.zoneRecords.get(input.HostedZoneId) ?? [],
    IsTruncated: false,
    MaxItems: input.MaxItems,
  }));
  serve("route53resolver", ListResolverRuleAssociationsCommand, (input) => ({
    ResolverRuleAssociations: values(input.Filters, "VPCId").includes(IDS.vpc)
      ? world.resolverAssociations.map((id) => ({
          Id: `rslvr-rrassoc-${id.slice(-8)}`,
          ResolverRuleId: id,
          VPCId: IDS.vpc,
          Status: "COMPLETE",
        }))
      : [],
  }));
  serve("route53resolver", ListResolverRulesCommand, () => ({ ResolverRules: RESOLVER_RULES }));
  serve("ec2", GetManagedPrefixListEntriesCommand, (input) => {
    const cidrs = world.prefixListEntries.get(input.PrefixListId);
    if (!cidrs) throw awsError("InvalidPrefixListID.NotFound");
    return { Entries: cidrs.map((Cidr) => ({ Cidr })) };
  });
  serveProvider(serve);
  serve("sts", GetCallerIdentityCommand, () => ({
    Account: IDS.account,
    Arn: `arn:aws:iam::${IDS.account}:role/vpce-doctor`,
  }));
  return world;
}
