import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * Receives S3 server access logs (under `s3/`) and CloudFront standard logs (under `cdn/`).
 * It logs nothing itself: cdk-nag's S1 accepts a bucket that is another bucket's log target.
 */
export class AccessLogsBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // CloudFront standard logging writes with an ACL, so ACLs cannot be disabled here.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ id: 'ExpireLogs', expiration: Duration.days(90) }],
      // Logs are evidence: keep them even when the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
