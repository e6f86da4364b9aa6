import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, type Tags } from "yaml";
import { TARGET_TEMPLATE_FILE, withGeneratedPolicy } from "../../scripts/make-iam-policy.js";
import {
  BOT_ACTIONS,
  PROBE_TAG,
  probePolicyDocument,
  readOnlyPolicyDocument,
} from "../../src/aws/actions.js";
import { SESSION_SECONDS } from "../../src/aws/credentials.js";
import { VISIBILITY_SECONDS } from "../../src/aws/sqs.js";

// The CloudFormation templates of deploy/: the target accounts' read-only role and the bot's own account.

// CloudFormation's short-form intrinsics (!Ref x, !GetAtt a.b, !If [...]) as their long JSON forms.
const INTRINSICS = ["Ref", "Condition", "GetAtt", "Sub", "Join", "Select", "Split", "FindInMap"];
const CONDITION_FUNCTIONS = ["If", "Equals", "Not", "And", "Or"];
const customTags: Tags = [...INTRINSICS, ...CONDITION_FUNCTIONS].flatMap((name): Tags => {
  const key = name === "Ref" || name === "Condition" ? name : `Fn::${name}`;
  const dot = (value: string): number => value.indexOf(".");
  const scalar = (value: string) => ({
    [key]: name === "GetAtt" ? [value.slice(0, dot(value)), value.slice(dot(value) + 1)] : value,
  });
  const collection = (node: { toJSON(): unknown }) => ({ [key]: node.toJSON() });
  return [
    { tag: `!${name}`, resolve: scalar },
    { tag: `!${name}`, collection: "seq", resolve: collection },
    { tag: `!${name}`, collection: "map", resolve: collection },
  ];
});

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
}
interface PolicyDocument {
  Version: string;
  Statement: (Statement | { "Fn::If": [string, Statement, unknown] })[];
}
interface Resource {
  Type: string;
  Condition?: string;
  Properties: Record<string, unknown>;
}
interface Template {
  AWSTemplateFormatVersion: string;
  Description: string;
  Parameters: Record<string, Record<string, unknown>>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, Resource>;
  Outputs: Record<string, { Value: unknown; Condition?: string; Description?: string }>;
}
interface RoleProperties {
  AssumeRolePolicyDocument: PolicyDocument;
  Policies?: { PolicyName: string; PolicyDocument: PolicyDocument }[];
  ManagedPolicyArns?: unknown;
  MaxSessionDuration?: number;
}

const read = (name: string): string => readFileSync(new URL(`../../deploy/${name}`, import.meta.url), "utf8");
const load = (text: string): Template => parse(text, { customTags }) as Template;

const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** The statements of a document, with the true branch of a conditional (`!If [cond, statement, NoValue]`). */
function statementsOf(document: PolicyDocument): Statement[] {
  return document.Statement.map((entry) => ("Fn::If" in entry ? entry["Fn::If"][1] : entry));
}

function resourcesOfType(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

function onlyRole(template: Template, type = "AWS::IAM::Role"): [string, RoleProperties] {
  const roles = resourcesOfType(template, type);
  expect(roles).toHaveLength(1);
  const [name, role] = roles[0]!;
  return [name, role.Properties as unknown as RoleProperties];
}

/** Every name a template refers to: Ref targets, GetAtt resources, ${...} in Sub, condition names. */
function references(node: unknown, found = { names: new Set<string>(), conditions: new Set<string>() }) {
  if (Array.isArray(node)) for (const item of node) references(item, found);
  else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "Ref") found.names.add(value as string);
      if (key === "Fn::GetAtt") found.names.add((value as string[])[0]!);
      if (key === "Fn::Sub" && typeof value === "string") {
        for (const match of value.matchAll(/\$\{([^!}][^}.]*)/g)) found.names.add(match[1]!);
      }
      if (key === "Condition" && typeof value === "string") found.conditions.add(value);
      if (key === "Fn::If") found.conditions.add((value as string[])[0]!);
      references(value, found);
    }
  }
  return found;
}

function expectResolvableReferences(template: Template): void {
  const { names, conditions } = references({
    ...template,
    Parameters: undefined,
    Rules: undefined,
  });
  const known = new Set([...Object.keys(template.Parameters), ...Object.keys(template.Resources)]);
  for (const name of names) {
    if (!name.startsWith("AWS::")) expect(known, `unknown reference ${name}`).toContain(name);
  }
  for (const condition of conditions) expect(Object.keys(template.Conditions ?? {})).toContain(condition);
}

function matchesWhole(pattern: unknown, value: string): boolean {
  return new RegExp(`^(?:${pattern as string})$`).test(value);
}

const TWELVE_DIGITS = /(?<!\d)\d{12}(?!\d)/;
const REGION = /\b(?:us|eu|ap|sa|ca|me|af|il|mx|cn)-[a-z]+-\d\b/;

