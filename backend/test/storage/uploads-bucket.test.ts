import { Match, type Template } from 'aws-cdk-lib/assertions';
import { createTestApp, PROD_CONTEXT, templatesOf } from '../support/test-app';

const BUCKET = 'UploadsBucketC4B27CC7';

describe('UploadsBucket', () => {
  let dev: Template;
  let prod: Template;
  beforeAll(() => {
    dev = templatesOf(
      createTestApp({ allowedOrigins: ['http://localhost:3000', 'http://127.0.0.1:3000'] }),
    ).storage;
    prod = templatesOf(createTestApp(PROD_CONTEXT)).storage;
  });

  test('keeps the bucket logical id (changing it replaces the bucket and loses every upload)', () => {
    expect(Object.keys(dev.findResources('AWS::S3::Bucket'))).toEqual([BUCKET]);
  });

  test('blocks every kind of public access', () => {
    dev.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  test('disables ACLs', () => {
    dev.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  test('encrypts with S3-managed keys', () => {
    dev.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
  });

  test('keeps versions', () => {
    dev.hasResourceProperties('AWS::S3::Bucket', { VersioningConfiguration: { Status: 'Enabled' } });
  });

  test('aborts incomplete multipart uploads after a day and expires old versions', () => {
    dev.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
        ]),
      },
    });
  });

  test('CORS allows the configured origins only, and exposes ETag for multipart', () => {
    dev.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedOrigins: ['http://localhost:3000', 'http://127.0.0.1:3000'],
            AllowedMethods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
            ExposedHeaders: Match.arrayWith(['ETag', 'x-amz-version-id']),
          }),
        ],
      },
    });
  });

  test('denies every request without TLS', () => {
    dev.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: BUCKET },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  test('dev: no access logs, and the bucket goes with the stack', () => {
    dev.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ LoggingConfiguration: Match.absent() }),
    });
  });

  test('prod: server access logs go to the access logs bucket', () => {
    prod.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: {
        DestinationBucketName: { Ref: Match.stringLikeRegexp('^AccessLogsBucket') },
        LogFilePrefix: 's3/',
      },
    });
  });

  test('prod: the uploads bucket is retained', () => {
    expect(prod.findResources('AWS::S3::Bucket')[BUCKET]).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('prod: the access logs bucket is private, encrypted, TLS-only and expires logs', () => {
    prod.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90 })] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    prod.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^AccessLogsBucket') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  test('declares the BucketName output', () => {
    dev.hasOutput('BucketName', { Value: { Ref: BUCKET } });
  });
});
