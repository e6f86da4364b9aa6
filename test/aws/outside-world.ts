import {
  DescribeRegionsCommand,
  DescribeRouteTablesCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnectionsCommand,
  EC2Client,
  type Filter,
  SearchTransitGatewayRoutesCommand,
} from "@aws-sdk/client-ec2";
import { ListResolverEndpointsCommand } from "@aws-sdk/client-route53resolver";
import { mockClient } from "aws-sdk-client-mock";
import type { Source } from "../../src/diagnosis/snapshot.js";
import { IDS, OUTSIDE } from "../support/snapshot-factory.js";
import type { World } from "./collect-world.js";
import { awsError } from "./collectors/telemetry-context.js";

// The mocked account of collect-world.ts, with what a client outside the endpoint's VPC adds: an on-premises
// client reached over a transit gateway's VPN attachment, a peering the endpoint's table also names, a Resolver
// inbound endpoint; and the account's other regions for the "not found here" lookup.

/** The on-premises client: no ENI of the account holds 192.168.10.5. */
export const ON_PREM_SOURCE: Source = { kind: "cidr", value: `${OUTSIDE.onPrem}/32`, ipVersion: 4 };

/** The region and the endpoint id found there by the other-regions lookup. */
export const ELSEWHERE = { region: "us-west-2", endpointId: "vpce-0ffffffffffffffff" } as const;

function values(filters: Filter[] | undefined, name: string): string[] {
  return filters?.find((f) => f.Name === name)?.Values ?? [];
}

/** Adds the on-premises path: VPC table -> TGW -> VPN attachment, a peering route, an inbound Resolver endpoint. */
export function withOnPremPath(world: World): void {
  world.serve("ec2", DescribeRouteTablesCommand, (input) => ({
    RouteTables: values(input.Filters, "vpc-id").includes(IDS.vpc)
      ? [
          {
            RouteTableId: IDS.rtbMain,
            VpcId: IDS.vpc,
            Associations: [{ Main: true }],
            Routes: [
              { DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local", State: "active" },
              { DestinationCidrBlock: "192.168.0.0/16", TransitGatewayId: OUTSIDE.tgw, State: "active" },
              { DestinationCidrBlock: "172.16.0.0/12", VpcPeeringConnectionId: OUTSIDE.pcx, State: "active" },
            ],
          },
        ]
      : [],
  }));
  world.serve("ec2", DescribeTransitGatewayAttachmentsCommand, (input) => ({
    TransitGatewayAttachments: values(input.Filters, "resource-id").includes(IDS.vpc)
      ? [
          {
            TransitGatewayAttachmentId: OUTSIDE.attachEndpoint,
            TransitGatewayId: OUTSIDE.tgw,
            ResourceType: "vpc",
            ResourceId: IDS.vpc,
            State: "available",
            Association: { TransitGatewayRouteTableId: OUTSIDE.tgwRtb, State: "associated" },
          },
        ]
      : [],
  }));
  world.serve("ec2", SearchTransitGatewayRoutesCommand, (input) => {
    if (input.TransitGatewayRouteTableId !== OUTSIDE.tgwRtb) throw awsError("InvalidRouteTableID.NotFound");
    return {
      Routes: [
        {
          DestinationCidrBlock: "192.168.0.0/16",
          State: "active",
          Type: "propagated",
          TransitGatewayAttachments: [
            {
              TransitGatewayAttachmentId: OUTSIDE.attachVpn,
              ResourceId: "vpn-0123456789abcdef0",
              ResourceType: "vpn",
            },
          ],
        },
      ],
      AdditionalRoutesAvailable: false,
    };
  });
  world.serve("ec2", DescribeVpcPeeringConnectionsCommand, (input) => ({
    VpcPeeringConnections: (input.VpcPeeringConnectionIds ?? []).map((id: string) => ({
      VpcPeeringConnectionId: id,
      Status: { Code: "active" },
      RequesterVpcInfo: { VpcId: OUTSIDE.vpc, Region: "us-east-1" },
      AccepterVpcInfo: { VpcId: IDS.vpc, Region: "us-east-1" },
    })),
  }));
  world.serve("route53resolver", ListResolverEndpointsCommand, (input) => ({
    ResolverEndpoints: values(input.Filters, "HostVPCId").includes(IDS.vpc)
      ? [
          {
            Id: "rslvr-in-0123456789abcdef0",
            Direction: "INBOUND",
            HostVPCId: IDS.vpc,
            Status: "OPERATIONAL",
          },
        ]
      : [],
  }));
}

/** Gives the world regional EC2 clients: DescribeRegions lists three, and us-west-2 holds ELSEWHERE.endpointId. */
export function withOtherRegions(world: World): void {
  world.serve("ec2", DescribeRegionsCommand, () => ({
    Regions: [
      { RegionName: "us-east-1", OptInStatus: "opt-in-not-required" },
      { RegionName: "us-west-2", OptInStatus: "opt-in-not-required" },
      { RegionName: "eu-west-1", OptInStatus: "opt-in-not-required" },
      { RegionName: "ap-east-1", OptInStatus: "not-opted-in" },
    ],
  }));
  const clients = new Map<string, EC2Client>();
  world.clients.ec2In = (region) => {
    const known = clients.get(region);
    if (known) return known;
    const client = new EC2Client({ region, credentials: { accessKeyId: "x", secretAccessKey: "y" } });
    mockClient(client)
      .on(DescribeVpcEndpointsCommand)
      .callsFake(async (input) => {
        world.log.push({ client: "ec2", command: "DescribeVpcEndpoints", phase: "start" });
        world.log.push({ client: "ec2", command: "DescribeVpcEndpoints", phase: "end" });
        const failure = world.failures.get(`DescribeVpcEndpoints@${region}`);
        if (failure) throw awsError(failure, `${failure}: refused in ${region}`);
        const id = input.VpcEndpointIds?.[0];
        if (region === ELSEWHERE.region && id === ELSEWHERE.endpointId) {
          return { VpcEndpoints: [{ VpcEndpointId: id, State: "available" }] };
        }
        throw awsError("InvalidVpcEndpointId.NotFound");
      });
    clients.set(region, client);
    return client;
  };
}
