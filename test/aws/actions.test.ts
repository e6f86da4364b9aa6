import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BOT_ACTIONS, iamActionFor, PROBE_ACTIONS, READ_ACTIONS } from "../../src/aws/actions.js";

describe("READ_ACTIONS", () => {
  it("lists each action once, as service:Action", () => {
    expect(new Set(READ_ACTIONS).size).toBe(READ_ACTIONS.length);
    for (const action of READ_ACTIONS) expect(action).toMatch(/^[a-z0-9]+:[A-Z][A-Za-z]+$/);
  });

  it("grants reads only", () => {
    for (const action of READ_ACTIONS) {
      expect(action.split(":")[1]).toMatch(/^(Describe|List|Get|Lookup|Filter|Search)/);
    }
  });

  it("cannot be changed at run time", () => {
    expect(Object.isFrozen(READ_ACTIONS)).toBe(true);
  });
});

describe("iamActionFor", () => {
  it("maps an SDK command of each client to its IAM action", () => {
    expect(iamActionFor("DescribeVpcEndpointsCommand", "EC2Client")).toBe("ec2:DescribeVpcEndpoints");
    expect(iamActionFor("GetMetricDataCommand", "CloudWatchClient")).toBe("cloudwatch:GetMetricData");
    expect(iamActionFor("FilterLogEventsCommand", "CloudWatchLogsClient")).toBe("logs:FilterLogEvents");
    expect(iamActionFor("LookupEventsCommand", "CloudTrailClient")).toBe("cloudtrail:LookupEvents");
    expect(iamActionFor("ListHostedZonesByVPCCommand", "Route53Client")).toBe("route53:ListHostedZonesByVPC");
    expect(iamActionFor("ListResolverRulesCommand", "Route53ResolverClient")).toBe(
      "route53resolver:ListResolverRules",
    );
    expect(iamActionFor("DescribeEventsCommand", "HealthClient")).toBe("health:DescribeEvents");
    expect(iamActionFor("GetCallerIdentityCommand", "STSClient")).toBe("sts:GetCallerIdentity");
    expect(iamActionFor("PutItemCommand", "DynamoDBClient")).toBe("dynamodb:PutItem");
    expect(iamActionFor("ReceiveMessageCommand", "SQSClient")).toBe("sqs:ReceiveMessage");
  });

  it("accepts the AwsClients key as the client name", () => {
    expect(iamActionFor("FilterLogEventsCommand", "logs")).toBe("logs:FilterLogEvents");
    expect(iamActionFor("DescribeSubnets", "ec2")).toBe("ec2:DescribeSubnets");
    expect(iamActionFor("ListResolverRuleAssociations", "route53resolver")).toBe(
      "route53resolver:ListResolverRuleAssociations",
    );
  });

  it("is undefined for a client vpce-doctor does not use", () => {
    expect(iamActionFor("ListBucketsCommand", "S3Client")).toBeUndefined();
  });
});

describe("BOT_ACTIONS", () => {
  // The bot's own clients: every command they send must be in its policy (deploy/bot-role.yaml is built
  // from these lists), and the policy grants nothing they do not send.
  const sent = (file: string, prefix: string) =>
    [
      ...readFileSync(new URL(`../../src/aws/${file}`, import.meta.url), "utf8").matchAll(
        /new (\w+)Command\(/g,
      ),
    ]
      .map((m) => `${prefix}:${m[1]}`)
      .filter((action, i, all) => all.indexOf(action) === i)
      .sort();

  it("lists exactly the DynamoDB calls of the shared state store", () => {
    expect(sent("dynamodb-state.ts", "dynamodb")).toEqual([...BOT_ACTIONS.state].sort());
  });

  it("lists exactly the SQS calls of the alarm queue", () => {
    expect(sent("sqs.ts", "sqs")).toEqual([...BOT_ACTIONS.queue].sort());
  });

  it("lets the bot assume roles and nothing else through STS", () => {
    expect(BOT_ACTIONS.assumeRole).toEqual(["sts:AssumeRole"]);
  });
});

describe("PROBE_ACTIONS", () => {
  it("is kept apart from READ_ACTIONS, which stays read-only", () => {
    expect([...PROBE_ACTIONS].sort()).toEqual([
      "ssm:DescribeInstanceInformation",
      "ssm:GetCommandInvocation",
      "ssm:SendCommand",
    ]);
    for (const action of PROBE_ACTIONS) expect(READ_ACTIONS).not.toContain(action);
    expect(READ_ACTIONS.some((action) => action.startsWith("ssm:"))).toBe(false);
  });

  it("maps the SSM client's commands to their IAM actions", () => {
    expect(iamActionFor("SendCommandCommand", "SSMClient")).toBe("ssm:SendCommand");
  });
});
