import { describe, expect, it } from "vitest";
import { clientRoute } from "../../src/checks/client-route.js";
import { runCheck } from "../../src/diagnosis/evaluate.js";
import type { Snapshot } from "../../src/diagnosis/snapshot.js";
import {
  IDS,
  interfaceSnapshot,
  OUTSIDE,
  onPremClient,
  peeredClient,
  transitClient,
  withGap,
} from "../support/snapshot-factory.js";

const run = (mutate: (s: Snapshot) => void) => runCheck(clientRoute, interfaceSnapshot(mutate));
const table = (s: Snapshot, id: string) => s.outsidePath!.routeTables!.find((t) => t.id === id)!;
const routeTo = (s: Snapshot, id: string, cidr: string) =>
  table(s, id).routes.find((r) => r.destinationCidr === cidr)!;

describe("client-route: peered client", () => {
  it("passes when the peering is active and both tables route over it", () => {
    const result = run(peeredClient);
    expect(result.status).toBe("pass");
    expect(result.summary).toContain(`over active ${OUTSIDE.pcx}`);
  });

  it("fails naming the client's table when it has no route toward the endpoint", () => {
    const result = run((s) => {
      peeredClient(s);
      table(s, OUTSIDE.rtbClient).routes.pop();
    });
    expect(result.status).toBe("fail");
    expect(result.summary).toBe(
      `${OUTSIDE.rtbClient} (associated with ${OUTSIDE.subnet}) has no route to ${IDS.endpoint} at 10.0.1.10/32`,
    );
    expect(result.findings[0]!.remediation!.command).toBe(
      `aws ec2 create-route --region us-east-1 --route-table-id ${OUTSIDE.rtbClient} --destination-cidr-block 10.0.0.0/16 --vpc-peering-connection-id ${OUTSIDE.pcx}`,
    );
  });

  it("fails naming the endpoint subnets' table when it has no return route", () => {
    const result = run((s) => {
      peeredClient(s);
      table(s, IDS.rtbMain).routes.pop();
    });
    expect(result.status).toBe("fail");
    expect(result.summary).toContain(
      `${IDS.rtbMain} (the main table of ${IDS.vpc}, used by ${IDS.subnetA}) has no route to the client 10.1.1.5/32`,
    );
  });

  it("fails on a blackhole route", () => {
    const result = run((s) => {
      peeredClient(s);
      routeTo(s, OUTSIDE.rtbClient, "10.0.0.0/16").state = "blackhole";
    });
    expect(result.status).toBe("fail");
    expect(result.summary).toContain("is a blackhole");
  });

  it("fails when the peering connection is not active", () => {
    const result = run((s) => {
      peeredClient(s);
      s.outsidePath!.peerings![0]!.status = "pending-acceptance";
    });
    expect(result.status).toBe("fail");
    expect(result.summary).toBe(
      `peering connection ${OUTSIDE.pcx} used by ${OUTSIDE.rtbClient} is pending-acceptance, not active`,
    );
  });

  it("fails when the only route is the default route to an internet gateway", () => {
    const result = run((s) => {
      peeredClient(s);
      Object.assign(routeTo(s, OUTSIDE.rtbClient, "10.0.0.0/16"), {
        destinationCidr: "0.0.0.0/0",
        target: undefined,
        gatewayId: "igw-0123",
      });
    });
    expect(result.status).toBe("fail");
    expect(result.summary).toContain("igw-0123, which cannot carry traffic to a private address");
  });

  it("is unknown, naming the refused action, when the peering could not be read", () => {
    const result = run((s) => {
      peeredClient(s);
      s.outsidePath!.peerings = undefined;
      withGap(s, "outsidePath.peerings", "ec2:DescribeVpcPeeringConnections");
    });
    expect(result.status).toBe("unknown");
    expect(result.summary).toContain("ec2:DescribeVpcPeeringConnections denied");
  });

  it("is unknown when the route tables could not be read", () => {
    const result = run((s) => {
      peeredClient(s);
      s.outsidePath!.routeTables = undefined;
      withGap(s, "outsidePath.routeTables", "ec2:DescribeRouteTables");
    });
    expect(result.status).toBe("unknown");
    expect(result.summary).toContain("ec2:DescribeRouteTables denied");
  });
});

