import { Match, type Template } from 'aws-cdk-lib/assertions';
import { createTestApp, PROD_CONTEXT, templatesOf } from '../support/test-app';

const TABLE = 'ImagesTableA82C56A4';

describe('ImageTable', () => {
  let dev: Template;
  let prod: Template;
  beforeAll(() => {
    dev = templatesOf(createTestApp()).storage;
    prod = templatesOf(createTestApp(PROD_CONTEXT)).storage;
  });

  test('keeps the table logical id (changing it replaces the table and loses every record)', () => {
    expect(Object.keys(dev.findResources('AWS::DynamoDB::Table'))).toEqual([TABLE]);
  });

  test('is on-demand and keyed by pk/sk', () => {
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  test('the feeds project only the attributes others may see; my images project all', () => {
    const indexes = Object.values(dev.findResources('AWS::DynamoDB::Table'))[0]?.Properties
      .GlobalSecondaryIndexes as { IndexName: string; Projection: Record<string, unknown> }[];
    const byName = Object.fromEntries(indexes.map((index) => [index.IndexName, index.Projection]));
    expect(byName.ByOwner).toEqual({ ProjectionType: 'ALL' });
    for (const feed of ['PublicFeed', 'SharedFeed']) {
      expect(byName[feed]?.ProjectionType).toBe('INCLUDE');
      expect(byName[feed]?.NonKeyAttributes).not.toContain('originalKey');
      expect(byName[feed]?.NonKeyAttributes).not.toContain('rejectionReason');
      expect(byName[feed]?.NonKeyAttributes).not.toContain('originalBytes');
    }
  });

  test('prod retains the table, protects it from deletion and keeps point-in-time recovery', () => {
    prod.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    });
  });

  test('dev deletes the table with the stack', () => {
    dev.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
  });
});
