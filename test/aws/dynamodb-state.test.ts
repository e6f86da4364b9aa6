import { gzipSync } from "node:zlib";
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { DynamoStateStore, StateError } from "../../src/aws/dynamodb-state.js";

const dynamo = mockClient(DynamoDBClient);
const NOW = 1_700_000_000_000;

function store() {
  return new DynamoStateStore({
    table: "vpce-doctor-state",
    region: "eu-west-1",
    client: new DynamoDBClient({ region: "eu-west-1" }),
    clock: () => NOW,
  });
}

beforeEach(() => dynamo.reset());

describe("DynamoStateStore", () => {
  it("writes the gzipped value, the TTL attribute in seconds and the exact expiry", async () => {
    dynamo.on(PutItemCommand).resolves({});
    await store().put("report:r1", "hello", 1_500);
    const input = dynamo.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(input.TableName).toBe("vpce-doctor-state");
    expect(input.Item!.pk).toEqual({ S: "report:r1" });
    expect(input.Item!.expiresAt).toEqual({ N: String(Math.ceil((NOW + 1_500) / 1000)) });
    expect(input.Item!.expiresAtMs).toEqual({ N: String(NOW + 1_500) });
    expect(Buffer.from(input.Item!.v!.B!)).toEqual(gzipSync("hello"));
    expect(input.ConditionExpression).toBeUndefined();
  });

  it("reads strongly consistent and hides an item past its expiry that TTL has not deleted yet", async () => {
    dynamo
      .on(GetItemCommand)
      .resolvesOnce({
        Item: { pk: { S: "k" }, v: { B: gzipSync("live") }, expiresAtMs: { N: String(NOW + 1) } },
      })
      .resolvesOnce({
        Item: { pk: { S: "k" }, v: { B: gzipSync("stale") }, expiresAtMs: { N: String(NOW) } },
      })
      .resolvesOnce({});
    expect(await store().get("report:k")).toBe("live");
    expect(await store().get("report:k")).toBeUndefined();
    expect(await store().get("report:k")).toBeUndefined();
    expect(dynamo.commandCalls(GetItemCommand)[0]!.args[0].input.ConsistentRead).toBe(true);
  });

  it("makes putIfAbsent a conditional write that loses on ConditionalCheckFailed", async () => {
    dynamo
      .on(PutItemCommand)
      .resolvesOnce({})
      .rejectsOnce(
        new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} }),
      );
    expect(await store().putIfAbsent("seen:m1", "1", 60_000)).toBe(true);
    expect(await store().putIfAbsent("seen:m1", "1", 60_000)).toBe(false);
    const input = dynamo.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe("attribute_not_exists(pk) OR expiresAtMs <= :now");
    expect(input.ExpressionAttributeValues).toEqual({ ":now": { N: String(NOW) } });
  });

  it("deletes by key", async () => {
    dynamo.on(DeleteItemCommand).resolves({});
    await store().delete("lock:r1");
    expect(dynamo.commandCalls(DeleteItemCommand)[0]!.args[0].input).toEqual({
      TableName: "vpce-doctor-state",
      Key: { pk: { S: "lock:r1" } },
    });
  });

  it("names the table, the region and the fix when the table is missing", async () => {
    dynamo
      .on(GetItemCommand)
      .rejects(new ResourceNotFoundException({ message: "Requested resource not found", $metadata: {} }));
    const error = await store()
      .probe()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toBe(
      "DynamoDB table vpce-doctor-state in eu-west-1: ResourceNotFoundException: Requested resource not found (create it with deploy/bot-role.yaml, or fix state.dynamodbTable)",
    );
  });

  it("says which permissions are missing when access is denied", async () => {
    const denied = Object.assign(new Error("not authorized to perform: dynamodb:PutItem"), {
      name: "AccessDeniedException",
    });
    dynamo.on(PutItemCommand).rejects(denied);
    await expect(store().putIfAbsent("seen:m", "1", 1_000)).rejects.toThrow(
      /AccessDeniedException: .*dynamodb:GetItem, PutItem and DeleteItem/,
    );
  });

  it("refuses a value over DynamoDB's item limit before sending anything", async () => {
    const { randomBytes } = await import("node:crypto");
    const incompressible = randomBytes(400_000).toString("base64");
    await expect(store().put("report:big", incompressible, 1_000)).rejects.toThrow(
      /over DynamoDB's item limit/,
    );
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(0);
  });
});
