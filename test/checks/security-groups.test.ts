import { describe, expect, it } from "vitest";
import { securityGroups } from "../../src/checks/security-groups.js";
import type { CheckOutcome } from "../../src/diagnosis/check.js";
import { runCheck } from "../../src/diagnosis/evaluate.js";
import type { ResolvedSource, SgRule, Snapshot } from "../../src/diagnosis/snapshot.js";
import {
  asSmtpEndpoint,
  gatewaySnapshot,
  IDS,
  interfaceSnapshot,
  OUTSIDE,
  peeredClient,
  transitClient,
  withGap,
  withPrefixList,
} from "../support/snapshot-factory.js";

const run = (s: Snapshot): CheckOutcome => runCheck(securityGroups, s);

const INSTANCE = "i-0123456789abcdef0";
const CUSTOM_SERVICE = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";

/** Replaces the ingress rules of the endpoint's group. */
function ingress(s: Snapshot, ...rules: SgRule[]): void {
  s.securityGroups!.find((g) => g.id === IDS.sgEndpoint)!.ingress = rules;
}

/** Adds the client's security group with these egress rules. */
function clientGroup(s: Snapshot, ...egress: SgRule[]): void {
  s.securityGroups!.push({ id: IDS.sgClient, name: "app", vpcId: IDS.vpc, ingress: [], egress });
}

function instanceSource(overrides: Partial<ResolvedSource> = {}): ResolvedSource {
  return {
    given: { kind: "instance", value: INSTANCE },
    addresses: ["10.0.3.7"],
    subnetId: IDS.subnetC,
    securityGroupIds: [IDS.sgClient],
    found: true,
    ...overrides,
  };
}

const PREFIX_LIST = "pl-0123456789abcdef0";

const smtp = (port: number, peer: Partial<SgRule>, ruleId = `sgr-${port}`): SgRule => ({
  ruleId,
  protocol: "tcp",
  fromPort: port,
  toPort: port,
  ...peer,
});

function cidrSource(value: string): ResolvedSource {
  return { given: { kind: "cidr", value, ipVersion: 4 }, addresses: [], securityGroupIds: [], found: true };
}

const https = (peer: Partial<SgRule>, ruleId = "sgr-0a"): SgRule => ({
  ruleId,
  protocol: "tcp",
  fromPort: 443,
  toPort: 443,
  ...peer,
});

