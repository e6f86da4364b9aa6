import { describe, expect, it } from "vitest";
import { gatewayRoutes } from "../../src/checks/gateway-routes.js";
import { runCheck } from "../../src/diagnosis/evaluate.js";
import type { ResolvedSource, Snapshot } from "../../src/diagnosis/snapshot.js";
import {
  gatewaySnapshot,
  healthyGatewaySnapshot,
  IDS,
  interfaceSnapshot,
  withGap,
} from "../support/snapshot-factory.js";

const run = (snapshot: Snapshot) => runCheck(gatewayRoutes, snapshot);

function fromSubnet(subnetId: string, vpcId: string = IDS.vpc): ResolvedSource {
  return {
    given: { kind: "instance", value: "i-0123456789abcdef0" },
    addresses: ["10.0.1.25"],
    subnetId,
    vpcId,
    securityGroupIds: [IDS.sgClient],
    found: true,
  };
}

/** Drops the endpoint's route from one table and the table from the endpoint's associations. */
function dropRoute(s: Snapshot, tableId: string): void {
  const table = s.routeTables!.find((t) => t.id === tableId)!;
  table.routes = table.routes.filter((r) => r.gatewayId !== IDS.gatewayEndpoint);
  s.endpoint!.routeTableIds = s.endpoint!.routeTableIds.filter((id) => id !== tableId);
}

const PUBLIC_RTB = "rtb-0123456789abcdef3";
const IGW = "igw-0123456789abcdef0";
const NAT = "nat-0123456789abcdef0";

/** Adds a public route table (default route to an internet gateway, no endpoint route) for subnet C. */
function addPublicTable(s: Snapshot): void {
  s.routeTables!.push({
    id: PUBLIC_RTB,
    vpcId: IDS.vpc,
    main: false,
    subnetIds: [IDS.subnetC],
    routes: [
      { destinationCidr: "10.0.0.0/16", gatewayId: "local", state: "active" },
      { destinationCidr: "0.0.0.0/0", gatewayId: IGW, state: "active" },
    ],
  });
}

/** Gives a table a default route through a NAT gateway. */
function natRoute(s: Snapshot, tableId: string): void {
  s.routeTables!.find((t) => t.id === tableId)!.routes.push({
    destinationCidr: "0.0.0.0/0",
    target: NAT,
    state: "active",
  });
}

