import { ListHostedZonesByVPCCommand } from "@aws-sdk/client-route-53";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { collectHostedZones } from "../../../src/aws/collectors/hosted-zones.js";
import { IDS } from "../../support/snapshot-factory.js";
import { awsError, testClients, testContext } from "./telemetry-context.js";

const clients = testClients();
const route53 = mockClient(clients.route53);

beforeEach(() => route53.reset());

const owner = { OwningAccount: "111122223333" };

describe("collectHostedZones", () => {
  it("lists the VPC's private zones in the context's region, following NextToken", async () => {
    route53
      .on(ListHostedZonesByVPCCommand)
      .resolvesOnce({
        HostedZoneSummaries: [
          { HostedZoneId: "Z0123456789ABCDEFGHIJ", Name: "ssm.us-east-1.amazonaws.com.", Owner: owner },
        ],
        NextToken: "page-2",
        MaxItems: 1,
      })
      .resolves({
        HostedZoneSummaries: [
          { HostedZoneId: "/hostedzone/Z9876543210ZYXWVUTSRQ", Name: "corp.internal.", Owner: owner },
        ],
        MaxItems: 1,
      });
    const ctx = testContext(clients);
    const zones = await collectHostedZones(ctx, IDS.vpc);
    const inputs = route53.commandCalls(ListHostedZonesByVPCCommand).map((call) => call.args[0].input);
    expect(inputs).toEqual([
      { VPCId: IDS.vpc, VPCRegion: "us-east-1", NextToken: undefined },
      { VPCId: IDS.vpc, VPCRegion: "us-east-1", NextToken: "page-2" },
    ]);
    expect(zones).toEqual([
      { id: "Z0123456789ABCDEFGHIJ", name: "ssm.us-east-1.amazonaws.com." },
      { id: "Z9876543210ZYXWVUTSRQ", name: "corp.internal." },
    ]);
    expect(ctx.gaps).toEqual([]);
  });

  it("returns an empty list when no zone is associated", async () => {
    route53.on(ListHostedZonesByVPCCommand).resolves({ HostedZoneSummaries: [], MaxItems: 100 });
    expect(await collectHostedZones(testContext(clients), IDS.vpc)).toEqual([]);
  });

  it("records a gap, not an empty list, when denied", async () => {
    route53.on(ListHostedZonesByVPCCommand).rejects(awsError("AccessDenied"));
    const ctx = testContext(clients);
    expect(await collectHostedZones(ctx, IDS.vpc)).toBeUndefined();
    expect(ctx.gaps).toEqual([
      expect.objectContaining({
        source: "hostedZones",
        iamAction: "route53:ListHostedZonesByVPC",
        error: "AccessDenied",
      }),
    ]);
  });

  it("records throttling as a gap", async () => {
    route53.on(ListHostedZonesByVPCCommand).rejects(awsError("Throttling"));
    const ctx = testContext(clients);
    expect(await collectHostedZones(ctx, IDS.vpc)).toBeUndefined();
    expect(ctx.gaps[0]?.error).toBe("Throttling");
  });
});
