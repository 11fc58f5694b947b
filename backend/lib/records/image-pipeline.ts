import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { Construct } from 'constructs';
import { functionRoleAndLogs, workspaceFunctionProps } from '../workspace-function';
import { PUBLIC_FOLDER, RENDITIONS_FOLDER } from '@image-share/contracts/storage';
import { ORIGINAL_FOLDERS } from './image-keys';
import { INDEXES } from './table-schema';

export interface ImagePipelineProps {
  /** The uploads bucket: originals in, renditions and published copies out. */
  readonly bucket: s3.IBucket;
  readonly table: dynamodb.ITable;
  /** The CDN over `public/`, whose paths the pipeline invalidates when an image goes away. */
  readonly distribution: cloudfront.IDistribution;
}

/**
 * The function that turns every upload under the originals' folders into an image record and
 * its renditions. Its role reaches this bucket's folders, this table and this distribution's
 * invalidations, nothing else.
 */
export class ImagePipeline extends Construct {
  public readonly function: nodejs.NodejsFunction;
  /** Events that still failed after Lambda's two retries. */
  public readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string, props: ImagePipelineProps) {
    super(scope, id);
    this.failures = new sqs.Queue(this, 'Failures', {
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
    });
    const { role, logGroup } = functionRoleAndLogs(this);

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      ...workspaceFunctionProps('pipeline'),
      // 1,769 MB is one full vCPU: the benchmark's one-core budget (p50 <= 1 s per 12 MP photo).
      memorySize: 1769,
      timeout: Duration.seconds(60),
      role,
      logGroup,
      retryAttempts: 2,
      onFailure: new destinations.SqsDestination(this.failures),
      environment: {
        BUCKET_NAME: props.bucket.bucketName,
        TABLE_NAME: props.table.tableName,
        DISTRIBUTION_ID: props.distribution.distributionId,
        POWERTOOLS_SERVICE_NAME: 'image-pipeline',
      },
      bundling: {
        target: 'node24',
        minify: true,
        sourceMap: true,
        // The runtime provides the AWS SDK; sharp is native, so it is installed, not bundled.
        externalModules: ['@aws-sdk/*', 'sharp'],
        nodeModules: ['sharp'],
        // Synth must not reach a registry: both installs run from the pnpm store only.
        environment: { npm_config_offline: 'true' },
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // Lambda's sharp binaries (linux x64 glibc) whatever the synthesizing host is; the
          // workspace's supportedArchitectures keeps them in the store.
          afterBundling: (_input: string, output: string) => [
            `cd "${output}" && pnpm install --offline --cpu=x64 --os=linux --libc=glibc --config.node-linker=hoisted --config.package-import-method=clone-or-copy --reporter=silent && rm -f pnpm-lock.yaml pnpm-workspace.yaml node_modules/.modules.yaml`,
          ],
        },
      },
    });

    // Reads the originals (by version: the event names the version it is about).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: ORIGINAL_FOLDERS.map((folder) => props.bucket.arnForObjects(`${folder}/*`)),
      }),
    );
    // Writes, copies (reads) and deletes renditions and their published copies.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [RENDITIONS_FOLDER, PUBLIC_FOLDER].map((folder) =>
          props.bucket.arnForObjects(`${folder}/*`),
        ),
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${RENDITIONS_FOLDER}/*`, `${PUBLIC_FOLDER}/*`] } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [props.table.tableArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.table.tableArn}/index/${INDEXES.byOwner}`],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['cloudfront:CreateInvalidation'],
        resources: [props.distribution.distributionArn],
      }),
    );

    const target = new s3n.LambdaDestination(this.function);
    for (const folder of ORIGINAL_FOLDERS) {
      for (const event of [s3.EventType.OBJECT_CREATED, s3.EventType.OBJECT_REMOVED]) {
        props.bucket.addEventNotification(event, target, { prefix: `${folder}/` });
      }
    }

    // Each wildcard is acknowledged by its exact finding id, so a new one shows up as a finding.
    const stack = Stack.of(this);
    const wildcards = new Set(
      role.node
        .findAll()
        .filter((node): node is iam.Policy => node instanceof iam.Policy)
        .flatMap((policy) => policy.document.toJSON()?.Statement ?? [])
        .flatMap((statement: { Resource?: unknown }) => [statement.Resource].flat())
        .map((resource) => JSON.stringify(stack.resolve(resource)))
        .filter((resource) => resource.includes('*')),
    );
    for (const resource of wildcards) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(JSON.parse(resource))}]`,
        reason:
          'A wildcard under exactly what the pipeline owns: the objects of the folders it reads (originals) or writes (renditions, public), or the log streams of its own log group; the template tests prove no other bucket, table or service is reachable.',
      });
    }
    // CDK's own singleton that writes the bucket's notification configuration at deploy time.
    const notificationsHandler = stack.node.children.find((child) =>
      child.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (notificationsHandler) {
      Validations.of(notificationsHandler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's bucket-notifications custom resource handler runs once per deployment with the basic execution role CDK gives it; it only writes logs and the bucket's notification configuration.",
      });
    }
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of the pipeline function: it holds events that failed after retries and needs no dead-letter queue of its own.',
    });
  }
}
