import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import type { AccountConfig } from "../config/schema.js";
import { type PolicyStatement, probeSessionStatement, readOnlyPolicyDocument } from "./actions.js";
import { CredentialsError, errorMessage, errorName, isAccessDenied } from "./errors.js";

/** Temporary credentials in the SDK's credential-identity shape. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** STS session lifetime: the shortest STS allows, since a diagnosis takes seconds. */
export const SESSION_SECONDS = 900;
/** Cached credentials are dropped this long before they expire, so no call runs on a dying session. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** RoleSessionName `vpce-doctor-<requester>`, cut to STS's charset ([\w+=,.@-]) and 64 characters. */
export function roleSessionName(requester: string): string {
  const cleaned = requester.replace(/[^\w+=,.@-]/g, "-").replace(/-+/g, "-");
  return `vpce-doctor-${cleaned || "unknown"}`.slice(0, 64);
}

/**
 * The inline session policy: only the listed read actions, whatever the role itself allows; a probe session
 * (`probe`) adds the probe's statement and nothing else.
 */
export function sessionPolicy(actions: readonly string[], probe = false): string {
  const document = readOnlyPolicyDocument();
  document.Statement[0]!.Action = [...actions].sort();
  const statements: PolicyStatement[] = [...document.Statement, ...(probe ? [probeSessionStatement()] : [])];
  return JSON.stringify({ ...document, Statement: statements });
}

/** Assumes the target accounts' roles and caches each session (per role and requester) until near expiry. */
export class CredentialBroker {
  private readonly cache = new Map<string, Promise<TemporaryCredentials>>();

  constructor(
    private readonly stsFor: (region: string) => STSClient,
    private readonly actions: readonly string[],
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Credentials for a diagnosis of `account`: an assumed-role session when the account has a role,
   * otherwise undefined (the SDK's default credential chain). `onCall` counts the STS round trip.
   */
  async credentialsFor(
    account: AccountConfig | undefined,
    region: string,
    requester: string,
    onCall: () => void = () => {},
    probe = false,
  ): Promise<TemporaryCredentials | undefined> {
    if (!account?.roleArn) return undefined;
    const sessionName = roleSessionName(requester);
    // A probe session is its own: a normal diagnosis never reuses credentials that may send commands.
    const key = `${account.roleArn}\n${account.externalId ?? ""}\n${sessionName}${probe ? "\nprobe" : ""}`;
    const cached = this.cache.get(key);
    if (cached) {
      const credentials = await cached.catch(() => undefined);
      if (credentials && credentials.expiration.getTime() - REFRESH_MARGIN_MS > this.clock())
        return credentials;
      if (this.cache.get(key) === cached) this.cache.delete(key);
    }
    const pending = this.assume(account, region, sessionName, onCall, probe);
    this.cache.set(key, pending);
    pending.catch(() => this.cache.delete(key));
    return pending;
  }

  private async assume(
    account: AccountConfig,
    region: string,
    sessionName: string,
    onCall: () => void,
    probe: boolean,
  ): Promise<TemporaryCredentials> {
    onCall();
    try {
      const out = await this.stsFor(region).send(
        new AssumeRoleCommand({
          RoleArn: account.roleArn,
          ExternalId: account.externalId,
          RoleSessionName: sessionName,
          DurationSeconds: SESSION_SECONDS,
          Policy: sessionPolicy(this.actions, probe),
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        throw new CredentialsError(`STS returned no credentials for ${account.roleArn}`);
      }
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: new Date(c.Expiration),
      };
    } catch (error) {
      if (error instanceof CredentialsError) throw error;
      const hint = isAccessDenied(error)
        ? `check that the role trusts vpce-doctor's principal and that the externalId for "${account.alias}" matches`
        : "check the bot's own AWS credentials";
      throw new CredentialsError(
        `cannot assume ${account.roleArn} for account "${account.alias}" (${errorName(error)}: ${errorMessage(error)}): ${hint}`,
        { cause: error },
      );
    }
  }
}