describe("gateway-routes", () => {
  it("has the id of its file", () => {
    expect(gatewayRoutes.id).toBe("gateway-routes");
  });

  describe("passes when", () => {
    it("every route table in use of the healthy gateway endpoint has the prefix-list route", () => {
      const outcome = run(healthyGatewaySnapshot());
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toBe(
        `every route table in use in ${IDS.vpc} (${IDS.rtbMain}, ${IDS.rtbPrivate}) routes ${IDS.s3PrefixList} to ${IDS.gatewayEndpoint}`,
      );
      const notes = outcome.findings.flatMap((f) => f.evidence).join("\n");
      expect(notes).toContain("NACLs cannot reference prefix lists");
      expect(notes).toContain("aws:SourceVpce");
    });

    it("the source's subnet uses an explicitly associated table with the route", () => {
      const outcome = run(
        gatewaySnapshot((s) => {
          s.source = fromSubnet(IDS.subnetA);
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toBe(
        `${IDS.subnetA} uses ${IDS.rtbPrivate}, which routes ${IDS.s3PrefixList} to ${IDS.gatewayEndpoint}`,
      );
    });

    it("the source's subnet uses a routed table while another table lacks the route, noting it", () => {
      const outcome = run(
        gatewaySnapshot((s) => {
          dropRoute(s, IDS.rtbMain);
          s.source = fromSubnet(IDS.subnetA);
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.findings[0]!.severity).toBe("info");
      expect(outcome.findings[0]!.summary).toContain(IDS.rtbMain);
    });

    it("a public subnet's table (default route to an internet gateway) lacks the route: an info note", () => {
      const outcome = run(gatewaySnapshot(addPublicTable));
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain(`the public ones (${PUBLIC_RTB}) need no route`);
      const note = outcome.findings.find((f) => f.summary.includes(PUBLIC_RTB))!;
      expect(note.severity).toBe("info");
      expect(note.summary).toContain(`over the internet gateway ${IGW}`);
      expect(note.remediation!.command).toBeUndefined();
      expect(note.remediation!.text).toContain("No change is needed");
    });

    it("a table with no subnets that is not the main table lacks the route", () => {
      const outcome = run(
        gatewaySnapshot((s) => {
          s.routeTables!.push({
            id: PUBLIC_RTB,
            vpcId: IDS.vpc,
            main: false,
            subnetIds: [],
            routes: [{ destinationCidr: "10.0.0.0/16", gatewayId: "local", state: "active" }],
          });
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(JSON.stringify(outcome)).not.toContain(PUBLIC_RTB);
    });
  });

  describe("warns when", () => {
    it("without --from, a private table with subnets lacks the route (no proof any client there uses S3)", () => {
      const outcome = run(gatewaySnapshot((s) => dropRoute(s, IDS.rtbPrivate)));
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toBe(
        `${IDS.rtbPrivate} has no route to ${IDS.gatewayEndpoint} and no other way out, so clients in ${IDS.subnetA}, ${IDS.subnetB} cannot reach com.amazonaws.us-east-1.s3`,
      );
      const finding = outcome.findings[0]!;
      expect(finding.severity).toBe("medium");
      expect(finding.evidence.join("\n")).toContain("give --from to judge one client");
      expect(finding.remediation!.command).toBe(
        `aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id ${IDS.gatewayEndpoint} --add-route-table-ids ${IDS.rtbPrivate}`,
      );
      expect(finding.remediation!.text).not.toContain("aws:SourceIp");
    });

    it("with --from, the client's public subnet lacks the route: it reaches S3 over the IGW, not the endpoint", () => {
      const outcome = run(
        gatewaySnapshot((s) => {
          addPublicTable(s);
          s.source = fromSubnet(IDS.subnetC);
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain(`over the internet gateway ${IGW}`);
      expect(outcome.summary).toContain("not through the endpoint");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain("public IPv4 address");
      const remediation = outcome.findings[0]!.remediation!;
      expect(remediation.command).toContain(`--add-route-table-ids ${PUBLIC_RTB}`);
      expect(remediation.text).toContain("aws:SourceIp");
    });

    it("with --from, the client's private subnet lacks the route but has a NAT gateway", () => {
      const outcome = run(
        gatewaySnapshot((s) => {
          dropRoute(s, IDS.rtbPrivate);
          natRoute(s, IDS.rtbPrivate);
          s.source = fromSubnet(IDS.subnetA);
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain(`through 0.0.0.0/0 -> ${NAT}`);
      expect(outcome.findings[0]!.remediation!.text).toContain("move those to aws:SourceVpce first");
    });

    it("without --from, the main table lacks the route (it serves every subnet without a table of its own)", () => {
      const outcome = run(gatewaySnapshot((s) => dropRoute(s, IDS.rtbMain)));
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain(
        "clients in every subnet without an explicit route table association cannot reach",
      );
    });
  });

  describe("fails when", () => {
    it("with --from in a private subnet whose table has neither the route nor a way out", () => {
      const outcome = run(
        gatewaySnapshot((s) => {
          dropRoute(s, IDS.rtbPrivate);
          s.source = fromSubnet(IDS.subnetA);
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(
        `${IDS.rtbPrivate} has no route to ${IDS.gatewayEndpoint} and no other way out, so the source in ${IDS.subnetA} cannot reach com.amazonaws.us-east-1.s3`,
      );
      expect(outcome.findings[0]!.severity).toBe("high");
      expect(outcome.findings[0]!.remediation!.command).toContain(`--add-route-table-ids ${IDS.rtbPrivate}`);
    });

    it("the source's subnet falls back to a main table without the route", () => {
      const outcome = run(
        gatewaySnapshot((s) => {
          dropRoute(s, IDS.rtbMain);
          s.source = fromSubnet(IDS.subnetC);
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(IDS.rtbMain);
      expect(outcome.summary).toContain(IDS.gatewayEndpoint);
      const finding = outcome.findings[0]!;
      expect(finding.remediation!.command).toBe(
        `aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id ${IDS.gatewayEndpoint} --add-route-table-ids ${IDS.rtbMain}`,
      );
      expect(finding.resourceIds).toEqual([IDS.rtbMain, IDS.gatewayEndpoint, IDS.subnetC]);
      expect(finding.evidence.join("\n")).toContain("aws:SourceVpce");
    });

    it("the endpoint's route is a blackhole", () => {
      const outcome = run(
        gatewaySnapshot((s) => {
          const route = s.routeTables![1]!.routes.find((r) => r.gatewayId === IDS.gatewayEndpoint)!;
          route.state = "blackhole";
          s.source = fromSubnet(IDS.subnetB);
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("blackhole");
      expect(outcome.summary).toContain(IDS.rtbPrivate);
      expect(outcome.findings[0]!.remediation!.command).toBe(
        `aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id ${IDS.gatewayEndpoint} --remove-route-table-ids ${IDS.rtbPrivate} && aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id ${IDS.gatewayEndpoint} --add-route-table-ids ${IDS.rtbPrivate}`,
      );
    });

    it("the source is in a peered VPC", () => {
      const outcome = run(
        gatewaySnapshot((s) => {
          s.source = fromSubnet("subnet-0peer0000000000001", "vpc-0peer000000000001");
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("vpc-0peer000000000001");
      expect(outcome.summary).toContain(IDS.gatewayEndpoint);
      expect(outcome.findings[0]!.evidence.join("\n")).toContain("transit gateway");
      expect(outcome.findings[0]!.remediation!.command).toContain("--vpc-id vpc-0peer000000000001");
    });

    it("the source is an on-premises CIDR outside the VPC", () => {
      const outcome = run(
        gatewaySnapshot((s) => {
          s.source = {
            given: { kind: "cidr", value: "192.168.10.0/24", ipVersion: 4 },
            addresses: [],
            securityGroupIds: [],
            found: true,
          };
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("192.168.10.0/24");
      expect(outcome.summary).toContain(`outside ${IDS.vpc}`);
    });
  });

  describe("unknown when", () => {
    it("the route tables could not be read", () => {
      const outcome = run(
        gatewaySnapshot((s) => {
          s.routeTables = undefined;
          withGap(s, "routeTables", "ec2:DescribeRouteTables");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeRouteTables");
    });
  });

  describe("skips when", () => {
    it("the endpoint is an interface endpoint", () => {
      const outcome = run(interfaceSnapshot());
      expect(outcome.status).toBe("skip");
      expect(outcome.summary).toContain("interface endpoints use the VPC's local route");
    });

    it("there is no endpoint", () => {
      const outcome = run(
        gatewaySnapshot((s) => {
          s.endpoint = null;
        }),
      );
      expect(outcome.status).toBe("skip");
    });
  });
});
