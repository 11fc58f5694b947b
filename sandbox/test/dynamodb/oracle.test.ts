/**
 * The DynamoDB requests the service builds (action, table or index ARN, dynamodb:LeadingKeys),
 * for every fixture role, decided by our evaluator and by iam-simulate: same input, same decision.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock';
import { MemoryLogger } from '../../src/core/logger';
import { deployCloudAssembly } from '../../src/deploy';
import type { DeployedModel } from '../../src/deploy/model';
import { dynamoDbEvaluationInput } from '../../src/iam/authorizer';
import { evaluate } from '../../src/iam/evaluate';
import { OPERATIONS } from '../../src/services/dynamodb/operations';
import { DynamoDbStore } from '../../src/services/dynamodb/store';
import { oracleDecision } from '../iam/oracle';
import { FIXTURE, OTHER_ID, OWNER_ID, REGION, session, type RoleName } from './harness';

const ROLES: readonly RoleName[] = [
  'RecordsAppRole',
  'RecordsOtherRole',
  'RecordsOwnerRole',
  'RecordsAdminRole',
];
const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));

let stateDir: string;
let model: DeployedModel;
let store: DynamoDbStore;
beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-ddb-oracle-'));
  model = await deployCloudAssembly({ cdkOutDir: FIXTURE, stateDir, region: REGION });
  store = await DynamoDbStore.open(
    { path: undefined, region: REGION, accountId: model.accountId, logger: new MemoryLogger() },
    model.tables.values(),
  );
});
afterAll(async () => {
  await store.close();
  await rm(stateDir, { recursive: true, force: true });
});

function requests(): Array<[keyof typeof OPERATIONS, object]> {
  const items = model.outputs.Records!.ItemsTableName!;
  const events = model.outputs.Records!.EventsTableName!;
  const out: Array<[keyof typeof OPERATIONS, object]> = [];
  for (const pk of [OWNER_ID, OTHER_ID, `${OWNER_ID}x`]) {
    const key = { pk: { S: pk }, sk: { S: 'a' } };
    out.push(
      ['GetItem', { TableName: items, Key: key }],
      ['PutItem', { TableName: items, Item: key }],
      ['UpdateItem', { TableName: items, Key: key }],
      ['DeleteItem', { TableName: items, Key: key, ReturnValues: 'ALL_OLD' }],
      [
        'Query',
        {
          TableName: items,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: pk } },
        },
      ],
      [
        'BatchWriteItem',
        {
          RequestItems: {
            [items]: [
              { PutRequest: { Item: key } },
              { PutRequest: { Item: { ...key, pk: { S: OWNER_ID } } } },
            ],
          },
        },
      ],
    );
  }
  out.push(
    ['Scan', { TableName: items }],
    ['Scan', { TableName: items, IndexName: 'byStatus' }],
    [
      'Query',
      {
        TableName: items,
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: OWNER_ID } },
      },
    ],
    ['GetItem', { TableName: events, Key: { id: { S: 'e' } } }],
    ['DescribeTable', { TableName: events }],
    [
      'CreateTable',
      {
        TableName: 'Extra',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
    ],
    ['ListTables', {}],
  );
  return out;
}

test('every role x request: our decision equals iam-simulate, and the oracle evaluated LeadingKeys', async () => {
  let compared = 0;
  const decisions = new Set<string>();
  for (const role of ROLES) {
    const credentials = session(role, OWNER_ID);
    for (const [operation, input] of requests()) {
      for (const access of OPERATIONS[operation].accesses(store.validate(operation, input), model)) {
        const evaluation = dynamoDbEvaluationInput(model, { credentials, ...access }, clock);
        const ours = evaluate(evaluation).decision;
        const oracle = await oracleDecision(evaluation, model.accountId);
        expect({ role, operation, resource: access.resource, decision: ours }).toEqual({
          role,
          operation,
          resource: access.resource,
          decision: oracle.decision,
        });
        expect(oracle.ignoredContextKeys.map((key) => key.toLowerCase())).not.toContain(
          'dynamodb:leadingkeys',
        );
        decisions.add(`${role} ${ours}`);
        compared += 1;
      }
    }
  }
  expect(compared).toBeGreaterThan(80);
  // The owner role is allowed some requests and refused others: LeadingKeys decided both ways.
  expect(decisions).toEqual(
    new Set([
      'RecordsAppRole Allow',
      'RecordsAppRole ImplicitDeny',
      'RecordsOtherRole Allow',
      'RecordsOtherRole ImplicitDeny',
      'RecordsOwnerRole Allow',
      'RecordsOwnerRole ImplicitDeny',
      'RecordsAdminRole Allow',
    ]),
  );
});
