import { CreateLogGroupCommand, CreateLogStreamCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeNetworkInterfacesCommand,
  ModifyVpcAttributeCommand,
} from "@aws-sdk/client-ec2";
import { type FixtureClients, MOTO_DEFAULT_ACCOUNT, putTraffic, type World } from "./world.js";

// An interface endpoint for any service name whose security group admits the VPC on the given ports, with a
// REJECT-capable flow log to CloudWatch Logs and one stream per ENI, built in moto through the SDK.

/** What to build: the service's last name part and the ports the endpoint's group admits from the VPC. */
export interface PortsWorldOptions {
  service: string;
  admit: number[];
}

async function vpcWithSubnets(clients: FixtureClients, region: string) {
  const vpc = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }));
  const vpcId = vpc.Vpc!.VpcId!;
  for (const attribute of [{ EnableDnsSupport: { Value: true } }, { EnableDnsHostnames: { Value: true } }]) {
    await clients.ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, ...attribute }));
  }
  const subnets: string[] = [];
  for (const [index, suffix] of ["a", "b", "c"].entries()) {
    const subnet = await clients.ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: `10.0.${index + 1}.0/24`,
        AvailabilityZone: `${region}${suffix}`,
      }),
    );
    subnets.push(subnet.Subnet!.SubnetId!);
  }
  return { vpcId, subnets };
}

async function groupAdmitting(clients: FixtureClients, vpcId: string, name: string, ports: number[]) {
  const group = await clients.ec2.send(
    new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: name }),
  );
  const groupId = group.GroupId!;
  if (ports.length > 0) {
    await clients.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: ports.map((port) => ({
          IpProtocol: "tcp",
          FromPort: port,
          ToPort: port,
          IpRanges: [{ CidrIp: "10.0.0.0/16" }],
        })),
      }),
    );
  }
  return groupId;
}

async function flowLogTo(clients: FixtureClients, vpcId: string, logGroup: string, eniIds: string[]) {
  await clients.logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
  await clients.ec2.send(
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

/** Builds the VPC, the endpoint for com.amazonaws.<region>.<service>, its group, flow log and metrics. */
export async function buildPortsWorld(clients: FixtureClients, options: PortsWorldOptions): Promise<World> {
  const region = "us-east-1";
  const { vpcId, subnets } = await vpcWithSubnets(clients, region);
  const endpointGroup = await groupAdmitting(clients, vpcId, "endpoint", options.admit);
  const clientGroup = await groupAdmitting(clients, vpcId, "client", []);
  const serviceName = `com.amazonaws.${region}.${options.service}`;
  const created = await clients.ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: vpcId,
      ServiceName: serviceName,
      VpcEndpointType: "Interface",
      SubnetIds: [subnets[0]!, subnets[1]!],
      SecurityGroupIds: [endpointGroup],
      PrivateDnsEnabled: true,
    }),
  );
  const endpointId = created.VpcEndpoint!.VpcEndpointId!;
  const eniIds = created.VpcEndpoint!.NetworkInterfaceIds ?? [];
  const enis = await clients.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: eniIds }));
  const eniAddresses = (enis.NetworkInterfaces ?? []).map((eni) => eni.PrivateIpAddress!);
  const logGroup = `/vpc/flow-logs/${vpcId}`;
  await flowLogTo(clients, vpcId, logGroup, eniIds);
  const world: World = {
    region,
    vpcId,
    subnets,
    clientSubnet: subnets[2]!,
    endpointGroup,
    clientGroup,
    endpointId,
    serviceName,
    eniIds,
    eniAddresses,
    routeTables: [],
    logGroup,
  };
  await putTraffic(clients, world);
  return world;
}
