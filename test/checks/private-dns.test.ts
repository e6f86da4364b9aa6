import { describe, expect, it } from "vitest";
import { privateDns } from "../../src/checks/private-dns.js";
import type { Snapshot } from "../../src/diagnosis/snapshot.js";
import {
  gatewaySnapshot,
  healthyInterfaceSnapshot,
  IDS,
  interfaceSnapshot,
  withGap,
} from "../support/snapshot-factory.js";

const run = (snapshot: Snapshot) => privateDns.run(snapshot, new Map());
const NAME = "ssm.us-east-1.amazonaws.com";

describe("private-dns", () => {
  it("has the id of its file", () => {
    expect(privateDns.id).toBe("private-dns");
  });

  describe("passes when", () => {
    it("the healthy endpoint has private DNS, DNS support and hostnames, and AmazonProvidedDNS", () => {
      const outcome = run(healthyInterfaceSnapshot());
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toBe(
        `${NAME} resolves to the endpoint inside ${IDS.vpc} (private DNS on, DNS support and hostnames on, AmazonProvidedDNS)`,
      );
      expect(outcome.findings).toEqual([]);
    });

    it("the service has no private DNS name, with a note listing the endpoint's DNS names", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.service!.privateDnsName = undefined;
          s.endpoint!.privateDnsEnabled = false;
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain(IDS.endpoint);
      expect(outcome.findings[0]!.severity).toBe("info");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain(
        `${IDS.endpoint}-abcdefgh.ssm.us-east-1.vpce.amazonaws.com`,
      );
    });

    it("the only hosted zone is the endpoint's own private zone", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.hostedZones = [{ id: "/hostedzone/ZONEPRIVATE1", name: `${NAME}.` }];
        }),
      );
      expect(outcome.status).toBe("pass");
    });

    it("the DHCP options name the VPC resolver (base +2) instead of AmazonProvidedDNS", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.dhcpOptions = { id: IDS.dhcp, domainNameServers: ["10.0.0.2"] };
        }),
      );
      expect(outcome.status).toBe("pass");
    });

    it("an unrelated hosted zone is associated", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.hostedZones = [{ id: "Z0CORP", name: "corp.example.com." }];
        }),
      );
      expect(outcome.status).toBe("pass");
    });

    it("a parent-domain zone exists while private DNS is on, noting it", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.hostedZones = [{ id: "Z0AMAZONAWS", name: "amazonaws.com." }];
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.findings[0]!.severity).toBe("info");
      expect(outcome.findings[0]!.summary).toContain("amazonaws.com.");
    });
  });

  describe("fails when", () => {
    it("private DNS is off on the endpoint", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.privateDnsEnabled = false;
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(IDS.endpoint);
      expect(outcome.summary).toContain(NAME);
      expect(outcome.findings[0]!.remediation!.command).toBe(
        `aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id ${IDS.endpoint} --private-dns-enabled`,
      );
      expect(outcome.findings[0]!.resourceIds).toContain(IDS.endpoint);
    });

    it("DNS support is off on the VPC", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.vpc!.enableDnsSupport = false;
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("enableDnsSupport");
      expect(outcome.summary).toContain(IDS.vpc);
      expect(outcome.findings[0]!.remediation!.command).toBe(
        `aws ec2 modify-vpc-attribute --region us-east-1 --vpc-id ${IDS.vpc} --enable-dns-support '{"Value":true}'`,
      );
      expect(outcome.findings[0]!.resourceIds).toEqual([IDS.vpc]);
    });

    it("DNS hostnames are off on the VPC", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.vpc!.enableDnsHostnames = false;
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("enableDnsHostnames");
      expect(outcome.findings[0]!.remediation!.command).toContain(
        `--vpc-id ${IDS.vpc} --enable-dns-hostnames '{"Value":true}'`,
      );
    });

    it("a private hosted zone for the same name is associated with the VPC", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.hostedZones = [{ id: "/hostedzone/Z0SHADOW", name: `${NAME}.` }];
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(`${NAME}.`);
      expect(outcome.summary).toContain("/hostedzone/Z0SHADOW");
      expect(outcome.findings[0]!.remediation!.command).toBe(
        `aws route53 disassociate-vpc-from-hosted-zone --hosted-zone-id Z0SHADOW --vpc VPCRegion=us-east-1,VPCId=${IDS.vpc}`,
      );
      expect(outcome.findings[0]!.resourceIds).toContain("/hostedzone/Z0SHADOW");
    });

    it.each(["amazonaws.com.", "us-east-1.amazonaws.com."])(
      "a parent-domain zone %s shadows the name while private DNS is off",
      (zone) => {
        const outcome = run(
          interfaceSnapshot((s) => {
            s.endpoint!.privateDnsEnabled = false;
            s.hostedZones = [{ id: "Z0PARENT", name: zone }];
          }),
        );
        expect(outcome.status).toBe("fail");
        const shadow = outcome.findings.find((f) => f.summary.includes(zone));
        expect(shadow?.summary).toContain(`shadows ${NAME}`);
      },
    );

    it("a custom service's private DNS name is not verified", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.service = {
            ...s.service!,
            name: "com.amazonaws.vpce.us-east-1.vpce-svc-0custom000000000",
            id: "vpce-svc-0custom000000000",
            owner: "444455556666",
            privateDnsName: "api.example.com",
            privateDnsNameVerificationState: "PendingVerification",
          };
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("api.example.com");
      expect(outcome.summary).toContain("PendingVerification");
      expect(outcome.findings[0]!.remediation!.command).toBe(
        "aws ec2 start-vpc-endpoint-service-private-dns-verification --region us-east-1 --service-id vpce-svc-0custom000000000",
      );
    });

    it("a definite fault is found although another input is missing", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.privateDnsEnabled = false;
          s.hostedZones = undefined;
          withGap(s, "hostedZones", "route53:ListHostedZonesByVPC");
        }),
      );
      expect(outcome.status).toBe("fail");
    });
  });

  describe("warns when", () => {
    it("the DHCP options use custom DNS servers, naming the VPC resolver", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.dhcpOptions = { id: IDS.dhcp, domainNameServers: ["10.9.0.53", "10.9.1.53"] };
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain(IDS.dhcp);
      expect(outcome.summary).toContain("10.9.0.53");
      expect(outcome.summary).toContain("10.0.0.2");
      expect(outcome.findings[0]!.resourceIds).toEqual([IDS.dhcp, IDS.vpc]);
      expect(outcome.findings[0]!.remediation!.command).toContain(`--vpc-id ${IDS.vpc}`);
    });

    it("computes the resolver from a CIDR that is not a /16", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.vpc!.cidrsIpv4 = ["172.31.128.0/20"];
          s.dhcpOptions = { id: IDS.dhcp, domainNameServers: ["AmazonProvidedDNS", "192.168.1.1"] };
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("172.31.128.2");
    });

    it("an S3 interface endpoint keeps private DNS for the inbound resolver only", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.serviceName = "com.amazonaws.us-east-1.s3";
          s.endpoint!.privateDnsOnlyForInboundResolverEndpoint = true;
          s.service = {
            ...s.service!,
            name: "com.amazonaws.us-east-1.s3",
            privateDnsName: "*.s3.us-east-1.amazonaws.com",
          };
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("inbound endpoint");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain("gateway endpoint");
      expect(outcome.findings[0]!.remediation!.command).toBe(
        `aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id ${IDS.endpoint} --dns-options PrivateDnsOnlyForInboundResolverEndpoint=false`,
      );
    });
  });

  describe("unknown when", () => {
    it("the VPC attributes could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.vpc = undefined;
          withGap(s, "vpc", "ec2:DescribeVpcAttribute");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeVpcAttribute");
    });

    it("the hosted zones could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.hostedZones = undefined;
          withGap(s, "hostedZones", "route53:ListHostedZonesByVPC");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("route53:ListHostedZonesByVPC");
    });

    it("the DHCP options could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.dhcpOptions = undefined;
          withGap(s, "dhcpOptions", "ec2:DescribeDhcpOptions");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeDhcpOptions");
    });

    it("the service could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.service = undefined;
          withGap(s, "service", "ec2:DescribeVpcEndpointServices");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeVpcEndpointServices");
    });

    it("the VPC attributes are absent without a recorded gap", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.vpc!.enableDnsHostnames = undefined;
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain(IDS.vpc);
    });

    it("ignores a DHCP gap when the service has no private DNS name", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.service!.privateDnsName = undefined;
          withGap(s, "dhcpOptions", "ec2:DescribeDhcpOptions");
        }),
      );
      expect(outcome.status).toBe("pass");
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
