// A fresh shared-state table in moto, laid out as deploy/bot-role.yaml creates it (HASH key pk, TTL expiresAt).
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { TEST_CREDENTIALS } from "./world.js";

let serial = 0;

/** A DynamoDB client bound to moto. */
export function motoDynamo(motoUrl: string, region = "us-east-1"): DynamoDBClient {
  return new DynamoDBClient({ endpoint: motoUrl, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}

/** Creates a new state table in moto and returns its name. */
export async function createStateTable(client: DynamoDBClient): Promise<string> {
  serial += 1;
  const table = `vpce-doctor-state-${process.pid}-${serial}`;
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: table,
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
    }),
  );
  return table;
}
