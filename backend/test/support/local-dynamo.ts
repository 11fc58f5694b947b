// A local DynamoDB (dynalite, in process, on loopback) with the image table's exact layout.
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, type GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { INDEXES, KEYS, PUBLIC_ATTRIBUTES } from '../../lib/records/table-schema';

export interface LocalDynamo {
  readonly db: DynamoDBDocumentClient;
  readonly tableName: string;
  close(): Promise<void>;
}

let tables = 0;

export async function startLocalDynamo(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const tableName = `images-${(tables += 1)}`;
  const gsi = (name: string, pk: string, sk: string, onlyPublic: boolean): GlobalSecondaryIndex => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: pk, KeyType: 'HASH' },
      { AttributeName: sk, KeyType: 'RANGE' },
    ],
    Projection: onlyPublic
      ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...PUBLIC_ATTRIBUTES] }
      : { ProjectionType: 'ALL' },
  });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: Object.values(KEYS).map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: KEYS.pk, KeyType: 'HASH' },
        { AttributeName: KEYS.sk, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        gsi(INDEXES.byOwner, KEYS.ownerPk, KEYS.ownerSk, false),
        gsi(INDEXES.publicFeed, KEYS.publicPk, KEYS.publicSk, true),
        gsi(INDEXES.sharedFeed, KEYS.sharedPk, KEYS.sharedSk, true),
      ],
    }),
  );
  return {
    db: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    tableName,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
