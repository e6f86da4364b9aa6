import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { type FixtureClients, putTraffic, TEST_CREDENTIALS, type World } from "./world.js";

// A custom endpoint service in moto: the provider's NLB (two AZs, one instance target in each) behind a VPC
// endpoint service, and a consumer VPC whose interface endpoint reaches it. Built through the SDK; each option
// breaks one provider-side thing. moto quirks: the NLB ARN reads loadbalancer/app/..., a stopped instance's
// target health is "unused", DescribeVpcEndpointConnections is not implemented (a 500).

const AMI = "ami-12c6146b";
let serial = 0;

/** What to build: the listener port (none: no listener), which AZ's target is stopped, the port the endpoint admits. */
export interface ProviderWorldOptions {
  listenerPort?: number;
  targetPort: number;
  /** Stop the instance target in the second AZ (us-east-1b), so that AZ has no healthy target. */
  stopSecondTarget?: boolean;
  admit: number[];
}

/** The consumer world plus the provider's ids. */
export interface ProviderWorld extends World {
  serviceId: string;
  loadBalancerArn: string;
  targetGroupArn: string;
}

/** An elbv2 client on moto for building the provider's load balancer. */
export function fixtureElb(endpoint: string, credentials = TEST_CREDENTIALS): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
}

async function subnetsIn(clients: FixtureClients, cidrPrefix: string) {
  const vpc = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: `${cidrPrefix}.0.0/16` }));
  const vpcId = vpc.Vpc!.VpcId!;
  const subnets: string[] = [];
  for (const [index, suffix] of ["a", "b", "c"].entries()) {
    const subnet = await clients.ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: `${cidrPrefix}.${index + 1}.0/24`,
        AvailabilityZone: `us-east-1${suffix}`,
      }),
    );
    subnets.push(subnet.Subnet!.SubnetId!);
  }
  return { vpcId, subnets };
}

/** The provider side: NLB in us-east-1a/b, a TCP target group with one instance per AZ, the endpoint service. */
export async function buildProvider(
  clients: FixtureClients,
  elb: ElasticLoadBalancingV2Client,
  options: ProviderWorldOptions,
) {
  serial += 1;
  const { vpcId, subnets } = await subnetsIn(clients, `10.${100 + serial}`);
  const lb = await elb.send(
    new CreateLoadBalancerCommand({
      Name: `db-nlb-${serial}`,
      Type: "network",
      Scheme: "internal",
      Subnets: subnets.slice(0, 2),
    }),
  );
  const loadBalancerArn = lb.LoadBalancers![0]!.LoadBalancerArn!;
  const tg = await elb.send(
    new CreateTargetGroupCommand({
      Name: `db-tg-${serial}`,
      Protocol: "TCP",
      Port: options.targetPort,
      VpcId: vpcId,
      TargetType: "instance",
    }),
  );
  const targetGroupArn = tg.TargetGroups![0]!.TargetGroupArn!;
  const instances: string[] = [];
  for (const subnet of subnets.slice(0, 2)) {
    const run = await clients.ec2.send(
      new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, SubnetId: subnet }),
    );
    instances.push(run.Instances![0]!.InstanceId!);
  }
  await elb.send(
    new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: instances.map((Id) => ({ Id })) }),
  );
  if (options.stopSecondTarget)
    await clients.ec2.send(new StopInstancesCommand({ InstanceIds: [instances[1]!] }));
  if (options.listenerPort !== undefined) {
    await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: loadBalancerArn,
        Protocol: "TCP",
        Port: options.listenerPort,
        DefaultActions: [{ Type: "forward", TargetGroupArn: targetGroupArn }],
      }),
    );
  }
  const service = await clients.ec2.send(
    new CreateVpcEndpointServiceConfigurationCommand({
      NetworkLoadBalancerArns: [loadBalancerArn],
      AcceptanceRequired: false,
    }),
  );
  const config = service.ServiceConfiguration!;
  return { serviceId: config.ServiceId!, serviceName: config.ServiceName!, loadBalancerArn, targetGroupArn };
}

/** A consumer VPC with an interface endpoint in us-east-1a/b to `serviceName`, its group admitting `admit` from the VPC. */
export async function buildConsumer(
  clients: FixtureClients,
  serviceName: string,
  admit: number[],
): Promise<World> {
  const { vpcId, subnets } = await subnetsIn(clients, "10.0");
  const group = await clients.ec2.send(
    new CreateSecurityGroupCommand({
      VpcId: vpcId,
      GroupName: `endpoint-${serial}`,
      Description: "endpoint",
    }),
  );
  const endpointGroup = group.GroupId!;
  await clients.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: endpointGroup,
      IpPermissions: admit.map((port) => ({
        IpProtocol: "tcp",
        FromPort: port,
        ToPort: port,
        IpRanges: [{ CidrIp: "10.0.0.0/16" }],
      })),
    }),
  );
  const created = await clients.ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: vpcId,
      ServiceName: serviceName,
      VpcEndpointType: "Interface",
      SubnetIds: subnets.slice(0, 2),
      SecurityGroupIds: [endpointGroup],
      PrivateDnsEnabled: false,
    }),
  );
  const endpoint = created.VpcEndpoint!;
  const world: World = {
    region: "us-east-1",
    vpcId,
    subnets,
    clientSubnet: subnets[2]!,
    endpointGroup,
    clientGroup: endpointGroup,
    endpointId: endpoint.VpcEndpointId!,
    serviceName,
    eniIds: endpoint.NetworkInterfaceIds ?? [],
    eniAddresses: [],
    routeTables: [],
    logGroup: "",
  };
  await putTraffic(clients, world);
  return world;
}

/** Provider and consumer in the same account (moto's default): the provider side is readable. */
export async function buildProviderWorld(
  clients: FixtureClients,
  elb: ElasticLoadBalancingV2Client,
  options: ProviderWorldOptions,
): Promise<ProviderWorld> {
  const provider = await buildProvider(clients, elb, options);
  const consumer = await buildConsumer(clients, provider.serviceName, options.admit);
  return { ...consumer, ...provider };
}