describe("deploy/target-account-role.yaml", () => {
  const text = read("target-account-role.yaml");
  const template = load(text);
  const [roleName, role] = onlyRole(template);

  it("is a CloudFormation template with one resource, the role", () => {
    expect(template.AWSTemplateFormatVersion).toBe("2010-09-09");
    expect(template.Description).toEqual(expect.any(String));
    expect(Object.keys(template.Resources)).toEqual([roleName]);
    expectResolvableReferences(template);
  });

  it("lets only the bot's role assume it, and only with the ExternalId", () => {
    const trust = statementsOf(role.AssumeRolePolicyDocument);
    expect(trust).toHaveLength(1);
    const [statement] = trust;
    expect(statement!.Effect).toBe("Allow");
    expect(actionsOf(statement!)).toEqual(["sts:AssumeRole"]);
    expect(statement!.Principal).toEqual({ AWS: { Ref: "BotPrincipalArn" } });
    expect(statement!.Condition).toEqual({ StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } } });
    expect(role.MaxSessionDuration).toBe(3600);
    expect(role.MaxSessionDuration).toBeGreaterThanOrEqual(SESSION_SECONDS);
  });

  it("takes the bot's role ARN, a secret ExternalId and the role name as parameters", () => {
    const { BotPrincipalArn, ExternalId, RoleName } = template.Parameters;
    for (const arn of [
      "arn:aws:iam::111122223333:role/vpce-doctor-bot",
      "arn:aws-us-gov:iam::111122223333:role/ops/vpce-doctor-bot",
      "arn:aws-cn:iam::111122223333:role/vpce-doctor-bot",
    ]) {
      expect(matchesWhole(BotPrincipalArn!.AllowedPattern, arn), arn).toBe(true);
    }
    for (const arn of [
      "arn:aws:iam::111122223333:user/alice",
      "arn:aws:iam::*:role/vpce-doctor-bot",
      "arn:aws:iam::1111:role/vpce-doctor-bot",
      "*",
    ]) {
      expect(matchesWhole(BotPrincipalArn!.AllowedPattern, arn), arn).toBe(false);
    }
    expect(ExternalId).toMatchObject({ NoEcho: true, MinLength: 2, AllowedPattern: "[\\w+=,.@:/-]+" });
    expect(RoleName!.Default).toBe("vpce-doctor-readonly");
  });

  it("grants exactly readOnlyPolicyDocument(), inline, and no managed policy", () => {
    expect(role.Policies).toHaveLength(2);
    expect(role.Policies![0]!.PolicyDocument).toEqual(readOnlyPolicyDocument());
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(text, "the inline policy is not as generated: run npm run deploy:policy").toBe(
      withGeneratedPolicy(readFileSync(TARGET_TEMPLATE_FILE, "utf8")),
    );
  });

  it("adds the probe's policy only with AllowProbe=true (default false), limited to the tag the operator chose", () => {
    expect(template.Parameters.AllowProbe).toMatchObject({
      Default: "false",
      AllowedValues: ["true", "false"],
    });
    expect(template.Parameters.ProbeTagValue!.Default).toBe(PROBE_TAG.value);
    expect(template.Conditions).toEqual({ ProbeAllowed: { "Fn::Equals": [{ Ref: "AllowProbe" }, "true"] } });
    const conditional = role.Policies![1] as unknown as {
      "Fn::If": [string, { PolicyName: string; PolicyDocument: unknown }, unknown];
    };
    const [condition, policy, otherwise] = conditional["Fn::If"];
    expect(condition).toBe("ProbeAllowed");
    expect(otherwise).toEqual({ Ref: "AWS::NoValue" });
    expect(policy.PolicyName).toBe("vpce-doctor-probe");
    const expected = JSON.parse(
      JSON.stringify(probePolicyDocument({ key: PROBE_TAG.key, value: "__VALUE__" })).replace(
        '"__VALUE__"',
        '{"Ref":"ProbeTagValue"}',
      ),
    );
    expect(policy.PolicyDocument).toEqual(expected);
  });

  it("hard-codes no account id nor region, so one StackSet serves an Organization", () => {
    expect(text).not.toMatch(TWELVE_DIGITS);
    expect(text).not.toMatch(REGION);
  });

  it("outputs the role's ARN and the config line", () => {
    expect(template.Outputs.RoleArn!.Value).toEqual({ "Fn::GetAtt": [roleName, "Arn"] });
    const line = JSON.stringify(template.Outputs.ConfigLine!.Value);
    for (const field of ["alias:", "id:", "roleArn:", "externalId:"]) expect(line).toContain(field);
  });
});

