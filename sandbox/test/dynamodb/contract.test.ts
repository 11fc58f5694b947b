import { request } from 'node:http';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBServiceException,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { startSandbox } from '../../src/app';
import { MemoryLogger } from '../../src/core/logger';
import {
  FIXTURE,
  OTHER_ID,
  OWNER_ID,
  REGION,
  session,
  startDynamoDbHarness,
  type DynamoDbHarness,
} from './harness';

let h: DynamoDbHarness;
beforeAll(async () => {
  h = await startDynamoDbHarness();
});
afterAll(async () => {
  await h.close();
});

async function failure(call: Promise<unknown>): Promise<DynamoDBServiceException> {
  try {
    await call;
  } catch (err) {
    return err as DynamoDBServiceException;
  }
  throw new Error('expected the call to fail');
}

describe('the template tables through the real AWS SDK v3 clients', () => {
  test('DescribeTable reports the template definition under the stack output names', async () => {
    const { Table } = await h
      .client(h.sessions.RecordsAppRole)
      .send(new DescribeTableCommand({ TableName: h.itemsTable }));
    expect(h.itemsTable).toMatch(/^Records-ItemsTable-[A-Z0-9]{12}$/);
    expect(Table?.TableArn).toBe(h.sandbox.outputs.Records!.ItemsTableArn);
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.IndexStatus])).toEqual([
      ['byStatus', 'ACTIVE'],
    ]);
  });

  test('PutItem then GetItem returns the item (document client marshalling)', async () => {
    const db = h.documentClient(h.sessions.RecordsAppRole);
    const item = { pk: 'user#1', sk: 'image#1', status: 'READY', createdAt: 1, tags: ['a', 'b'], size: 12.5 };
    await db.send(new PutCommand({ TableName: h.itemsTable, Item: item }));
    const { Item } = await db.send(
      new GetCommand({ TableName: h.itemsTable, Key: { pk: 'user#1', sk: 'image#1' } }),
    );
    expect(Item).toEqual(item);
  });

  test('Query on the GSI with a key condition and a range', async () => {
    const db = h.documentClient(h.sessions.RecordsAppRole);
    for (const [n, status] of [
      [2, 'PENDING'],
      [3, 'PENDING'],
      [4, 'READY'],
    ] as const) {
      await db.send(
        new PutCommand({
          TableName: h.itemsTable,
          Item: { pk: 'user#2', sk: `image#${n}`, status, createdAt: n },
        }),
      );
    }
    const { Items } = await db.send(
      new QueryCommand({
        TableName: h.itemsTable,
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :s AND createdAt >= :t',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'PENDING', ':t': 3 },
      }),
    );
    expect(Items?.map((i) => i.sk)).toEqual(['image#3']);
  });

  test('UpdateItem applies when its condition holds and fails with ConditionalCheckFailedException when not', async () => {
    const db = h.documentClient(h.sessions.RecordsAppRole);
    const key = { pk: 'user#3', sk: 'image#1' };
    await db.send(
      new PutCommand({ TableName: h.itemsTable, Item: { ...key, status: 'PENDING', createdAt: 5 } }),
    );
    const update = () =>
      db.send(
        new UpdateCommand({
          TableName: h.itemsTable,
          Key: key,
          UpdateExpression: 'SET #s = :ready',
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':ready': 'READY', ':pending': 'PENDING' },
          ReturnValues: 'ALL_NEW',
        }),
      );
    expect((await update()).Attributes?.status).toBe('READY');
    const err = await failure(update());
    expect(err.name).toBe('ConditionalCheckFailedException');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  test('DeleteItem returns the old item and removes it', async () => {
    const db = h.documentClient(h.sessions.RecordsAppRole);
    const key = { pk: 'user#4', sk: 'image#1' };
    await db.send(
      new PutCommand({ TableName: h.itemsTable, Item: { ...key, status: 'READY', createdAt: 1 } }),
    );
    const { Attributes } = await db.send(
      new DeleteCommand({ TableName: h.itemsTable, Key: key, ReturnValues: 'ALL_OLD' }),
    );
    expect(Attributes?.status).toBe('READY');
    expect((await db.send(new GetCommand({ TableName: h.itemsTable, Key: key }))).Item).toBeUndefined();
  });

  test('BatchWriteItem writes 25 items; Scan pages through them with LastEvaluatedKey', async () => {
    const db = h.documentClient(h.sessions.RecordsAppRole);
    await db.send(
      new BatchWriteCommand({
        RequestItems: {
          [h.eventsTable]: Array.from({ length: 25 }, (_, i) => ({
            PutRequest: { Item: { id: `event-${i}` } },
          })),
        },
      }),
    );
    const seen: string[] = [];
    let start: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const page = await db.send(
        new ScanCommand({ TableName: h.eventsTable, Limit: 10, ExclusiveStartKey: start }),
      );
      seen.push(...(page.Items ?? []).map((i) => String(i.id)));
      start = page.LastEvaluatedKey;
      pages += 1;
    } while (start);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `event-${i}`).sort());
  });

  test('ListTables lists the template tables', async () => {
    const { TableNames } = await h.client(h.sessions.RecordsAdminRole).send(new ListTablesCommand({}));
    expect(TableNames?.sort()).toEqual([h.eventsTable, h.itemsTable].sort());
  });
});

