// The Lambda entry point: real clients from the environment the construct sets.
import { Logger } from '@aws-lambda-powertools/logger';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { CloudFrontCdn } from '../shared/cdn';
import { requiredEnv } from '../shared/env';
import { S3ObjectStore } from '../shared/object-store';
import { ImageRecords } from '../shared/records';
import { createPipeline } from './pipeline';

// One image at a time per invocation: libvips' cache only holds memory a Lambda needs for the next image.
sharp.cache(false);

const logger = new Logger({ serviceName: 'image-pipeline' });

export const handler = createPipeline({
  store: new S3ObjectStore(new S3Client({}), requiredEnv('BUCKET_NAME')),
  records: new ImageRecords(
    // Optional record fields are left out rather than stored as NULL.
    DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
    requiredEnv('TABLE_NAME'),
  ),
  cdn: new CloudFrontCdn(new CloudFrontClient({}), requiredEnv('DISTRIBUTION_ID')),
  logger,
});
