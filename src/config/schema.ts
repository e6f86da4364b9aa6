import { z } from "zod";

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f)?:iam::\d{12}:role\/[\w+=,.@\-/]+$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;
const CUSTOM_SERVICE_NAME = /^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-z]+$/;
const TOPIC_ARN = /^arn:aws(?:-cn|-us-gov)?:sns:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:[\w-]{1,256}(?:\.fifo)?$/;
// sqs.<region>.amazonaws.com, its FIPS, VPC-endpoint and China forms, and the legacy <region>.queue host.
const QUEUE_URL =
  /^https:\/\/(?:vpce-[a-z0-9-]+\.)?(?:sqs(?:-fips)?\.[a-z0-9-]+(?:\.vpce)?|[a-z0-9-]+\.queue)\.amazonaws\.com(?:\.cn)?\/\d{12}\/[\w-]{1,80}(?:\.fifo)?$/;

/** A queue URL on a local emulator (LocalStack, moto): http(s), any host and port, then /<account-id>/<queue>. */
const EMULATOR_QUEUE_URL = /^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?\/\d{12}\/[\w-]{1,80}(?:\.fifo)?$/i;

/**
 * An SQS queue URL in one of AWS's forms; any other only while AWS_ENDPOINT_URL_SQS or AWS_ENDPOINT_URL points
 * the SDK at an emulator (the only place the config reads the environment: the endpoint decides the URL's form).
 */
function isQueueUrl(url: string): boolean {
  if (QUEUE_URL.test(url)) return true;
  const emulator = process.env.AWS_ENDPOINT_URL_SQS || process.env.AWS_ENDPOINT_URL;
  return Boolean(emulator) && EMULATOR_QUEUE_URL.test(url);
}

/** One AWS account vpce-doctor may diagnose and how it gets in. */
export const accountSchema = z
  .object({
    alias: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/i, "an alias is letters, digits, - and _"),
    id: z
      .string({ invalid_type_error: 'an account id is 12 digits in quotes, e.g. "111122223333"' })
      .regex(ACCOUNT_ID, 'an account id is 12 digits in quotes, e.g. "111122223333"'),
    roleArn: z.string().regex(ROLE_ARN, "expected arn:aws:iam::<account-id>:role/<name>").optional(),
    externalId: z
      .string()
      .min(2)
      .max(1224)
      .regex(/^[\w+=,.@:/-]+$/, "ExternalId allows letters, digits and +=,.@:/-")
      .optional(),
    region: z.string().optional(),
    // Custom endpoint services this account provides: diagnoses of endpoints to them read its NLB/GWLB side.
    provides: z
      .array(
        z
          .string()
          .regex(
            CUSTOM_SERVICE_NAME,
            "expected a custom endpoint service name such as com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
          ),
      )
      .optional(),
  })
  .strict()
  .superRefine((account, ctx) => {
    if (account.roleArn && !account.roleArn.includes(`::${account.id}:`)) {
      ctx.addIssue({
        code: "custom",
        path: ["roleArn"],
        message: `the role must belong to account ${account.id}`,
      });
    }
    if (account.roleArn && !account.externalId) {
      ctx.addIssue({
        code: "custom",
        path: ["externalId"],
        message: "a role needs an externalId (confused-deputy protection)",
      });
    }
  });
export type AccountConfig = z.infer<typeof accountSchema>;

/** Which Slack channel may diagnose which accounts, optionally only by some users or user groups. */
export const channelSchema = z
  .object({
    id: z.string().regex(CHANNEL_ID, "a channel id looks like C0123ABCD"),
    accounts: z.array(z.string()).min(1),
    users: z
      .array(z.string().regex(/^[UWS][A-Z0-9]{2,}$/, "user ids look like U0456, user groups like S0789"))
      .optional(),
    // The client probe (SSM Run Command on the --from instance) may be offered and run here; off by default.
    allowProbe: z.boolean().optional(),
  })
  .strict();

