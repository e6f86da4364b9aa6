import { describe, expect, it } from "vitest";
import { networkAcls } from "../../src/checks/network-acls.js";
import type { CheckOutcome } from "../../src/diagnosis/check.js";
import { runCheck } from "../../src/diagnosis/evaluate.js";
import type { NaclEntry, ResolvedSource, Snapshot } from "../../src/diagnosis/snapshot.js";
import { gatewaySnapshot, IDS, interfaceSnapshot, withGap } from "../support/snapshot-factory.js";

const run = (s: Snapshot): CheckOutcome => runCheck(networkAcls, s);

const SOURCE_ACL = "acl-0source000000000001";
const INSTANCE = "i-0123456789abcdef0";

type Dir = "in" | "out";
const allowAll = (n: number, dir: Dir, cidr = "0.0.0.0/0"): NaclEntry => ({
  ruleNumber: n,
  egress: dir === "out",
  protocol: "-1",
  action: "allow",
  ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
});
const star = (dir: Dir): NaclEntry => ({
  ruleNumber: 32767,
  egress: dir === "out",
  protocol: "-1",
  action: "deny",
  cidrIpv4: "0.0.0.0/0",
});
const tcp = (
  n: number,
  dir: Dir,
  action: "allow" | "deny",
  cidr: string,
  from: number,
  to = from,
): NaclEntry => ({
  ruleNumber: n,
  egress: dir === "out",
  protocol: "6",
  action,
  fromPort: from,
  toPort: to,
  ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
});
const open = (): NaclEntry[] => [allowAll(100, "in"), star("in"), allowAll(100, "out"), star("out")];

/** Replaces the entries of the main NACL (the one of every subnet in the factory). */
function mainEntries(s: Snapshot, ...entries: NaclEntry[]): void {
  s.networkAcls!.find((a) => a.id === IDS.naclMain)!.entries = entries;
}

/** Moves subnet C (the source's) to its own NACL with these entries. */
function sourceAcl(s: Snapshot, ...entries: NaclEntry[]): void {
  const main = s.networkAcls!.find((a) => a.id === IDS.naclMain)!;
  main.subnetIds = main.subnetIds.filter((id) => id !== IDS.subnetC);
  s.networkAcls!.push({
    id: SOURCE_ACL,
    vpcId: IDS.vpc,
    isDefault: false,
    subnetIds: [IDS.subnetC],
    entries,
  });
}

