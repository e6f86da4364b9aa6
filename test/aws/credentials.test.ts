import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { PROBE_ACTIONS, READ_ACTIONS } from "../../src/aws/actions.js";
import {
  CredentialBroker,
  REFRESH_MARGIN_MS,
  roleSessionName,
  SESSION_SECONDS,
  sessionPolicy,
} from "../../src/aws/credentials.js";
import { CredentialsError } from "../../src/aws/errors.js";
import type { AccountConfig } from "../../src/config/schema.js";

const sts = new STSClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
const stsMock = mockClient(sts);
const PROD: AccountConfig = {
  alias: "prod",
  id: "111122223333",
  roleArn: "arn:aws:iam::111122223333:role/vpce-doctor",
  externalId: "ext-123",
};
const ACTIONS = ["ec2:DescribeVpcEndpoints", "logs:FilterLogEvents"];

function grant(expiresAt: number) {
  return {
    Credentials: {
      AccessKeyId: "ASIA",
      SecretAccessKey: "secret",
      SessionToken: "token",
      Expiration: new Date(expiresAt),
    },
  };
}

describe("CredentialBroker", () => {
  let now = 1_000_000;
  const clock = () => now;
  beforeEach(() => {
    stsMock.reset();
    now = 1_000_000;
  });

  it("assumes the role with the ExternalId, a named session, 900 s and the read-only session policy", async () => {
    stsMock.on(AssumeRoleCommand).resolves(grant(now + SESSION_SECONDS * 1000));
    const broker = new CredentialBroker(() => sts, ACTIONS, clock);
    const creds = await broker.credentialsFor(PROD, "us-east-1", "U0456");
    expect(creds?.accessKeyId).toBe("ASIA");
    const input = stsMock.commandCalls(AssumeRoleCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      RoleArn: PROD.roleArn,
      ExternalId: "ext-123",
      RoleSessionName: "vpce-doctor-U0456",
      DurationSeconds: 900,
    });
    expect(JSON.parse(input.Policy!)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "VpceDoctorReadOnly", Effect: "Allow", Action: ACTIONS, Resource: "*" }],
    });
  });

  it("reuses a session until 5 minutes before it expires, then assumes again", async () => {
    stsMock.on(AssumeRoleCommand).callsFake(() => grant(now + SESSION_SECONDS * 1000));
    const broker = new CredentialBroker(() => sts, ACTIONS, clock);
    await broker.credentialsFor(PROD, "us-east-1", "U1");
    now += SESSION_SECONDS * 1000 - REFRESH_MARGIN_MS - 1;
    await broker.credentialsFor(PROD, "us-east-1", "U1");
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    now += 2;
    await broker.credentialsFor(PROD, "us-east-1", "U1");
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it("makes one STS call for concurrent requests of the same session", async () => {
    stsMock.on(AssumeRoleCommand).resolves(grant(now + SESSION_SECONDS * 1000));
    const broker = new CredentialBroker(() => sts, ACTIONS, clock);
    let calls = 0;
    await Promise.all([1, 2, 3].map(() => broker.credentialsFor(PROD, "us-east-1", "U1", () => calls++)));
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(calls).toBe(1);
  });

  it("keeps one session per requester so CloudTrail names who asked", async () => {
    stsMock.on(AssumeRoleCommand).resolves(grant(now + SESSION_SECONDS * 1000));
    const broker = new CredentialBroker(() => sts, ACTIONS, clock);
    await broker.credentialsFor(PROD, "us-east-1", "U1");
    await broker.credentialsFor(PROD, "us-east-1", "U2");
    const names = stsMock.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleSessionName);
    expect(names).toEqual(["vpce-doctor-U1", "vpce-doctor-U2"]);
  });

  it("uses the default chain (no STS call) for an account without a role", async () => {
    const broker = new CredentialBroker(() => sts, ACTIONS, clock);
    expect(
      await broker.credentialsFor({ alias: "dev", id: "444455556666" }, "us-east-1", "U1"),
    ).toBeUndefined();
    expect(await broker.credentialsFor(undefined, "us-east-1", "U1")).toBeUndefined();
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it("turns a refused AssumeRole into one actionable CredentialsError and does not cache it", async () => {
    const denied = Object.assign(new Error("User is not authorized to perform: sts:AssumeRole"), {
      name: "AccessDenied",
    });
    stsMock
      .on(AssumeRoleCommand)
      .rejectsOnce(denied)
      .resolves(grant(now + SESSION_SECONDS * 1000));
    const broker = new CredentialBroker(() => sts, ACTIONS, clock);
    const failure = broker.credentialsFor(PROD, "us-east-1", "U1");
    await expect(failure).rejects.toThrow(CredentialsError);
    await expect(failure).rejects.toThrow(/externalId for "prod" matches/);
    expect((await broker.credentialsFor(PROD, "us-east-1", "U1"))?.accessKeyId).toBe("ASIA");
  });
});

describe("roleSessionName", () => {
  it("keeps STS's charset and 64 characters", () => {
    expect(roleSessionName("U0456")).toBe("vpce-doctor-U0456");
    expect(roleSessionName("jane doe/ops:<x>")).toBe("vpce-doctor-jane-doe-ops-x-");
    expect(roleSessionName("a".repeat(100))).toHaveLength(64);
    expect(roleSessionName("")).toBe("vpce-doctor-unknown");
  });
});

describe("the probe's session", () => {
  beforeEach(() => stsMock.reset());

  it("is a session of its own that adds only the probe statement; the normal one never carries it", async () => {
    stsMock.on(AssumeRoleCommand).resolves(grant(Date.now() + SESSION_SECONDS * 1000));
    const broker = new CredentialBroker(() => sts, READ_ACTIONS);
    await broker.credentialsFor(PROD, "us-east-1", "U0456");
    await broker.credentialsFor(PROD, "us-east-1", "U0456", () => {}, true);
    await broker.credentialsFor(PROD, "us-east-1", "U0456");
    const policies = stsMock
      .commandCalls(AssumeRoleCommand)
      .map((call) => JSON.parse(call.args[0].input.Policy!));
    expect(policies).toHaveLength(2);
    const [normal, probe] = policies;
    expect(JSON.stringify(normal)).not.toContain("ssm:");
    expect(probe.Statement[0]).toEqual(normal.Statement[0]);
    expect(probe.Statement.slice(1)).toEqual([
      { Sid: "VpceDoctorProbe", Effect: "Allow", Action: [...PROBE_ACTIONS].sort(), Resource: "*" },
    ]);
  });

  it("fits STS's 2,048-character limit on a session policy", () => {
    expect(sessionPolicy(READ_ACTIONS, true).length).toBeLessThanOrEqual(2048);
  });
});

describe("sessionPolicy", () => {
  it("allows only the given actions", () => {
    const policy = JSON.parse(sessionPolicy(["ec2:DescribeVpcs"]));
    expect(policy.Statement).toEqual([
      { Sid: "VpceDoctorReadOnly", Effect: "Allow", Action: ["ec2:DescribeVpcs"], Resource: "*" },
    ]);
  });
});
