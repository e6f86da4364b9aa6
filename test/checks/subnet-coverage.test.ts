import { describe, expect, it } from "vitest";
import { subnetCoverage } from "../../src/checks/subnet-coverage.js";
import { runCheck } from "../../src/diagnosis/evaluate.js";
import type { ResolvedSource, Snapshot } from "../../src/diagnosis/snapshot.js";
import {
  gatewaySnapshot,
  healthyInterfaceSnapshot,
  IDS,
  interfaceSnapshot,
  OUTSIDE,
  peeredClient,
  withGap,
} from "../support/snapshot-factory.js";

const run = (snapshot: Snapshot) => runCheck(subnetCoverage, snapshot);

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
  it("has the id of its file and declares what it needs", () => {
    expect(subnetCoverage.id).toBe("subnet-coverage");
    expect(subnetCoverage.appliesTo).toEqual(["Interface", "GatewayLoadBalancer"]);
    expect(subnetCoverage.needs).toEqual(["subnets", "networkInterfaces"]);
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

    it("the source's zone has no endpoint ENI: it connects across zones, noted with latency, cost and resilience", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.subnets!.push(SUBNET_C);
          s.source = fromSubnet(IDS.subnetC);
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toBe(
        `${IDS.endpoint} has in-use ENIs in use1-az1 (${IDS.subnetA}), use1-az2 (${IDS.subnetB}); the source's ${IDS.subnetC} in us-east-1c (use1-az4) reaches them across zones`,
      );
      const note = outcome.findings[0]!;
      expect(note.severity).toBe("info");
      expect(note.summary).toBe(
        `the source's ${IDS.subnetC} is in us-east-1c (use1-az4), where ${IDS.endpoint} has no ENI: it connects across zones through the Regional DNS name`,
      );
      expect(note.evidence.join("\n")).toContain("cross-AZ data transfer");
      expect(note.evidence.join("\n")).toContain("another zone being up");
      expect(note.remediation!.text).toContain("Optional");
      expect(note.remediation!.command).toBe(
        `aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id ${IDS.endpoint} --add-subnet-ids ${IDS.subnetC}`,
      );
      expect(note.resourceIds).toEqual([IDS.subnetC, IDS.endpoint]);
    });

    it("compares zone ids, not names: the same name in another physical zone is a cross-zone note", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.subnets!.push({ ...SUBNET_C, availabilityZone: "us-east-1a" });
          s.source = fromSubnet(IDS.subnetC);
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.findings[0]!.summary).toContain("use1-az4");
    });

    it("the source's zone has no endpoint ENI and the service is not offered there, with nothing to add", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.subnets!.push({ ...SUBNET_C, availabilityZoneId: "use1-az6", availabilityZone: "us-east-1f" });
          s.source = fromSubnet(IDS.subnetC);
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain("not offered in us-east-1f (use1-az6)");
      expect(outcome.findings[0]!.remediation!.command).toBeUndefined();
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

  describe("passes when (examined types)", () => {
    it("the endpoint is a Gateway Load Balancer endpoint with ENIs in two zones", () => {
      const outcome = run(interfaceSnapshot((s) => (s.endpoint!.type = "GatewayLoadBalancer")));
      expect(outcome.status).toBe("pass");
    });

    it("the source was not found, saying only the endpoint's zones were checked", () => {
      const outcome = run(
        interfaceSnapshot((s) => (s.source = { ...fromSubnet(IDS.subnetC), found: false })),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain("was not found");
      expect(outcome.findings[0]!.severity).toBe("info");
    });
  });

  describe("fails when", () => {
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

    it("the endpoint has no subnets, whatever zone the source is in", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.subnetIds = [];
          s.endpoint!.networkInterfaceIds = [];
          s.networkInterfaces = [];
          s.subnets!.push(SUBNET_C);
          s.source = fromSubnet(IDS.subnetC);
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.findings[0]!.remediation!.command).toContain(`--add-subnet-ids ${IDS.subnetC}`);
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
      // Resilience advice, not a fault: hygiene, which never sets the verdict.
      expect(outcome.advisory).toBe(true);
    });

    it("an endpoint ENI is not in-use (evidence, so not hygiene)", () => {
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
      expect(outcome.advisory).toBeUndefined();
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
  });

  describe("warns when (cross-zone stays a note)", () => {
    it("the endpoint is in one zone and the source in another: the single zone warns, the source is a note", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.subnetIds = [IDS.subnetA];
          s.endpoint!.networkInterfaceIds = [IDS.eniA];
          s.networkInterfaces = s.networkInterfaces!.filter((eni) => eni.id === IDS.eniA);
          s.source = fromSubnet(IDS.subnetB);
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("single Availability Zone");
      expect(outcome.findings.map((f) => f.severity)).toEqual(["medium", "info"]);
    });
  });

  describe("unknown when", () => {
    it("the subnets are absent without a recorded gap", () => {
      const outcome = run(interfaceSnapshot((s) => (s.subnets = undefined)));
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("were not collected");
    });

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
    it("the endpoint is a gateway endpoint, saying why", () => {
      const outcome = run(gatewaySnapshot());
      expect(outcome.status).toBe("skip");
      expect(outcome.summary).toBe(
        `${IDS.gatewayEndpoint} is a Gateway endpoint: it has no subnets or ENIs and works through route tables`,
      );
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

describe("subnet-coverage for a client in another VPC", () => {
  it("notes the other VPC (client-route and private-dns judge the path) once the path is collected", () => {
    const result = runCheck(subnetCoverage, interfaceSnapshot(peeredClient));
    expect(result.status).toBe("pass");
    expect(result.findings.some((f) => f.severity === "info" && f.summary.includes(OUTSIDE.vpc))).toBe(true);
  });

  it("still warns when the path of the client in another VPC was not collected", () => {
    const result = runCheck(
      subnetCoverage,
      interfaceSnapshot((s) => {
        peeredClient(s);
        s.outsidePath = undefined;
      }),
    );
    expect(result.status).toBe("warn");
  });
});
