import { GetManagedPrefixListEntriesCommand } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { collectPrefixLists, referencedPrefixLists } from "../../../src/aws/collectors/prefix-lists.js";
import type { SecurityGroup } from "../../../src/diagnosis/snapshot.js";
import { IDS } from "../../support/snapshot-factory.js";
import { awsError, testClients, testContext } from "./telemetry-context.js";

const clients = testClients();
const ec2 = mockClient(clients.ec2);

beforeEach(() => ec2.reset());

const CORP = "pl-0c0ffee0c0ffee000";
const CORP_V6 = "pl-0c0ffee0c0ffee006";
const S3 = "pl-63a5400a";

function group(id: string, ingress: string[], egress: string[] = []): SecurityGroup {
  const rule = (prefixListId: string) => ({ protocol: "tcp", fromPort: 443, toPort: 443, prefixListId });
  return { id, ingress: ingress.map(rule), egress: egress.map(rule) };
}

const endpointGroup: SecurityGroup = {
  id: IDS.sgEndpoint,
  ingress: [
    { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" },
    ...group("x", [CORP, CORP_V6]).ingress,
  ],
  egress: [],
};
const clientGroup = group(IDS.sgClient, [], [S3, CORP]);

function entryCalls(): string[] {
  return ec2.commandCalls(GetManagedPrefixListEntriesCommand).map((c) => c.args[0].input.PrefixListId!);
}

describe("referencedPrefixLists", () => {
  it("collects the ids named in ingress and egress rules of every group, once each", () => {
    expect(referencedPrefixLists([endpointGroup, clientGroup])).toEqual([CORP, CORP_V6, S3]);
  });
});

describe("collectPrefixLists", () => {
  it("calls nothing when no rule names a prefix list", async () => {
    const ctx = testContext(clients);
    expect(await collectPrefixLists(ctx, [group(IDS.sgEndpoint, [])])).toEqual([]);
    expect(ec2.calls()).toHaveLength(0);
  });

  it("reads each referenced list's entries once, in pages of 100, following NextToken", async () => {
    ec2
      .on(GetManagedPrefixListEntriesCommand, { PrefixListId: CORP })
      .resolvesOnce({ Entries: [{ Cidr: "10.0.0.0/16", Description: "vpc" }], NextToken: "e2" })
      .resolves({ Entries: [{ Cidr: "192.168.0.0/24" }] });
    ec2
      .on(GetManagedPrefixListEntriesCommand, { PrefixListId: CORP_V6 })
      .resolves({ Entries: [{ Cidr: "2001:db8::/56" }] });
    ec2
      .on(GetManagedPrefixListEntriesCommand, { PrefixListId: S3 })
      .resolves({ Entries: [{ Cidr: "3.5.0.0/19" }] });
    const ctx = testContext(clients);
    const lists = await collectPrefixLists(ctx, [endpointGroup, clientGroup]);

    expect(entryCalls().sort()).toEqual([CORP, CORP, CORP_V6, S3].sort());
    expect(
      ec2.commandCalls(GetManagedPrefixListEntriesCommand).every((c) => c.args[0].input.MaxResults === 100),
    ).toBe(true);
    expect(lists).toEqual([
      {
        id: CORP,
        addressFamily: "IPv4",
        entries: [{ cidr: "10.0.0.0/16", description: "vpc" }, { cidr: "192.168.0.0/24" }],
      },
      { id: CORP_V6, addressFamily: "IPv6", entries: [{ cidr: "2001:db8::/56" }] },
      { id: S3, addressFamily: "IPv4", entries: [{ cidr: "3.5.0.0/19" }] },
    ]);
    expect(ctx.gaps).toEqual([]);
  });

  it("stops a list at the page cap", async () => {
    ec2
      .on(GetManagedPrefixListEntriesCommand)
      .resolves({ Entries: [{ Cidr: "10.0.0.0/24" }], NextToken: "more" });
    const [list] = (await collectPrefixLists(testContext(clients), [group(IDS.sgEndpoint, [CORP])]))!;
    expect(entryCalls()).toHaveLength(10);
    expect(list?.entries).toHaveLength(10);
  });

  it("keeps an empty list without an address family", async () => {
    ec2.on(GetManagedPrefixListEntriesCommand).resolves({ Entries: [] });
    expect(await collectPrefixLists(testContext(clients), [group(IDS.sgEndpoint, [CORP])])).toEqual([
      { id: CORP, entries: [] },
    ]);
  });

  it("leaves out a list whose entries cannot be read, with a gap; undefined when none can be", async () => {
    ec2
      .on(GetManagedPrefixListEntriesCommand, { PrefixListId: CORP })
      .rejects(awsError("InvalidPrefixListID.NotFound"));
    ec2
      .on(GetManagedPrefixListEntriesCommand, { PrefixListId: S3 })
      .resolves({ Entries: [{ Cidr: "3.5.0.0/19" }] });
    const partial = testContext(clients);
    expect((await collectPrefixLists(partial, [clientGroup]))?.map((l) => l.id)).toEqual([S3]);
    expect(partial.gaps).toEqual([
      expect.objectContaining({
        source: "prefixLists",
        iamAction: "ec2:GetManagedPrefixListEntries",
        error: "InvalidPrefixListID.NotFound",
      }),
    ]);

    ec2.on(GetManagedPrefixListEntriesCommand).rejects(awsError("UnauthorizedOperation"));
    const denied = testContext(clients);
    expect(await collectPrefixLists(denied, [group(IDS.sgEndpoint, [CORP])])).toBeUndefined();
    expect(denied.gaps).toEqual([
      expect.objectContaining({
        source: "prefixLists",
        iamAction: "ec2:GetManagedPrefixListEntries",
        error: "AccessDenied",
      }),
    ]);
  });
});