describe("client-route: transit gateway", () => {
  it("passes when both attachments share a TGW route table routing each side", () => {
    const result = run(transitClient);
    expect(result.status).toBe("pass");
    expect(result.summary).toContain(
      `TGW route table ${OUTSIDE.tgwRtb} routes the client 10.1.1.5/32 to ${OUTSIDE.vpc}`,
    );
  });

  it("fails naming the TGW route table when it lacks the route to the client", () => {
    const result = run((s) => {
      transitClient(s);
      s.outsidePath!.transitGatewayRoutes![0]!.routes.pop();
    });
    expect(result.status).toBe("fail");
    expect(result.summary).toBe(`TGW route table ${OUTSIDE.tgwRtb} has no route to the client 10.1.1.5/32`);
  });

  it("fails on a TGW blackhole route", () => {
    const result = run((s) => {
      transitClient(s);
      Object.assign(s.outsidePath!.transitGatewayRoutes![0]!.routes[0]!, {
        state: "blackhole",
        attachments: [],
      });
    });
    expect(result.status).toBe("fail");
    expect(result.summary).toContain(`in TGW route table ${OUTSIDE.tgwRtb} is a blackhole`);
  });

  it("warns (never passes) on an active TGW route that names no attachment", () => {
    const result = run((s) => {
      transitClient(s);
      s.outsidePath!.transitGatewayRoutes![0]!.routes[1]!.attachments = [];
    });
    expect(result.status).toBe("warn");
    expect(result.summary).toContain("that names no attachment");
  });

  it("is unknown, naming what remains, when the TGW routes could not be read", () => {
    const result = run((s) => {
      transitClient(s);
      s.outsidePath!.transitGatewayRoutes = undefined;
      withGap(s, "outsidePath.transitGateways", "ec2:SearchTransitGatewayRoutes");
    });
    expect(result.status).toBe("unknown");
    expect(result.summary).toContain(`through TGW route table ${OUTSIDE.tgwRtb}, which could not be read`);
    expect(result.summary).toContain("ec2:SearchTransitGatewayRoutes denied");
  });

  it("fails when the endpoint's VPC is not attached to the transit gateway", () => {
    const result = run((s) => {
      transitClient(s);
      s.outsidePath!.transitGatewayAttachments!.shift();
    });
    expect(result.status).toBe("fail");
    expect(result.summary).toContain(`but ${IDS.vpc} has no attachment to it`);
  });
});

describe("client-route: on-premises client", () => {
  it("warns (never passes) with what remains for the network team when the VGW route back exists", () => {
    const result = run(onPremClient);
    expect(result.status).toBe("warn");
    expect(result.summary).toContain(
      `route back to the on-premises client 192.168.10.5/32 through ${OUTSIDE.vgw}`,
    );
    const far = result.findings[0]!;
    expect(far.remediation!.text).toContain("BGP advertises 192.168.10.5/32");
    expect(far.remediation!.command).toContain(`Name=vpn-gateway-id,Values=${OUTSIDE.vgw}`);
    expect(far.evidence).toContain(`${IDS.rtbMain} propagates routes from ${OUTSIDE.vgw}`);
  });

  it("fails when no route leads back to the client, proposing the attached VGW", () => {
    const result = run((s) => {
      onPremClient(s);
      table(s, IDS.rtbMain).routes.pop();
    });
    expect(result.status).toBe("fail");
    expect(result.summary).toContain("has no route to the client 192.168.10.5/32");
    expect(result.findings[0]!.remediation!.command).toContain(`--gateway-id ${OUTSIDE.vgw}`);
  });

  it("fails when the route back goes through a peering connection (no edge-to-edge routing)", () => {
    const result = run((s) => {
      onPremClient(s);
      Object.assign(routeTo(s, IDS.rtbMain, "192.168.0.0/16"), { gatewayId: undefined, target: OUTSIDE.pcx });
      s.outsidePath!.peerings = [
        {
          id: OUTSIDE.pcx,
          status: "active",
          requester: { vpcId: OUTSIDE.vpc },
          accepter: { vpcId: IDS.vpc },
        },
      ];
    });
    expect(result.status).toBe("fail");
    expect(result.summary).toContain("never carries traffic on to another network");
  });
});

describe("client-route: clients it does not judge", () => {
  it("skips without a client", () => {
    expect(run(() => {}).status).toBe("skip");
  });

  it("passes a client inside the endpoint's VPC (local route)", () => {
    const result = run((s) => {
      s.source = {
        given: { kind: "cidr", value: "10.0.1.25/32", ipVersion: 4 },
        addresses: ["10.0.1.25"],
        securityGroupIds: [],
        found: false,
      };
    });
    expect(result.status).toBe("pass");
    expect(result.summary).toContain("local route");
  });

  it("skips a gateway endpoint", () => {
    const result = run((s) => {
      s.endpoint!.type = "Gateway";
    });
    expect(result.status).toBe("skip");
  });
});