describe("deploy/bot-role.yaml", () => {
  const text = read("bot-role.yaml");
  const template = load(text);
  const [roleName, role] = onlyRole(template);
  const tables = resourcesOfType(template, "AWS::DynamoDB::Table");
  const statements = statementsOf(role.Policies![0]!.PolicyDocument);
  const statementWith = (action: string): Statement => {
    const found = statements.filter((statement) => actionsOf(statement).includes(action));
    expect(found, action).toHaveLength(1);
    return found[0]!;
  };

  it("is a CloudFormation template whose references all resolve", () => {
    expect(template.AWSTemplateFormatVersion).toBe("2010-09-09");
    expect(template.Description).toEqual(expect.any(String));
    expectResolvableReferences(template);
    expect(text).not.toMatch(TWELVE_DIGITS);
  });

  it("creates the state table: key pk (string), TTL on expiresAt, on demand, encrypted", () => {
    expect(tables).toHaveLength(1);
    const table = tables[0]![1].Properties;
    expect(table.KeySchema).toEqual([{ AttributeName: "pk", KeyType: "HASH" }]);
    expect(table.AttributeDefinitions).toEqual([{ AttributeName: "pk", AttributeType: "S" }]);
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: "expiresAt", Enabled: true });
    expect(table.BillingMode).toBe("PAY_PER_REQUEST");
    expect(table.SSESpecification).toEqual({ SSEEnabled: true });
  });

  it("grants the bot's role exactly BOT_ACTIONS, with no wildcard action and no managed policy", () => {
    expect(role.Policies).toHaveLength(1);
    const granted = statements.flatMap(actionsOf);
    expect(new Set(granted).size).toBe(granted.length);
    expect([...granted].sort()).toEqual(Object.values(BOT_ACTIONS).flat().sort());
    for (const action of granted) expect(action).not.toContain("*");
    for (const statement of statements) expect(statement.Effect).toBe("Allow");
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  it("assumes only roles named TargetRoleName, the target template's RoleName", () => {
    const assume = statementWith("sts:AssumeRole");
    expect(actionsOf(assume)).toEqual([...BOT_ACTIONS.assumeRole]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation !Sub placeholders
    expect(assume.Resource).toEqual({ "Fn::Sub": "arn:${AWS::Partition}:iam::*:role/${TargetRoleName}" });
    const target = load(read("target-account-role.yaml"));
    expect(template.Parameters.TargetRoleName!.Default).toBe(target.Parameters.RoleName!.Default);
  });

  it("uses the state table by its ARN only", () => {
    const state = statementWith("dynamodb:GetItem");
    expect(actionsOf(state).sort()).toEqual([...BOT_ACTIONS.state].sort());
    expect(state.Resource).toEqual({ "Fn::GetAtt": [tables[0]![0], "Arn"] });
  });

  it("reads the alarm queue only when one is created or named", () => {
    const document = role.Policies![0]!.PolicyDocument;
    const conditional = document.Statement.filter((entry) => "Fn::If" in entry);
    expect(conditional).toEqual([
      { "Fn::If": ["ReadsAlarmQueue", expect.any(Object), { Ref: "AWS::NoValue" }] },
    ]);
    const queue = statementWith("sqs:ReceiveMessage");
    expect(actionsOf(queue).sort()).toEqual([...BOT_ACTIONS.queue].sort());
    expect(queue.Resource).toEqual({
      "Fn::If": ["CreateQueue", { "Fn::GetAtt": ["AlarmQueue", "Arn"] }, { Ref: "ExistingAlarmQueueArn" }],
    });
  });

  it("is assumable only by the chosen compute service", () => {
    const trust = statementsOf(role.AssumeRolePolicyDocument);
    expect(trust).toHaveLength(1);
    expect(actionsOf(trust[0]!)).toEqual(["sts:AssumeRole"]);
    expect(trust[0]!.Principal).toEqual({ Service: { Ref: "BotTrustService" } });
    expect(template.Parameters.BotTrustService).toMatchObject({
      Default: "ecs-tasks.amazonaws.com",
      AllowedValues: ["ecs-tasks.amazonaws.com", "ec2.amazonaws.com"],
    });
  });

  it("creates the alarm queue on request, with a dead-letter queue and SNS allowed by topic ARN", () => {
    const queue = template.Resources.AlarmQueue!;
    expect(queue.Condition).toBe("CreateQueue");
    expect(template.Resources.AlarmDeadLetterQueue!.Condition).toBe("CreateQueue");
    expect(template.Conditions!.CreateQueue).toEqual({ "Fn::Equals": [{ Ref: "CreateAlarmQueue" }, "true"] });
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { "Fn::GetAtt": ["AlarmDeadLetterQueue", "Arn"] },
      maxReceiveCount: 5,
    });
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(VISIBILITY_SECONDS);
    const [, policy] = resourcesOfType(template, "AWS::SQS::QueuePolicy")[0]!;
    const send = statementsOf(policy.Properties.PolicyDocument as PolicyDocument);
    expect(send).toHaveLength(1);
    expect(send[0]!.Principal).toEqual({ Service: "sns.amazonaws.com" });
    expect(actionsOf(send[0]!)).toEqual(["sqs:SendMessage"]);
    expect(send[0]!.Condition).toEqual({ ArnEquals: { "aws:SourceArn": { Ref: "AlarmTopicArns" } } });
    expect(template.Parameters.AlarmTopicArns!.Type).toBe("CommaDelimitedList");
  });

  it("outputs the role ARN, the table name and, with a created queue, its URL", () => {
    expect(template.Outputs.BotRoleArn!.Value).toEqual({ "Fn::GetAtt": [roleName, "Arn"] });
    expect(template.Outputs.StateTableName!.Value).toEqual({ Ref: tables[0]![0] });
    expect(template.Outputs.AlarmQueueUrl).toMatchObject({
      Condition: "CreateQueue",
      Value: { Ref: "AlarmQueue" },
    });
  });
});
