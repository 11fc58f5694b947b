/**
 * The DynamoDB checks without a server: SigV4 with a manual clock and an in-memory credential
 * store, and the IAM requests each operation makes, evaluated on the fixture's policies.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { ManualClock } from '../../src/core/clock';
import type { SessionCredentials } from '../../src/core/credentials';
import { AwsError } from '../../src/core/errors';
import { MemoryLogger } from '../../src/core/logger';
import { Sha256 } from '../../src/core/sigv4';
import { deployCloudAssembly } from '../../src/deploy';
import type { DeployedModel } from '../../src/deploy/model';
import { createDynamoDbAuthorizer } from '../../src/iam/authorizer';
import { FileCredentialStore } from '../../src/services/cognito-identity/credential-store';
import { OPERATIONS } from '../../src/services/dynamodb/operations';
import { DynamoDbSigV4Verifier } from '../../src/services/dynamodb/sigv4';
import { DynamoDbStore } from '../../src/services/dynamodb/store';
import { FIXTURE, OTHER_ID, OWNER_ID, REGION, session } from './harness';

async function errorOf(call: Promise<unknown>): Promise<AwsError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof AwsError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('SigV4 as DynamoDB checks it', () => {
  const clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
  const credentials = FileCredentialStore.inMemory(clock);
  const user = { ...session('RecordsAppRole'), expiration: new Date('2026-03-01T13:00:00Z') };
  const verifier = new DynamoDbSigV4Verifier(credentials, clock, REGION);
  beforeAll(() => credentials.put(user));

  async function signed(
    body: string,
    options: {
      service?: string;
      region?: string;
      as?: SessionCredentials;
      at?: Date;
      headers?: Record<string, string>;
    } = {},
  ) {
    const as = options.as ?? user;
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: as.accessKeyId,
        secretAccessKey: as.secretAccessKey,
        sessionToken: as.sessionToken,
      },
      region: options.region ?? REGION,
      service: options.service ?? 'dynamodb',
      sha256: Sha256,
    });
    const request = await signer.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: '127.0.0.1',
        path: '/',
        headers: {
          host: '127.0.0.1:4510',
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.GetItem',
          ...options.headers,
        },
        body,
      },
      { signingDate: options.at ?? clock.now() },
    );
    return { method: 'POST', rawPath: '/', rawQuery: '', headers: request.headers, body: Buffer.from(body) };
  }

  test('a request signed by a session passes and yields that session', async () => {
    expect((await verifier.authenticate(await signed('{}'))).assumedRoleArn).toBe(user.assumedRoleArn);
  });

  test('a body changed after signing fails, even when the client claims its hash in a signed header', async () => {
    const request = await signed('{"TableName":"a"}');
    const tampered = await errorOf(
      verifier.authenticate({ ...request, body: Buffer.from('{"TableName":"b"}') }),
    );
    expect([tampered.code, tampered.message]).toEqual([
      'InvalidSignatureException',
      expect.stringContaining('does not match the signature you provided'),
    ]);
    const claimed = await signed('{"TableName":"a"}', {
      headers: { 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    });
    expect((await errorOf(verifier.authenticate(claimed))).code).toBe('InvalidSignatureException');
  });

  test('a credential scoped to another service or region is InvalidSignatureException with the reason', async () => {
    const s3 = await errorOf(verifier.authenticate(await signed('{}', { service: 's3' })));
    expect([s3.code, s3.message]).toEqual([
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'dynamodb'.",
    ]);
    const region = await errorOf(verifier.authenticate(await signed('{}', { region: 'eu-west-1' })));
    expect(region.message).toBe("Credential should be scoped to a valid region, not 'eu-west-1'.");
    const request = await signed('{}');
    const otherDay = {
      ...request,
      headers: {
        ...request.headers,
        authorization: request.headers.authorization!.replace('/20260301/', '/20260228/'),
      },
    };
    expect((await errorOf(verifier.authenticate(otherDay))).message).toBe(
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260228' != '20260301', from '20260301T120000Z'.",
    );
  });

  test('a signature older than 15 minutes is expired', async () => {
    const old = await errorOf(
      verifier.authenticate(await signed('{}', { at: new Date(clock.now().getTime() - 16 * 60_000) })),
    );
    expect([old.code, old.message]).toEqual([
      'InvalidSignatureException',
      'Signature expired: 20260301T114400Z is now earlier than 20260301T114500Z (20260301T120000Z - 15 min.)',
    ]);
  });

  test('unknown key, missing or wrong session token: UnrecognizedClientException; expired session: ExpiredTokenException', async () => {
    expect(
      (await errorOf(verifier.authenticate(await signed('{}', { as: session('RecordsAppRole') })))).code,
    ).toBe('UnrecognizedClientException');
    const withoutToken = await signed('{}', { as: { ...user, sessionToken: '' } });
    expect((await errorOf(verifier.authenticate(withoutToken))).code).toBe('UnrecognizedClientException');
    const otherToken = await signed('{}', { as: { ...user, sessionToken: 'forged' } });
    expect((await errorOf(verifier.authenticate(otherToken))).code).toBe('UnrecognizedClientException');

    const expired = { ...session('RecordsAppRole'), expiration: new Date(clock.now().getTime() - 1000) };
    await credentials.put(expired);
    const err = await errorOf(verifier.authenticate(await signed('{}', { as: expired })));
    expect([err.code, err.message]).toEqual([
      'ExpiredTokenException',
      'The security token included in the request is expired',
    ]);
  });

  test('no Authorization header is MissingAuthenticationTokenException; host must be signed', async () => {
    const request = await signed('{}');
    const { authorization: _dropped, ...unsigned } = request.headers;
    expect((await errorOf(verifier.authenticate({ ...request, headers: unsigned }))).code).toBe(
      'MissingAuthenticationTokenException',
    );
    const withoutHost = {
      ...request,
      headers: {
        ...request.headers,
        authorization: request.headers.authorization!.replace(
          /SignedHeaders=[^,]*/,
          'SignedHeaders=x-amz-date',
        ),
      },
    };
    expect((await errorOf(verifier.authenticate(withoutHost))).message).toBe(
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    );
  });
});

