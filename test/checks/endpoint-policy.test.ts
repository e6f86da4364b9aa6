import { describe, expect, it } from "vitest";
import { endpointPolicy } from "../../src/checks/endpoint-policy.js";
import type { Snapshot, TrailEvent } from "../../src/diagnosis/snapshot.js";
import {
  gatewaySnapshot,
  healthyInterfaceSnapshot,
  IDS,
  interfaceSnapshot,
  withGap,
} from "../support/snapshot-factory.js";

const run = (s: Snapshot) => endpointPolicy.run(s, new Map());

const MODIFY = `aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id ${IDS.endpoint}`;

function withPolicy(statements: unknown): Snapshot {
  return interfaceSnapshot((s) => {
    s.endpoint!.policyDocument = JSON.stringify({ Version: "2012-10-17", Statement: statements });
  });
}

function denied(overrides: Partial<TrailEvent> = {}): TrailEvent {
  return {
    eventId: "e-1",
    eventName: "GetParameter",
    eventSource: "ssm.amazonaws.com",
    eventTime: "2026-11-23T11:42:00Z",
    principalArn: "arn:aws:iam::111122223333:role/app",
    sourceIp: "10.0.3.7",
    errorCode: "AccessDenied",
    errorMessage:
      "User: arn:aws:sts::111122223333:assumed-role/app/i-1 is not authorized to perform: ssm:GetParameter because no VPC endpoint policy allows the ssm:GetParameter action",
    vpcEndpointId: IDS.endpoint,
    resourceIds: [],
    ...overrides,
  };
}

