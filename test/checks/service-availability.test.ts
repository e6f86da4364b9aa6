import { describe, expect, it } from "vitest";
import { serviceAvailability } from "../../src/checks/service-availability.js";
import { runCheck } from "../../src/diagnosis/evaluate.js";
import type { Snapshot } from "../../src/diagnosis/snapshot.js";
import {
  gatewaySnapshot,
  healthyGatewaySnapshot,
  healthyInterfaceSnapshot,
  IDS,
  interfaceSnapshot,
  withGap,
} from "../support/snapshot-factory.js";

const run = (snapshot: Snapshot) => runCheck(serviceAvailability, snapshot, new Map());

describe("service-availability", () => {
  it("has the id of its file and a static title", () => {
    expect(serviceAvailability.id).toBe("service-availability");
    expect(serviceAvailability.title).toBe(
      "The service is offered in this region and in every endpoint Availability Zone",
    );
  });

  describe("passes when", () => {
    it("every endpoint subnet is in an AZ ID the service offers", () => {
      const outcome = run(healthyInterfaceSnapshot());
      expect(outcome.status).toBe("pass");
      expect(outcome.findings).toEqual([]);
      expect(outcome.summary).toContain("com.amazonaws.us-east-1.ssm");
      expect(outcome.summary).toContain(`${IDS.subnetA} (use1-az1, us-east-1a)`);
      expect(outcome.summary).toContain(`${IDS.subnetB} (use1-az2, us-east-1b)`);
      expect(outcome.summary).not.toContain("AZ name");
    });

    it("AZ names differ from the provider's but the AZ IDs match", () => {
      // A cross-account service: names are the consumer's mapping, the IDs are what count.
      const outcome = run(
        interfaceSnapshot((s) => {
          s.service!.availabilityZones = ["us-east-1c", "us-east-1d"];
        }),
      );
      expect(outcome.status).toBe("pass");
    });

    it("AZ IDs are missing and the AZ names match, saying so", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.service!.availabilityZoneIds = [];
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain("compared by AZ name");
    });

    it("the gateway service exists (gateway endpoints have no AZs)", () => {
      const outcome = run(healthyGatewaySnapshot());
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain("com.amazonaws.us-east-1.s3");
      expect(outcome.summary).toContain("no Availability Zones");
    });

    it("a gateway endpoint's subnets could not be read (they are not needed)", () => {
      const outcome = run(gatewaySnapshot((s) => withGap(s, "subnets", "ec2:DescribeSubnets")));
      expect(outcome.status).toBe("pass");
    });
  });

  describe("fails when", () => {
    it("the service is not offered in the region", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.serviceName = "com.amazonaws.us-east-1.ssmm";
          s.service = null;
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(
        "com.amazonaws.us-east-1.ssmm is not offered in us-east-1: check the service name and the region",
      );
      const finding = outcome.findings[0]!;
      expect(finding.severity).toBe("critical");
      expect(finding.resourceIds).toEqual([IDS.endpoint]);
      expect(finding.remediation?.command).toContain(
        "aws ec2 describe-vpc-endpoint-services --region us-east-1",
      );
      expect(finding.remediation?.command).toContain("grep -i ssmm");
      expect(finding.remediation?.docs).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    });

    it("the service name names another region", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.serviceName = "com.amazonaws.us-west-2.ssm";
          s.service = null;
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.findings[0]!.evidence).toContain(
        "the service name names region us-west-2, but the endpoint is in us-east-1",
      );
    });

    it("a cross-region service is not offered to this region", () => {
      const name = "com.amazonaws.vpce.eu-west-1.vpce-svc-0fedcba9876543210";
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.serviceName = name;
          s.endpoint!.serviceRegion = "eu-west-1";
          s.service = null;
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(`${name} is not offered to us-east-1 from eu-west-1`);
      const finding = outcome.findings[0]!;
      expect(finding.evidence).toContain(
        "cross-region endpoint: the service lives in eu-west-1, the endpoint in us-east-1",
      );
      expect(finding.remediation?.command).toBe(
        `aws ec2 describe-vpc-endpoint-services --region us-east-1 --service-names ${name} --service-regions eu-west-1`,
      );
      expect(finding.resourceIds).toEqual([IDS.endpoint, "vpce-svc-0fedcba9876543210"]);
    });

    it("one subnet is in an AZ ID the service does not offer", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.service!.availabilityZoneIds = ["use1-az1", "use1-az4"];
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(IDS.subnetB);
      expect(outcome.summary).toContain("use1-az2");
      expect(outcome.summary).toContain("offered: use1-az1, use1-az4");
      expect(outcome.findings).toHaveLength(1);
      const finding = outcome.findings[0]!;
      expect(finding.severity).toBe("high");
      expect(finding.evidence).toContain(
        `subnet ${IDS.subnetB}: AZ ID use1-az2 (us-east-1b in this account)`,
      );
      expect(finding.resourceIds).toContain(IDS.subnetB);
      expect(finding.remediation?.command).toBe(
        `aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id ${IDS.endpoint} --remove-subnet-ids ${IDS.subnetB}`,
      );
      // An AWS-owned service has no provider to ask.
      expect(finding.remediation?.text).not.toContain("ask the provider");
    });

    it("a custom service's provider has not enabled the zone: ask them by AZ ID, not by name", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.service!.owner = "444455556666";
          s.service!.availabilityZoneIds = ["use1-az1"];
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.findings[0]!.remediation?.text).toContain("ask the provider");
      expect(outcome.findings[0]!.remediation?.text).toContain("enable AZ ID use1-az2");
    });

    it("the AZ names match but the AZ IDs do not (names differ per account)", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.service!.availabilityZones = ["us-east-1a", "us-east-1b"];
          s.service!.availabilityZoneIds = ["use1-az5", "use1-az6"];
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.findings).toHaveLength(2);
      expect(outcome.findings[0]!.severity).toBe("critical");
      expect(outcome.findings[0]!.remediation?.command).toBe(
        `aws ec2 describe-subnets --region us-east-1 --filters Name=vpc-id,Values=${IDS.vpc} Name=availability-zone-id,Values=use1-az5,use1-az6 --query 'Subnets[].[SubnetId,AvailabilityZone,AvailabilityZoneId]' --output text`,
      );
    });

    it("AZ IDs are missing and the AZ name is not offered, saying the names were compared", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.subnets = s.subnets!.map((subnet) => ({ ...subnet, availabilityZoneId: undefined }));
          s.service!.availabilityZones = ["us-east-1a"];
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(`${IDS.subnetB} (us-east-1b)`);
      expect(outcome.findings[0]!.evidence.join("\n")).toContain("compared by AZ name");
    });
  });

  describe("unknown when", () => {
    it("the service could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.service = undefined;
          withGap(s, "service", "ec2:DescribeVpcEndpointServices");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeVpcEndpointServices denied");
    });

    it("the subnets could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.subnets = undefined;
          withGap(s, "subnets", "ec2:DescribeSubnets");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeSubnets denied");
    });

    it("one endpoint subnet was not described", () => {
      const outcome = run(interfaceSnapshot((s) => (s.subnets = s.subnets!.slice(0, 1))));
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain(IDS.subnetB);
    });

    it("the service lists no Availability Zones", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.service!.availabilityZones = [];
          s.service!.availabilityZoneIds = [];
        }),
      );
      expect(outcome.status).toBe("unknown");
    });
  });

  describe("skips when", () => {
    it("there is no endpoint", () => {
      expect(run(interfaceSnapshot((s) => (s.endpoint = null))).status).toBe("skip");
    });
  });
});
