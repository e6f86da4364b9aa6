import { describe, expect, it } from "vitest";
import { endpointPolicy } from "../../src/checks/endpoint-policy.js";
import type { CheckOutcome } from "../../src/diagnosis/check.js";
import { runCheck } from "../../src/diagnosis/evaluate.js";
import type { Snapshot, TrailEvent } from "../../src/diagnosis/snapshot.js";
import {
  gatewaySnapshot,
  healthyInterfaceSnapshot,
  IDS,
  interfaceSnapshot,
  withGap,
} from "../support/snapshot-factory.js";

const run = (s: Snapshot) => runCheck(endpointPolicy, s);

const MODIFY = `aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id ${IDS.endpoint}`;
const ORG = "o-a1b2c3d4e5";
const OTHER_VPCE = "vpce-0ffffffffffffffff";
const ALLOW_ALL = { Effect: "Allow", Principal: "*", Action: "*", Resource: "*" };

function withPolicy(statements: unknown, from?: string): Snapshot {
  return interfaceSnapshot((s) => {
    s.endpoint!.policyDocument = JSON.stringify({ Version: "2012-10-17", Statement: statements });
    if (from) {
      s.source = {
        given: { kind: "cidr", value: from, ipVersion: 4 },
        addresses: [from],
        securityGroupIds: [],
        found: true,
      };
    }
  });
}

function deny(condition?: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    Sid: "Guard",
    Effect: "Deny",
    Principal: "*",
    Action: "*",
    Resource: "*",
    ...extra,
    Condition: condition,
  };
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

const text = (o: CheckOutcome) => o.findings.map((f) => [f.summary, ...f.evidence].join("\n")).join("\n");
const commands = (o: CheckOutcome) => o.findings.map((f) => f.remediation?.command ?? "").join("\n");
const policyIn = (command: string) => JSON.parse(/--policy-document '(.*)'$/.exec(command)![1]!);

// Modelled on aws-samples/data-perimeter-policy-examples (vpc_endpoint_policies/, CC-BY-SA-4.0): the shapes of
// its statements, with the placeholders filled in.
const PERIMETER_ALLOWS = [
  {
    Sid: "AllowRequestsByOrgsIdentitiesToOrgsResources",
    Effect: "Allow",
    Principal: { AWS: "*" },
    Action: "*",
    Resource: "*",
    Condition: { StringEquals: { "aws:PrincipalOrgID": ORG, "aws:ResourceOrgID": ORG } },
  },
  {
    Sid: "AllowRequestsByAWSServicePrincipals",
    Effect: "Allow",
    Principal: { AWS: "*" },
    Action: "*",
    Resource: "*",
    Condition: { Bool: { "aws:PrincipalIsAWSService": "true" } },
  },
];
const PERIMETER_SSM = [
  ...PERIMETER_ALLOWS,
  {
    Sid: "AllowRequestsByOrgsIdentitiesToAWSResources",
    Effect: "Allow",
    Principal: { AWS: "*" },
    Action: ["ssm:Describe*", "ssm:List*", "ssm:Get*"],
    Resource: ["arn:aws:ssm:us-east-1::parameter/aws/*", "arn:aws:ssm:us-east-1::document/*"],
    Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } },
  },
];
const PERIMETER_S3 = [
  ...PERIMETER_ALLOWS,
  {
    Sid: "AllowRequestsToAWSOwnedResources",
    Effect: "Allow",
    Principal: { AWS: "*" },
    Action: ["s3:GetObject"],
    Resource: [
      "arn:aws:s3:::amazonlinux-2-repos-us-east-1/*",
      "arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*",
    ],
  },
];
const GUARDRAIL_DENY = {
  Sid: "EnforceIdentityPerimeter",
  Effect: "Deny",
  Principal: { AWS: "*" },
  Action: "*",
  Resource: "*",
  Condition: {
    StringNotEqualsIfExists: { "aws:PrincipalOrgID": ORG },
    BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
  },
};

