import { CloudWatchClient, PutMetricDataCommand, type StandardUnit } from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  AssociateRouteTableCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeNetworkInterfacesCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from "@aws-sdk/client-ec2";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";

// Builds real resources in moto_server through the SDK: the integration suite and the benchmark share it.

/** Static credentials moto accepts; nothing here ever leaves 127.0.0.1. */
export const TEST_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };

/** The account moto uses for the default credentials. */
export const MOTO_DEFAULT_ACCOUNT = "123456789012";

/** SDK clients bound to moto for building fixtures (the product itself finds moto through AWS_ENDPOINT_URL). */
export interface FixtureClients {
  ec2: EC2Client;
  logs: CloudWatchLogsClient;
  cloudwatch: CloudWatchClient;
}

/** Fixture clients for `region`, optionally with other credentials (an assumed role in a second account). */
export function fixtureClients(
  endpoint: string,
  region: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = TEST_CREDENTIALS,
): FixtureClients {
  const config = { endpoint, region, credentials, maxAttempts: 1 };
  return {
    ec2: new EC2Client(config),
    logs: new CloudWatchLogsClient(config),
    cloudwatch: new CloudWatchClient(config),
  };
}

/** Credentials for `roleArn`, as moto maps them to the role's account. */
export async function assumeRole(endpoint: string, roleArn: string) {
  const sts = new STSClient({ endpoint, region: "us-east-1", credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "fixture", ExternalId: "fixture-ext" }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

/** The ids of one VPC with an endpoint in it. */
export interface World {
  region: string;
  vpcId: string;
  subnets: string[];
  clientSubnet: string;
  endpointGroup: string;
  clientGroup: string;
  endpointId: string;
  serviceName: string;
  eniIds: string[];
  eniAddresses: string[];
  routeTables: string[];
  logGroup: string;
}

/** What to build; each field breaks or scales one thing. */
export interface WorldOptions {
  region?: string;
  kind?: "interface" | "gateway";
  /** Admit 443 from the VPC CIDR on the endpoint's security group (default true). */
  admit443?: boolean;
  privateDns?: boolean;
  dnsHostnames?: boolean;
  /** Extra subnets and security groups in the VPC, to show the call count does not grow with the VPC. */
  extraSubnets?: number;
  extraSecurityGroups?: number;
  flowLogs?: boolean;
  metrics?: boolean;
  policy?: string;
}

const AZ_SUFFIXES = ["a", "b", "c"];

/** Creates a VPC (DNS on), subnets in three AZs, groups, flow logs and an endpoint; returns its ids. */
export async function buildWorld(clients: FixtureClients, options: WorldOptions = {}): Promise<World> {
  const region = options.region ?? "us-east-1";
  const kind = options.kind ?? "interface";
  const { ec2 } = clients;
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }));
  const vpcId = vpc.Vpc!.VpcId!;
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: true } }));
  await ec2.send(
    new ModifyVpcAttributeCommand({
      VpcId: vpcId,
      EnableDnsHostnames: { Value: options.dnsHostnames ?? true },
    }),
  );

  const subnets: string[] = [];
  for (const [index, suffix] of AZ_SUFFIXES.entries()) {
    const subnet = await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: `10.0.${index + 1}.0/24`,
        AvailabilityZone: `${region}${suffix}`,
      }),
    );
    subnets.push(subnet.Subnet!.SubnetId!);
  }
  for (let i = 0; i < (options.extraSubnets ?? 0); i += 1) {
    await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: `10.0.${100 + Math.floor(i / 16)}.${(i % 16) * 16}/28`,
        AvailabilityZone: `${region}${AZ_SUFFIXES[i % 3]}`,
      }),
    );
  }
  const [subnetA, subnetB, clientSubnet] = subnets as [string, string, string];

  const endpointGroup = await createGroup(ec2, vpcId, "endpoint");
  if (options.admit443 ?? true) {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: endpointGroup,
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.0.0.0/16" }] },
        ],
      }),
    );
  }
  const clientGroup = await createGroup(ec2, vpcId, "client");
  for (let i = 0; i < (options.extraSecurityGroups ?? 0); i += 1) await createGroup(ec2, vpcId, `extra-${i}`);

  const routeTables: string[] = [];
  if (kind === "gateway") {
    for (const subnet of [subnetA, clientSubnet]) {
      const table = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
      const id = table.RouteTable!.RouteTableId!;
      await ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: subnet }));
      routeTables.push(id);
    }
  }

  const serviceName = kind === "gateway" ? `com.amazonaws.${region}.s3` : `com.amazonaws.${region}.ssm`;
  const created = await ec2.send(
    new CreateVpcEndpointCommand(
      kind === "gateway"
        ? {
            VpcId: vpcId,
            ServiceName: serviceName,
            VpcEndpointType: "Gateway",
            RouteTableIds: [routeTables[0]!],
            PolicyDocument: options.policy,
          }
        : {
            VpcId: vpcId,
            ServiceName: serviceName,
            VpcEndpointType: "Interface",
            SubnetIds: [subnetA, subnetB],
            SecurityGroupIds: [endpointGroup],
            PrivateDnsEnabled: options.privateDns ?? true,
            PolicyDocument:
              options.policy ??
              JSON.stringify({
                Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
              }),
          },
    ),
  );
  const endpointId = created.VpcEndpoint!.VpcEndpointId!;
  const eniIds = created.VpcEndpoint!.NetworkInterfaceIds ?? [];
  const enis =
    eniIds.length > 0
      ? await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: eniIds }))
      : { NetworkInterfaces: [] };
  const eniAddresses = (enis.NetworkInterfaces ?? []).map((eni) => eni.PrivateIpAddress!);

  const logGroup = `/vpc/flow-logs/${vpcId}`;
  if (options.flowLogs ?? true) {
    await clients.logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
    await ec2.send(
      new CreateFlowLogsCommand({
        ResourceIds: [vpcId],
        ResourceType: "VPC",
        TrafficType: "ALL",
        LogDestinationType: "cloud-watch-logs",
        LogGroupName: logGroup,
        DeliverLogsPermissionArn: `arn:aws:iam::${MOTO_DEFAULT_ACCOUNT}:role/flow-logs`,
      }),
    );
    for (const eni of eniIds) {
      await clients.logs.send(
        new CreateLogStreamCommand({ logGroupName: logGroup, logStreamName: `${eni}-all` }),
      );
    }
  }

  const world: World = {
    region,
    vpcId,
    subnets,
    clientSubnet,
    endpointGroup,
    clientGroup,
    endpointId,
    serviceName,
    eniIds,
    eniAddresses,
    routeTables,
    logGroup,
  };
  if (kind === "interface" && (options.metrics ?? true)) await putTraffic(clients, world);
  return world;
}