describe("security-groups", () => {
  describe("passes when", () => {
    it("the endpoint's group admits the VPC CIDR on tcp/443 (healthy snapshot)", () => {
      const out = run(interfaceSnapshot());
      expect(out.status).toBe("pass");
      expect(out.summary).toContain(IDS.sgEndpoint);
      expect(out.summary).toContain("10.0.0.0/16 on tcp/443");
      expect(out.summary).toContain("sgr-0000000000000001");
      expect(out.findings).toEqual([]);
    });

    it("a rule allows all traffic (protocol -1, no ports) from anywhere", () => {
      const out = run(
        interfaceSnapshot((s) => ingress(s, { ruleId: "sgr-all", protocol: "-1", cidrIpv4: "0.0.0.0/0" })),
      );
      expect(out.status).toBe("pass");
      expect(out.summary).toContain("all traffic from 0.0.0.0/0");
    });

    it("a numeric tcp rule's port range covers 443", () => {
      const out = run(
        interfaceSnapshot((s) =>
          ingress(s, {
            ruleId: "sgr-range",
            protocol: "6",
            fromPort: 0,
            toPort: 65535,
            cidrIpv4: "10.0.0.0/8",
          }),
        ),
      );
      expect(out.status).toBe("pass");
    });

    it("two groups together cover the VPC CIDR", () => {
      const out = run(
        interfaceSnapshot((s) => {
          ingress(s, https({ cidrIpv4: "10.0.0.0/17" }, "sgr-low"));
          s.endpoint!.securityGroups.push({ id: "sg-0second0000000001" });
          s.securityGroups!.push({
            id: "sg-0second0000000001",
            ingress: [https({ cidrIpv4: "10.0.128.0/17" }, "sgr-high")],
            egress: [],
          });
        }),
      );
      expect(out.status).toBe("pass");
      expect(out.summary).toContain(`${IDS.sgEndpoint}, sg-0second0000000001 admit 10.0.0.0/16`);
    });

    it("the source's group is referenced and its egress is open", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = instanceSource();
          ingress(s, https({ referencedGroupId: IDS.sgClient }));
          clientGroup(s, { protocol: "-1", cidrIpv4: "0.0.0.0/0" });
        }),
      );
      expect(out.status).toBe("pass");
      expect(out.summary).toContain(`${IDS.sgEndpoint} admits members of ${IDS.sgClient}`);
      expect(out.summary).toContain(`${IDS.sgClient} lets`);
      expect(out.summary).toContain("10.0.1.10/32, 10.0.2.10/32");
    });

    it("the source is a security group that the endpoint's group references", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = {
            given: { kind: "security-group", value: IDS.sgClient },
            addresses: [],
            securityGroupIds: [],
            found: true,
          };
          ingress(s, https({ referencedGroupId: IDS.sgClient }));
          clientGroup(s, https({ cidrIpv4: "10.0.0.0/16" }));
        }),
      );
      expect(out.status).toBe("pass");
      expect(out.summary).toContain(`admits members of ${IDS.sgClient}`);
    });

    it("the source's egress references the endpoint's group", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = instanceSource();
          clientGroup(s, https({ referencedGroupId: IDS.sgEndpoint }));
        }),
      );
      expect(out.status).toBe("pass");
      expect(out.summary).toContain(`out to ${IDS.sgEndpoint} on tcp/443`);
    });

    it("a dual-stack endpoint admits the VPC's IPv6 CIDR too", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.endpoint!.ipAddressType = "dualstack";
          s.vpc!.cidrsIpv6 = ["2600:1f18:aaaa:bb00::/56"];
          ingress(
            s,
            https({ cidrIpv4: "10.0.0.0/16" }),
            https({ cidrIpv6: "2600:1f18:aaaa:bb00::/56" }, "sgr-v6"),
          );
        }),
      );
      expect(out.status).toBe("pass");
      expect(out.summary).toContain("2600:1f18:aaaa:bb00::/56");
    });

    it("a custom service is admitted on 443, with a note that 443 was only a hypothesis", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.endpoint!.serviceName = CUSTOM_SERVICE;
        }),
      );
      expect(out.status).toBe("pass");
      expect(out.findings).toHaveLength(1);
      expect(out.findings[0]!.severity).toBe("info");
      expect(out.findings[0]!.evidence.join(" ")).toContain("--port <listener port>");
    });

    it("an SMTP endpoint admits 587: the client only needs the port it uses, the others are a note", () => {
      const out = run(
        interfaceSnapshot((s) => {
          asSmtpEndpoint(s);
          ingress(s, smtp(587, { cidrIpv4: "10.0.0.0/16" }));
        }),
      );
      expect(out.status).toBe("pass");
      expect(out.summary).toContain("10.0.0.0/16 on tcp/587");
      expect(out.findings).toHaveLength(1);
      expect(out.findings[0]!.severity).toBe("info");
      expect(out.findings[0]!.summary).toContain("not on tcp/25, 465, 2465, 2587");
      expect(out.findings[0]!.remediation).toBeUndefined();
    });

    it("an SMTP client's egress allows only 587 to the endpoint", () => {
      const out = run(
        interfaceSnapshot((s) => {
          asSmtpEndpoint(s);
          s.source = instanceSource();
          ingress(s, smtp(587, { referencedGroupId: IDS.sgClient }));
          clientGroup(s, smtp(587, { referencedGroupId: IDS.sgEndpoint }));
        }),
      );
      expect(out.status).toBe("pass");
      expect(out.summary).toContain(`out to ${IDS.sgEndpoint} on tcp/587`);
    });

    it("a custom service with --port 5432 is admitted on 5432", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.endpoint!.serviceName = CUSTOM_SERVICE;
          s.portHint = { ports: [5432], origin: "request" };
          ingress(s, smtp(5432, { cidrIpv4: "10.0.0.0/16" }));
        }),
      );
      expect(out.status).toBe("pass");
      expect(out.summary).toContain("on tcp/5432");
      expect(out.findings).toEqual([]);
    });

    it("a prefix list that holds the VPC CIDR admits it", () => {
      const out = run(
        interfaceSnapshot((s) => {
          ingress(s, https({ prefixListId: PREFIX_LIST }));
          withPrefixList(s, PREFIX_LIST, ["10.0.0.0/16", "192.168.0.0/16"]);
        }),
      );
      expect(out.status).toBe("pass");
      expect(out.summary).toContain(`prefix list ${PREFIX_LIST}`);
    });

    it("a prefix list covers the source exactly, together with a CIDR rule", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = cidrSource("10.0.3.0/24");
          ingress(s, https({ prefixListId: PREFIX_LIST }), https({ cidrIpv4: "10.0.3.128/25" }, "sgr-0b"));
          withPrefixList(s, PREFIX_LIST, ["10.0.3.0/25"]);
        }),
      );
      expect(out.status).toBe("pass");
    });

    it("the source's egress goes through a prefix list that holds the endpoint's addresses", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = instanceSource();
          clientGroup(s, https({ prefixListId: PREFIX_LIST }));
          withPrefixList(s, PREFIX_LIST, ["10.0.0.0/16"]);
        }),
      );
      expect(out.status).toBe("pass");
    });
  });

  describe("fails when", () => {
    it("no rule admits tcp/443 (only port 80 is open)", () => {
      const out = run(
        interfaceSnapshot((s) =>
          ingress(s, {
            ruleId: "sgr-http",
            protocol: "tcp",
            fromPort: 80,
            toPort: 80,
            cidrIpv4: "10.0.0.0/16",
          }),
        ),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain(IDS.sgEndpoint);
      expect(out.summary).toContain(IDS.endpoint);
      const [finding] = out.findings;
      expect(finding!.severity).toBe("critical");
      expect(finding!.evidence).toContain(
        `observed ${IDS.sgEndpoint} ingress: sgr-http: tcp/80 from 10.0.0.0/16`,
      );
      expect(finding!.evidence.join("\n")).toContain("not admitted on tcp/443: 10.0.0.0/16 (all of it)");
      expect(finding!.remediation!.command).toBe(
        `aws ec2 authorize-security-group-ingress --region us-east-1 --group-id ${IDS.sgEndpoint} --protocol tcp --port 443 --cidr 10.0.0.0/16`,
      );
      expect(finding!.remediation!.docs).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(finding!.resourceIds).toEqual([IDS.sgEndpoint]);
    });

    it("the group has no ingress rule at all", () => {
      const out = run(interfaceSnapshot((s) => ingress(s)));
      expect(out.status).toBe("fail");
      expect(out.findings[0]!.evidence).toContain(`observed ${IDS.sgEndpoint} ingress: (none)`);
    });

    it("the only rule on 443 is UDP", () => {
      const out = run(
        interfaceSnapshot((s) =>
          ingress(s, { protocol: "udp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" }),
        ),
      );
      expect(out.status).toBe("fail");
    });

    it("the groups are taken from the endpoint, not from its ENIs", () => {
      const out = run(
        interfaceSnapshot((s) => {
          ingress(s);
          // The ENIs claim a group that would admit; the endpoint's own group does not.
          s.securityGroups!.push({
            id: IDS.sgClient,
            ingress: [https({ cidrIpv4: "0.0.0.0/0" })],
            egress: [],
          });
          for (const eni of s.networkInterfaces!) eni.securityGroupIds = [IDS.sgClient];
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.findings[0]!.resourceIds).toEqual([IDS.sgEndpoint]);
    });

    it("a source CIDR outside the admitted block is given (peered VPC)", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = {
            given: { kind: "cidr", value: "10.1.0.0/16", ipVersion: 4 },
            addresses: [],
            securityGroupIds: [],
            found: true,
          };
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain("10.1.0.0/16");
      expect(out.findings[0]!.remediation!.command).toContain("--cidr 10.1.0.0/16");
    });

    it("the source's subnet is only half admitted", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = {
            given: { kind: "subnet", value: IDS.subnetB },
            addresses: [],
            securityGroupIds: [],
            found: true,
          };
          ingress(s, https({ cidrIpv4: "10.0.2.0/25" }));
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.findings[0]!.evidence).toContain("not admitted on tcp/443: 10.0.2.128/25 of 10.0.2.0/24");
      expect(out.findings[0]!.remediation!.command).toContain("--cidr 10.0.2.0/24");
    });

    it("the rules reference another group than the source's, and the fix references the source's group", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = instanceSource();
          ingress(s, https({ referencedGroupId: "sg-0other00000000001" }));
          clientGroup(s, { protocol: "-1", cidrIpv4: "0.0.0.0/0" });
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain("source i-0123456789abcdef0 (10.0.3.7/32)");
      expect(out.findings[0]!.evidence.join("\n")).toContain("members of sg-0other00000000001");
      expect(out.findings[0]!.remediation!.command).toBe(
        `aws ec2 authorize-security-group-ingress --region us-east-1 --group-id ${IDS.sgEndpoint} --protocol tcp --port 443 --source-group ${IDS.sgClient}`,
      );
    });

    it("the source's group does not let it out to the endpoint on 443", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = instanceSource();
          clientGroup(s, {
            ruleId: "sgr-out80",
            protocol: "tcp",
            fromPort: 80,
            toPort: 80,
            cidrIpv4: "0.0.0.0/0",
          });
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain(`Source security group ${IDS.sgClient}`);
      expect(out.summary).toContain(IDS.endpoint);
      const [finding] = out.findings;
      expect(finding!.evidence).toContain(`observed ${IDS.sgClient} egress: sgr-out80: tcp/80 to 0.0.0.0/0`);
      expect(finding!.remediation!.command).toBe(
        `aws ec2 authorize-security-group-egress --region us-east-1 --group-id ${IDS.sgClient} --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId=${IDS.sgEndpoint}}]'`,
      );
      expect(finding!.resourceIds).toEqual([IDS.sgClient]);
    });

    it("the source's egress reaches only one of the endpoint's interfaces", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = instanceSource();
          clientGroup(s, https({ cidrIpv4: "10.0.1.0/24" }));
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain("10.0.2.10/32");
      expect(out.summary).not.toContain("10.0.1.10/32");
    });

    it("an IPv6 source is not admitted, and the fix uses --ip-permissions", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.endpoint!.ipAddressType = "dualstack";
          s.source = {
            given: { kind: "cidr", value: "2600:1f18:aaaa:bb01::/64", ipVersion: 6 },
            addresses: [],
            securityGroupIds: [],
            found: true,
          };
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.findings[0]!.remediation!.command).toBe(
        `aws ec2 authorize-security-group-ingress --region us-east-1 --group-id ${IDS.sgEndpoint} --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,Ipv6Ranges=[{CidrIpv6=2600:1f18:aaaa:bb01::/64}]'`,
      );
    });

    it("an SMTP endpoint admits only 443: no SMTP port is open, and the fix names the SMTP ports", () => {
      const out = run(interfaceSnapshot((s) => asSmtpEndpoint(s)));
      expect(out.status).toBe("fail");
      expect(out.summary).toContain("on any of tcp/25, 465, 587, 2465, 2587");
      const [finding] = out.findings;
      expect(finding!.severity).toBe("critical");
      expect(finding!.evidence.join("\n")).toContain("not admitted on tcp/587: 10.0.0.0/16 (all of it)");
      expect(finding!.evidence.join("\n")).toContain(
        "https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html",
      );
      const command = finding!.remediation!.command!;
      expect(command).toContain(`--group-id ${IDS.sgEndpoint} --ip-permissions`);
      expect(command).toContain("'IpProtocol=tcp,FromPort=587,ToPort=587,IpRanges=[{CidrIp=10.0.0.0/16}]'");
      expect(command).toContain("FromPort=25,ToPort=25");
      expect(command).not.toContain("FromPort=443");
      expect(finding!.remediation!.text).toContain("the port the client uses");
    });

    it("a custom service with --port 5432 is only admitted on 443, and the fix opens 5432", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.endpoint!.serviceName = CUSTOM_SERVICE;
          s.portHint = { ports: [5432], origin: "request" };
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain("on tcp/5432");
      expect(out.findings[0]!.remediation!.command).toBe(
        `aws ec2 authorize-security-group-ingress --region us-east-1 --group-id ${IDS.sgEndpoint} --protocol tcp --port 5432 --cidr 10.0.0.0/16`,
      );
    });

    it("ports given with --port must all be admitted: 5432 is, 5433 is not", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.endpoint!.serviceName = CUSTOM_SERVICE;
          s.portHint = { ports: [5433, 5432], origin: "config" };
          ingress(s, smtp(5432, { cidrIpv4: "10.0.0.0/16" }));
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain("on tcp/5433");
      expect(out.summary).not.toContain("5432");
      expect(out.findings[0]!.remediation!.command).toContain("--port 5433");
    });

    it("a prefix list is the only rule and does not hold the client", () => {
      const out = run(
        interfaceSnapshot((s) => {
          ingress(s, https({ prefixListId: PREFIX_LIST }));
          withPrefixList(s, PREFIX_LIST, ["192.168.0.0/16"]);
        }),
      );
      expect(out.status).toBe("fail");
      const evidence = out.findings[0]!.evidence.join("\n");
      expect(evidence).toContain(`prefix list ${PREFIX_LIST} (corp-ranges) holds: 192.168.0.0/16`);
      expect(evidence).toContain("not admitted on tcp/443: 10.0.0.0/16 (all of it)");
      expect(out.findings[0]!.remediation!.command).toContain("--cidr 10.0.0.0/16");
    });

    it("the source's egress goes through a prefix list that does not hold the endpoint's addresses", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = instanceSource();
          clientGroup(s, https({ prefixListId: PREFIX_LIST }));
          withPrefixList(s, PREFIX_LIST, ["172.16.0.0/12"]);
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain(`Source security group ${IDS.sgClient}`);
    });
  });

  describe("warns when", () => {
    it("only a group reference could admit a client given as addresses", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = {
            given: { kind: "cidr", value: "10.0.3.0/24", ipVersion: 4 },
            addresses: [],
            securityGroupIds: [],
            found: true,
          };
          ingress(s, https({ referencedGroupId: "sg-0app000000000001" }));
        }),
      );
      expect(out.status).toBe("warn");
      expect(out.findings[0]!.evidence.join("\n")).toContain(
        "the client was given as addresses only, so whether it belongs to sg-0app000000000001 is unknown",
      );
      expect(out.findings[0]!.remediation!.command).toContain("Name=group-id,Values=sg-0app000000000001");
    });

    it("only a group reference could admit the VPC without a source", () => {
      const out = run(
        interfaceSnapshot((s) => ingress(s, https({ referencedGroupId: "sg-0app000000000001" }))),
      );
      expect(out.status).toBe("warn");
    });

    it("without a source, only part of the VPC CIDR is admitted, and it says which part is not", () => {
      const out = run(interfaceSnapshot((s) => ingress(s, https({ cidrIpv4: "10.0.0.0/17" }))));
      expect(out.status).toBe("warn");
      expect(out.summary).toContain("10.0.128.0/17");
      expect(out.findings[0]!.evidence).toContain("not admitted on tcp/443: 10.0.128.0/17 of 10.0.0.0/16");
    });

    it("a dual-stack endpoint admits the VPC's IPv4 CIDR but not its IPv6 CIDR", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.endpoint!.ipAddressType = "dualstack";
          s.vpc!.cidrsIpv6 = ["2600:1f18:aaaa:bb00::/56"];
        }),
      );
      expect(out.status).toBe("warn");
      expect(out.findings[0]!.evidence.join("\n")).toContain("2600:1f18:aaaa:bb00::/56");
    });

    it("a custom service without --port is not admitted on 443: capped at warn, 443 being only assumed", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.endpoint!.serviceName = CUSTOM_SERVICE;
          ingress(s, { protocol: "tcp", fromPort: 8443, toPort: 8443, cidrIpv4: "10.0.0.0/16" });
        }),
      );
      expect(out.status).toBe("warn");
      expect(out.summary).toContain("only assumed");
      expect(out.findings[0]!.severity).toBe("medium");
      expect(out.findings[0]!.evidence.join("\n")).toContain("--port <listener port>");
    });
  });

  describe("unknown when", () => {
    it("only a prefix-list rule could admit the client and prefix lists were not collected", () => {
      const out = run(interfaceSnapshot((s) => ingress(s, https({ prefixListId: PREFIX_LIST }))));
      expect(out.status).toBe("unknown");
      expect(out.summary).toContain(PREFIX_LIST);
      const [finding] = out.findings;
      expect(finding!.evidence.join("\n")).toContain(
        `prefix list ${PREFIX_LIST} not expanded (prefix lists were not collected)`,
      );
      expect(finding!.remediation!.command).toBe(
        `aws ec2 get-managed-prefix-list-entries --region us-east-1 --prefix-list-id ${PREFIX_LIST}`,
      );
      expect(finding!.remediation!.text).toContain(`--group-id ${IDS.sgEndpoint}`);
      expect(finding!.resourceIds).toEqual([IDS.sgEndpoint]);
    });

    it("the prefix lists could not be read: the gap is named, never a pass", () => {
      const out = run(
        interfaceSnapshot((s) => {
          ingress(s, https({ prefixListId: PREFIX_LIST }));
          withGap(s, "prefixLists", "ec2:GetManagedPrefixListEntries");
        }),
      );
      expect(out.status).toBe("unknown");
      expect(out.summary).toContain("ec2:GetManagedPrefixListEntries denied");
    });

    it("the source's egress goes only through a prefix list that was not collected", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = instanceSource();
          clientGroup(s, https({ prefixListId: "pl-0fedcba9876543210" }));
          withPrefixList(s, PREFIX_LIST, ["10.0.0.0/16"]);
        }),
      );
      expect(out.status).toBe("unknown");
      expect(out.findings[0]!.evidence.join("\n")).toContain(
        "prefix list pl-0fedcba9876543210 not expanded (pl-0fedcba9876543210 is not among the collected prefix lists)",
      );
      expect(out.findings[0]!.resourceIds).toEqual([IDS.sgClient]);
    });

    it("security groups could not be read", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.securityGroups = undefined;
          withGap(s, "securityGroups", "ec2:DescribeSecurityGroups");
        }),
      );
      expect(out.status).toBe("unknown");
      expect(out.summary).toContain("ec2:DescribeSecurityGroups");
    });

    it("security groups are absent with no gap to explain it", () => {
      const out = run(interfaceSnapshot((s) => (s.securityGroups = undefined)));
      expect(out.status).toBe("unknown");
    });

    it("the VPC CIDRs could not be read and no source was given", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.vpc = undefined;
          withGap(s, "vpc", "ec2:DescribeVpcs");
        }),
      );
      expect(out.status).toBe("unknown");
      expect(out.summary).toContain("ec2:DescribeVpcs");
    });

    it("the source could not be resolved", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = instanceSource({
            addresses: [],
            subnetId: undefined,
            securityGroupIds: [],
            found: false,
          });
          withGap(s, "source", "ec2:DescribeInstances");
        }),
      );
      expect(out.status).toBe("unknown");
      expect(out.summary).toContain("ec2:DescribeInstances");
    });

    it("the rules of one of the endpoint's groups were not collected and the others do not admit", () => {
      const out = run(
        interfaceSnapshot((s) => {
          ingress(s);
          s.endpoint!.securityGroups.push({ id: "sg-0missing00000001" });
        }),
      );
      expect(out.status).toBe("unknown");
      expect(out.summary).toContain("sg-0missing00000001");
      expect(out.findings[0]!.remediation!.command).toContain("--group-ids sg-0missing00000001");
    });

    it("the source's group was not collected", () => {
      const out = run(interfaceSnapshot((s) => (s.source = instanceSource())));
      expect(out.status).toBe("unknown");
      expect(out.summary).toContain(IDS.sgClient);
    });

    it("the endpoint could not be read", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.endpoint = null;
          withGap(s, "endpoint", "ec2:DescribeVpcEndpoints");
        }),
      );
      expect(out.status).toBe("unknown");
    });
  });

  describe("skips when", () => {
    it("the endpoint is a gateway endpoint", () => {
      const out = run(gatewaySnapshot());
      expect(out.status).toBe("skip");
      expect(out.summary).toContain(IDS.gatewayEndpoint);
      expect(out.summary).toContain("no security group");
    });

    it("the endpoint is a Gateway Load Balancer endpoint", () => {
      const out = run(interfaceSnapshot((s) => (s.endpoint!.type = "GatewayLoadBalancer")));
      expect(out.status).toBe("skip");
    });

    it("there is no endpoint", () => {
      const out = run(interfaceSnapshot((s) => (s.endpoint = null)));
      expect(out.status).toBe("skip");
    });
  });
});