describe("endpoint-policy", () => {
  describe("default and CloudTrail", () => {
    it("passes when the policy is the full-access default and CloudTrail shows no denial", () => {
      const outcome = run(healthyInterfaceSnapshot());
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toBe(
        `the endpoint policy of ${IDS.endpoint} grants full access (Allow * on * for *), and CloudTrail shows no request denied through it in the last 1 h`,
      );
      expect(outcome.findings).toEqual([]);
    });

    it("passes when the default is written with {AWS: '*'} and arrays, next to narrower statements", () => {
      const outcome = run(
        withPolicy([
          { Effect: "Allow", Principal: { AWS: ["*"] }, Action: ["*"], Resource: ["*"] },
          { Effect: "Allow", Principal: "*", Action: "ssm:GetParameter", Resource: "*" },
        ]),
      );
      expect(outcome.status).toBe("pass");
    });

    it("passes when the gateway endpoint has the default policy", () => {
      expect(run(gatewaySnapshot()).status).toBe("pass");
    });

    it("passes when CloudTrail could not be read: judged on the policy, with an info finding", () => {
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
      expect(outcome.findings[0]!.evidence.join("\n")).toContain("cloudtrail:LookupEvents");
    });

    it("passes when AccessDenied events belong to another endpoint", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.cloudTrail!.accessDenied = [denied({ vpcEndpointId: OTHER_VPCE })];
        }),
      );
      expect(outcome.status).toBe("pass");
    });

    it("fails when CloudTrail shows requests denied by this endpoint's policy: who, what and when", () => {
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
    });

    it("fails when AccessDenied comes through the endpoint while the policy is restricted", () => {
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

    it("warns when AccessDenied comes through the endpoint although its policy allows everything", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.cloudTrail!.accessDenied = [denied({ errorMessage: "Access Denied" })];
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("identity or resource policy");
    });
  });

  describe("the document", () => {
    it("fails when the document is not valid JSON", () => {
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

    it("fails when the document is longer than 20,480 characters", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.policyDocument = JSON.stringify({ Statement: [ALLOW_ALL] }).padEnd(20_481, " ");
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("20481 characters");
      expect(outcome.findings[0]!.remediation!.command).toBe(
        `${MODIFY} --policy-document file://policy.json`,
      );
    });

    it("passes when the document is exactly 20,480 characters", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.policyDocument = JSON.stringify({ Statement: [ALLOW_ALL] }).padEnd(20_480, " ");
        }),
      );
      expect(outcome.status).toBe("pass");
    });

    it("fails when an Allow statement names no Principal", () => {
      const outcome = run(withPolicy([{ Effect: "Allow", Action: "*", Resource: "*" }]));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("names no Principal");
    });

    it("fails when there is no Allow statement at all", () => {
      const outcome = run(withPolicy([]));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("has no Allow statement");
      expect(outcome.findings[0]!.remediation!.command).toBe(`${MODIFY} --reset-policy`);
    });
  });

  describe("aws:SourceIp (absent from requests through an endpoint)", () => {
    it("fails when a Deny says 'unless aws:SourceIp is ours' (NotIpAddress): it denies everything; the fix uses aws:VpcSourceIp", () => {
      const outcome = run(
        withPolicy([ALLOW_ALL, deny({ NotIpAddress: { "aws:SourceIp": ["203.0.113.0/24", "10.0.0.0/8"] } })]),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.findings[0]!.severity).toBe("critical");
      expect(outcome.summary).toBe(
        `the endpoint policy of ${IDS.endpoint} denies every request through it: statement Guard denies everything: aws:SourceIp is absent from requests through a VPC endpoint, so NotIpAddress is true`,
      );
      expect(text(outcome)).toContain(
        "aws:SourceIp is absent from requests through a VPC endpoint, so NotIpAddress is true",
      );
      const remediation = outcome.findings[0]!.remediation!;
      expect(remediation.text).toContain("aws:VpcSourceIp");
      const fixed = policyIn(remediation.command!);
      expect(fixed.Statement[1].Condition).toEqual({ NotIpAddress: { "aws:VpcSourceIp": "10.0.0.0/8" } });
      expect(fixed.Statement[0]).toEqual(ALLOW_ALL);
    });

    it("passes when the corrected statement (NotIpAddress aws:VpcSourceIp) covers the client given with --from", () => {
      const outcome = run(
        withPolicy([ALLOW_ALL, deny({ NotIpAddress: { "aws:VpcSourceIp": "10.0.0.0/8" } })], "10.0.3.7"),
      );
      expect(outcome.status).toBe("pass");
    });

    it("fails for AWS's 'deny outside IP range' example (NotIpAddress aws:SourceIp with Bool aws:ViaAWSService false)", () => {
      const outcome = run(
        withPolicy([
          ALLOW_ALL,
          deny({
            NotIpAddress: { "aws:SourceIp": ["192.0.2.0/24"] },
            Bool: { "aws:ViaAWSService": "false" },
          }),
        ]),
      );
      expect(outcome.status).toBe("fail");
      const fixed = policyIn(outcome.findings[0]!.remediation!.command!);
      expect(fixed.Statement[1].Condition).toEqual({
        NotIpAddress: { "aws:VpcSourceIp": "10.0.0.0/16" },
        Bool: { "aws:ViaAWSService": "false" },
      });
    });

    it("passes with a note when a Deny says 'if aws:SourceIp is X' (IpAddress): a dead statement", () => {
      const outcome = run(
        withPolicy([ALLOW_ALL, deny({ IpAddress: { "aws:SourceIp": "198.51.100.0/24" } })]),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.findings[0]!.severity).toBe("info");
      expect(outcome.findings[0]!.summary).toContain("never matches a request through");
      expect(outcome.findings[0]!.summary).toContain("use aws:VpcSourceIp");
    });

    it("fails when the only Allow requires aws:SourceIp; the fix moves it to aws:VpcSourceIp", () => {
      const outcome = run(
        withPolicy([{ ...ALLOW_ALL, Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/16" } } }]),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("no Allow statement");
      const fixed = policyIn(outcome.findings[0]!.remediation!.command!);
      expect(fixed.Statement[0].Condition).toEqual({ IpAddress: { "aws:VpcSourceIp": "10.0.0.0/16" } });
    });

    it("passes when a Deny's aws:SourceIp is Null-checked the harmless way (Null false: never true here)", () => {
      expect(run(withPolicy([ALLOW_ALL, deny({ Null: { "aws:SourceIp": "false" } })])).status).toBe("pass");
    });

    it("fails when a Deny requires aws:SourceIp to be absent (Null true): the fix removes it", () => {
      const outcome = run(withPolicy([ALLOW_ALL, deny({ Null: { "aws:SourceIp": "true" } })]));
      expect(outcome.status).toBe("fail");
      expect(policyIn(outcome.findings[0]!.remediation!.command!).Statement).toEqual([ALLOW_ALL]);
    });
  });

  describe("aws:SourceVpce and aws:SourceVpc (this endpoint and its VPC)", () => {
    it("fails when a Deny refuses requests not through another endpoint; the fix adds this one", () => {
      const outcome = run(
        withPolicy([ALLOW_ALL, deny({ StringNotEquals: { "aws:SourceVpce": OTHER_VPCE } })]),
      );
      expect(outcome.status).toBe("fail");
      expect(text(outcome)).toContain(`aws:SourceVpce is ${IDS.endpoint} for requests through it`);
      const fixed = policyIn(outcome.findings[0]!.remediation!.command!);
      expect(fixed.Statement[1].Condition).toEqual({
        StringNotEquals: { "aws:SourceVpce": [OTHER_VPCE, IDS.endpoint] },
      });
    });

    it("passes when that Deny names this endpoint (also among several values, also ignoring case)", () => {
      for (const condition of [
        { StringNotEquals: { "aws:SourceVpce": IDS.endpoint } },
        { StringNotEquals: { "aws:SourceVpce": [OTHER_VPCE, IDS.endpoint] } },
        { StringNotEqualsIgnoreCase: { "aws:SourceVpce": IDS.endpoint.toUpperCase() } },
        { "ForAllValues:StringNotLike": { "aws:sourcevpce": "vpce-0a1b*" } },
      ]) {
        expect(run(withPolicy([ALLOW_ALL, deny(condition)])).status, JSON.stringify(condition)).toBe("pass");
      }
    });

    it("fails when a Deny refuses requests from outside another VPC (StringNotEqualsIfExists aws:SourceVpc)", () => {
      const outcome = run(
        withPolicy([ALLOW_ALL, deny({ StringNotEqualsIfExists: { "aws:SourceVpc": "vpc-0spoke" } })]),
      );
      expect(outcome.status).toBe("fail");
      expect(text(outcome)).toContain(`aws:SourceVpc is ${IDS.vpc} (the endpoint's VPC)`);
    });

    it("passes when that Deny names the endpoint's VPC", () => {
      const outcome = run(
        withPolicy([ALLOW_ALL, deny({ StringNotEqualsIfExists: { "aws:SourceVpc": IDS.vpc } })]),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.findings[0]!.summary).toContain("never matches");
    });

    it("fails when the only Allow requires a spoke VPC as aws:SourceVpc (the hub-endpoint trap)", () => {
      const outcome = run(
        withPolicy([
          { ...ALLOW_ALL, Condition: { StringEquals: { "aws:SourceVpc": "vpc-0spoke0000000000" } } },
        ]),
      );
      expect(outcome.status).toBe("fail");
      expect(text(outcome)).toContain(`aws:SourceVpc is ${IDS.vpc} (the endpoint's VPC)`);
      const fixed = policyIn(outcome.findings[0]!.remediation!.command!);
      expect(fixed.Statement[0].Condition.StringEquals["aws:SourceVpc"]).toEqual([
        "vpc-0spoke0000000000",
        IDS.vpc,
      ]);
    });

    it("passes when the only Allow requires this endpoint's VPC or this endpoint", () => {
      for (const condition of [
        { StringEquals: { "aws:SourceVpc": IDS.vpc } },
        { StringEquals: { "aws:SourceVpce": IDS.endpoint } },
      ]) {
        expect(run(withPolicy([{ ...ALLOW_ALL, Condition: condition }])).status).toBe("pass");
      }
    });
  });

  describe("aws:VpcSourceIp (the client's private address)", () => {
    const onlySubnetA = deny({ NotIpAddress: { "aws:VpcSourceIp": "10.0.1.0/24" } });

    it("warns without --from, naming the condition and which clients it denies", () => {
      const outcome = run(withPolicy([ALLOW_ALL, onlySubnetA]));
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("refuses clients whose private address is outside 10.0.1.0/24");
      expect(outcome.findings[0]!.remediation!.text).toContain("--from");
    });

    it("fails with --from when the client is outside the allowed range; the fix adds it", () => {
      const outcome = run(withPolicy([ALLOW_ALL, onlySubnetA], "10.0.3.7"));
      expect(outcome.status).toBe("fail");
      const fixed = policyIn(outcome.findings[0]!.remediation!.command!);
      expect(fixed.Statement[1].Condition).toEqual({
        NotIpAddress: { "aws:VpcSourceIp": ["10.0.1.0/24", "10.0.3.7"] },
      });
    });

    it("passes with --from when the client is inside", () => {
      expect(run(withPolicy([ALLOW_ALL, onlySubnetA], "10.0.1.9")).status).toBe("pass");
    });

    it("passes with a note without --from when the range covers the whole VPC", () => {
      const outcome = run(
        withPolicy([ALLOW_ALL, deny({ NotIpAddress: { "aws:VpcSourceIp": "10.0.0.0/8" } })]),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.findings[0]!.summary).toContain("every address of the VPC (10.0.0.0/16) passes");
    });

    it("warns when the only Allow admits some client addresses; fails with --from outside; passes inside", () => {
      const allow = [{ ...ALLOW_ALL, Condition: { IpAddress: { "aws:VpcSourceIp": "10.0.1.0/24" } } }];
      expect(run(withPolicy(allow)).status).toBe("warn");
      expect(run(withPolicy(allow, "10.0.3.7")).status).toBe("fail");
      expect(run(withPolicy(allow, "10.0.1.7")).status).toBe("pass");
    });
  });

  describe("data-perimeter guardrails (AWS's recommended pattern)", () => {
    it("passes the Allow-based examples for SSM, with a note on who is refused", () => {
      const outcome = run(withPolicy(PERIMETER_SSM));
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain("refuses no request the snapshot can show");
      expect(text(outcome)).toContain("the data-perimeter pattern");
      expect(commands(outcome)).not.toContain("--reset-policy");
    });

    it("passes the Allow-based S3 example on a gateway endpoint", () => {
      const outcome = run(
        gatewaySnapshot((s) => {
          s.endpoint!.policyDocument = JSON.stringify({ Version: "2012-10-17", Statement: PERIMETER_S3 });
        }),
      );
      expect(outcome.status).toBe("pass");
    });

    it("passes Allow * with the Deny-when-outside-the-organisation guardrail, explaining who it denies", () => {
      const outcome = run(withPolicy([ALLOW_ALL, GUARDRAIL_DENY]));
      expect(outcome.status).toBe("pass");
      expect(outcome.findings[0]!.severity).toBe("info");
      expect(outcome.findings[0]!.summary).toBe(
        `statement EnforceIdentityPerimeter is a data-perimeter guardrail: it denies callers outside organisation ${ORG}; callers and resources inside the perimeter pass`,
      );
      expect(commands(outcome)).not.toContain("--reset-policy");
    });

    it("passes the resource and account guardrails too (StringNotEquals aws:ResourceOrgID / aws:PrincipalAccount)", () => {
      const outcome = run(
        withPolicy([
          ALLOW_ALL,
          deny({ StringNotEquals: { "aws:ResourceOrgID": ORG } }),
          deny({ StringNotEquals: { "aws:PrincipalAccount": ["111122223333", "444455556666"] } }),
        ]),
      );
      expect(outcome.status).toBe("pass");
      expect(text(outcome)).toContain("requests for resources outside organisation");
      expect(text(outcome)).toContain("callers from accounts other than 111122223333 | 444455556666");
    });

    it("passes a guardrail that also pins this endpoint (aws:SourceVpce decided, org left open)", () => {
      const outcome = run(
        withPolicy([
          ALLOW_ALL,
          deny({
            StringNotEquals: { "aws:SourceVpce": OTHER_VPCE },
            StringNotEqualsIfExists: { "aws:PrincipalOrgID": ORG },
          }),
        ]),
      );
      expect(outcome.status).toBe("pass");
    });

    it("warns when a Deny of everything turns on another caller key, naming the condition", () => {
      const outcome = run(
        withPolicy([
          ALLOW_ALL,
          deny({ ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/app-*" } }),
        ]),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toBe(
        "statement Guard could deny every request for requests where ArnNotLike aws:PrincipalArn = arn:aws:iam::111122223333:role/app-*",
      );
    });
  });

  describe("Deny without conditions", () => {
    it("fails when it denies every action; the fix removes it", () => {
      const outcome = run(withPolicy([ALLOW_ALL, deny()]));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(
        `the endpoint policy of ${IDS.endpoint} denies every request through it: statement Guard denies everything unconditionally`,
      );
      expect(policyIn(outcome.findings[0]!.remediation!.command!).Statement).toEqual([ALLOW_ALL]);
    });

    it("fails when it denies the service's every action (ssm:* on an SSM endpoint)", () => {
      expect(run(withPolicy([ALLOW_ALL, deny(undefined, { Action: "ssm:*" })])).status).toBe("fail");
    });

    it("passes with a note when it denies some actions (a guardrail such as s3:DeleteBucket, ssm:PutParameter)", () => {
      const outcome = run(
        withPolicy([ALLOW_ALL, deny(undefined, { Action: ["ssm:PutParameter", "ssm:DeleteParameter"] })]),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.findings[0]!.summary).toBe(
        "statement Guard denies ssm:PutParameter, ssm:DeleteParameter on * for *: a guardrail on those requests only",
      );
    });

    it("passes with a note when it denies another service's every action, or one principal", () => {
      expect(run(withPolicy([ALLOW_ALL, deny(undefined, { Action: "s3:*" })])).status).toBe("pass");
      expect(
        run(
          withPolicy([ALLOW_ALL, deny(undefined, { Principal: { AWS: "arn:aws:iam::444455556666:root" } })]),
        ).status,
      ).toBe("pass");
    });

    it("warns when it denies everything except some actions (NotAction) or everyone except someone (NotPrincipal)", () => {
      const notAction = {
        Sid: "Guard",
        Effect: "Deny",
        Principal: "*",
        NotAction: "ssm:GetParameter",
        Resource: "*",
      };
      const outcome = run(withPolicy([ALLOW_ALL, notAction]));
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("denies every action except ssm:GetParameter");
      const notPrincipal = {
        Effect: "Deny",
        NotPrincipal: { AWS: "arn:aws:iam::111122223333:role/admin" },
        Action: "*",
        Resource: "*",
      };
      expect(run(withPolicy([ALLOW_ALL, notPrincipal])).status).toBe("warn");
    });
  });

  describe("restrictive Allow lists (a deliberate design)", () => {
    it("passes with a note saying what is allowed", () => {
      const outcome = run(
        withPolicy([
          { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::my-bucket/*" },
        ]),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.findings[0]!.severity).toBe("info");
      expect(outcome.findings[0]!.summary).toBe(
        `the endpoint policy of ${IDS.endpoint} allows only s3:GetObject on arn:aws:s3:::my-bucket/* for *`,
      );
    });

    it("passes with a note when the principal is restricted", () => {
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
      expect(outcome.status).toBe("pass");
      expect(outcome.findings[0]!.summary).toContain("for AWS arn:aws:iam::111122223333:root");
    });
  });

  describe("preamble (runCheck)", () => {
    it("is unknown when the endpoint itself could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint = null;
          withGap(s, "endpoint", "ec2:DescribeVpcEndpoints");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeVpcEndpoints");
    });

    it("skips when there is no endpoint", () => {
      expect(
        run(
          interfaceSnapshot((s) => {
            s.endpoint = null;
          }),
        ).status,
      ).toBe("skip");
    });

    it("skips when the service does not support endpoint policies", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.service!.policySupported = false;
          s.endpoint!.policyDocument = JSON.stringify({ Statement: [deny()] });
        }),
      );
      expect(outcome.status).toBe("skip");
      expect(outcome.summary).toContain("does not support endpoint policies");
    });

    it("skips when the endpoint has no policy document", () => {
      const outcome = run(interfaceSnapshot((s) => void delete s.endpoint!.policyDocument));
      expect(outcome.status).toBe("skip");
      expect(outcome.summary).toContain(IDS.endpoint);
    });
  });
});
