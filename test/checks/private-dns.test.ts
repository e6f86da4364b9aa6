import { describe, expect, it } from "vitest";
import { privateDns } from "../../src/checks/private-dns.js";
import type { CheckOutcome } from "../../src/diagnosis/check.js";
import { runCheck } from "../../src/diagnosis/evaluate.js";
import type { RouteTable, Snapshot } from "../../src/diagnosis/snapshot.js";
import {
  aliasRecord,
  aRecord,
  ENDPOINT_DNS,
  gatewaySnapshot,
  hubAndSpoke,
  IDS,
  interfaceSnapshot,
  OUTSIDE,
  onPremClient,
  peeredClient,
  privateZone,
  resolverRule,
  withGap,
} from "../support/snapshot-factory.js";

const run = (snapshot: Snapshot) => runCheck(privateDns, snapshot);
const NAME = "ssm.us-east-1.amazonaws.com";
const HUB_ZONE = "Z0HUBSSM000001";

/** The healthy endpoint with the Resolver rules read (none associated) and one change applied. */
function dns(mutate: (s: Snapshot) => void = () => {}): Snapshot {
  return interfaceSnapshot((s) => {
    s.resolverRules = [];
    mutate(s);
  });
}

function commands(outcome: CheckOutcome): string {
  return outcome.findings.map((f) => f.remediation?.command ?? "").join("\n");
}

/** The fixes that break a centralised setup: enabling private DNS (refused) or dropping the zone (no answer). */
function expectNoBreakingFix(outcome: CheckOutcome): void {
  expect(commands(outcome)).not.toContain("--private-dns-enabled");
  expect(commands(outcome)).not.toContain("disassociate");
}

function upsertBody(outcome: CheckOutcome): unknown {
  const command = outcome.findings[0]!.remediation!.command!;
  expect(
    command.startsWith(
      `aws route53 change-resource-record-sets --hosted-zone-id ${HUB_ZONE} --change-batch '`,
    ),
  ).toBe(true);
  return JSON.parse(command.slice(command.indexOf("'") + 1, -1));
}

const UPSERT_TO_ENDPOINT = {
  Action: "UPSERT",
  ResourceRecordSet: {
    Name: NAME,
    Type: "A",
    AliasTarget: {
      HostedZoneId: ENDPOINT_DNS.zoneId,
      DNSName: ENDPOINT_DNS.regional,
      EvaluateTargetHealth: false,
    },
  },
};