describe('what each operation asks IAM, decided on the fixture policies', () => {
  let stateDir: string;
  let model: DeployedModel;
  let store: DynamoDbStore;
  let items: string;
  let events: string;
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'sandbox-ddb-access-'));
    model = await deployCloudAssembly({ cdkOutDir: FIXTURE, stateDir, region: REGION });
    store = await DynamoDbStore.open(
      { path: undefined, region: REGION, accountId: model.accountId, logger: new MemoryLogger() },
      model.tables.values(),
    );
    items = model.outputs.Records!.ItemsTableName!;
    events = model.outputs.Records!.EventsTableName!;
  });
  afterAll(async () => {
    await store.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  const accesses = (operation: keyof typeof OPERATIONS, input: object) =>
    OPERATIONS[operation].accesses(store.validate(operation, input), model);

  test('Query on a GSI: the index ARN, and LeadingKeys from the equality on the index partition key', () => {
    const [access] = accesses('Query', {
      TableName: items,
      IndexName: 'byStatus',
      KeyConditionExpression: '#s = :s AND createdAt > :t',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': { S: 'READY' }, ':t': { N: '3' } },
      Select: 'ALL_ATTRIBUTES',
    });
    expect(access).toEqual({
      action: 'dynamodb:Query',
      resource: `${model.tables.get(items)!.arn}/index/byStatus`,
      table: items,
      context: {
        'dynamodb:LeadingKeys': ['READY'],
        'dynamodb:Select': 'ALL_ATTRIBUTES',
        'dynamodb:ReturnValues': undefined,
        'dynamodb:ReturnConsumedCapacity': undefined,
      },
    });
  });

  test('Scan names no partition: LeadingKeys is absent, as in AWS', () => {
    const [access] = accesses('Scan', { TableName: items });
    expect(access?.context['dynamodb:LeadingKeys']).toBeUndefined();
  });

  test('a batch is authorised once per table with every partition key it touches there', () => {
    const result = accesses('BatchWriteItem', {
      RequestItems: {
        [items]: [
          { PutRequest: { Item: { pk: { S: OWNER_ID }, sk: { S: '1' } } } },
          { DeleteRequest: { Key: { pk: { S: OTHER_ID }, sk: { S: '2' } } } },
          { PutRequest: { Item: { pk: { S: OWNER_ID }, sk: { S: '3' } } } },
        ],
        [events]: [{ PutRequest: { Item: { id: { S: 'e' } } } }],
      },
    });
    expect(result.map((a) => [a.resource, a.context['dynamodb:LeadingKeys']])).toEqual([
      [model.tables.get(items)!.arn, [OWNER_ID, OTHER_ID]],
      [model.tables.get(events)!.arn, ['e']],
    ]);
  });

  test('LeadingKeys with ForAllValues: the owner role may write its own partition only', () => {
    const authorize = createDynamoDbAuthorizer(model);
    const owner = session('RecordsOwnerRole', OWNER_ID);
    const decide = (pk: string) => {
      const [access] = accesses('PutItem', { TableName: items, Item: { pk: { S: pk }, sk: { S: 'x' } } });
      return authorize({ credentials: owner, ...access! }).decision;
    };
    expect(decide(OWNER_ID)).toBe('Allow');
    expect(decide(OTHER_ID)).toBe('ImplicitDeny');
  });

  test("a table's resource policy takes part: its explicit deny beats the role's allow", () => {
    const table = model.tables.get(events)!;
    const denied: DeployedModel = {
      ...model,
      tables: new Map([
        ...model.tables,
        [
          events,
          {
            ...table,
            policy: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Deny', Principal: '*', Action: 'dynamodb:DeleteItem', Resource: '*' }],
            },
          },
        ],
      ]),
    };
    const authorize = createDynamoDbAuthorizer(denied);
    const [access] = OPERATIONS.DeleteItem.accesses(
      store.validate('DeleteItem', { TableName: events, Key: { id: { S: 'e' } } }),
      denied,
    );
    expect(authorize({ credentials: session('RecordsAppRole'), ...access! }).decision).toBe('ExplicitDeny');
    const [get] = OPERATIONS.GetItem.accesses(
      store.validate('GetItem', { TableName: events, Key: { id: { S: 'e' } } }),
      denied,
    );
    expect(authorize({ credentials: session('RecordsAppRole'), ...get! }).decision).toBe('Allow');
  });
});
