import { describe, expect, it } from "vitest";
import { endpointExists } from "../../src/checks/endpoint-exists.js";
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

const run = (snapshot: Snapshot) => runCheck(endpointExists, snapshot, new Map());

const missing = (mutate: (s: Snapshot) => void = () => {}) =>
  interfaceSnapshot((s) => {
    s.endpoint = null;
    mutate(s);
  });

describe("endpoint-exists", () => {
  it("has the id of its file and a static title", () => {
    expect(endpointExists.id).toBe("endpoint-exists");
    expect(endpointExists.title).toBe("The endpoint exists in this account and region");
  });

  describe("passes when", () => {
    it("the interface endpoint was found, naming id, type and service", () => {
      const outcome = run(healthyInterfaceSnapshot());
      expect(outcome.status).toBe("pass");
      expect(outcome.findings).toEqual([]);
      expect(outcome.summary).toContain(IDS.endpoint);
      expect(outcome.summary).toContain("Interface");
      expect(outcome.summary).toContain("com.amazonaws.us-east-1.ssm");
    });

    it("the gateway endpoint was found", () => {
      const outcome = run(healthyGatewaySnapshot());
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain(IDS.gatewayEndpoint);
      expect(outcome.summary).toContain("Gateway");
      expect(outcome.summary).toContain("com.amazonaws.us-east-1.s3");
    });

    it("the endpoint was found even though an unrelated call failed", () => {
      const outcome = run(gatewaySnapshot((s) => withGap(s, "networkAcls", "ec2:DescribeNetworkAcls")));
      expect(outcome.status).toBe("pass");
    });
  });

  describe("fails when", () => {
    it("the endpoint is not found, naming region and account, with a filter command", () => {
      const outcome = run(missing((s) => (s.notFound = { similarIds: [], endpointsInRegion: 7 })));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(IDS.endpoint);
      expect(outcome.summary).toContain("us-east-1");
      expect(outcome.summary).toContain("111122223333 (prod)");
      const finding = outcome.findings.at(-1)!;
      expect(finding.severity).toBe("critical");
      expect(finding.resourceIds).toEqual([IDS.endpoint]);
      expect(finding.evidence.join("\n")).toContain("endpoints in us-east-1 in this account: 7");
      expect(finding.remediation?.text).toMatch(/region/);
      expect(finding.remediation?.text).toMatch(/account 111122223333 \(prod\)/);
      expect(finding.remediation?.text).toMatch(/deleted/);
      expect(finding.remediation?.command).toBe(
        `aws ec2 describe-vpc-endpoints --region us-east-1 --filters Name=vpc-endpoint-id,Values=${IDS.endpoint}`,
      );
      expect(finding.remediation?.docs).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    });

    it("a similar id exists in the region: did you mean ...", () => {
      const near = "vpce-0a1b2c3d4e5f60719";
      const outcome = run(missing((s) => (s.notFound = { similarIds: [near], endpointsInRegion: 3 })));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(`did you mean ${near}?`);
      const typo = outcome.findings[0]!;
      expect(typo.summary).toContain(near);
      expect(typo.remediation?.command).toBe(
        `aws ec2 describe-vpc-endpoints --region us-east-1 --vpc-endpoint-ids ${near}`,
      );
      expect(typo.resourceIds).toEqual([IDS.endpoint, near]);
    });

    it("CloudTrail shows who deleted it and when", () => {
      const outcome = run(
        missing((s) => {
          s.notFound = {
            similarIds: [],
            endpointsInRegion: 2,
            deletedEvent: {
              eventId: "0f1e2d3c-4b5a-6978-8877-665544332211",
              eventName: "DeleteVpcEndpoints",
              eventTime: "2026-11-23T11:42:00Z",
              principalArn: "arn:aws:sts::111122223333:assumed-role/ops/alice",
              sourceIp: "198.51.100.7",
              resourceIds: [IDS.endpoint],
            },
          };
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("arn:aws:sts::111122223333:assumed-role/ops/alice");
      expect(outcome.summary).toContain("2026-11-23T11:42:00Z");
      const deleted = outcome.findings[0]!;
      expect(deleted.severity).toBe("critical");
      expect(deleted.evidence.join("\n")).toContain("DeleteVpcEndpoints");
      expect(deleted.evidence.join("\n")).toContain("198.51.100.7");
      expect(deleted.remediation?.command).toBe(
        "aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=EventId,AttributeValue=0f1e2d3c-4b5a-6978-8877-665544332211",
      );
    });

    it("the region has no endpoints at all: suggests the region or the account and searches every region", () => {
      const outcome = run(missing((s) => (s.notFound = { similarIds: [], endpointsInRegion: 0 })));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toMatch(/no VPC endpoints at all/);
      const command = outcome.findings.at(-1)!.remediation?.command ?? "";
      expect(command).toContain("aws ec2 describe-regions --region us-east-1");
      expect(command).toContain(`Name=vpc-endpoint-id,Values=${IDS.endpoint}`);
    });

    it("the id exists in another region: says where and how to rerun there", () => {
      const outcome = run(
        missing(
          (s) => (s.notFound = { similarIds: [], endpointsInRegion: 0, foundInRegions: ["us-west-2"] }),
        ),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(
        `${IDS.endpoint} is not in us-east-1 but was found in us-west-2: rerun with --region us-west-2`,
      );
      expect(outcome.findings[0]!.remediation?.command).toBe(
        `vpce-doctor diagnose ${IDS.endpoint} --region us-west-2`,
      );
    });

    it("the other regions were searched and hold no such id: no loop over the regions is proposed", () => {
      const outcome = run(
        missing((s) => (s.notFound = { similarIds: [], endpointsInRegion: 0, foundInRegions: [] })),
      );
      expect(outcome.status).toBe("fail");
      const generic = outcome.findings.at(-1)!;
      expect(generic.evidence).toContain(
        `the account's other enabled regions: no endpoint ${IDS.endpoint} either`,
      );
      expect(generic.remediation?.command).not.toContain("describe-regions");
    });

    it("no hints were collected and the account has no alias", () => {
      const outcome = run(
        missing((s) => {
          s.accountAlias = undefined;
          s.region = "eu-west-1";
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("account 111122223333 in eu-west-1");
      expect(outcome.findings).toHaveLength(1);
      expect(outcome.findings[0]!.remediation?.command).toContain("--region eu-west-1");
    });
  });

  describe("unknown when", () => {
    it("the endpoint could not be read", () => {
      const outcome = run(missing((s) => withGap(s, "endpoint", "ec2:DescribeVpcEndpoints")));
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeVpcEndpoints denied");
    });
  });
});
