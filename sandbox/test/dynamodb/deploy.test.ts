import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployCloudAssembly, DeployError } from '../../src/deploy';
import type { AssetLocator } from '../../src/deploy/assets';
import { buildModel } from '../../src/deploy/build-model';
import { PhysicalIdStore } from '../../src/deploy/physical-ids';
import { deployTemplate, type DeployedResource } from '../../src/deploy/template';
const FIXTURE = join(__dirname, '..', 'fixtures', 'cdk-out-dynamodb');

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

const keys = {
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
};

function table(
  logicalId: string,
  properties: Record<string, unknown>,
  type = 'AWS::DynamoDB::Table',
): DeployedResource {
  return {
    stack: 'S',
    logicalId,
    type,
    physicalId: logicalId.toLowerCase(),
    attributes: { Arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${logicalId.toLowerCase()}` },
    properties,
    supported: true,
  };
}

// Table tests deploy no functions, so no asset is ever looked up.
const NO_ASSETS: AssetLocator = { byMetadataPath: () => undefined, byObjectKey: () => undefined };

const model = (...resources: DeployedResource[]) =>
  buildModel([{ stackName: 'S', resources, outputs: {}, skippedOutputs: [] }], ACCOUNT, REGION, NO_ASSETS);

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-ddb-deploy-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe('tables from the templates', () => {
  test('Table and GlobalTable: generated names kept across deploys, Ref gives the name, GetAtt Arn the ARN', async () => {
    const first = await deployCloudAssembly({ cdkOutDir: FIXTURE, stateDir, region: REGION });
    const again = await deployCloudAssembly({ cdkOutDir: FIXTURE, stateDir, region: REGION });
    const outputs = first.outputs.Records!;
    expect(again.outputs.Records).toEqual(outputs);
    expect([...first.tables.keys()].sort()).toEqual([outputs.EventsTableName, outputs.ItemsTableName].sort());
    const items = first.tables.get(outputs.ItemsTableName!)!;
    expect(items).toEqual({
      name: outputs.ItemsTableName,
      arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${outputs.ItemsTableName}`,
      keySchema: { partitionKey: 'pk', sortKey: 'sk' },
      attributeTypes: { pk: 'S', sk: 'S', status: 'S', createdAt: 'N' },
      globalSecondaryIndexes: [
        {
          name: 'byStatus',
          keySchema: { partitionKey: 'status', sortKey: 'createdAt' },
          projectionType: 'ALL',
          nonKeyAttributes: [],
        },
      ],
      localSecondaryIndexes: [],
      billingMode: 'PAY_PER_REQUEST',
    });
    expect(outputs.ItemsTableArn).toBe(items.arn);
    expect(first.tables.get(outputs.EventsTableName!)?.keySchema).toEqual({ partitionKey: 'id' });
    expect(first.unsupported).toEqual([]);
  });

  test('an explicit TableName is the physical name; a provisioned table keeps its capacity', async () => {
    const store = await PhysicalIdStore.open(stateDir);
    const deployed = deployTemplate(
      'S',
      {
        Resources: {
          T: {
            Type: 'AWS::DynamoDB::Table',
            Properties: {
              ...keys,
              TableName: 'orders',
              ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
            },
          },
        },
        Outputs: { Name: { Value: { Ref: 'T' } }, Arn: { Value: { 'Fn::GetAtt': ['T', 'Arn'] } } },
      },
      { accountId: ACCOUNT, region: REGION, ids: store, exports: new Map() },
    );
    expect(deployed.outputs).toEqual({
      Name: 'orders',
      Arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`,
    });
    const m = buildModel([deployed], ACCOUNT, REGION, NO_ASSETS);
    expect(m.tables.get('orders')).toMatchObject({
      billingMode: 'PROVISIONED',
      provisionedThroughput: { readCapacityUnits: 5, writeCapacityUnits: 2 },
    });
  });

  test('StreamArn is refused at deploy time: the sandbox has no streams', async () => {
    const store = await PhysicalIdStore.open(stateDir);
    expect(() =>
      deployTemplate(
        'S',
        {
          Resources: {
            T: {
              Type: 'AWS::DynamoDB::Table',
              Properties: { ...keys, StreamSpecification: { StreamViewType: 'NEW_IMAGE' } },
            },
          },
          Outputs: { Stream: { Value: { 'Fn::GetAtt': ['T', 'StreamArn'] } } },
        },
        { accountId: ACCOUNT, region: REGION, ids: store, exports: new Map() },
      ),
    ).toThrow(/AWS::DynamoDB::Table has no attribute StreamArn in the sandbox/);
  });

  test('a key attribute missing from AttributeDefinitions, or two HASH keys, is a deploy error', () => {
    expect(() =>
      model(table('T', { ...keys, KeySchema: [{ AttributeName: 'other', KeyType: 'HASH' }] })),
    ).toThrow(/key attribute other is not in AttributeDefinitions/);
    expect(() =>
      model(
        table('T', {
          ...keys,
          KeySchema: [
            { AttributeName: 'id', KeyType: 'HASH' },
            { AttributeName: 'id', KeyType: 'HASH' },
          ],
        }),
      ),
    ).toThrow(DeployError);
  });

  test('a global table needs a replica in the sandbox region; replicas elsewhere are listed as not emulated', () => {
    expect(() =>
      model(table('G', { ...keys, Replicas: [{ Region: 'eu-west-1' }] }, 'AWS::DynamoDB::GlobalTable')),
    ).toThrow(/no replica in us-east-1/);
    const m = model(
      table(
        'G',
        {
          ...keys,
          BillingMode: 'PAY_PER_REQUEST',
          Replicas: [
            {
              Region: REGION,
              ResourcePolicy: {
                PolicyDocument: { Statement: { Effect: 'Deny', Action: '*', Resource: '*', Principal: '*' } },
              },
            },
            { Region: 'eu-west-1' },
          ],
        },
        'AWS::DynamoDB::GlobalTable',
      ),
    );
    expect(m.tables.get('g')?.policy).toBeDefined();
    expect(m.unsupported).toEqual([
      { stack: 'S', logicalId: 'G', type: 'AWS::DynamoDB::GlobalTable replica in eu-west-1' },
    ]);
  });

  test('streams, TTL and DynamoDB condition keys the sandbox does not compute are listed at start-up', () => {
    const m = model(
      table('T', {
        ...keys,
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
      }),
      {
        stack: 'S',
        logicalId: 'Role',
        type: 'AWS::IAM::Role',
        physicalId: 'Role',
        attributes: { Arn: `arn:aws:iam::${ACCOUNT}:role/Role`, RoleId: 'AROAEXAMPLEEXAMPLE123' },
        supported: true,
        properties: {
          AssumeRolePolicyDocument: {
            Statement: { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' },
          },
          Policies: [
            {
              PolicyName: 'p',
              PolicyDocument: {
                Statement: {
                  Effect: 'Allow',
                  Action: 'dynamodb:GetItem',
                  Resource: '*',
                  Condition: {
                    'ForAllValues:StringEquals': {
                      'dynamodb:Attributes': ['id'],
                      'dynamodb:LeadingKeys': ['a'],
                    },
                  },
                },
              },
            },
          ],
        },
      },
    );
    expect(m.unsupported.map((u) => u.type).sort()).toEqual([
      'AWS::DynamoDB::Table StreamSpecification',
      'AWS::DynamoDB::Table TimeToLiveSpecification',
      'AWS::IAM::Role condition key dynamodb:Attributes',
    ]);
  });
});