function addSubnetC(s: Snapshot): void {
  s.subnets!.push({
    id: IDS.subnetC,
    vpcId: IDS.vpc,
    availabilityZone: "us-east-1c",
    availabilityZoneId: "use1-az4",
    cidrIpv4: "10.0.3.0/24",
    cidrsIpv6: [],
  });
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

function subnetSource(subnetId: string): ResolvedSource {
  return { given: { kind: "subnet", value: subnetId }, addresses: [], securityGroupIds: [], found: true };
}

describe("network-acls", () => {
  describe("passes when", () => {
    it("the default NACL allows everything both ways (healthy snapshot)", () => {
      const out = run(interfaceSnapshot());
      expect(out.status).toBe("pass");
      expect(out.summary).toContain(IDS.naclMain);
      expect(out.summary).toContain("inbound tcp/443 from 10.0.0.0/16 (rule 100)");
      expect(out.summary).toContain("outbound tcp/1024-65535 to 10.0.0.0/16 (rule 100)");
      expect(out.findings).toEqual([]);
    });

    it("narrow tcp entries allow exactly the request and the reply", () => {
      const out = run(
        interfaceSnapshot((s) =>
          mainEntries(
            s,
            tcp(100, "in", "allow", "10.0.0.0/16", 443),
            star("in"),
            tcp(100, "out", "allow", "10.0.0.0/16", 1024, 65535),
            star("out"),
          ),
        ),
      );
      expect(out.status).toBe("pass");
    });

    it("an allow at 100 comes before a deny at 200", () => {
      const out = run(
        interfaceSnapshot((s) =>
          mainEntries(s, allowAll(100, "in"), tcp(200, "in", "deny", "0.0.0.0/0", 443), allowAll(100, "out")),
        ),
      );
      expect(out.status).toBe("pass");
    });

    it("a deny for UDP on 443 does not touch TCP", () => {
      const out = run(
        interfaceSnapshot((s) =>
          mainEntries(
            s,
            {
              ruleNumber: 90,
              egress: false,
              protocol: "17",
              action: "deny",
              cidrIpv4: "0.0.0.0/0",
              fromPort: 443,
              toPort: 443,
            },
            ...open(),
          ),
        ),
      );
      expect(out.status).toBe("pass");
    });

    it("the source's subnet NACL allows the mirror image", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = instanceSource();
          sourceAcl(
            s,
            tcp(100, "out", "allow", "10.0.0.0/16", 443),
            tcp(100, "in", "allow", "10.0.0.0/16", 1024, 65535),
            star("in"),
            star("out"),
          );
        }),
      );
      expect(out.status).toBe("pass");
      expect(out.summary).toContain(`${SOURCE_ACL} on source subnet ${IDS.subnetC}`);
      expect(out.summary).toContain("outbound tcp/443 to 10.0.1.10/32, 10.0.2.10/32 (rule 100)");
      expect(out.summary).toContain("inbound tcp/1024-65535 from 10.0.1.10/32, 10.0.2.10/32 (rule 100)");
      expect(out.summary).toContain("from 10.0.3.7/32");
    });

    it("a dual-stack endpoint's NACL has IPv6 entries for the VPC's IPv6 CIDR", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.endpoint!.ipAddressType = "dualstack";
          s.vpc!.cidrsIpv6 = ["2600:1f18:aaaa:bb00::/56"];
          mainEntries(s, ...open(), allowAll(101, "in", "::/0"), allowAll(101, "out", "::/0"));
        }),
      );
      expect(out.status).toBe("pass");
      expect(out.summary).toContain("2600:1f18:aaaa:bb00::/56");
    });

    it("a gateway endpoint's source subnet allows 443 out to anywhere and the replies in", () => {
      const out = run(
        gatewaySnapshot((s) => {
          s.source = instanceSource();
        }),
      );
      expect(out.status).toBe("pass");
      expect(out.summary).toContain(`${IDS.naclMain} on source subnet ${IDS.subnetC}`);
      expect(out.summary).toContain("outbound tcp/443 to 0.0.0.0/0");
    });
  });

  describe("fails when", () => {
    it("a deny at 90 comes before the allow at 100 (request path)", () => {
      const out = run(
        interfaceSnapshot((s) => mainEntries(s, tcp(90, "in", "deny", "10.0.0.0/8", 443), ...open())),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain(IDS.naclMain);
      expect(out.summary).toContain(IDS.subnetA);
      expect(out.summary).toContain(IDS.subnetB);
      expect(out.summary).toContain("inbound tcp/443 from 10.0.0.0/16 is dropped by rule 90");
      expect(out.summary).toContain("request path");
      const [finding] = out.findings;
      expect(finding!.severity).toBe("critical");
      expect(finding!.evidence.join("\n")).toContain(
        "90 deny tcp 443 10.0.0.0/8; 100 allow all 0.0.0.0/0; * deny all 0.0.0.0/0",
      );
      expect(finding!.remediation!.command).toBe(
        `aws ec2 create-network-acl-entry --region us-east-1 --network-acl-id ${IDS.naclMain} --ingress --rule-number 89 --protocol tcp --port-range From=443,To=443 --cidr-block 10.0.0.0/16 --rule-action allow`,
      );
      expect(finding!.remediation!.docs).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(finding!.resourceIds).toEqual([IDS.naclMain, IDS.subnetA, IDS.subnetB]);
    });

    it("no entry matches, so the implicit deny drops the request", () => {
      const out = run(
        interfaceSnapshot((s) =>
          mainEntries(s, tcp(100, "in", "allow", "0.0.0.0/0", 80), star("in"), allowAll(100, "out")),
        ),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain("implicit deny");
      expect(out.findings[0]!.remediation!.command).toContain("--ingress --rule-number 110 ");
    });

    it("no entry matches even without a '*' entry in the snapshot", () => {
      const out = run(
        interfaceSnapshot((s) =>
          mainEntries(s, tcp(100, "in", "allow", "10.0.0.0/16", 22), allowAll(100, "out")),
        ),
      );
      expect(out.status).toBe("fail");
      expect(out.findings[0]!.evidence.join("\n")).toContain(
        "dropped: inbound tcp/443 from 10.0.0.0/16 is dropped by the implicit deny",
      );
    });

    it("the reply path is not allowed out (only 443 is allowed outbound)", () => {
      const out = run(
        interfaceSnapshot((s) =>
          mainEntries(
            s,
            allowAll(100, "in"),
            star("in"),
            tcp(100, "out", "allow", "0.0.0.0/0", 443),
            star("out"),
          ),
        ),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain("reply path");
      expect(out.summary).toContain("outbound tcp/1024-65535 to 10.0.0.0/16");
      expect(out.findings[0]!.remediation!.command).toContain(
        "--egress --rule-number 110 --protocol tcp --port-range From=1024,To=65535 --cidr-block 10.0.0.0/16",
      );
    });

    it("the source's subnet NACL denies the request outbound", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = instanceSource();
          sourceAcl(s, tcp(50, "out", "deny", "10.0.0.0/16", 443), allowAll(100, "out"), allowAll(100, "in"));
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain(`NACL ${SOURCE_ACL} on source subnet ${IDS.subnetC}`);
      expect(out.summary).toContain("outbound tcp/443 to 10.0.1.10/32 is dropped by rule 50");
      expect(out.findings).toHaveLength(2);
      expect(out.findings[0]!.remediation!.command).toBe(
        `aws ec2 create-network-acl-entry --region us-east-1 --network-acl-id ${SOURCE_ACL} --egress --rule-number 49 --protocol tcp --port-range From=443,To=443 --cidr-block 10.0.1.10/32 --rule-action allow`,
      );
      // Two fixes on the same NACL get distinct rule numbers.
      expect(out.findings[1]!.remediation!.command).toContain("--rule-number 48 ");
      expect(out.findings[0]!.resourceIds).toEqual([SOURCE_ACL, IDS.subnetC]);
    });

    it("the source's subnet NACL does not let the replies back in", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = instanceSource();
          sourceAcl(s, allowAll(100, "out"), tcp(100, "in", "allow", "0.0.0.0/0", 22));
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain("reply path");
      expect(out.summary).toContain(
        `inbound tcp/1024-65535 from 10.0.1.10/32 is dropped by the implicit deny`,
      );
    });

    it("a source subnet is partly denied on the endpoint subnet, naming the part", () => {
      const out = run(
        interfaceSnapshot((s) => {
          addSubnetC(s);
          s.source = subnetSource(IDS.subnetC);
          mainEntries(s, tcp(90, "in", "deny", "10.0.3.128/25", 443), ...open());
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain("from 10.0.3.128/25 is dropped by rule 90");
      expect(out.findings[0]!.remediation!.command).toContain("--cidr-block 10.0.3.0/24");
    });

    it("an IPv6 client meets only IPv4 entries and falls to the implicit deny", () => {
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
      expect(out.summary).toContain("from 2600:1f18:aaaa:bb01::/64 is dropped by the implicit deny");
      expect(out.findings[0]!.remediation!.command).toContain("--ipv6-cidr-block 2600:1f18:aaaa:bb01::/64");
    });

    it("an IPv6 deny precedes the IPv6 allow", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.endpoint!.ipAddressType = "dualstack";
          s.source = {
            given: { kind: "cidr", value: "2600:1f18:aaaa:bb01::/64", ipVersion: 6 },
            addresses: [],
            securityGroupIds: [],
            found: true,
          };
          mainEntries(
            s,
            tcp(90, "in", "deny", "2600:1f18:aaaa::/48", 443),
            allowAll(100, "in", "::/0"),
            allowAll(100, "out", "::/0"),
          );
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain("dropped by rule 90");
    });

    it("a gateway endpoint's source subnet allows 443 out only to private addresses", () => {
      const out = run(
        gatewaySnapshot((s) => {
          s.source = instanceSource();
          mainEntries(s, tcp(100, "out", "allow", "10.0.0.0/16", 443), allowAll(100, "in"));
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain(IDS.subnetC);
      const evidence = out.findings[0]!.evidence.join("\n");
      expect(evidence).toContain("NACLs cannot reference prefix lists");
      expect(evidence).toContain(IDS.s3PrefixList);
      expect(out.findings[0]!.remediation!.command).toContain(
        "--egress --rule-number 110 --protocol tcp --port-range From=443,To=443 --cidr-block 0.0.0.0/0",
      );
    });

    it("a gateway endpoint's source subnet denies the replies from S3", () => {
      const out = run(
        gatewaySnapshot((s) => {
          s.source = instanceSource();
          mainEntries(s, allowAll(100, "out"), tcp(100, "in", "allow", "10.0.0.0/16", 0, 65535));
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain("reply path");
    });

    it("the denying rule is number 1, so no allow can go before it (no command, renumbering advised)", () => {
      const out = run(
        interfaceSnapshot((s) => mainEntries(s, tcp(1, "in", "deny", "0.0.0.0/0", 443), ...open())),
      );
      expect(out.status).toBe("fail");
      expect(out.findings[0]!.remediation!.command).toBeUndefined();
      expect(out.findings[0]!.remediation!.text).toContain("no free rule number below rule 1");
    });
  });

  describe("warns when", () => {
    it("without a source, a deny drops part of the VPC before the allow, naming the part", () => {
      const out = run(
        interfaceSnapshot((s) => mainEntries(s, tcp(90, "in", "deny", "10.0.5.0/24", 443), ...open())),
      );
      expect(out.status).toBe("warn");
      expect(out.summary).toContain("drops part of the request path");
      expect(out.summary).toContain("from 10.0.5.0/24 is dropped by rule 90");
      expect(out.findings[0]!.severity).toBe("medium");
    });

    it("without a source, one of two VPC CIDRs is dropped entirely", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.vpc!.cidrsIpv4 = ["10.0.0.0/16", "100.64.0.0/16"];
          mainEntries(s, allowAll(100, "in", "10.0.0.0/16"), allowAll(100, "out"));
        }),
      );
      expect(out.status).toBe("warn");
      expect(out.summary).toContain("100.64.0.0/16");
    });

    it("a gateway endpoint's source subnet allows 443 out only to some public ranges", () => {
      const out = run(
        gatewaySnapshot((s) => {
          s.source = instanceSource();
          mainEntries(s, tcp(100, "out", "allow", "52.216.0.0/15", 443), allowAll(100, "in"));
        }),
      );
      expect(out.status).toBe("warn");
      expect(out.summary).toContain("outbound tcp/443 to 0.0.0.0/0 except 52.216.0.0/15 is dropped");
      expect(out.findings[0]!.evidence.join("\n")).toContain("ip-ranges.json");
    });
  });

  describe("reply ranges (ephemeral ports)", () => {
    /** The endpoint subnets' NACL: the request in on 443, the replies out only on these ports. */
    const repliesOnly = (from: number, to: number) =>
      interfaceSnapshot((s) =>
        mainEntries(
          s,
          allowAll(100, "in"),
          star("in"),
          tcp(100, "out", "allow", "0.0.0.0/0", from, to),
          star("out"),
        ),
      );

    it("passes when replies go out on 1024-65535, AWS's advice for every kind of client", () => {
      const out = run(repliesOnly(1024, 65535));
      expect(out.status).toBe("pass");
      expect(out.summary).toContain("outbound tcp/1024-65535 to 10.0.0.0/16 (rule 100)");
    });

    it("warns when replies go out only on 32768-65535, naming NAT gateways, ELB and Lambda", () => {
      const out = run(repliesOnly(32768, 65535));
      expect(out.status).toBe("warn");
      const [finding] = out.findings;
      expect(finding!.severity).toBe("medium");
      expect(finding!.summary).toContain("only on tcp/32768-65535 (of 1024-65535)");
      expect(finding!.summary).toContain(
        "NAT gateways, Elastic Load Balancing and Lambda functions (1024-65535)",
      );
      expect(finding!.summary).toContain("served: Linux");
      expect(finding!.summary).toContain("Windows Server 2008 and later (49152-65535)");
      expect(finding!.evidence.join("\n")).toContain("not proof of an outage");
      // The fix adds the missing ports after the last rule: nothing allowed today is touched.
      expect(finding!.remediation!.command).toBe(
        `aws ec2 create-network-acl-entry --region us-east-1 --network-acl-id ${IDS.naclMain} --egress --rule-number 110 --protocol tcp --port-range From=1024,To=65535 --cidr-block 10.0.0.0/16 --rule-action allow`,
      );
      expect(finding!.remediation!.docs).toContain("nacl-ephemeral-ports");
    });

    it("warns when replies go out only on 49152-65535 (Windows), naming Linux among those cut off", () => {
      const out = run(repliesOnly(49152, 65535));
      expect(out.status).toBe("warn");
      expect(out.summary).toContain("Linux (most kernels, Amazon Linux included) (32768-60999)");
      expect(out.summary).toContain("served: Windows Server 2008 and later");
    });

    it("warns when replies go out only on 32768-60999 (Linux), naming Windows among those cut off", () => {
      const out = run(repliesOnly(32768, 60999));
      expect(out.status).toBe("warn");
      expect(out.summary).toContain("get no reply: NAT gateways");
      expect(out.summary).toContain("Windows Server 2008 and later (49152-65535)");
    });

    it("fails when every ephemeral port is denied before the allow: no client can get a reply", () => {
      const out = run(
        interfaceSnapshot((s) => mainEntries(s, tcp(90, "out", "deny", "0.0.0.0/0", 1024, 65535), ...open())),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain("outbound tcp/1024-65535 to 10.0.0.0/16 is dropped by rule 90");
      expect(out.findings[0]!.severity).toBe("critical");
      expect(out.findings[0]!.evidence.join("\n")).toContain(
        "reply ports allowed for every client address: none",
      );
    });

    it("warns when a deny of 1024-2000 precedes the allow, and the fix says the deny may be deliberate", () => {
      const out = run(
        interfaceSnapshot((s) => mainEntries(s, tcp(90, "out", "deny", "0.0.0.0/0", 1024, 2000), ...open())),
      );
      expect(out.status).toBe("warn");
      expect(out.summary).toContain("only on tcp/2001-65535");
      expect(out.summary).toContain("Windows through Server 2003 (1025-5000)");
      const remediation = out.findings[0]!.remediation!;
      expect(remediation.command).toContain(
        "--egress --rule-number 89 --protocol tcp --port-range From=1024,To=65535",
      );
      expect(remediation.text).toContain("If rule 90 deliberately blocks known-bad ports, keep it");
    });

    it("passes when the source's subnet lets replies in from the endpoint on 1024-65535", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = instanceSource();
          sourceAcl(s, allowAll(100, "out"), tcp(100, "in", "allow", "10.0.0.0/16", 1024, 65535));
        }),
      );
      expect(out.status).toBe("pass");
    });

    it("warns when the source's subnet lets replies in only on 32768-65535 (the mirror image)", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = instanceSource();
          sourceAcl(s, allowAll(100, "out"), tcp(100, "in", "allow", "10.0.0.0/16", 32768, 65535));
        }),
      );
      expect(out.status).toBe("warn");
      expect(out.summary).toContain(
        `NACL ${SOURCE_ACL} on source subnet ${IDS.subnetC} allows inbound replies from`,
      );
      expect(out.summary).toContain("NAT gateways, Elastic Load Balancing and Lambda functions");
      expect(out.findings[0]!.remediation!.command).toContain(
        `--network-acl-id ${SOURCE_ACL} --ingress --rule-number 110 --protocol tcp --port-range From=1024,To=65535`,
      );
    });

    it("warns when a gateway endpoint's source subnet lets S3's replies in only on 32768-65535", () => {
      const out = run(
        gatewaySnapshot((s) => {
          s.source = instanceSource();
          mainEntries(s, allowAll(100, "out"), tcp(100, "in", "allow", "0.0.0.0/0", 32768, 65535));
        }),
      );
      expect(out.status).toBe("warn");
      expect(out.findings[0]!.evidence.join("\n")).toContain(
        "NAT gateways, Elastic Load Balancing and Lambda",
      );
    });
  });

  describe("service ports", () => {
    const SMTP = "com.amazonaws.us-east-1.email-smtp";
    const CUSTOM = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";
    /** The endpoint subnets let the request in only on these ports; replies are open. */
    const inboundOnly = (serviceName: string, ports: number[], mutate: (s: Snapshot) => void = () => {}) =>
      interfaceSnapshot((s) => {
        s.endpoint!.serviceName = serviceName;
        mainEntries(
          s,
          ...ports.map((p, i) => tcp(100 + i, "in", "allow", "10.0.0.0/16", p)),
          star("in"),
          allowAll(100, "out"),
        );
        mutate(s);
      });

    it("passes when an SES SMTP endpoint's NACL admits 587, naming the dropped ports in a note", () => {
      const out = run(inboundOnly(SMTP, [587]));
      expect(out.status).toBe("pass");
      expect(out.summary).toContain("inbound tcp/587 from 10.0.0.0/16 (rule 100)");
      expect(out.summary).not.toContain("tcp/443");
      const note = out.findings.find((f) => f.severity === "info")!;
      expect(note.summary).toContain("drops tcp/25, 465, 2465, 2587");
      expect(note.summary).toContain("a client needs only the port it uses");
    });

    it("fails when an SES SMTP endpoint's NACL admits none of 25, 465, 587, 2465, 2587; the fix opens 587", () => {
      const out = run(inboundOnly(SMTP, [443]));
      expect(out.status).toBe("fail");
      expect(out.findings).toHaveLength(1);
      const [finding] = out.findings;
      expect(finding!.summary).toContain("inbound tcp/587 from 10.0.0.0/16 is dropped by the implicit deny");
      expect(finding!.remediation!.command).toBe(
        `aws ec2 create-network-acl-entry --region us-east-1 --network-acl-id ${IDS.naclMain} --ingress --rule-number 110 --protocol tcp --port-range From=587,To=587 --cidr-block 10.0.0.0/16 --rule-action allow`,
      );
      const evidence = finding!.evidence.join("\n");
      expect(evidence).toContain("inbound tcp/25 from 10.0.0.0/16 is dropped");
      expect(evidence).toContain("inbound tcp/2587 from 10.0.0.0/16 is dropped");
      expect(evidence).toContain("use the port your client is configured for");
    });

    it("fails when the requester's port (--port 2465) is denied, with the fix on that port", () => {
      const out = run(
        inboundOnly(SMTP, [587], (s) => {
          s.portHint = { ports: [2465], origin: "request" };
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.findings[0]!.remediation!.command).toContain("--port-range From=2465,To=2465");
    });

    it("passes when the requester's port (--port 2465) is admitted", () => {
      const out = run(
        inboundOnly(SMTP, [2465], (s) => {
          s.portHint = { ports: [2465], origin: "request" };
        }),
      );
      expect(out.status).toBe("pass");
      expect(out.summary).toContain("inbound tcp/2465");
    });

    it("fails when one of two ports named in the config is denied: each named port must get through", () => {
      const out = run(
        inboundOnly(CUSTOM, [8443], (s) => {
          s.portHint = { ports: [8443, 9443], origin: "config" };
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.summary).toContain("inbound tcp/9443 from 10.0.0.0/16 is dropped by the implicit deny");
      expect(out.findings).toHaveLength(1);
      expect(out.findings[0]!.remediation!.command).toContain("--port-range From=9443,To=9443");
    });

    it("passes when both ports named in the config are admitted", () => {
      const out = run(
        inboundOnly(CUSTOM, [8443, 9443], (s) => {
          s.portHint = { ports: [8443, 9443], origin: "config" };
        }),
      );
      expect(out.status).toBe("pass");
      expect(out.summary).toContain("inbound tcp/8443 from 10.0.0.0/16 (rule 100)");
      expect(out.summary).toContain("inbound tcp/9443 from 10.0.0.0/16 (rule 101)");
    });

    it("fails when a custom service's known listener port (config 8443) is denied", () => {
      const out = run(
        inboundOnly(CUSTOM, [443], (s) => {
          s.portHint = { ports: [8443], origin: "config" };
        }),
      );
      expect(out.status).toBe("fail");
      expect(out.findings[0]!.remediation!.command).toContain("--port-range From=8443,To=8443");
    });

    it("passes when a custom service's known listener port (config 8443) is admitted", () => {
      const out = run(
        inboundOnly(CUSTOM, [8443], (s) => {
          s.portHint = { ports: [8443], origin: "config" };
        }),
      );
      expect(out.status).toBe("pass");
      expect(out.findings).toEqual([]);
    });

    it("warns, not fails, when a custom service with no known port is refused on the assumed 443", () => {
      const out = run(inboundOnly(CUSTOM, [8443]));
      expect(out.status).toBe("warn");
      expect(out.findings[0]!.severity).toBe("medium");
      expect(out.findings[0]!.evidence.join("\n")).toContain("evaluated as a hypothesis");
    });

    it("passes when a custom service with no known port admits the assumed 443, saying it is a hypothesis", () => {
      const out = run(inboundOnly(CUSTOM, [443]));
      expect(out.status).toBe("pass");
      expect(out.findings[0]!.severity).toBe("info");
      expect(out.findings[0]!.summary).toContain("checked as a hypothesis");
    });
  });

  describe("unknown when", () => {
    it("NACLs could not be read", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.networkAcls = undefined;
          withGap(s, "networkAcls", "ec2:DescribeNetworkAcls");
        }),
      );
      expect(out.status).toBe("unknown");
      expect(out.summary).toContain("ec2:DescribeNetworkAcls");
    });

    it("NACLs are absent with no gap to explain it", () => {
      const out = run(interfaceSnapshot((s) => (s.networkAcls = undefined)));
      expect(out.status).toBe("unknown");
    });

    it("no collected NACL is associated with an endpoint subnet", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.networkAcls![0]!.subnetIds = [IDS.subnetA];
        }),
      );
      expect(out.status).toBe("unknown");
      expect(out.summary).toContain(IDS.subnetB);
      expect(out.findings[0]!.remediation!.command).toContain("Name=association.subnet-id");
    });

    it("the source subnet's CIDR is needed and subnets could not be read", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = subnetSource(IDS.subnetC);
          s.subnets = undefined;
          withGap(s, "subnets", "ec2:DescribeSubnets");
        }),
      );
      expect(out.status).toBe("unknown");
      expect(out.summary).toContain("ec2:DescribeSubnets");
    });

    it("the VPC CIDRs could not be read and no source was given", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.vpc = undefined;
          withGap(s, "vpc", "ec2:DescribeVpcs");
        }),
      );
      expect(out.status).toBe("unknown");
    });

    it("the endpoint's addresses are unknown for the source-side check", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.source = instanceSource();
          s.networkInterfaces = undefined;
          s.subnets = undefined;
          withGap(s, "networkInterfaces", "ec2:DescribeNetworkInterfaces");
          withGap(s, "subnets", "ec2:DescribeSubnets");
        }),
      );
      expect(out.status).toBe("unknown");
      expect(out.findings[0]!.evidence.join("\n")).toContain("ec2:DescribeNetworkInterfaces");
    });

    it("the source's subnet has no collected NACL", () => {
      const out = run(
        gatewaySnapshot((s) => {
          s.source = instanceSource({ subnetId: "subnet-0peered000000001" });
        }),
      );
      expect(out.status).toBe("unknown");
      expect(out.summary).toContain("subnet-0peered000000001");
    });
  });

  describe("skips when", () => {
    it("the endpoint is a gateway endpoint and no source is given", () => {
      const out = run(gatewaySnapshot());
      expect(out.status).toBe("skip");
      expect(out.summary).toContain(IDS.gatewayEndpoint);
    });

    it("a gateway endpoint's source has no known subnet", () => {
      const out = run(
        gatewaySnapshot((s) => {
          s.source = {
            given: { kind: "cidr", value: "10.0.3.0/24", ipVersion: 4 },
            addresses: [],
            securityGroupIds: [],
            found: true,
          };
        }),
      );
      expect(out.status).toBe("skip");
    });

    it("the source sits in the endpoint's only subnet, where NACLs do not apply", () => {
      const out = run(
        interfaceSnapshot((s) => {
          s.endpoint!.subnetIds = [IDS.subnetA];
          s.endpoint!.networkInterfaceIds = [IDS.eniA];
          s.source = instanceSource({ addresses: ["10.0.1.50"], subnetId: IDS.subnetA });
          mainEntries(s, star("in"), star("out"));
        }),
      );
      expect(out.status).toBe("skip");
      expect(out.summary).toContain("inside one subnet");
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
