import { z } from "zod";

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f)?:iam::\d{12}:role\/[\w+=,.@\-/]+$/;

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
    id: z.string().regex(/^[CGD][A-Z0-9]{2,}$/, "a channel id looks like C0123ABCD"),
    accounts: z.array(z.string()).min(1),
    users: z
      .array(z.string().regex(/^[UWS][A-Z0-9]{2,}$/, "user ids look like U0456, user groups like S0789"))
      .optional(),
  })
  .strict();

const routeSchema = z
  .object({
    match: z
      .object({ account: z.string().optional(), region: z.string().optional(), alarm: z.string().optional() })
      .strict(),
    channel: z.string(),
  })
  .strict();

/** The whole YAML file named by VPCE_DOCTOR_CONFIG or --config. */
export const configFileSchema = z
  .object({
    accounts: z.array(accountSchema).default([]),
    channels: z.array(channelSchema).default([]),
    alarms: z
      .object({
        topics: z.array(z.string()).default([]),
        sqsQueueUrl: z.string().url().optional(),
        routes: z.array(routeSchema).default([]),
        defaultChannel: z.string().optional(),
      })
      .strict()
      .optional(),
    state: z.object({ dynamodbTable: z.string().optional() }).strict().optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof configFileSchema>;
