// The StateStore replicas share: one DynamoDB table, read and written with the bot's own credentials.
import { gunzipSync, gzipSync } from "node:zlib";
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { StateStore } from "../state/state-store.js";
import { errorMessage, errorName } from "./errors.js";
import { type CallObserver, observeCalls } from "./middleware.js";

// Table layout (deploy/bot-role.yaml creates it): HASH key `pk` (S); `v` the gzipped value (B); `expiresAt`
// epoch seconds (N), the table's TTL attribute; `expiresAtMs` (N), exact expiry, since DynamoDB deletes
// expired items only eventually (up to days later) and so every read and conditional write checks it.

/** DynamoDB's item limit is 400 KB; a value that compresses to more than this is refused before the call. */
export const MAX_VALUE_BYTES = 390_000;

/** A state table that cannot be used: the message names the table, region and what to do. */
export class StateError extends Error {
  override name = "StateError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Where the table is and how to reach it. */
export interface DynamoStateOptions {
  table: string;
  /** Absent: AWS_REGION through the SDK's default chain. */
  region?: string;
  maxAttempts?: number;
  clock?: () => number;
  /** A prebuilt client (tests); otherwise one is made with the bot's own credentials. */
  client?: DynamoDBClient;
  /** Told of every attempt and its outcome (the bot's /metrics). */
  onCall?: CallObserver;
}

/** StateStore in one DynamoDB table: strongly consistent reads, conditional puts, TTL expiry, no scans. */
export class DynamoStateStore implements StateStore {
  private readonly client: DynamoDBClient;

  constructor(private readonly options: DynamoStateOptions) {
    this.client =
      options.client ??
      new DynamoDBClient({
        retryMode: "standard",
        ...(options.region ? { region: options.region } : {}),
        ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
      });
    if (options.onCall) this.client.middlewareStack.use(observeCalls(options.onCall));
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  /** Reads one key to prove the table exists and the bot may use it; throws a StateError saying why not. */
  async probe(): Promise<void> {
    await this.get("probe:startup");
  }

  async get(key: string): Promise<string | undefined> {
    const output = await this.call(() =>
      this.client.send(
        new GetItemCommand({ TableName: this.options.table, Key: { pk: { S: key } }, ConsistentRead: true }),
      ),
    );
    const item = output.Item;
    if (!item?.v?.B) return undefined;
    if (Number(item.expiresAtMs?.N ?? 0) <= this.now()) return undefined;
    return gunzipSync(item.v.B).toString("utf8");
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.call(() =>
      this.client.send(
        new PutItemCommand({ TableName: this.options.table, Item: this.item(key, value, ttlMs) }),
      ),
    );
  }

  async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    try {
      await this.call(() =>
        this.client.send(
          new PutItemCommand({
            TableName: this.options.table,
            Item: this.item(key, value, ttlMs),
            ConditionExpression: "attribute_not_exists(pk) OR expiresAtMs <= :now",
            ExpressionAttributeValues: { ":now": { N: String(this.now()) } },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof StateError && error.cause instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.call(() =>
      this.client.send(new DeleteItemCommand({ TableName: this.options.table, Key: { pk: { S: key } } })),
    );
  }

  private item(key: string, value: string, ttlMs: number) {
    const body = gzipSync(value);
    if (body.byteLength > MAX_VALUE_BYTES) {
      throw new StateError(
        `state value ${key.split(":")[0]} is ${body.byteLength} bytes compressed, over DynamoDB's item limit`,
      );
    }
    const expiresAtMs = this.now() + ttlMs;
    return {
      pk: { S: key },
      v: { B: body },
      expiresAt: { N: String(Math.ceil(expiresAtMs / 1000)) },
      expiresAtMs: { N: String(expiresAtMs) },
    };
  }

  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof StateError) throw error;
      const where = `DynamoDB table ${this.options.table}${this.options.region ? ` in ${this.options.region}` : ""}`;
      throw new StateError(`${where}: ${errorName(error)}: ${errorMessage(error)}${hint(errorName(error))}`, {
        cause: error,
      });
    }
  }
}

function hint(name: string): string {
  if (name === "ResourceNotFoundException")
    return " (create it with deploy/bot-role.yaml, or fix state.dynamodbTable)";
  if (/AccessDenied|Unauthorized/.test(name))
    return " (the bot's role needs dynamodb:GetItem, PutItem and DeleteItem on the table)";
  return "";
}