describe("endpoint-policy", () => {
  describe("passes when", () => {
    it("the policy is the full-access default and CloudTrail shows no denial", () => {
      const outcome = run(healthyInterfaceSnapshot());
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain(IDS.endpoint);
      expect(outcome.summary).toContain("Allow * on * for *");
      expect(outcome.summary).toContain("no request denied through it in the last 1 h");
      expect(outcome.findings).toEqual([]);
    });

    it("the default is written with {AWS: '*'} and arrays, next to narrower statements", () => {
      const outcome = run(
        withPolicy([
          { Effect: "Allow", Principal: { AWS: ["*"] }, Action: ["*"], Resource: ["*"] },
          { Effect: "Allow", Principal: "*", Action: "ssm:GetParameter", Resource: "*" },
        ]),
      );
      expect(outcome.status).toBe("pass");
    });

    it("the gateway endpoint has the default policy", () => {
      expect(run(gatewaySnapshot()).status).toBe("pass");
    });

    it("CloudTrail could not be read: still judged on the policy, with an info finding", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          delete s.cloudTrail;
          withGap(s, "cloudTrail", "cloudtrail:LookupEvents");
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain("CloudTrail denials could not be read");
      expect(outcome.findings).toHaveLength(1);
      expect(outcome.findings[0]!.severity).toBe("info");
      expect(outcome.findings[0]!.summary).toContain("CloudTrail denials");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain("cloudtrail:LookupEvents");
    });

    it("AccessDenied events belong to another endpoint", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.cloudTrail!.accessDenied = [denied({ vpcEndpointId: "vpce-0other000000000000" })];
        }),
      );
      expect(outcome.status).toBe("pass");
    });
  });

  describe("fails when", () => {
    it("the document is not valid JSON", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.policyDocument = '{"Statement": [';
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(`the endpoint policy of ${IDS.endpoint} is not valid JSON`);
      expect(outcome.findings[0]!.remediation!.command).toBe(`${MODIFY} --reset-policy`);
      expect(outcome.findings[0]!.resourceIds).toEqual([IDS.endpoint]);
    });

    it("the document is longer than 20,480 characters", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.policyDocument = JSON.stringify(
            { Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] },
            null,
            20_480,
          ).padEnd(20_481, " ");
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("20481 characters");
      expect(outcome.summary).toContain(IDS.endpoint);
      expect(outcome.findings[0]!.remediation!.command).toBe(
        `${MODIFY} --policy-document file://policy.json`,
      );
    });

    it("a statement denies: the Deny is summarised", () => {
      const outcome = run(
        withPolicy([
          { Effect: "Allow", Principal: "*", Action: "*", Resource: "*" },
          {
            Sid: "NoWrites",
            Effect: "Deny",
            Principal: { AWS: "arn:aws:iam::111122223333:role/app" },
            Action: ["ssm:PutParameter", "ssm:DeleteParameter"],
            Resource: "*",
            Condition: { StringNotEquals: { "aws:PrincipalAccount": "111122223333" } },
          },
        ]),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(IDS.endpoint);
      const evidence = outcome.findings[0]!.evidence.join("\n");
      expect(evidence).toContain(
        "statement NoWrites: Deny ssm:PutParameter, ssm:DeleteParameter on * for AWS arn:aws:iam::111122223333:role/app when StringNotEquals aws:PrincipalAccount = 111122223333",
      );
      expect(outcome.findings[0]!.remediation!.command).toBe(
        `${MODIFY} --policy-document file://policy.json`,
      );
    });

    it("an Allow statement names no Principal", () => {
      const outcome = run(withPolicy([{ Effect: "Allow", Action: "*", Resource: "*" }]));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("names no Principal");
    });

    it("there is no Allow statement at all", () => {
      const outcome = run(withPolicy([]));
      expect(outcome.status).toBe("fail");
      expect(outcome.findings[0]!.remediation!.command).toBe(`${MODIFY} --reset-policy`);
    });

    it("CloudTrail shows requests denied by this endpoint's policy: who, what and when", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.cloudTrail!.accessDenied = [denied()];
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(
        `CloudTrail shows 1 request denied by the endpoint policy of ${IDS.endpoint} in the last 1 h`,
      );
      const line = outcome.findings[0]!.evidence[0]!;
      expect(line).toContain("2026-11-23T11:42:00Z");
      expect(line).toContain("arn:aws:iam::111122223333:role/app");
      expect(line).toContain("ssm.amazonaws.com GetParameter");
      expect(line).toContain("no VPC endpoint policy allows");
    });

    it("AccessDenied through the endpoint while the policy is restricted", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.policyDocument = JSON.stringify({
            Statement: [{ Effect: "Allow", Principal: "*", Action: "ssm:GetParameter", Resource: "*" }],
          });
          s.cloudTrail!.accessDenied = [
            denied({ errorCode: "AccessDeniedException", errorMessage: "denied" }),
          ];
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(`1 AccessDenied request through ${IDS.endpoint}`);
    });
  });

  describe("warns when", () => {
    it("the Allow statements restrict action and resource: what is allowed is spelled out", () => {
      const outcome = run(
        withPolicy([
          { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::my-bucket/*" },
        ]),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain(IDS.endpoint);
      expect(outcome.findings[0]!.evidence).toContain(
        "statement #1: Allow s3:GetObject on arn:aws:s3:::my-bucket/* for *",
      );
      expect(outcome.findings[0]!.remediation!.text).toContain("--reset-policy");
    });

    it("an Allow carries an aws:SourceVpc condition: the hub-endpoint trap is explained", () => {
      const outcome = run(
        withPolicy([
          {
            Effect: "Allow",
            Principal: "*",
            Action: "*",
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceVpc": "vpc-0spoke0000000000" } },
          },
        ]),
      );
      expect(outcome.status).toBe("warn");
      const evidence = outcome.findings[0]!.evidence.join("\n");
      expect(evidence).toContain("when StringEquals aws:SourceVpc = vpc-0spoke0000000000");
      expect(evidence).toContain("centralised (hub) endpoints");
      expect(evidence).toContain(`${IDS.vpc} is not among the values`);
    });

    it("the principal is restricted", () => {
      const outcome = run(
        withPolicy([
          {
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::111122223333:root" },
            Action: "*",
            Resource: "*",
          },
        ]),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("for AWS arn:aws:iam::111122223333:root");
    });

    it("AccessDenied through the endpoint although its policy allows everything", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.cloudTrail!.accessDenied = [denied({ errorMessage: "Access Denied" })];
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("identity or resource policy");
    });
  });

  describe("unknown when", () => {
    it("the endpoint itself could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint = null;
          withGap(s, "endpoint", "ec2:DescribeVpcEndpoints");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeVpcEndpoints");
    });
  });

  describe("skips when", () => {
    it("the service does not support endpoint policies", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.service!.policySupported = false;
          s.endpoint!.policyDocument =
            '{"Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}';
        }),
      );
      expect(outcome.status).toBe("skip");
      expect(outcome.summary).toContain("does not support endpoint policies");
    });

    it("the endpoint has no policy document", () => {
      const outcome = run(interfaceSnapshot((s) => void delete s.endpoint!.policyDocument));
      expect(outcome.status).toBe("skip");
      expect(outcome.summary).toContain(IDS.endpoint);
    });

    it("there is no endpoint", () => {
      expect(
        run(
          interfaceSnapshot((s) => {
            s.endpoint = null;
          }),
        ).status,
      ).toBe("skip");
    });
  });
});