describe("security groups for a client in another VPC", () => {
  const CLIENT_SG = "sg-0c1e0c1e0c1e0c1e9";
  /** The endpoint's groups admit the client only by referencing its security group. */
  const byReference = (s: Snapshot) => {
    s.source!.securityGroupIds = [CLIENT_SG];
    s.securityGroups![0]!.ingress = [
      { protocol: "tcp", fromPort: 443, toPort: 443, referencedGroupId: CLIENT_SG },
    ];
    s.securityGroups!.push({
      id: CLIENT_SG,
      vpcId: OUTSIDE.vpc,
      ingress: [],
      egress: [{ protocol: "-1", cidrIpv4: "0.0.0.0/0" }],
    });
  };

  it("passes a reference to the client's group over a same-region peering connection", () => {
    const result = runCheck(
      securityGroups,
      interfaceSnapshot((s) => {
        peeredClient(s);
        byReference(s);
      }),
    );
    expect(result.status).toBe("pass");
  });

  it("warns (never fails) on a reference across a transit gateway, whose security group referencing is not read", () => {
    const result = runCheck(
      securityGroups,
      interfaceSnapshot((s) => {
        transitClient(s);
        byReference(s);
      }),
    );
    expect(result.status).toBe("warn");
    expect(result.findings[0]!.evidence.join(" ")).toContain(
      "transit gateway with security group referencing on",
    );
  });

  it("passes a client in another VPC admitted by its address, as for a client inside", () => {
    expect(runCheck(securityGroups, interfaceSnapshot(transitClient)).status).toBe("pass");
  });

  it("fails a client in another VPC whose address no rule admits", () => {
    const result = runCheck(
      securityGroups,
      interfaceSnapshot((s) => {
        transitClient(s);
        s.securityGroups![0]!.ingress.pop();
      }),
    );
    expect(result.status).toBe("fail");
    expect(result.summary).toContain("10.1.1.5/32");
  });
});