const routeSchema = z
  .object({
    match: z
      .object({ account: z.string().optional(), region: z.string().optional(), alarm: z.string().optional() })
      .strict(),
    channel: z.string().regex(CHANNEL_ID, "a channel id looks like C0123ABCD"),
    /** The endpoint the matched alarms watch, for alarms with no endpoint dimension or id in their description. */
    endpoint: z
      .string()
      .regex(/^vpce-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, "an endpoint id is vpce- followed by 8 or 17 hex digits")
      .optional(),
    /** The instance whose clients the matched alarms are about: the Test from button probes from it. */
    probeFrom: z
      .string()
      .regex(/^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, "an instance id is i- followed by 8 or 17 hex digits")
      .optional(),
    /** Whether the matched alarms' threads may offer the probe from probeFrom (the channel must allow probes too). */
    allowProbe: z.boolean().optional(),
  })
  .strict();

const SERVICE_NAME = /^(?:com\.amazonaws|aws)\.[a-z0-9.-]+$/;
const port = z.number().int().min(1, "a port is 1 to 65535").max(65535, "a port is 1 to 65535");

/** The ports of an endpoint service, for custom services whose NLB listeners the consumer account cannot see. */
export const serviceSchema = z
  .object({
    name: z
      .string()
      .regex(
        SERVICE_NAME,
        "expected a service name such as com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
      ),
    ports: z.array(port).min(1).max(10, "give at most 10 ports"),
  })
  .strict();

/** A date written YYYY-MM-DD that exists on the calendar. */
const isoDate = z.string().refine((value) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}, 'expected a date written YYYY-MM-DD in quotes, e.g. "2027-03-31"');

/** An accepted finding: muted with its reason until it expires, never setting the verdict. */
export const suppressionSchema = z
  .object({
    check: z.string().regex(/^[a-z][a-z0-9-]+$/, "a check id such as flow-logs"),
    resource: z.string().min(3).optional(),
    account: z.string().optional(),
    reason: z.string().trim().min(3, "say why the finding is accepted"),
    expires: isoDate,
  })
  .strict();

/** The whole YAML file named by VPCE_DOCTOR_CONFIG or --config. */
export const configFileSchema = z
  .object({
    accounts: z.array(accountSchema).default([]),
    channels: z.array(channelSchema).default([]),
    // Ports of custom endpoint services (by service name), used when a request gives no --port.
    services: z.array(serviceSchema).default([]),
    // Accepted findings, muted until they expire.
    suppress: z.array(suppressionSchema).default([]),
    alarms: z
      .object({
        topics: z
          .array(z.string().regex(TOPIC_ARN, "expected arn:aws:sns:<region>:<account-id>:<topic-name>"))
          .default([]),
        sqsQueueUrl: z
          .string()
          .refine(
            isQueueUrl,
            "expected https://sqs.<region>.amazonaws.com/<account-id>/<queue-name> (another form only with AWS_ENDPOINT_URL_SQS or AWS_ENDPOINT_URL set, for an emulator)",
          )
          .optional(),
        routes: z.array(routeSchema).default([]),
        defaultChannel: z.string().regex(CHANNEL_ID, "a channel id looks like C0123ABCD").optional(),
        // Repeated alarms for one endpoint reply in its thread for this long; after it, a new root is posted.
        threadHours: z.number().positive().max(168).default(6),
        // More than this many distinct endpoints alarming in one channel within a minute is a storm.
        stormThreshold: z.number().int().positive().default(5),
      })
      .strict()
      .optional(),
    // Where replicas share what the bot remembers; without it each process keeps its own memory.
    state: z
      .object({
        dynamodbTable: z
          .string()
          .regex(/^[\w.-]{3,255}$/, "a DynamoDB table name is 3-255 letters, digits, _ - and ."),
        // The table's region; default AWS_REGION.
        region: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof configFileSchema>;