describe('what the sandbox refuses, as DynamoDB does', () => {
  test('a role with no grant on the table gets AccessDeniedException (400) with AWS message', async () => {
    const err = await failure(
      h
        .documentClient(h.sessions.RecordsOtherRole)
        .send(new PutCommand({ TableName: h.itemsTable, Item: { pk: 'x', sk: 'y' } })),
    );
    expect(err.name).toBe('AccessDeniedException');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe(
      `User: arn:aws:sts::000000000000:assumed-role/RecordsOtherRole/CognitoIdentityCredentials is not authorized to perform: dynamodb:PutItem on resource: ${h.sandbox.outputs.Records!.ItemsTableArn} because no identity-based policy allows the dynamodb:PutItem action`,
    );
  });

  test('the same role may use the table it is granted', async () => {
    const db = h.documentClient(h.sessions.RecordsOtherRole);
    await db.send(new PutCommand({ TableName: h.eventsTable, Item: { id: 'other-1' } }));
    expect(
      (await db.send(new GetCommand({ TableName: h.eventsTable, Key: { id: 'other-1' } }))).Item,
    ).toEqual({
      id: 'other-1',
    });
  });

  test('a role granted the table but not its indexes cannot query the GSI', async () => {
    const err = await failure(
      h.documentClient(h.sessions.RecordsOwnerRole).send(
        new QueryCommand({
          TableName: h.itemsTable,
          IndexName: 'byStatus',
          KeyConditionExpression: '#s = :s',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':s': 'READY' },
        }),
      ),
    );
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toContain(`on resource: ${h.sandbox.outputs.Records!.ItemsTableArn}/index/byStatus`);
  });

  test('dynamodb:LeadingKeys: the owner role reaches only the partition of its own identity', async () => {
    const db = h.documentClient(h.sessions.RecordsOwnerRole);
    await db.send(new PutCommand({ TableName: h.itemsTable, Item: { pk: OWNER_ID, sk: 'note#1' } }));
    const own = await db.send(
      new QueryCommand({
        TableName: h.itemsTable,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': OWNER_ID },
      }),
    );
    expect(own.Items).toEqual([{ pk: OWNER_ID, sk: 'note#1' }]);

    const denied = [
      db.send(new PutCommand({ TableName: h.itemsTable, Item: { pk: OTHER_ID, sk: 'note#1' } })),
      db.send(new GetCommand({ TableName: h.itemsTable, Key: { pk: OTHER_ID, sk: 'note#1' } })),
      db.send(
        new QueryCommand({
          TableName: h.itemsTable,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': OTHER_ID },
        }),
      ),
      // One foreign partition in a batch is enough to refuse all of it.
      db.send(
        new BatchWriteCommand({
          RequestItems: {
            [h.itemsTable]: [
              { PutRequest: { Item: { pk: OWNER_ID, sk: 'note#2' } } },
              { PutRequest: { Item: { pk: OTHER_ID, sk: 'note#2' } } },
            ],
          },
        }),
      ),
    ];
    for (const call of denied) expect((await failure(call)).name).toBe('AccessDeniedException');
    const otherOwner = h.documentClient(session('RecordsOwnerRole', OTHER_ID));
    // A session of the same role for another identity is not registered: its key is unknown.
    expect(
      (
        await failure(
          otherOwner.send(new GetCommand({ TableName: h.itemsTable, Key: { pk: OTHER_ID, sk: 'x' } })),
        )
      ).name,
    ).toBe('UnrecognizedClientException');
  });

  test('a wrong secret is InvalidSignatureException; an unknown key UnrecognizedClientException', async () => {
    const forged = { ...h.sessions.RecordsAppRole, secretAccessKey: 'not-the-secret' };
    const bad = await failure(
      h
        .client(forged)
        .send(new GetItemCommand({ TableName: h.itemsTable, Key: { pk: { S: 'a' }, sk: { S: 'b' } } })),
    );
    expect(bad.name).toBe('InvalidSignatureException');
    expect(bad.$metadata.httpStatusCode).toBe(400);
    const unknown = await failure(
      h
        .client(session('RecordsAppRole'))
        .send(new GetItemCommand({ TableName: h.itemsTable, Key: { pk: { S: 'a' }, sk: { S: 'b' } } })),
    );
    expect(unknown.name).toBe('UnrecognizedClientException');
  });

  test('an operation dynalite lacks answers 501 NotImplemented, and writes nothing', async () => {
    const err = await failure(
      h.client(h.sessions.RecordsAppRole).send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: h.itemsTable, Item: { pk: { S: 'tx' }, sk: { S: '1' } } } }],
        }),
      ),
    );
    expect(err.name).toBe('NotImplemented');
    expect(err.$metadata.httpStatusCode).toBe(501);
    const { Item } = await h
      .client(h.sessions.RecordsAppRole)
      .send(new GetItemCommand({ TableName: h.itemsTable, Key: { pk: { S: 'tx' }, sk: { S: '1' } } }));
    expect(Item).toBeUndefined();
  });

  test('a table no template has is ResourceNotFoundException (after IAM allowed the call)', async () => {
    const err = await failure(
      h
        .client(h.sessions.RecordsAdminRole)
        .send(new GetItemCommand({ TableName: 'NoSuchTable', Key: { pk: { S: 'a' } } })),
    );
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  test('CreateTable: AccessDenied for an app role; 501 even when IAM allows it (tables come from the templates)', async () => {
    const input = {
      TableName: 'Extra',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
      BillingMode: 'PAY_PER_REQUEST' as const,
    };
    expect(
      (await failure(h.client(h.sessions.RecordsAppRole).send(new CreateTableCommand(input)))).name,
    ).toBe('AccessDeniedException');
    const admin = await failure(h.client(h.sessions.RecordsAdminRole).send(new CreateTableCommand(input)));
    expect(admin.$metadata.httpStatusCode).toBe(501);
    const { TableNames } = await h.client(h.sessions.RecordsAdminRole).send(new ListTablesCommand({}));
    expect(TableNames).not.toContain('Extra');
  });

  test('malformed JSON is SerializationException; a body over 16 MB is refused with 413 before it is read', async () => {
    const malformed = await h.signedPost(
      'DynamoDB_20120810.GetItem',
      '{"TableName": ',
      h.sessions.RecordsAppRole,
    );
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-amzn-errortype')).toBe('SerializationException');
    expect(((await malformed.json()) as { __type: string }).__type).toBe(
      'com.amazon.coral.service#SerializationException',
    );

    // The declared length alone is enough: not one byte of the body is sent or read.
    const huge = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const req = request(h.sandbox.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'content-length': String(16 * 1024 * 1024 + 1),
          'x-amz-target': 'DynamoDB_20120810.BatchWriteItem',
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode, body });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(huge.status).toBe(413);
    expect((JSON.parse(huge.body) as { __type: string }).__type).toBe(
      'com.amazon.coral.service#RequestEntityTooLargeException',
    );
  });

  test('a chunked body without a declared length is refused with 413 once it grows past 16 MB', async () => {
    const answer = await new Promise<{ status?: number; body: string; sent: number }>((resolve, reject) => {
      const req = request(h.sandbox.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.BatchWriteItem',
        },
      });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      let answered = false;
      const pump = () => {
        while (!answered && sent < 64 * chunk.length) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
      };
      req.on('response', (res) => {
        answered = true;
        let body = '';
        res.on('data', (data: Buffer) => (body += data.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode, body, sent });
          req.destroy();
        });
      });
      req.on('error', (err) => (answered ? undefined : reject(err)));
      pump();
    });
    expect(answer.status).toBe(413);
    expect(answer.sent).toBeLessThan(64 * 1024 * 1024);
    expect((JSON.parse(answer.body) as { __type: string }).__type).toBe(
      'com.amazon.coral.service#RequestEntityTooLargeException',
    );
  });

  test('bad input is ValidationException: malformed before IAM is asked, a key off the schema after', async () => {
    const malformed = await failure(
      h
        .client(h.sessions.RecordsOtherRole)
        .send(new GetItemCommand({ TableName: 'x', Key: { pk: { S: 'a' } } })),
    );
    expect([malformed.name, malformed.$metadata.httpStatusCode]).toEqual(['ValidationException', 400]);
    expect(malformed.message).toMatch(/at 'tableName' failed to satisfy constraint/);
    const offSchema = await failure(
      h
        .client(h.sessions.RecordsAppRole)
        .send(new GetItemCommand({ TableName: h.itemsTable, Key: { pk: { S: 'only the partition key' } } })),
    );
    expect(offSchema.name).toBe('ValidationException');
    expect(offSchema.message).toBe('The provided key element does not match the schema');
  });

  test('attribute values nest at most 32 levels; deeper is ValidationException, even 100,000 levels deep', async () => {
    const nested = (levels: number): Record<string, unknown> => {
      let value: Record<string, unknown> = { S: 'leaf' };
      for (let i = 0; i < levels; i++) value = { M: { a: value } };
      return value;
    };
    const db = h.client(h.sessions.RecordsAppRole);
    const item = (levels: number) => ({
      pk: { S: 'nested' },
      sk: { S: String(levels) },
      deep: nested(levels),
    });
    await db.send(new PutItemCommand({ TableName: h.itemsTable, Item: item(32) as never }));
    const tooDeep = await failure(
      db.send(new PutItemCommand({ TableName: h.itemsTable, Item: item(33) as never })),
    );
    expect([tooDeep.name, tooDeep.message]).toEqual([
      'ValidationException',
      'Nesting Levels have exceeded supported limits',
    ]);
    const hostile = await h.signedPost(
      'DynamoDB_20120810.PutItem',
      // Written as text: JSON.stringify itself cannot go this deep.
      `{"TableName":"${h.itemsTable}","Item":{"pk":{"S":"nested"},"sk":{"S":"deep"},"deep":${'{"M":{"a":'.repeat(100_000)}{"S":"leaf"}${'}}'.repeat(100_000)}}}`,
      h.sessions.RecordsAppRole,
    );
    expect([hostile.status, hostile.headers.get('x-amzn-errortype')]).toEqual([400, 'ValidationException']);
  });

  test('an unsigned request is MissingAuthenticationTokenException', async () => {
    const res = await fetch(h.sandbox.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
      },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});

describe('state', () => {
  test('a second sandbox on the same state folder is refused with the reason (LevelDB locks it)', async () => {
    await expect(
      startSandbox({
        port: 0,
        stateDir: h.stateDir,
        cdkOutDir: FIXTURE,
        region: REGION,
        logger: new MemoryLogger(),
      }),
    ).rejects.toThrow(
      /Cannot open the DynamoDB state in .*: IO error: lock .* Is another sandbox using it\?/,
    );
  });

  test('items survive a restart of the sandbox', async () => {
    const key = { pk: { S: 'durable' }, sk: { S: '1' } };
    await h
      .client(h.sessions.RecordsAppRole)
      .send(new PutItemCommand({ TableName: h.itemsTable, Item: { ...key, note: { S: 'kept' } } }));
    await h.restart();
    expect(h.sandbox.outputs.Records!.ItemsTableName).toBe(h.itemsTable);
    const { Item } = await h
      .client(h.sessions.RecordsAppRole)
      .send(new GetItemCommand({ TableName: h.itemsTable, Key: key }));
    expect(Item?.note).toEqual({ S: 'kept' });
  });
});
