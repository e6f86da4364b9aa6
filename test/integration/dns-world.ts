import { randomUUID } from "node:crypto";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateManagedPrefixListCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  type ResourceRecordSet,
  Route53Client,
  type VPCRegion,
} from "@aws-sdk/client-route-53";
import {
  AssociateResolverRuleCommand,
  CreateResolverEndpointCommand,
  CreateResolverRuleCommand,
  Route53ResolverClient,
  type RuleTypeOption,
} from "@aws-sdk/client-route53resolver";
import { TEST_CREDENTIALS, type World } from "./world.js";

// Builders for the DNS and prefix-list side of a moto world: private hosted zones with records, Route 53
// Resolver rules associated with the VPC, customer-managed prefix lists admitted by a security group.

/** The Route 53 and Resolver clients the builders use, pointed at moto. */
export interface DnsClients {
  route53: Route53Client;
  resolver: Route53ResolverClient;
}

/** Clients for moto at `endpoint`, with the throw-away credentials of the fixtures. */
export function dnsClients(endpoint: string, region = "us-east-1"): DnsClients {
  const config = { endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  return { route53: new Route53Client(config), resolver: new Route53ResolverClient(config) };
}

/** Creates a private hosted zone `name` associated with the world's VPC, holding `records`; returns its id. */
export async function privateZone(
  clients: DnsClients,
  world: World,
  name: string,
  records: ResourceRecordSet[],
): Promise<string> {
  const zone = await clients.route53.send(
    new CreateHostedZoneCommand({
      Name: name,
      CallerReference: randomUUID(),
      VPC: { VPCId: world.vpcId, VPCRegion: world.region as VPCRegion },
      HostedZoneConfig: { PrivateZone: true, Comment: "hub" },
    }),
  );
  const id = zone.HostedZone!.Id!.replace(/^\/hostedzone\//, "");
  if (records.length > 0) {
    await clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: id,
        ChangeBatch: { Changes: records.map((record) => ({ Action: "CREATE", ResourceRecordSet: record })) },
      }),
    );
  }
  return id;
}

/** An apex A alias to `dnsName` (the hub-and-spoke record). */
export function aliasRecord(name: string, dnsName: string): ResourceRecordSet {
  return {
    Name: name,
    Type: "A",
    AliasTarget: { DNSName: dnsName, HostedZoneId: "Z7HUB4ZLMNOPQ", EvaluateTargetHealth: true },
  };
}

/** A plain A record with fixed addresses. */
export function addressRecord(name: string, addresses: string[]): ResourceRecordSet {
  return { Name: name, Type: "A", TTL: 300, ResourceRecords: addresses.map((Value) => ({ Value })) };
}

/** An outbound Resolver endpoint in two of the world's subnets, guarded by its endpoint group; returns its id. */
export async function outboundEndpoint(clients: DnsClients, world: World): Promise<string> {
  const out = await clients.resolver.send(
    new CreateResolverEndpointCommand({
      CreatorRequestId: randomUUID(),
      Name: "to-onprem",
      Direction: "OUTBOUND",
      SecurityGroupIds: [world.endpointGroup],
      IpAddresses: world.subnets.slice(0, 2).map((SubnetId) => ({ SubnetId })),
    }),
  );
  return out.ResolverEndpoint!.Id!;
}

/** What a Resolver rule forwards or keeps, and where. */
export interface RuleSpec {
  domainName: string;
  ruleType: RuleTypeOption;
  name?: string;
  targetIps?: { Ip: string; Port?: number }[];
  resolverEndpointId?: string;
}

/** Creates a Resolver rule and associates it with the world's VPC; returns the rule and association ids. */
export async function associatedRule(
  clients: DnsClients,
  world: World,
  spec: RuleSpec,
): Promise<{ ruleId: string; associationId: string }> {
  // moto sorts every rule and association of the region by name and fails (HTTP 500) when one has none.
  const rule = await clients.resolver.send(
    new CreateResolverRuleCommand({
      CreatorRequestId: randomUUID(),
      Name: spec.name ?? "unnamed",
      DomainName: spec.domainName,
      RuleType: spec.ruleType,
      TargetIps: spec.targetIps,
      ResolverEndpointId: spec.resolverEndpointId,
    }),
  );
  const ruleId = rule.ResolverRule!.Id!;
  const association = await clients.resolver.send(
    new AssociateResolverRuleCommand({
      ResolverRuleId: ruleId,
      VPCId: world.vpcId,
      Name: spec.name ?? "unnamed",
    }),
  );
  return { ruleId, associationId: association.ResolverRuleAssociation!.Id! };
}

/** Creates a customer-managed IPv4 prefix list with `cidrs` and admits 443 from it on the endpoint group. */
export async function admitFromPrefixList(ec2: EC2Client, world: World, cidrs: string[]): Promise<string> {
  const list = await ec2.send(
    new CreateManagedPrefixListCommand({
      PrefixListName: `corp-${randomUUID().slice(0, 8)}`,
      AddressFamily: "IPv4",
      MaxEntries: 10,
      Entries: cidrs.map((Cidr) => ({ Cidr, Description: `corp ${Cidr}` })),
    }),
  );
  const id = list.PrefixList!.PrefixListId!;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: world.endpointGroup,
      IpPermissions: [
        { IpProtocol: "tcp", FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: id }] },
      ],
    }),
  );
  return id;
}
