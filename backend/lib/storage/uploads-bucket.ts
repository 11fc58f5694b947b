import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface UploadsBucketProps {
  /** Browser origins the web app is served from; the only ones CORS lets through. */
  readonly allowedOrigins: readonly string[];
  /**
   * Keep the bucket and its objects when the stack is deleted. Meant for prod.
   * @default false - the bucket is deleted with the stack (only once empty)
   */
  readonly retainOnDelete?: boolean;
  /**
   * Where S3 server access logs go.
   * @default - no access logs
   */
  readonly accessLogsBucket?: s3.IBucket;
}

/** Headers browsers may read on S3 responses: multipart upload needs ETag. */
const CORS_EXPOSED_HEADERS = [
  'ETag',
  'x-amz-version-id',
  'x-amz-request-id',
  'x-amz-id-2',
  'x-amz-server-side-encryption',
  'Content-Length',
  'Content-Type',
  'Content-Disposition',
  'Last-Modified',
] as const;

/** The bucket that holds everyone's uploads, locked down; access comes only from IAM policies. */
export class UploadsBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: UploadsBucketProps) {
    super(scope, id);
    const retain = props.retainOnDelete ?? false;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        {
          id: 'ExpireOldVersions',
          noncurrentVersionExpiration: Duration.days(30),
          expiredObjectDeleteMarker: true,
        },
      ],
      cors: [
        {
          allowedOrigins: [...props.allowedOrigins],
          allowedMethods: [
            s3.HttpMethods.GET,
            s3.HttpMethods.HEAD,
            s3.HttpMethods.PUT,
            s3.HttpMethods.POST,
            s3.HttpMethods.DELETE,
          ],
          // SigV4 signs a set of headers that differs per operation and SDK version.
          allowedHeaders: ['*'],
          exposedHeaders: [...CORS_EXPOSED_HEADERS],
          maxAge: 3000,
        },
      ],
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: props.accessLogsBucket ? 's3/' : undefined,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    if (!props.accessLogsBucket) {
      Validations.of(this.bucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason:
          'Dev stage: no server access logs, to keep a throwaway stack cheap and deletable; the prod stage logs every request.',
      });
    }
  }
}
