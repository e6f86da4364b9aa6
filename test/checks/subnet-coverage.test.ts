import { describe, expect, it } from "vitest";
import { subnetCoverage } from "../../src/checks/subnet-coverage.js";
import type { ResolvedSource, Snapshot } from "../../src/diagnosis/snapshot.js";
import {
  gatewaySnapshot,
  healthyInterfaceSnapshot,
  IDS,
  interfaceSnapshot,
  withGap,
} from "../support/snapshot-factory.js";

const run = (snapshot: Snapshot) => subnetCoverage.run(snapshot, new Map());

const SUBNET_C = {
  id: IDS.subnetC,
  vpcId: IDS.vpc,
  availabilityZone: "us-east-1c",
  availabilityZoneId: "use1-az4",
  cidrIpv4: "10.0.3.0/24",
  cidrsIpv6: [],
};

function fromSubnet(subnetId: string, vpcId: string = IDS.vpc): ResolvedSource {
  return {
    given: { kind: "instance", value: "i-0123456789abcdef0" },
    addresses: ["10.0.3.25"],
    subnetId,
    vpcId,
    securityGroupIds: [IDS.sgClient],
    found: true,
  };
}

describe("subnet-coverage", () => {
  it("has the id of its file", () => {
    expect(subnetCoverage.id).toBe("subnet-coverage");
  });

  describe("passes when", () => {
    it("the healthy endpoint has in-use ENIs in two zones", () => {
      const outcome = run(healthyInterfaceSnapshot());
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toBe(
        `${IDS.endpoint} has in-use ENIs in use1-az1 (${IDS.subnetA}), use1-az2 (${IDS.subnetB})`,
      );
      expect(outcome.findings).toEqual([]);
    });

    it("the source sits in a zone the endpoint covers", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.source = fromSubnet(IDS.subnetA);
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain(`including the zone of the source's ${IDS.subnetA}`);
    });

    it("the source is a CIDR with no subnet", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.source = {
            given: { kind: "cidr", value: "10.0.3.0/24", ipVersion: 4 },
            addresses: [],
            securityGroupIds: [],
            found: true,
          };
        }),
      );
      expect(outcome.status).toBe("pass");
    });
  });

  describe("fails when", () => {
    it("the source's zone has no endpoint ENI, suggesting the source's own subnet", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.subnets!.push(SUBNET_C);
          s.source = fromSubnet(IDS.subnetC);
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(
        `the source's ${IDS.subnetC} is in us-east-1c (use1-az4), where ${IDS.endpoint} has no ENI`,
      );
      const finding = outcome.findings[0]!;
      expect(finding.remediation!.command).toBe(
        `aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id ${IDS.endpoint} --add-subnet-ids ${IDS.subnetC}`,
      );
      expect(finding.evidence.join("\n")).toContain("zonal DNS name");
      expect(finding.resourceIds).toEqual([IDS.subnetC, IDS.endpoint]);
    });

    it("compares zone ids, not names", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          // Same name as an endpoint zone, but a different physical zone.
          s.subnets!.push({ ...SUBNET_C, availabilityZone: "us-east-1a" });
          s.source = fromSubnet(IDS.subnetC);
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("use1-az4");
    });

    it("the endpoint has no subnets at all", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.subnetIds = [];
          s.endpoint!.networkInterfaceIds = [];
          s.networkInterfaces = [];
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(`${IDS.endpoint} has no subnets`);
    });
  });

  describe("warns when", () => {
    it("the endpoint sits in a single zone, suggesting a subnet in another zone", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.subnetIds = [IDS.subnetA];
          s.endpoint!.networkInterfaceIds = [IDS.eniA];
          s.networkInterfaces = s.networkInterfaces!.filter((eni) => eni.id === IDS.eniA);
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("single Availability Zone");
      expect(outcome.summary).toContain("use1-az1");
      expect(outcome.findings[0]!.remediation!.command).toContain(`--add-subnet-ids ${IDS.subnetB}`);
    });

    it("an endpoint ENI is not in-use", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.networkInterfaces![1]!.status = "available";
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toBe(
        `${IDS.eniB} of ${IDS.endpoint} in ${IDS.subnetB} is available, not in-use`,
      );
      expect(outcome.findings[0]!.resourceIds).toContain(IDS.eniB);
    });

    it("an endpoint subnet has no ENI", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.networkInterfaceIds = [IDS.eniA];
          s.networkInterfaces = s.networkInterfaces!.filter((eni) => eni.id === IDS.eniA);
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toBe(`${IDS.subnetB} is listed on ${IDS.endpoint} but has no endpoint ENI`);
      expect(outcome.findings[0]!.remediation!.command).toContain(`--add-subnet-ids ${IDS.subnetB}`);
    });

    it("the source is in another VPC", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.subnets!.push({
            ...SUBNET_C,
            id: "subnet-0other000000000001",
            vpcId: "vpc-0other00000000001",
            availabilityZoneId: "use1-az1",
            availabilityZone: "us-east-1a",
          });
          s.source = fromSubnet("subnet-0other000000000001", "vpc-0other00000000001");
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("vpc-0other00000000001");
      expect(outcome.summary).toContain(IDS.vpc);
      expect(outcome.findings[0]!.evidence.join("\n")).toContain("peering or a transit gateway");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain("resolve");
    });

    it("the source's zone is missing but the service is not offered there", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.subnets!.push({ ...SUBNET_C, availabilityZoneId: "use1-az6", availabilityZone: "us-east-1f" });
          s.source = fromSubnet(IDS.subnetC);
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain("not offered in us-east-1f (use1-az6)");
    });
  });

  describe("unknown when", () => {
    it("the subnets could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.subnets = undefined;
          withGap(s, "subnets", "ec2:DescribeSubnets");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeSubnets");
    });

    it("the ENIs could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.networkInterfaces = undefined;
          withGap(s, "networkInterfaces", "ec2:DescribeNetworkInterfaces");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeNetworkInterfaces");
    });

    it("the source could not be resolved", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          withGap(s, "source", "ec2:DescribeInstances");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeInstances");
    });
  });

  describe("skips when", () => {
    it("the endpoint is a gateway endpoint", () => {
      const outcome = run(gatewaySnapshot());
      expect(outcome.status).toBe("skip");
      expect(outcome.summary).toContain(IDS.gatewayEndpoint);
    });

    it("there is no endpoint", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint = null;
        }),
      );
      expect(outcome.status).toBe("skip");
    });
  });
});
