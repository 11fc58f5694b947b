import { API_OUTPUT_KEYS, OUTPUT_KEYS } from '@image-share/contracts/outputs';
import { PUBLIC_FOLDER } from '@image-share/contracts/storage';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DataApi } from './api/data-api';
import { PublicCdn } from './cdn/public-cdn';
import { ImagePipeline } from './records/image-pipeline';
import { ImageTable } from './records/image-table';
import type { CustomDomain } from './config';
import { AccessLogsBucket } from './storage/access-logs-bucket';
import { StorageAccessPolicy } from './storage/access-policy';
import { UploadsBucket } from './storage/uploads-bucket';

export interface StorageStackProps extends StackProps {
  readonly guestRole: iam.IRole;
  readonly authenticatedRole: iam.IRole;
  readonly adminRole: iam.IRole;
  /** Origins of the web app, for the bucket's CORS rules. */
  readonly allowedOrigins: readonly string[];
  /**
   * Keep the bucket on stack deletion and write S3 and CloudFront access logs. Meant for prod.
   * @default false
   */
  readonly production?: boolean;
  /**
   * Serve public images from this domain.
   * @default - the distribution's own domain
   */
  readonly customDomain?: CustomDomain;
}

/**
 * The uploads bucket, each role's access to it, CloudFront over its public folder, and the
 * image records the pipeline derives from the uploads and the data API over them (in this
 * stack because the bucket's notifications and the pipeline refer to each other).
 */
export class StorageStack extends Stack {
  public readonly imageTable: ImageTable;
  public readonly uploadsBucket: UploadsBucket;
  public readonly cdn: PublicCdn;
  public readonly pipeline: ImagePipeline;
  public readonly dataApi: DataApi;

  constructor(scope: Construct, id: string, props: StorageStackProps) {
    super(scope, id, props);
    const production = props.production ?? false;
    const logs = production ? new AccessLogsBucket(this, 'AccessLogs') : undefined;

    const uploads = (this.uploadsBucket = new UploadsBucket(this, 'Uploads', {
      allowedOrigins: props.allowedOrigins,
      retainOnDelete: production,
      accessLogsBucket: logs?.bucket,
    }));

    this.imageTable = new ImageTable(this, 'Images', { production });

    new StorageAccessPolicy(this, 'GuestAccess', {
      bucket: uploads.bucket,
      role: props.guestRole,
      accessRole: 'guest',
    });
    new StorageAccessPolicy(this, 'SignedInAccess', {
      bucket: uploads.bucket,
      role: props.authenticatedRole,
      accessRole: 'authenticated',
    });
    new StorageAccessPolicy(this, 'AdminAccess', {
      bucket: uploads.bucket,
      role: props.adminRole,
      accessRole: 'admin',
    });

    const cdn = (this.cdn = new PublicCdn(this, 'PublicCdn', {
      bucket: uploads.bucket,
      folder: PUBLIC_FOLDER,
      logBucket: logs?.bucket,
      customDomain: props.customDomain && {
        domainName: props.customDomain.domainName,
        certificate: acm.Certificate.fromCertificateArn(
          this,
          'Certificate',
          props.customDomain.certificateArn,
        ),
      },
    }));

    this.pipeline = new ImagePipeline(this, 'ImagePipeline', {
      bucket: uploads.bucket,
      table: this.imageTable.table,
      distribution: cdn.distribution,
    });

    this.dataApi = new DataApi(this, 'DataApi', {
      table: this.imageTable.table,
      bucket: uploads.bucket,
      distribution: cdn.distribution,
      roles: { guest: props.guestRole, authenticated: props.authenticatedRole, admin: props.adminRole },
    });

    new CfnOutput(this, API_OUTPUT_KEYS.graphQlUrl, { value: this.dataApi.api.graphqlUrl });
    new CfnOutput(this, OUTPUT_KEYS.bucketName, { value: uploads.bucket.bucketName });
    new CfnOutput(this, OUTPUT_KEYS.publicBaseUrl, {
      value: cdn.baseUrl,
      description: `Public images: <PublicBaseUrl>/<identityId>/<file> serves ${PUBLIC_FOLDER}/<identityId>/<file>`,
    });
  }
}
