import {
  AcceptVpcPeeringConnectionCommand,
  AssociateRouteTableCommand,
  AttachVpnGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  CreateVpnGatewayCommand,
  DescribeTransitGatewayAttachmentsCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { naclFor } from "./nacl-world.js";
import type { World } from "./world.js";

// Builders for clients outside the endpoint's VPC, on top of world.ts's VPC and endpoint: a client VPC with its
// own subnet, route table and ENI, joined by a peering connection or a transit gateway; a VGW for on premises.
// moto gives endpoint ENIs addresses outside their subnet (10.223.x.x in a 10.0.0.0/16 VPC), so the routes toward
// the endpoint cover 10.0.0.0/8 (TOWARD_ENDPOINT): on AWS the VPC's CIDR would do.

/** The destination of the routes toward the endpoint's ENIs (see above). */
const TOWARD_ENDPOINT = "10.0.0.0/8";

/** A client VPC (172.31.0.0/16, outside the endpoint VPC's 10.0.0.0/8 routes) with one subnet whose explicit route table starts with only the local route. */
export interface ClientVpc {
  vpcId: string;
  subnetId: string;
  routeTableId: string;
  eniId: string;
  address: string;
}

/** The endpoint's subnets get their own route table (moto's main table is shared by every subnet otherwise). */
export interface Joined {
  client: ClientVpc;
  endpointTable: string;
  /** pcx-... or tgw-... */
  via: string;
}

/** Creates the client VPC: subnet 172.31.1.0/24, its own route table, one ENI at `address`. */
export async function clientVpc(ec2: EC2Client, address: string): Promise<ClientVpc> {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: "172.31.0.0/16" }))).Vpc!.VpcId!;
  const subnet = await ec2.send(
    new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "172.31.1.0/24", AvailabilityZone: "us-east-1a" }),
  );
  const subnetId = subnet.Subnet!.SubnetId!;
  const routeTableId = await ownTable(ec2, vpcId, [subnetId]);
  const eni = await ec2.send(
    new CreateNetworkInterfaceCommand({ SubnetId: subnetId, PrivateIpAddress: address }),
  );
  return { vpcId, subnetId, routeTableId, eniId: eni.NetworkInterface!.NetworkInterfaceId!, address };
}

async function ownTable(ec2: EC2Client, vpcId: string, subnetIds: string[]): Promise<string> {
  const id = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
  for (const subnetId of subnetIds) {
    await ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: subnetId }));
  }
  return id;
}

/** Admits 443 from `cidr` on the endpoint's group, so the checks after client-route judge the path alone. */
export async function admit(ec2: EC2Client, world: World, cidr: string): Promise<void> {
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: world.endpointGroup,
      IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: cidr }] }],
    }),
  );
}

/**
 * Gives the endpoint's subnets and the client's subnet allow-all NACLs of their own: moto answers a NACL query
 * naming subnets of two VPCs only with NACLs whose subnets are a subset of the query (moto.md).
 */
export async function openNacls(ec2: EC2Client, world: World, client: ClientVpc): Promise<void> {
  const allowAll = [
    { rule: 100, egress: false, action: "allow" as const },
    { rule: 100, egress: true, action: "allow" as const },
  ];
  await naclFor(ec2, world.vpcId, world.subnets.slice(0, 2), allowAll);
  await naclFor(ec2, client.vpcId, [client.subnetId], allowAll);
}

/** Peers the client VPC with the endpoint's (accepted); routes are added by `route`, both ways unless told. */
export async function peer(
  ec2: EC2Client,
  world: World,
  address: string,
  routes: { forward?: boolean; back?: boolean } = {},
): Promise<Joined> {
  const client = await clientVpc(ec2, address);
  const created = await ec2.send(
    new CreateVpcPeeringConnectionCommand({ VpcId: client.vpcId, PeerVpcId: world.vpcId }),
  );
  const via = created.VpcPeeringConnection!.VpcPeeringConnectionId!;
  await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: via }));
  const endpointTable = await ownTable(ec2, world.vpcId, world.subnets.slice(0, 2));
  if (routes.forward ?? true)
    await route(ec2, client.routeTableId, TOWARD_ENDPOINT, { VpcPeeringConnectionId: via });
  if (routes.back ?? true) await route(ec2, endpointTable, "172.31.0.0/16", { VpcPeeringConnectionId: via });
  return { client, endpointTable, via };
}

/** Attaches both VPCs to a new transit gateway; VPC routes both ways; TGW static routes unless told. */
export async function transit(
  ec2: EC2Client,
  world: World,
  address: string,
  tgwRoutes: { toEndpoint?: "route" | "blackhole"; toClient?: "route" | "blackhole" | "none" } = {},
): Promise<Joined & { tgwRouteTable: string }> {
  const client = await clientVpc(ec2, address);
  const via = (await ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
  const attach = async (vpcId: string, subnetId: string) =>
    (
      await ec2.send(
        new CreateTransitGatewayVpcAttachmentCommand({
          TransitGatewayId: via,
          VpcId: vpcId,
          SubnetIds: [subnetId],
        }),
      )
    ).TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
  const endpointAttachment = await attach(world.vpcId, world.subnets[0]!);
  const clientAttachment = await attach(client.vpcId, client.subnetId);
  const described = await ec2.send(
    new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [endpointAttachment] }),
  );
  const tgwRouteTable = described.TransitGatewayAttachments![0]!.Association!.TransitGatewayRouteTableId!;
  const tgwRoute = async (
    cidr: string,
    attachment: string,
    kind: "route" | "blackhole" | "none" | undefined,
  ) => {
    if (kind === "none") return;
    await ec2.send(
      new CreateTransitGatewayRouteCommand({
        TransitGatewayRouteTableId: tgwRouteTable,
        DestinationCidrBlock: cidr,
        ...(kind === "blackhole" ? { Blackhole: true } : { TransitGatewayAttachmentId: attachment }),
      }),
    );
  };
  await tgwRoute(TOWARD_ENDPOINT, endpointAttachment, tgwRoutes.toEndpoint);
  await tgwRoute("172.31.0.0/16", clientAttachment, tgwRoutes.toClient);
  const endpointTable = await ownTable(ec2, world.vpcId, world.subnets.slice(0, 2));
  await route(ec2, client.routeTableId, TOWARD_ENDPOINT, { TransitGatewayId: via });
  await route(ec2, endpointTable, "172.31.0.0/16", { TransitGatewayId: via });
  return { client, endpointTable, via, tgwRouteTable };
}

/** An attached VGW and a route for `onPrem` to it in the endpoint subnets' own table. */
export async function onPremises(
  ec2: EC2Client,
  world: World,
  onPrem: string,
): Promise<{ vgw: string; endpointTable: string }> {
  const vgw = (await ec2.send(new CreateVpnGatewayCommand({ Type: "ipsec.1" }))).VpnGateway!.VpnGatewayId!;
  await ec2.send(new AttachVpnGatewayCommand({ VpnGatewayId: vgw, VpcId: world.vpcId }));
  const endpointTable = await ownTable(ec2, world.vpcId, world.subnets.slice(0, 2));
  await route(ec2, endpointTable, onPrem, { GatewayId: vgw });
  return { vgw, endpointTable };
}

async function route(
  ec2: EC2Client,
  tableId: string,
  cidr: string,
  target: Record<string, string>,
): Promise<void> {
  await ec2.send(new CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: cidr, ...target }));
}
