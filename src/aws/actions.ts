// The IAM actions vpce-doctor needs: the AssumeRole session policy and the deploy policy are built from this list.

/** Every IAM action the collectors call, and nothing else: all read-only. */
export const READ_ACTIONS: readonly string[] = Object.freeze([
  "ec2:DescribeVpcEndpoints",
  "ec2:DescribeVpcEndpointServices",
  "ec2:DescribeVpcEndpointServiceConfigurations",
  "ec2:DescribeVpcEndpointServicePermissions",
  "ec2:DescribeVpcEndpointConnections",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeSubnets",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeNetworkAcls",
  "ec2:DescribeRouteTables",
  "ec2:DescribeVpcs",
  "ec2:DescribeVpcAttribute",
  "ec2:DescribeDhcpOptions",
  "ec2:DescribeInstances",
  "ec2:DescribeFlowLogs",
  "ec2:GetManagedPrefixListEntries",
  "ec2:DescribeRegions",
  "ec2:DescribeVpcPeeringConnections",
  "ec2:DescribeTransitGatewayAttachments",
  "ec2:SearchTransitGatewayRoutes",
  "ec2:DescribeAvailabilityZones",
  "elasticloadbalancing:DescribeLoadBalancers",
  "elasticloadbalancing:DescribeLoadBalancerAttributes",
  "elasticloadbalancing:DescribeListeners",
  "elasticloadbalancing:DescribeTargetGroups",
  "elasticloadbalancing:DescribeTargetGroupAttributes",
  "elasticloadbalancing:DescribeTargetHealth",
  "logs:FilterLogEvents",
  "cloudwatch:GetMetricData",
  "cloudtrail:LookupEvents",
  "health:DescribeEvents",
  "route53:ListHostedZonesByVPC",
  "route53:ListResourceRecordSets",
  "route53resolver:ListResolverRuleAssociations",
  "route53resolver:ListResolverRules",
  "route53resolver:ListResolverEndpoints",
  "sts:GetCallerIdentity",
]);

const SERVICE_PREFIX: Readonly<Record<string, string>> = {
  EC2Client: "ec2",
  ElasticLoadBalancingV2Client: "elasticloadbalancing",
  CloudWatchClient: "cloudwatch",
  CloudWatchLogsClient: "logs",
  CloudTrailClient: "cloudtrail",
  Route53Client: "route53",
  Route53ResolverClient: "route53resolver",
  HealthClient: "health",
  STSClient: "sts",
  DynamoDBClient: "dynamodb",
  SQSClient: "sqs",
  ec2: "ec2",
  elbv2: "elasticloadbalancing",
  cloudwatch: "cloudwatch",
  logs: "logs",
  cloudtrail: "cloudtrail",
  route53: "route53",
  route53resolver: "route53resolver",
  health: "health",
  sts: "sts",
  SSMClient: "ssm",
  ssm: "ssm",
};

/**
 * The IAM action an SDK command needs, e.g. ("DescribeVpcEndpointsCommand", "EC2Client") -> "ec2:DescribeVpcEndpoints".
 * `clientName` is the SDK's client name or the `AwsClients` key; undefined for a client vpce-doctor does not use.
 */
export function iamActionFor(commandName: string, clientName: string): string | undefined {
  const prefix = SERVICE_PREFIX[clientName];
  if (!prefix) return undefined;
  return `${prefix}:${commandName.replace(/Command$/, "")}`;
}

/** The IAM actions the bot's own role needs, by purpose: reaching the target roles, the alarm queue, the shared state table. */
export const BOT_ACTIONS = Object.freeze({
  assumeRole: Object.freeze(["sts:AssumeRole"]),
  queue: Object.freeze(["sqs:ReceiveMessage", "sqs:DeleteMessage"]),
  state: Object.freeze(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]),
} as const);

/** The read-only policy document granting READ_ACTIONS: the session policy and deploy/iam-policy.json both come from it. */
export function readOnlyPolicyDocument(): {
  Version: "2012-10-17";
  Statement: { Sid: string; Effect: "Allow"; Action: string[]; Resource: "*" }[];
} {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "VpceDoctorReadOnly", Effect: "Allow", Action: [...READ_ACTIONS].sort(), Resource: "*" },
    ],
  };
}

/**
 * The opt-in client probe's actions (issue 14): never in READ_ACTIONS, never in a normal diagnosis's session.
 * SendCommand is not read-only: the role limits it to the two AWS documents and to tagged instances.
 */
export const PROBE_ACTIONS: readonly string[] = Object.freeze([
  "ssm:DescribeInstanceInformation",
  "ssm:GetCommandInvocation",
  "ssm:SendCommand",
]);

/** The only documents the probe runs: AWS's own shell and PowerShell runners, never one of the account's. */
export const PROBE_DOCUMENTS: readonly string[] = Object.freeze([
  "AWS-RunShellScript",
  "AWS-RunPowerShellScript",
]);

/** The instance tag (key and default value) that lets the probe run on an instance; the operator may choose others. */
export const PROBE_TAG = Object.freeze({ key: "vpce-doctor-probe", value: "allowed" });

/** One statement of an IAM policy as vpce-doctor writes it. */
export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

/**
 * The role policy of the probe: SendCommand on the two AWS documents and on instances carrying the tag
 * (`ssm:resourceTag/<key>` = value), plus GetCommandInvocation and DescribeInstanceInformation, which take no resource.
 */
export function probePolicyDocument(tag: { key: string; value: string } = PROBE_TAG): {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
} {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "VpceDoctorProbeDocuments",
        Effect: "Allow",
        Action: ["ssm:SendCommand"],
        Resource: PROBE_DOCUMENTS.map((name) => `arn:*:ssm:*::document/${name}`),
      },
      {
        Sid: "VpceDoctorProbeTaggedInstances",
        Effect: "Allow",
        Action: ["ssm:SendCommand"],
        Resource: ["arn:*:ec2:*:*:instance/*"],
        Condition: { StringEquals: { [`ssm:resourceTag/${tag.key}`]: tag.value } },
      },
      {
        Sid: "VpceDoctorProbeResults",
        Effect: "Allow",
        Action: ["ssm:DescribeInstanceInformation", "ssm:GetCommandInvocation"],
        Resource: "*",
      },
    ],
  };
}

/** The statement a probe diagnosis adds to its session policy: the probe's actions; the role keeps the limits. */
export function probeSessionStatement(): PolicyStatement {
  return { Sid: "VpceDoctorProbe", Effect: "Allow", Action: [...PROBE_ACTIONS].sort(), Resource: "*" };
}