describe("private-dns", () => {
  it("has the id of its file and declares what it needs", () => {
    expect(privateDns.id).toBe("private-dns");
    expect(privateDns.appliesTo).toEqual(["Interface"]);
    expect(privateDns.needs).toEqual(["service"]);
  });

  describe("passes when", () => {
    it("the healthy endpoint has private DNS, DNS support and hostnames, and AmazonProvidedDNS", () => {
      const outcome = run(dns());
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toBe(
        `${NAME} resolves to the endpoint inside ${IDS.vpc} (private DNS on, DNS support and hostnames on, AmazonProvidedDNS)`,
      );
      expect(outcome.findings).toEqual([]);
    });

    it("the snapshot predates Resolver rules, noting that a FORWARD rule could not be ruled out", () => {
      const outcome = run(interfaceSnapshot());
      expect(outcome.status).toBe("pass");
      expect(outcome.findings).toHaveLength(1);
      expect(outcome.findings[0]!.severity).toBe("info");
      expect(outcome.findings[0]!.summary).toContain("Resolver rules");
    });

    it("the service has no private DNS name, with a note listing the endpoint's DNS names", () => {
      const outcome = run(
        dns((s) => {
          s.service!.privateDnsName = undefined;
          s.endpoint!.privateDnsEnabled = false;
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain(IDS.endpoint);
      expect(outcome.findings[0]!.severity).toBe("info");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain(ENDPOINT_DNS.regional);
    });

    it("the only hosted zone is the endpoint's own private zone", () => {
      const outcome = run(
        dns((s) => (s.hostedZones = [privateZone("/hostedzone/ZONEPRIVATE1", `${NAME}.`)])),
      );
      expect(outcome.status).toBe("pass");
    });

    it("the DHCP options name the VPC resolver (base +2) instead of AmazonProvidedDNS", () => {
      const outcome = run(dns((s) => (s.dhcpOptions = { id: IDS.dhcp, domainNameServers: ["10.0.0.2"] })));
      expect(outcome.status).toBe("pass");
    });

    it("an unrelated hosted zone is associated", () => {
      const outcome = run(dns((s) => (s.hostedZones = [privateZone("Z0CORP", "corp.example.com.")])));
      expect(outcome.status).toBe("pass");
    });

    it("a parent-domain zone exists while private DNS is on, noting it", () => {
      const outcome = run(
        dns((s) => (s.hostedZones = [privateZone("Z0AMAZONAWS", "amazonaws.com.", undefined)])),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.findings[0]!.severity).toBe("info");
      expect(outcome.findings[0]!.summary).toContain("amazonaws.com.");
    });
  });

  describe("passes (hub and spoke) when", () => {
    it("private DNS is off and a zone named after the service aliases the endpoint's regional name", () => {
      const outcome = run(dns((s) => hubAndSpoke(s)));
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toBe(
        `${NAME} resolves through private hosted zone ${NAME}. (${HUB_ZONE}) to ${ENDPOINT_DNS.regional} inside ${IDS.vpc}`,
      );
      expect(outcome.findings[0]!.severity).toBe("info");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain("hub-and-spoke");
      expectNoBreakingFix(outcome);
    });

    it("the zone aliases a zonal DNS name of the endpoint", () => {
      const outcome = run(dns((s) => hubAndSpoke(s, [aliasRecord(`${NAME}.`, ENDPOINT_DNS.zonalA)])));
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain(ENDPOINT_DNS.zonalA);
      expectNoBreakingFix(outcome);
    });

    it("the zone holds A records on the endpoint's ENI addresses", () => {
      const outcome = run(dns((s) => hubAndSpoke(s, [aRecord(`${NAME}.`, ["10.0.1.10", "10.0.2.10"])])));
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain("10.0.1.10, 10.0.2.10");
      expectNoBreakingFix(outcome);
    });

    it.each([
      ["a record for the name", `${NAME}.`],
      ["a wildcard for its parent", "*.us-east-1.amazonaws.com."],
      ["a wildcard as Route 53 lists it", "\\052.us-east-1.amazonaws.com."],
    ])("a parent zone holds %s", (_, recordName) => {
      const outcome = run(
        dns((s) => {
          hubAndSpoke(s);
          s.hostedZones = [privateZone(HUB_ZONE, "us-east-1.amazonaws.com.", [aliasRecord(recordName)])];
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain("us-east-1.amazonaws.com.");
      expectNoBreakingFix(outcome);
    });

    it("an S3 zone answers the wildcard name, its wildcard aliasing the apex record", () => {
      const outcome = run(
        dns((s) => {
          s.endpoint!.serviceName = "com.amazonaws.us-east-1.s3";
          s.service = {
            ...s.service!,
            name: "com.amazonaws.us-east-1.s3",
            privateDnsName: "*.s3.us-east-1.amazonaws.com",
          };
          hubAndSpoke(s);
          const apex = "s3.us-east-1.amazonaws.com.";
          s.hostedZones = [
            privateZone(HUB_ZONE, apex, [
              aliasRecord(apex),
              { name: `*.${apex}`, type: "A", values: [], alias: { dnsName: apex, hostedZoneId: HUB_ZONE } },
            ]),
          ];
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain("*.s3.us-east-1.amazonaws.com resolves through private hosted zone");
    });

    it("a FORWARD rule covers a parent domain: the more specific zone keeps answering (autodefined rule)", () => {
      const outcome = run(
        dns((s) => {
          hubAndSpoke(s);
          s.resolverRules = [resolverRule("amazonaws.com")];
        }),
      );
      expect(outcome.status).toBe("pass");
      const note = outcome.findings.find((f) => f.resourceIds?.includes("rslvr-rr-0f0r0w0a0r0d00001"));
      expect(note?.severity).toBe("info");
      expect(note?.remediation?.docs).toContain("resolver-overview-forward-vpc-to-network-autodefined-rules");
    });

    it("a SYSTEM rule for the name keeps it local despite a FORWARD rule more specific than the zone", () => {
      const outcome = run(
        dns((s) => {
          hubAndSpoke(s);
          s.hostedZones = [privateZone(HUB_ZONE, "amazonaws.com.", [aliasRecord(`${NAME}.`)])];
          s.resolverRules = [
            resolverRule("us-east-1.amazonaws.com"),
            resolverRule(NAME, { id: "rslvr-rr-0sy0st0em00000001", name: "keep-ssm", ruleType: "SYSTEM" }),
          ];
        }),
      );
      expect(outcome.status).toBe("pass");
      const note = outcome.findings.find((f) => f.summary.includes("SYSTEM rule"));
      expect(note?.summary).toContain("rslvr-rr-0sy0st0em00000001 (keep-ssm)");
      expect(note?.summary).toContain(
        "rslvr-rr-0f0r0w0a0r0d00001 (to-datacenter) for us-east-1.amazonaws.com",
      );
    });
  });

  describe("passes with Resolver rules when", () => {
    it.each(["amazonaws.com", "com", "."])(
      "a FORWARD rule for %s is less specific than the endpoint's private zone",
      (domain) => {
        const outcome = run(dns((s) => (s.resolverRules = [resolverRule(domain)])));
        expect(outcome.status).toBe("pass");
        expect(outcome.findings[0]!.summary).toContain("keeps answering");
      },
    );

    it("a FORWARD rule for the name failed to associate", () => {
      const outcome = run(
        dns((s) => (s.resolverRules = [resolverRule(NAME, { associationStatus: "FAILED" })])),
      );
      expect(outcome.status).toBe("pass");
    });

    it("a FORWARD rule covers an unrelated domain", () => {
      const outcome = run(dns((s) => (s.resolverRules = [resolverRule("corp.example.com")])));
      expect(outcome.status).toBe("pass");
      expect(outcome.findings).toEqual([]);
    });

    it("an S3 endpoint answers on-premises only and the VPC has an S3 gateway endpoint route", () => {
      const outcome = run(
        dns((s) => {
          s.endpoint!.serviceName = "com.amazonaws.us-east-1.s3";
          s.endpoint!.privateDnsOnlyForInboundResolverEndpoint = true;
          s.service = {
            ...s.service!,
            name: "com.amazonaws.us-east-1.s3",
            privateDnsName: "*.s3.us-east-1.amazonaws.com",
          };
          s.routeTables = [
            {
              id: IDS.rtbMain,
              main: true,
              subnetIds: [],
              routes: [{ destinationPrefixListId: IDS.s3PrefixList, gatewayId: IDS.gatewayEndpoint }],
            },
          ];
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain(IDS.gatewayEndpoint);
    });
  });

  describe("fails when", () => {
    it("DNS support is off on the VPC", () => {
      const outcome = run(dns((s) => (s.vpc!.enableDnsSupport = false)));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("enableDnsSupport");
      expect(outcome.summary).toContain(IDS.vpc);
      expect(outcome.findings[0]!.remediation!.command).toBe(
        `aws ec2 modify-vpc-attribute --region us-east-1 --vpc-id ${IDS.vpc} --enable-dns-support '{"Value":true}'`,
      );
      expect(outcome.findings[0]!.resourceIds).toEqual([IDS.vpc]);
    });

    it("DNS hostnames are off on the VPC", () => {
      const outcome = run(dns((s) => (s.vpc!.enableDnsHostnames = false)));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("enableDnsHostnames");
      expect(outcome.findings[0]!.remediation!.command).toContain(
        `--vpc-id ${IDS.vpc} --enable-dns-hostnames '{"Value":true}'`,
      );
    });

    it("DNS hostnames are off on a spoke VPC whose private hosted zone should answer", () => {
      const outcome = run(
        dns((s) => {
          hubAndSpoke(s);
          s.vpc!.enableDnsHostnames = false;
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("enableDnsHostnames");
      expectNoBreakingFix(outcome);
    });

    it("a custom service's private DNS name is not verified", () => {
      const outcome = run(
        dns((s) => {
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
        dns((s) => {
          s.vpc!.enableDnsSupport = false;
          s.hostedZones = undefined;
          withGap(s, "hostedZones", "route53:ListHostedZonesByVPC");
          s.resolverRules = undefined;
          withGap(s, "resolverRules", "route53resolver:ListResolverRules");
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("enableDnsSupport");
    });
  });

  describe("fails (hub and spoke) when", () => {
    it("the zone aliases another endpoint's DNS name, with an UPSERT to this endpoint", () => {
      const other = "vpce-0ffffffffffffffff-zzzzzzzz.ssm.us-east-1.vpce.amazonaws.com";
      const outcome = run(dns((s) => hubAndSpoke(s, [aliasRecord(`${NAME}.`, other)])));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(
        `private hosted zone ${NAME}. (${HUB_ZONE}) answers ${NAME} with ${other} (another endpoint), not with ${IDS.endpoint}`,
      );
      expect(outcome.findings[0]!.evidence[0]).toBe(`${NAME}. A -> ALIAS ${other}.`);
      expect(upsertBody(outcome)).toEqual({ Changes: [UPSERT_TO_ENDPOINT] });
      expectNoBreakingFix(outcome);
    });

    it.each([
      ["stale private addresses", ["10.0.1.99", "10.0.2.10"], "10.0.1.99"],
      ["public addresses", ["52.94.12.10"], "52.94.12.10"],
    ])("the zone's A record holds %s", (_, values, stray) => {
      const outcome = run(dns((s) => hubAndSpoke(s, [aRecord(`${NAME}.`, values)])));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(`with ${stray}, not with ${IDS.endpoint}`);
      expect(outcome.findings[0]!.evidence[0]).toBe(`${NAME}. A 300 -> ${values.join(", ")}`);
      expect(upsertBody(outcome)).toEqual({ Changes: [UPSERT_TO_ENDPOINT] });
      expectNoBreakingFix(outcome);
    });

    it("a CNAME leads to another endpoint: the fix deletes it before creating the alias", () => {
      const other = "vpce-0ffffffffffffffff-zzzzzzzz.ssm.us-east-1.vpce.amazonaws.com";
      const outcome = run(
        dns((s) => hubAndSpoke(s, [{ name: `${NAME}.`, type: "CNAME", ttl: 60, values: [other] }])),
      );
      expect(outcome.status).toBe("fail");
      expect(upsertBody(outcome)).toEqual({
        Changes: [
          {
            Action: "DELETE",
            ResourceRecordSet: { Name: NAME, Type: "CNAME", TTL: 60, ResourceRecords: [{ Value: other }] },
          },
          UPSERT_TO_ENDPOINT,
        ],
      });
    });

    it("the zone for the exact name holds no record for it (NXDOMAIN)", () => {
      const outcome = run(
        dns((s) => hubAndSpoke(s, [{ name: `${NAME}.`, type: "TXT", values: ['"owner=network"'] }])),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("holds no A, AAAA or CNAME record");
      expect(outcome.summary).toContain("NXDOMAIN");
      expect(upsertBody(outcome)).toEqual({ Changes: [UPSERT_TO_ENDPOINT] });
      expectNoBreakingFix(outcome);
    });

    it.each(["amazonaws.com.", "us-east-1.amazonaws.com."])(
      "a parent-domain zone %s holds no record for the name while private DNS is off",
      (zone) => {
        const outcome = run(
          dns((s) => {
            hubAndSpoke(s);
            s.hostedZones = [privateZone("Z0PARENT", zone, [aRecord(`other.${zone}`, ["10.0.9.9"])])];
          }),
        );
        expect(outcome.status).toBe("fail");
        expect(outcome.summary).toContain(`private hosted zone ${zone} (Z0PARENT) covers ${NAME}`);
        expect(outcome.findings[0]!.remediation!.command).toContain("--hosted-zone-id Z0PARENT");
        expectNoBreakingFix(outcome);
      },
    );

    it("a parent zone's wildcard points elsewhere: the fix adds the specific name, leaving the wildcard alone", () => {
      const outcome = run(
        dns((s) => {
          hubAndSpoke(s);
          s.hostedZones = [
            privateZone(HUB_ZONE, "us-east-1.amazonaws.com.", [
              aRecord("*.us-east-1.amazonaws.com.", ["10.9.9.9"]),
            ]),
          ];
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(upsertBody(outcome)).toEqual({ Changes: [UPSERT_TO_ENDPOINT] });
    });
  });

  describe("fails (Resolver rules) when", () => {
    it("a FORWARD rule for the exact name takes it from the endpoint's private DNS", () => {
      const outcome = run(dns((s) => (s.resolverRules = [resolverRule(NAME)])));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(
        `rslvr-rr-0f0r0w0a0r0d00001 (to-datacenter) for ${NAME} forwards ${NAME} away from the VPC resolver of ${IDS.vpc}, so the private DNS of ${IDS.endpoint} never answers it`,
      );
      const finding = outcome.findings[0]!;
      expect(finding.evidence[0]).toContain("targets 192.168.10.53, 192.168.11.53");
      expect(finding.remediation!.command).toBe(
        `aws route53resolver disassociate-resolver-rule --region us-east-1 --vpc-id ${IDS.vpc} --resolver-rule-id rslvr-rr-0f0r0w0a0r0d00001`,
      );
      expect(finding.remediation!.text).toContain("inbound endpoint");
      expect(finding.remediation!.docs).toContain("hosted-zone-private-considerations");
      expect(finding.resourceIds).toEqual(["rslvr-rr-0f0r0w0a0r0d00001", IDS.endpoint]);
    });

    it("a FORWARD rule is more specific than the spoke's parent zone, with a SYSTEM rule as the fix", () => {
      const outcome = run(
        dns((s) => {
          hubAndSpoke(s);
          s.hostedZones = [privateZone(HUB_ZONE, "amazonaws.com.", [aliasRecord(`${NAME}.`)])];
          s.resolverRules = [
            resolverRule("us-east-1.amazonaws.com", { targetIps: [{ ip: "10.50.0.2", port: 5353 }] }),
          ];
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(
        `so private hosted zone amazonaws.com. (${HUB_ZONE}) never answers it`,
      );
      expect(outcome.findings[0]!.evidence[0]).toContain("targets 10.50.0.2:5353");
      expect(outcome.findings[0]!.remediation!.command).toBe(
        `RULE_ID=$(aws route53resolver create-resolver-rule --region us-east-1 --rule-type SYSTEM --domain-name ${NAME} --name system-ssm-us-east-1-amazonaws-com --creator-request-id vpce-doctor-system-ssm-us-east-1-amazonaws-com --query ResolverRule.Id --output text) && aws route53resolver associate-resolver-rule --region us-east-1 --resolver-rule-id "$RULE_ID" --vpc-id ${IDS.vpc} --name system-ssm-us-east-1-amazonaws-com`,
      );
    });

    it("a FORWARD rule for the name outranks the hub zone of the same name", () => {
      const outcome = run(
        dns((s) => {
          hubAndSpoke(s);
          s.resolverRules = [resolverRule(NAME)];
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(`private hosted zone ${NAME}. (${HUB_ZONE}) never answers it`);
    });

    it("a FORWARD rule for the name wins although the zone records could not be read", () => {
      const outcome = run(
        dns((s) => {
          hubAndSpoke(s);
          delete s.hostedZones![0]!.records;
          withGap(s, "zoneRecords", "route53:ListResourceRecordSets");
          s.resolverRules = [resolverRule(NAME)];
        }),
      );
      expect(outcome.status).toBe("fail");
    });
  });

  describe("private DNS off and the name resolving publicly: the route tables decide", () => {
    const LOCAL = { destinationCidr: "10.0.0.0/16", gatewayId: "local", state: "active" };
    const NAT = { destinationCidr: "0.0.0.0/0", target: "nat-0a1b2c3d4e5f60718", state: "active" };
    const table = (id: string, routes: object[], extra: Partial<RouteTable> = {}): RouteTable => ({
      id,
      vpcId: IDS.vpc,
      main: false,
      subnetIds: [],
      routes: routes as RouteTable["routes"],
      ...extra,
    });
    const off = (tables: RouteTable[], mutate: (s: Snapshot) => void = () => {}) =>
      run(
        dns((s) => {
          s.endpoint!.privateDnsEnabled = false;
          s.routeTables = tables;
          mutate(s);
        }),
      );

    it("fails when no route table in use has a way out: the public addresses are unreachable", () => {
      const outcome = off([table(IDS.rtbMain, [LOCAL], { main: true })]);
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("no route out");
      expect(outcome.summary).toContain("time out");
      expect(outcome.findings[0]!.resourceIds).toContain(IDS.rtbMain);
      expect(outcome.findings[0]!.remediation!.command).toContain("--private-dns-enabled");
    });

    it("fails when the client's own subnet (--from) has no way out, though others have", () => {
      const outcome = off(
        [
          table(IDS.rtbMain, [LOCAL, NAT], { main: true }),
          table(IDS.rtbPrivate, [LOCAL], { subnetIds: [IDS.subnetC] }),
        ],
        (s) => {
          s.source = {
            given: { kind: "cidr", value: "10.0.3.25/32", ipVersion: 4 },
            addresses: ["10.0.3.25"],
            subnetId: IDS.subnetC,
            vpcId: IDS.vpc,
            securityGroupIds: [],
            found: true,
          };
        },
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(IDS.rtbPrivate);
    });

    it("warns (healthy counterpart) when a NAT gateway leads out: clients reach the public service, bypassing the endpoint", () => {
      const outcome = off([table(IDS.rtbMain, [LOCAL, NAT], { main: true })]);
      expect(outcome.status).toBe("warn");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain("bypass the endpoint");
    });

    it("warns when only some tables lack a way out and no client is named, naming them", () => {
      const outcome = off([
        table(IDS.rtbMain, [LOCAL, NAT], { main: true }),
        table(IDS.rtbPrivate, [LOCAL], { subnetIds: [IDS.subnetC] }),
      ]);
      expect(outcome.status).toBe("warn");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain(
        `${IDS.rtbPrivate} of ${IDS.vpc} has no default route`,
      );
    });

    it("does not count a blackholed default route as a way out, nor a table no subnet uses", () => {
      const outcome = off([
        table(IDS.rtbMain, [LOCAL, { ...NAT, state: "blackhole" }], { main: true }),
        table(IDS.rtbPrivate, [LOCAL, NAT]),
      ]);
      expect(outcome.status).toBe("fail");
    });
  });

  describe("warns when", () => {
    it("private DNS is off and nothing private answers the name, naming the endpoint's own DNS names", () => {
      const outcome = run(dns((s) => (s.endpoint!.privateDnsEnabled = false)));
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain(`private DNS is off on ${IDS.endpoint}`);
      expect(outcome.summary).toContain(NAME);
      expect(outcome.findings[0]!.evidence.join("\n")).toContain(ENDPOINT_DNS.regional);
      expect(outcome.findings[0]!.remediation!.command).toBe(
        `aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id ${IDS.endpoint} --private-dns-enabled`,
      );
      expect(outcome.findings[0]!.resourceIds).toContain(IDS.endpoint);
    });

    it("private DNS is off and DNS hostnames too: hostnames matter to no private answer", () => {
      const outcome = run(
        dns((s) => {
          s.endpoint!.privateDnsEnabled = false;
          s.vpc!.enableDnsHostnames = false;
        }),
      );
      expect(outcome.status).toBe("warn");
    });

    it("a FORWARD rule sends the name away while private DNS is off and no zone answers", () => {
      const outcome = run(
        dns((s) => {
          s.endpoint!.privateDnsEnabled = false;
          s.resolverRules = [resolverRule(".")];
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain('rslvr-rr-0f0r0w0a0r0d00001 (to-datacenter) for "." (every name)');
      expect(outcome.summary).toContain("192.168.10.53, 192.168.11.53");
    });

    it("a FORWARD rule for the name is still being associated", () => {
      const outcome = run(
        dns((s) => (s.resolverRules = [resolverRule(NAME, { associationStatus: "CREATING" })])),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("being associated with");
    });

    it("the DHCP options use custom DNS servers, naming the VPC resolver", () => {
      const outcome = run(
        dns((s) => (s.dhcpOptions = { id: IDS.dhcp, domainNameServers: ["10.9.0.53", "10.9.1.53"] })),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain(IDS.dhcp);
      expect(outcome.summary).toContain("10.9.0.53");
      expect(outcome.summary).toContain("10.0.0.2");
      expect(outcome.findings[0]!.resourceIds).toEqual([IDS.dhcp, IDS.vpc]);
      expect(outcome.findings[0]!.remediation!.command).toBe(`dig +short ${NAME} @10.9.0.53`);
    });

    it("computes the resolver from a CIDR that is not a /16", () => {
      const outcome = run(
        dns((s) => {
          s.vpc!.cidrsIpv4 = ["172.31.128.0/20"];
          s.dhcpOptions = { id: IDS.dhcp, domainNameServers: ["AmazonProvidedDNS", "192.168.1.1"] };
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("172.31.128.2");
    });

    it("the hub zone aliases a name that is not the endpoint's", () => {
      const outcome = run(
        dns((s) => hubAndSpoke(s, [aliasRecord(`${NAME}.`, "ssm-proxy-0123.elb.us-east-1.amazonaws.com")])),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("cannot be told");
      expectNoBreakingFix(outcome);
    });

    it("the hub zone's A records cannot be matched because the ENIs were not read", () => {
      const outcome = run(
        dns((s) => {
          hubAndSpoke(s, [aRecord(`${NAME}.`, ["10.0.1.10"])]);
          s.networkInterfaces = undefined;
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("ENIs");
    });

    it("an S3 interface endpoint keeps private DNS for the inbound resolver only and no gateway route is seen", () => {
      const outcome = run(
        dns((s) => {
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
      expect(outcome.findings[0]!.remediation!.command).toBe(
        `aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id ${IDS.endpoint} --dns-options PrivateDnsOnlyForInboundResolverEndpoint=false`,
      );
    });
  });

  describe("unknown when", () => {
    it("the VPC attributes could not be read", () => {
      const outcome = run(
        dns((s) => {
          s.vpc = undefined;
          withGap(s, "vpc", "ec2:DescribeVpcAttribute");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeVpcAttribute");
    });

    it("the hosted zones could not be read", () => {
      const outcome = run(
        dns((s) => {
          s.hostedZones = undefined;
          withGap(s, "hostedZones", "route53:ListHostedZonesByVPC");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("route53:ListHostedZonesByVPC");
    });

    it("private DNS is off and the hosted zones could not be read: a hub zone may answer", () => {
      const outcome = run(
        dns((s) => {
          s.endpoint!.privateDnsEnabled = false;
          s.hostedZones = undefined;
          withGap(s, "hostedZones", "route53:ListHostedZonesByVPC");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("route53:ListHostedZonesByVPC");
      expectNoBreakingFix(outcome);
    });

    it("the hub zone's records could not be read, naming the gap and never passing", () => {
      const outcome = run(
        dns((s) => {
          hubAndSpoke(s);
          delete s.hostedZones![0]!.records;
          withGap(s, "zoneRecords", "route53:ListResourceRecordSets");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("route53:ListResourceRecordSets");
      expectNoBreakingFix(outcome);
    });

    it("the hub zone's records were not collected: no fault is claimed", () => {
      const outcome = run(
        dns((s) => {
          hubAndSpoke(s);
          delete s.hostedZones![0]!.records;
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain(`the records of ${NAME}. were not collected`);
      expectNoBreakingFix(outcome);
    });

    it("the hub zone's record list was truncated before a record for the name", () => {
      const outcome = run(
        dns((s) => {
          hubAndSpoke(s, [aRecord(`aaa.${NAME}.`, ["10.0.1.10"])]);
          s.hostedZones![0]!.recordsTruncated = true;
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("truncated");
    });

    it("the Resolver rules could not be read, naming the gap", () => {
      const outcome = run(
        dns((s) => {
          s.resolverRules = undefined;
          withGap(s, "resolverRules", "route53resolver:ListResolverRuleAssociations");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("route53resolver:ListResolverRuleAssociations");
    });

    it("the DHCP options could not be read", () => {
      const outcome = run(
        dns((s) => {
          s.dhcpOptions = undefined;
          withGap(s, "dhcpOptions", "ec2:DescribeDhcpOptions");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeDhcpOptions");
    });

    it("the service could not be read", () => {
      const outcome = run(
        dns((s) => {
          s.service = undefined;
          withGap(s, "service", "ec2:DescribeVpcEndpointServices");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeVpcEndpointServices");
    });

    it("the VPC attributes are absent without a recorded gap", () => {
      const outcome = run(dns((s) => (s.vpc!.enableDnsHostnames = undefined)));
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain(IDS.vpc);
    });

    it("ignores a DHCP gap when the service has no private DNS name", () => {
      const outcome = run(
        dns((s) => {
          s.service!.privateDnsName = undefined;
          withGap(s, "dhcpOptions", "ec2:DescribeDhcpOptions");
        }),
      );
      expect(outcome.status).toBe("pass");
    });
  });

  describe("skips when", () => {
    it("the endpoint is a gateway endpoint, saying why", () => {
      const outcome = run(gatewaySnapshot());
      expect(outcome.status).toBe("skip");
      expect(outcome.summary).toContain(
        `${IDS.gatewayEndpoint} is a Gateway endpoint: it has no DNS names of its own`,
      );
    });

    it("there is no endpoint", () => {
      const outcome = run(dns((s) => (s.endpoint = null)));
      expect(outcome.status).toBe("skip");
    });
  });
});

describe("private-dns for a client outside the endpoint's VPC", () => {
  const dns = (mutate: (s: Snapshot) => void) => runCheck(privateDns, interfaceSnapshot(mutate));

  it("warns for a peered client when private DNS answers only inside the endpoint's VPC, giving the regional name", () => {
    const result = dns(peeredClient);
    expect(result.status).toBe("warn");
    expect(result.summary).toContain(
      `resolves to ${IDS.endpoint} only inside ${IDS.vpc}: from the client's ${OUTSIDE.vpc}`,
    );
    expect(result.findings.at(-1)!.remediation!.text).toContain(ENDPOINT_DNS.regional);
  });

  it("passes for a peered client whose VPC has a private hosted zone for the name (centralised pattern)", () => {
    const result = dns((s) => {
      peeredClient(s);
      s.outsidePath!.clientZones = [{ id: "Z0HUB", name: "ssm.us-east-1.amazonaws.com." }];
    });
    expect(result.status).toBe("pass");
    expect(
      result.findings.some((f) => f.summary.includes(`is associated with the client's ${OUTSIDE.vpc}`)),
    ).toBe(true);
  });

  it("warns for an on-premises client when the VPC has no Resolver inbound endpoint", () => {
    const result = dns(onPremClient);
    expect(result.status).toBe("warn");
    expect(result.summary).toContain("has no Route 53 Resolver inbound endpoint");
  });

  it("passes for an on-premises client with an inbound endpoint, saying what the on-premises DNS must do", () => {
    const result = dns((s) => {
      onPremClient(s);
      s.outsidePath!.inboundResolvers = [
        { id: "rslvr-in-0123456789abcdef0", status: "OPERATIONAL", ips: [] },
      ];
    });
    expect(result.status).toBe("pass");
    expect(result.findings.at(-1)!.remediation!.command).toContain("list-resolver-endpoint-ip-addresses");
  });

  it("is unknown when the outside client's DNS could not be read", () => {
    const result = dns((s) => {
      onPremClient(s);
      s.outsidePath!.inboundResolvers = undefined;
      withGap(s, "outsidePath.dns", "route53resolver:ListResolverEndpoints");
    });
    expect(result.status).toBe("unknown");
    expect(result.summary).toContain("route53resolver:ListResolverEndpoints denied");
  });
});
