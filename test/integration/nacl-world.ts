import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  type EC2Client,
  ModifyVpcAttributeCommand,
  ReplaceNetworkAclAssociationCommand,
} from "@aws-sdk/client-ec2";

// Builders for the NACL and gateway-route scenarios in moto (world.ts builds the shared healthy worlds).

/** One NACL entry to create: tcp when ports are given, all traffic otherwise. */
export interface AclEntry {
  rule: number;
  egress: boolean;
  action: "allow" | "deny";
  ports?: [number, number];
}

/**
 * Creates a NACL with these entries and moves every given subnet onto it. The subnets share one NACL because
 * moto answers DescribeNetworkAcls (association.subnet-id, several values) only with NACLs whose associations are
 * a subset or superset of the values (AWS returns any overlap): see ../shared/domain/moto.md.
 */
export async function naclFor(ec2: EC2Client, vpcId: string, subnets: string[], entries: AclEntry[]) {
  const acl = await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }));
  const aclId = acl.NetworkAcl!.NetworkAclId!;
  for (const entry of entries) {
    await ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: aclId,
        RuleNumber: entry.rule,
        Egress: entry.egress,
        Protocol: entry.ports ? "6" : "-1",
        PortRange: entry.ports ? { From: entry.ports[0], To: entry.ports[1] } : undefined,
        RuleAction: entry.action,
        CidrBlock: "0.0.0.0/0",
      }),
    );
  }
  for (const subnet of subnets) {
    const current = await ec2.send(
      new DescribeNetworkAclsCommand({ Filters: [{ Name: "association.subnet-id", Values: [subnet] }] }),
    );
    const association = current
      .NetworkAcls!.flatMap((a) => a.Associations ?? [])
      .find((a) => a.SubnetId === subnet)!;
    await ec2.send(
      new ReplaceNetworkAclAssociationCommand({
        AssociationId: association.NetworkAclAssociationId,
        NetworkAclId: aclId,
      }),
    );
  }
  return aclId;
}

/** The ids of a VPC with an S3 gateway endpoint, a public subnet and private subnets. */
export interface GatewayWorld {
  vpcId: string;
  endpointId: string;
  /** Subnet whose table has a default route to the internet gateway and no endpoint route. */
  publicSubnet: string;
  publicTable: string;
  internetGateway: string;
  /** Subnet whose table is associated with the endpoint. */
  routedSubnet: string;
  routedTable: string;
  /** Subnet (and table) without the endpoint's route and without a way out; only when asked for. */
  unroutedSubnet?: string;
  unroutedTable?: string;
}

/** Builds the gateway world; `unrouted` adds a private subnet whose table lacks the endpoint's route. */
export async function buildGatewayWorld(ec2: EC2Client, options: { unrouted?: boolean } = {}) {
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.1.0.0/16" }));
  const vpcId = vpc.Vpc!.VpcId!;
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: true } }));
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  const igw = await ec2.send(new CreateInternetGatewayCommand({}));
  const internetGateway = igw.InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: internetGateway, VpcId: vpcId }));

  const [publicSubnet, publicTable] = await subnetWithTable(ec2, vpcId, 1);
  await ec2.send(
    new CreateRouteCommand({
      RouteTableId: publicTable,
      DestinationCidrBlock: "0.0.0.0/0",
      GatewayId: internetGateway,
    }),
  );
  const [routedSubnet, routedTable] = await subnetWithTable(ec2, vpcId, 2);
  const unrouted = options.unrouted ? await subnetWithTable(ec2, vpcId, 3) : undefined;
  const main = await ec2.send(
    new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }),
  );
  const mainTable = main.RouteTables!.find((t) => t.Associations?.some((a) => a.Main))!.RouteTableId!;
  const created = await ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: vpcId,
      ServiceName: "com.amazonaws.us-east-1.s3",
      VpcEndpointType: "Gateway",
      RouteTableIds: [routedTable, mainTable],
    }),
  );
  return {
    vpcId,
    endpointId: created.VpcEndpoint!.VpcEndpointId!,
    publicSubnet,
    publicTable,
    internetGateway,
    routedSubnet,
    routedTable,
    ...(unrouted ? { unroutedSubnet: unrouted[0], unroutedTable: unrouted[1] } : {}),
  } satisfies GatewayWorld;
}

async function subnetWithTable(ec2: EC2Client, vpcId: string, index: number): Promise<[string, string]> {
  const subnet = await ec2.send(
    new CreateSubnetCommand({
      VpcId: vpcId,
      CidrBlock: `10.1.${index}.0/24`,
      AvailabilityZone: "us-east-1a",
    }),
  );
  const subnetId = subnet.Subnet!.SubnetId!;
  const table = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
  const tableId = table.RouteTable!.RouteTableId!;
  await ec2.send(new AssociateRouteTableCommand({ RouteTableId: tableId, SubnetId: subnetId }));
  return [subnetId, tableId];
}
