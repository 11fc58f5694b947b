// The Lambda entry point of the data API: real clients from the environment the construct sets.
import { Logger } from '@aws-lambda-powertools/logger';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppSyncResolverEvent } from 'aws-lambda';
import { CloudFrontCdn } from '../shared/cdn';
import { requiredEnv } from '../shared/env';
import { S3ObjectStore } from '../shared/object-store';
import { ImageRecords } from '../shared/records';
import { Cursors } from './cursor';
import { createApiHandler } from './handler';

const logger = new Logger({ serviceName: 'data-api' });
const tableName = requiredEnv('TABLE_NAME');
// Optional record fields are left out rather than stored as NULL.
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

// The signing key is read once per cold start, not per request.
const ready = (async () => {
  const secret = await new SecretsManagerClient({}).send(
    new GetSecretValueCommand({ SecretId: requiredEnv('CURSOR_KEY_SECRET_ARN') }),
  );
  if (!secret.SecretString) throw new Error('The cursor key secret is empty');
  return createApiHandler({
    db,
    tableName,
    records: new ImageRecords(db, tableName),
    store: new S3ObjectStore(new S3Client({}), requiredEnv('BUCKET_NAME')),
    cdn: new CloudFrontCdn(new CloudFrontClient({}), requiredEnv('DISTRIBUTION_ID')),
    cursors: new Cursors(Buffer.from(secret.SecretString, 'utf8')),
    adminRoleName: requiredEnv('ADMIN_ROLE_NAME'),
    logger,
  });
})();

export const handler = async (event: AppSyncResolverEvent<Record<string, unknown>>) => (await ready)(event);
