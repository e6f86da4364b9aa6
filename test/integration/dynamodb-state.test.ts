import { beforeAll, describe, expect, inject, it } from "vitest";
import { DynamoStateStore, StateError } from "../../src/aws/dynamodb-state.js";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";
import { createBotMemory } from "../../src/state/bot-memory.js";
import { newReportId, type ReportRecord } from "../../src/state/report-store.js";
import { interfaceSnapshot } from "../support/snapshot-factory.js";
import { describeStateStoreContract } from "../support/state-store-contract.js";
import { createStateTable, motoDynamo } from "./state-table.js";

// DynamoStateStore against a real table in moto: the StateStore contract, and the bot's memory built on it.

const motoUrl = inject("motoUrl");
const client = motoDynamo(motoUrl);
let table: string;

beforeAll(async () => {
  table = await createStateTable(client);
});

describeStateStoreContract("DynamoStateStore on moto", () => {
  let now = Date.now();
  return {
    store: new DynamoStateStore({ table, client, clock: () => now }),
    advance: (ms) => {
      now += ms;
    },
  };
});

describe("the bot's memory in DynamoDB", () => {
  it("keeps a report behind its buttons and locks reruns across two stores on one table", async () => {
    const a = createBotMemory(new DynamoStateStore({ table, client }), undefined);
    const b = createBotMemory(new DynamoStateStore({ table, client }), undefined);
    const snapshot = interfaceSnapshot((s) => {
      s.securityGroups![0]!.ingress = [];
    });
    const record: ReportRecord = {
      id: newReportId(),
      request: {
        endpointId: snapshot.endpointId,
        region: snapshot.region,
        windowHours: 1,
        requester: "U0456",
      },
      placement: {
        channel: "C0123ABCD",
        rootTs: "1700000000.000100",
        replies: { "security-groups": "1700000000.000200" },
      },
      trigger: "/vpce by <@U0456>",
      startedAt: 1_700_000_000_000,
      report: diagnoseSnapshot(snapshot),
      snapshot,
    };
    await a.reports.put(record);
    expect(await b.reports.get(record.id)).toEqual(record);
    expect(await a.reports.tryLock(record.id)).toBe(true);
    expect(await b.reports.tryLock(record.id)).toBe(false);
    await a.reports.unlock(record.id);
    expect(await b.reports.tryLock(record.id)).toBe(true);
  });

  it("lets one replica win each SNS MessageId and shares alarm threads", async () => {
    const a = createBotMemory(new DynamoStateStore({ table, client }), undefined);
    const b = createBotMemory(new DynamoStateStore({ table, client }), undefined);
    const id = `m-${Date.now()}`;
    const claims = await Promise.all([a.alarms.claim(id), b.alarms.claim(id)]);
    expect(claims.sort()).toEqual(["handling", "new"]);
    await a.alarms.forget(id);
    expect(await b.alarms.claim(id)).toBe("new");
    await b.alarms.finish(id);
    expect(await a.alarms.claim(id)).toBe("done");
    const key = {
      channel: "C0123ABCD",
      accountId: "111122223333",
      region: "us-east-1",
      endpointId: "vpce-0a1b2c3d",
    };
    await a.alarms.rememberThread(key, { rootTs: "1.2", reportId: "r1", openedAt: Date.now() });
    expect(await b.alarms.threadFor(key)).toMatchObject({ rootTs: "1.2", reportId: "r1" });
  });

  it("fails the start-up probe with one line naming a table that does not exist", async () => {
    const store = new DynamoStateStore({ table: "no-such-table", region: "us-east-1", client });
    const error = await store.probe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toMatch(
      /^DynamoDB table no-such-table in us-east-1: ResourceNotFoundException: .*deploy\/bot-role\.yaml/,
    );
  });
});
