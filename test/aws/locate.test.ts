import { DescribeVpcEndpointsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, describe, expect, it } from "vitest";
import { CredentialBroker } from "../../src/aws/credentials.js";
import { createLocator } from "../../src/aws/locate.js";
import type { AccountConfig } from "../../src/config/schema.js";

const ec2 = mockClient(EC2Client);
const sts = new STSClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
const stsMock = mockClient(sts);
afterAll(() => ec2.restore());

const account = (alias: string, id: string): AccountConfig => ({
  alias,
  id,
  roleArn: `arn:aws:iam::${id}:role/vpce-doctor`,
  externalId: "ext",
});
const PROD = account("prod", "111111111111");
const DEV = account("dev", "222222222222");
const OPS = account("ops", "333333333333");

describe("createLocator", () => {
  it("asks every account at once and reports those that hold the endpoint", async () => {
    stsMock.on(AssumeRoleCommand).callsFake((input) => ({
      Credentials: {
        AccessKeyId: input.RoleArn.split(":")[4],
        SecretAccessKey: "s",
        SessionToken: "t",
        Expiration: new Date(Date.now() + 900_000),
      },
    }));
    ec2.on(DescribeVpcEndpointsCommand).callsFake(async (_input, getClient) => {
      const credentials = await getClient().config.credentials();
      if (credentials.accessKeyId === DEV.id)
        return { VpcEndpoints: [{ VpcEndpointId: "vpce-0abc1234", State: "available" }] };
      if (credentials.accessKeyId === OPS.id) {
        throw Object.assign(new Error("not authorized"), { name: "UnauthorizedOperation" });
      }
      throw Object.assign(new Error("does not exist"), { name: "InvalidVpcEndpointId.NotFound" });
    });
    const locate = createLocator(new CredentialBroker(() => sts, ["ec2:DescribeVpcEndpoints"]), {
      maxAttempts: 1,
    });
    const located = await locate("vpce-0abc1234", "us-east-1", [PROD, DEV, OPS], "U1");
    expect(located.found.map((a) => a.alias)).toEqual(["dev"]);
    expect(located.failed).toEqual([{ alias: "ops", message: "UnauthorizedOperation: not authorized" }]);
    expect(ec2.commandCalls(DescribeVpcEndpointsCommand)[0]!.args[0].input).toEqual({
      VpcEndpointIds: ["vpce-0abc1234"],
    });
  });

  it("does not count a deleted endpoint as found", async () => {
    ec2
      .on(DescribeVpcEndpointsCommand)
      .resolves({ VpcEndpoints: [{ VpcEndpointId: "vpce-0abc1234", State: "deleted" as "Deleted" }] });
    const locate = createLocator(new CredentialBroker(() => sts, []), { maxAttempts: 1 });
    expect(
      (await locate("vpce-0abc1234", "us-east-1", [{ alias: "x", id: "444444444444" }], "U1")).found,
    ).toEqual([]);
  });
});