async function createGroup(ec2: EC2Client, vpcId: string, name: string): Promise<string> {
  const group = await ec2.send(
    new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: name }),
  );
  return group.GroupId!;
}

/** Publishes a few minutes of healthy endpoint metrics, with the dimensions CloudWatch uses. */
export async function putTraffic(
  clients: FixtureClients,
  world: World,
  values: Partial<Record<string, number>> = {},
) {
  // Sorted by name, as CloudWatch lists them (moto matches dimensions in order; AWS does not care).
  const dimensions = [
    { Name: "Endpoint Type", Value: "Interface" },
    { Name: "Service Name", Value: world.serviceName },
    { Name: "VPC Endpoint Id", Value: world.endpointId },
    { Name: "VPC Id", Value: world.vpcId },
  ];
  const metrics: Array<[string, number, StandardUnit]> = [
    ["BytesProcessed", values.BytesProcessed ?? 52_000, "Bytes"],
    ["NewConnections", values.NewConnections ?? 12, "Count"],
    ["ActiveConnections", values.ActiveConnections ?? 4, "Count"],
    ["PacketsDropped", values.PacketsDropped ?? 0, "Count"],
    ["RstPacketsReceived", values.RstPacketsReceived ?? 0, "Count"],
  ];
  const now = Date.now();
  await clients.cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: "AWS/PrivateLinkEndpoints",
      MetricData: metrics.flatMap(([name, value, unit]) =>
        [5, 4, 3, 2].map((minutesAgo) => ({
          MetricName: name,
          Dimensions: dimensions,
          Timestamp: new Date(now - minutesAgo * 60_000),
          Value: value,
          Unit: unit,
        })),
      ),
    }),
  );
}

/** Writes default-format flow-log records for an endpoint ENI, as VPC Flow Logs would deliver them. */
export async function putFlowRecords(
  clients: FixtureClients,
  world: World,
  records: Array<{ src: string; dstPort: number; action: "ACCEPT" | "REJECT"; eniIndex?: number }>,
) {
  const now = Date.now();
  const byEni = new Map<number, typeof records>();
  for (const record of records)
    byEni.set(record.eniIndex ?? 0, [...(byEni.get(record.eniIndex ?? 0) ?? []), record]);
  for (const [index, list] of byEni) {
    const eni = world.eniIds[index]!;
    const address = world.eniAddresses[index]!;
    const start = Math.floor((now - 120_000) / 1000);
    await clients.logs.send(
      new PutLogEventsCommand({
        logGroupName: world.logGroup,
        logStreamName: `${eni}-all`,
        logEvents: list.map((r, i) => ({
          timestamp: now - 60_000 + i,
          message: `2 ${MOTO_DEFAULT_ACCOUNT} ${eni} ${r.src} ${address} ${40000 + i} ${r.dstPort} 6 3 180 ${start} ${start + 60} ${r.action} OK`,
        })),
      }),
    );
  }
}
