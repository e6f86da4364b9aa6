import { describe, expect, it } from "vitest";
import { ipAddressType } from "../../src/checks/ip-address-type.js";
import { runCheck } from "../../src/diagnosis/evaluate.js";
import type { Snapshot } from "../../src/diagnosis/snapshot.js";
import {
  gatewaySnapshot,
  healthyInterfaceSnapshot,
  IDS,
  interfaceSnapshot,
  withGap,
} from "../support/snapshot-factory.js";

const run = (snapshot: Snapshot) => runCheck(ipAddressType, snapshot, new Map());

/** Gives both endpoint subnets an IPv6 /64 and the service IPv6 support. */
function dualstackReady(s: Snapshot): void {
  s.subnets![0]!.cidrsIpv6 = ["2600:1f18:abcd:100::/64"];
  s.subnets![1]!.cidrsIpv6 = ["2600:1f18:abcd:200::/64"];
  s.service!.supportedIpAddressTypes = ["ipv4", "ipv6"];
}

describe("ip-address-type", () => {
  it("has the id of its file", () => {
    expect(ipAddressType.id).toBe("ip-address-type");
  });

  describe("passes when", () => {
    it("the healthy endpoint is ipv4 with ipv4 records in IPv4 subnets", () => {
      const outcome = run(healthyInterfaceSnapshot());
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toBe(
        `${IDS.endpoint} is ipv4 with ipv4 DNS records; its subnets (${IDS.subnetA}, ${IDS.subnetB}) carry IPv4 and com.amazonaws.us-east-1.ssm accepts ipv4`,
      );
      expect(outcome.findings).toEqual([]);
    });

    it("a dualstack endpoint has IPv6 subnets and an IPv6-capable service", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          dualstackReady(s);
          s.endpoint!.ipAddressType = "dualstack";
          s.endpoint!.dnsRecordIpType = "dualstack";
        }),
      );
      expect(outcome.status).toBe("pass");
    });

    it("an older endpoint reports no IP address type, treated as ipv4", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.ipAddressType = undefined;
          s.endpoint!.dnsRecordIpType = undefined;
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.findings[0]!.summary).toContain("treated as ipv4");
    });

    it("the DNS record type is service-defined", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.dnsRecordIpType = "service-defined";
        }),
      );
      expect(outcome.status).toBe("pass");
    });

    it("compares types case-insensitively", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.ipAddressType = "IPV4";
          s.endpoint!.dnsRecordIpType = "IPV4";
          s.service!.supportedIpAddressTypes = ["IPV4"];
        }),
      );
      expect(outcome.status).toBe("pass");
    });
  });

  describe("fails when", () => {
    it("a dualstack endpoint sits in a subnet without an IPv6 CIDR", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          dualstackReady(s);
          s.subnets![1]!.cidrsIpv6 = [];
          s.endpoint!.ipAddressType = "dualstack";
          s.endpoint!.dnsRecordIpType = "dualstack";
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(
        `${IDS.subnetB} has no IPv6 CIDR, but ${IDS.endpoint} is dualstack and needs an IPv6 address there`,
      );
      expect(outcome.findings[0]!.resourceIds).toEqual([IDS.subnetB, IDS.endpoint]);
      expect(outcome.findings[0]!.remediation!.command).toBe(
        `aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id ${IDS.endpoint} --ip-address-type ipv4 --dns-options DnsRecordIpType=ipv4`,
      );
    });

    it("an ipv4 endpoint sits in an IPv6-only subnet", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.subnets![0]!.ipv6Native = true;
          s.subnets![0]!.cidrIpv4 = undefined;
          s.subnets![0]!.cidrsIpv6 = ["2600:1f18:abcd:100::/64"];
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(`${IDS.subnetA} is IPv6-only`);
      expect(outcome.findings[0]!.remediation!.command).toContain("--ip-address-type ipv6");
    });

    it("the service does not accept IPv6 but the endpoint is ipv6", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          dualstackReady(s);
          s.service!.supportedIpAddressTypes = ["ipv4"];
          s.endpoint!.ipAddressType = "ipv6";
          s.endpoint!.dnsRecordIpType = "ipv6";
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(
        `com.amazonaws.us-east-1.ssm does not accept ipv6, but ${IDS.endpoint} is ipv6`,
      );
      expect(outcome.findings[0]!.remediation!.command).toContain(`--vpc-endpoint-id ${IDS.endpoint}`);
    });

    it("an ipv4 endpoint publishes dualstack DNS records", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.dnsRecordIpType = "dualstack";
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(
        `${IDS.endpoint} publishes dualstack DNS records, but its addresses are ipv4`,
      );
      expect(outcome.findings[0]!.remediation!.command).toBe(
        `aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id ${IDS.endpoint} --dns-options DnsRecordIpType=ipv4`,
      );
    });

    it("an ipv6 endpoint publishes ipv4 DNS records", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          dualstackReady(s);
          s.endpoint!.ipAddressType = "ipv6";
          s.endpoint!.dnsRecordIpType = "ipv4";
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(`${IDS.endpoint} publishes ipv4 DNS records, but its addresses are ipv6`);
    });
    it("reports a definite mismatch even when the subnets are missing", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.dnsRecordIpType = "ipv6";
          s.subnets = undefined;
          withGap(s, "subnets", "ec2:DescribeSubnets");
        }),
      );
      expect(outcome.status).toBe("fail");
    });
  });

  describe("warns when", () => {
    it("the source is IPv6 but the endpoint is ipv4 only", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.source = {
            given: { kind: "cidr", value: "2600:1f18:abcd:300::/64", ipVersion: 6 },
            addresses: [],
            securityGroupIds: [],
            found: true,
          };
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("2600:1f18:abcd:300::/64");
      expect(outcome.summary).toContain(IDS.endpoint);
      expect(outcome.findings[0]!.remediation!.command).toContain("--ip-address-type dualstack");
    });

    it("an instance source has only IPv6 addresses", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.source = {
            given: { kind: "instance", value: "i-0123456789abcdef0" },
            addresses: ["2600:1f18:abcd:100::25"],
            subnetId: IDS.subnetA,
            vpcId: IDS.vpc,
            securityGroupIds: [],
            found: true,
          };
        }),
      );
      expect(outcome.status).toBe("warn");
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
