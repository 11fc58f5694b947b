/**
 * What the sandbox does with resolvers it cannot or may not run, on a hand-made model: a resolver
 * with mapping code answers a NotImplemented field error; a data source role AppSync may not assume,
 * or one without lambda:InvokeFunction on the function, fails the field the way AppSync reports a
 * failed invoke; a schema with subscriptions answers 501 for one.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock';
import type { SessionCredentials } from '../../src/core/credentials';
import { MemoryLogger } from '../../src/core/logger';
import type { DeployedModel, FunctionSpec, ResolverSpec, RoleSpec } from '../../src/deploy/model';
import { createAppSyncService } from '../../src/services/appsync';
import { FileCredentialStore } from '../../src/services/cognito-identity/credential-store';
import { LambdaFunctions } from '../../src/services/lambda';
import { graphql } from './helpers';

const ACCOUNT = '000000000000';
const API_ID = 'abcdefghijklmnopqrstuvwxyz';
const API_ARN = `arn:aws:appsync:us-east-1:${ACCOUNT}:apis/${API_ID}`;
const FN_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:resolver`;

function role(name: string, trusted: string, statements: object[]): RoleSpec {
  return {
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    name,
    assumeRolePolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: trusted }, Action: 'sts:AssumeRole' }],
    },
    policies: [{ Version: '2012-10-17', Statement: statements as never }],
  };
}

const caller = role('Caller', 'lambda.amazonaws.com', [
  { Effect: 'Allow', Action: 'appsync:GraphQL', Resource: `${API_ARN}/types/*/fields/*` },
]);
const roles = [
  caller,
  role('Allowed', 'appsync.amazonaws.com', [
    { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: FN_ARN },
  ]),
  role('NoInvoke', 'appsync.amazonaws.com', []),
  role('Untrusting', 'lambda.amazonaws.com', [
    { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: FN_ARN },
  ]),
];
const fn: FunctionSpec = {
  name: 'resolver',
  arn: FN_ARN,
  stack: 'S',
  logicalId: 'Resolver',
  roleArn: caller.arn,
  handler: 'index.handler',
  runtime: 'python3.13',
  timeoutSeconds: 3,
  memoryMb: 128,
  environment: {},
  code: { kind: 'not-runnable', reason: 'runtime python3.13; the sandbox runs nodejs*' },
  asyncInvoke: { maximumRetryAttempts: 2 },
};
const lambda = (fieldName: string, roleName: string): ResolverSpec => ({
  kind: 'lambda',
  typeName: 'Query',
  fieldName,
  functionArn: FN_ARN,
  serviceRoleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
});
const model: DeployedModel = {
  accountId: ACCOUNT,
  region: 'us-east-1',
  userPools: new Map(),
  identityPools: new Map(),
  roles: new Map(roles.map((r) => [r.arn, r])),
  buckets: new Map(),
  distributions: new Map(),
  tables: new Map(),
  functions: new Map([[fn.name, fn]]),
  secrets: new Map(),
  graphqlApis: new Map([
    [
      API_ID,
      {
        id: API_ID,
        arn: API_ARN,
        name: 'fixture',
        authenticationType: 'AWS_IAM',
        graphQlUrl: `https://${API_ID}.appsync-api.us-east-1.amazonaws.com/graphql`,
        definition:
          'type Query { vtl: Int, allowed: Int, noInvoke: Int, untrusting: Int } type Subscription { s: Int }',
        resolvers: new Map<string, ResolverSpec>([
          [
            'Query.vtl',
            {
              kind: 'unsupported',
              typeName: 'Query',
              fieldName: 'vtl',
              reason: 'a resolver with mapping code (Code)',
            },
          ],
          ['Query.allowed', lambda('allowed', 'Allowed')],
          ['Query.noInvoke', lambda('noInvoke', 'NoInvoke')],
          ['Query.untrusting', lambda('untrusting', 'Untrusting')],
        ]),
      },
    ],
  ]),
  outputs: {},
  unsupported: [],
};

let stateDir: string;
let server: Server;
let url: string;
let functions: LambdaFunctions;
const session: SessionCredentials = {
  accessKeyId: 'ASIACALLERCALLER0000',
  secretAccessKey: 'caller-secret',
  sessionToken: 'caller-token',
  expiration: new Date(Date.now() + 3600_000),
  roleArn: caller.arn,
  assumedRoleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/Caller/test`,
};

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-appsync-'));
  const credentials = FileCredentialStore.inMemory();
  await credentials.put(session);
  const logger = new MemoryLogger();
  functions = new LambdaFunctions({
    model,
    stateDir,
    clock: systemClock,
    logger,
    credentials,
    endpoint: () => '',
  });
  const service = createAppSyncService({ model, clock: systemClock, credentials, functions, logger });
  server = createServer(
    (req, res) =>
      void service.handle(req, res, { apiId: API_ID }, { sourceIp: '127.0.0.1', requestId: randomUUID() }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_appsync/${API_ID}/graphql`;
});

afterAll(async () => {
  await functions.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(stateDir, { recursive: true, force: true });
});

async function fieldError(field: string) {
  const answer = await graphql(url, session, { query: `{ ${field} }` });
  expect(answer.status).toBe(200);
  expect(answer.body.data).toEqual({ [field]: null });
  return answer.body.errors?.[0];
}

test('a resolver with mapping code answers NotImplemented, naming why', async () => {
  expect(await fieldError('vtl')).toMatchObject({
    path: ['vtl'],
    errorType: 'NotImplemented',
    message: 'The sandbox does not run a resolver with mapping code (Code).',
  });
});

test("the data source's role must trust AppSync and be allowed lambda:InvokeFunction", async () => {
  expect(await fieldError('untrusting')).toMatchObject({ errorType: 'Lambda:AccessDeniedException' });
  expect(await fieldError('noInvoke')).toMatchObject({ errorType: 'Lambda:AccessDeniedException' });
  expect((await fieldError('noInvoke'))?.message).toContain('lambda:InvokeFunction');
  // Allowed: the invoke goes through to the function, which this sandbox cannot run.
  expect(await fieldError('allowed')).toMatchObject({ errorType: 'Lambda:NotImplemented' });
});

test('a subscription answers 501: there is no real-time endpoint', async () => {
  const answer = await graphql(url, session, { query: 'subscription { s }' });
  expect(answer.status).toBe(501);
  expect(answer.headers.get('x-amzn-errortype')).toBe('NotImplemented');
});
