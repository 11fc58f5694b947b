import * as path from 'node:path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { Construct } from 'constructs';
import { functionRoleAndLogs, workspaceFunctionProps } from '../workspace-function';
import { ORIGINAL_FOLDERS } from '../records/image-keys';
import { INDEXES } from '../records/table-schema';
import { PUBLIC_FOLDER, RENDITIONS_FOLDER } from '@image-share/contracts/storage';
import { type ApiRole, FIELD_ACCESS, grantedPaths } from './field-access';

export interface DataApiProps {
  readonly table: dynamodb.ITable;
  readonly bucket: s3.IBucket;
  readonly distribution: cloudfront.IDistribution;
  /** The identity pool's roles, each granted its share of the fields (field-access.ts). */
  readonly roles: Readonly<Record<ApiRole, iam.IRole>>;
}

/** The AppSync API (AWS_IAM), every field a direct Lambda resolver of one function. */
export class DataApi extends Construct {
  public readonly api: appsync.GraphqlApi;
  public readonly function: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: DataApiProps) {
    super(scope, id);
    this.api = new appsync.GraphqlApi(this, 'Api', {
      name: `${Stack.of(this).stackName}-data`,
      definition: appsync.Definition.fromFile(path.join(__dirname, 'schema.graphql')),
      authorizationConfig: { defaultAuthorization: { authorizationType: appsync.AuthorizationType.IAM } },
    });

    // The HMAC key of pagination cursors: generated at deploy, readable by this function only.
    const cursorKey = new secretsmanager.Secret(this, 'CursorKey', {
      description: 'Signs the data API pagination cursors (rotating it only invalidates open cursors)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });

    const { role, logGroup } = functionRoleAndLogs(this);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      ...workspaceFunctionProps('api'),
      memorySize: 512,
      timeout: Duration.seconds(10),
      role,
      logGroup,
      environment: {
        TABLE_NAME: props.table.tableName,
        BUCKET_NAME: props.bucket.bucketName,
        DISTRIBUTION_ID: props.distribution.distributionId,
        CURSOR_KEY_SECRET_ARN: cursorKey.secretArn,
        ADMIN_ROLE_NAME: props.roles.admin.roleName,
        POWERTOOLS_SERVICE_NAME: 'data-api',
      },
      bundling: { target: 'node24', minify: true, sourceMap: true, externalModules: ['@aws-sdk/*'] },
    });

    // Each grant is what one or more fields need, no more.
    const allow = (actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources, conditions }));
    // Cursor key: read once per cold start.
    allow(['secretsmanager:GetSecretValue'], [cursorKey.secretArn]);
    // Records and profiles: reads, owner edits, profile writes and deletes; BatchGetItem reads
    // the owners' display names of a page at once.
    allow(
      ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      [props.table.tableArn],
    );
    // Listings: the three indexes.
    allow(
      ['dynamodb:Query'],
      Object.values(INDEXES).map((index) => `${props.table.tableArn}/index/${index}`),
    );
    // deleteImage, deleteMyData and moderation delete originals (the pipeline does the rest);
    // deleteMyData lists the caller's originals to find them.
    allow(
      ['s3:DeleteObject'],
      ORIGINAL_FOLDERS.map((folder) => props.bucket.arnForObjects(`${folder}/*`)),
    );
    // setVisibility and moderation: copy renditions into public/, delete published copies.
    allow(['s3:GetObject'], [props.bucket.arnForObjects(`${RENDITIONS_FOLDER}/*`)]);
    allow(['s3:PutObject', 's3:DeleteObject'], [props.bucket.arnForObjects(`${PUBLIC_FOLDER}/*`)]);
    allow(['s3:ListBucket'], [props.bucket.bucketArn], {
      StringLike: { 's3:prefix': [...ORIGINAL_FOLDERS, PUBLIC_FOLDER].map((folder) => `${folder}/*`) },
    });
    allow(['cloudfront:CreateInvalidation'], [props.distribution.distributionArn]);

    const source = this.api.addLambdaDataSource('Function', this.function);
    for (const field of Object.keys(FIELD_ACCESS)) {
      const [typeName, fieldName] = field.split('.') as [string, string];
      // No request/response mapping: a direct Lambda resolver.
      source.createResolver(`${typeName}${fieldName[0]?.toUpperCase()}${fieldName.slice(1)}`, {
        typeName,
        fieldName,
      });
    }

    for (const [apiRole, iamRole] of Object.entries(props.roles) as [ApiRole, iam.IRole][]) {
      const policy = new iam.Policy(this, `${apiRole[0]?.toUpperCase()}${apiRole.slice(1)}Fields`, {
        roles: [iamRole],
        statements: [
          new iam.PolicyStatement({
            actions: ['appsync:GraphQL'],
            resources: grantedPaths(apiRole).map((p) => `${this.api.arn}/${p}`),
          }),
        ],
      });
      for (const resource of grantedPaths(apiRole).filter((p) => p.endsWith('/*'))) {
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(this).resolve(`${this.api.arn}/${resource}`))}]`,
          reason:
            'Every field of a nested type (Image, Rendition, connections, Profile) is reachable exactly as its parent fields are; the parent fields are granted one by one from the field access table.',
        });
      }
    }

    const stack = Stack.of(this);
    for (const resource of new Set(
      role.node
        .findAll()
        .filter((node): node is iam.Policy => node instanceof iam.Policy)
        .flatMap((policy) => policy.document.toJSON()?.Statement ?? [])
        .flatMap((statement: { Resource?: unknown }) => [statement.Resource].flat())
        .map((resource) => JSON.stringify(stack.resolve(resource)))
        .filter((resource) => resource.includes('*')),
    )) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(JSON.parse(resource))}]`,
        reason:
          'Object wildcards under exactly the folders the data API acts on (originals to delete, renditions to copy, public copies to write and delete) or its own log streams; each grant is justified where it is written and the template tests prove nothing else is reachable.',
      });
    }
    const serviceRole = source.grantPrincipal;
    Validations.of(serviceRole as iam.Role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.function.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      reason:
        "AppSync's data source role may invoke the api function and its versions (`:*`), and nothing else.",
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-ASC3',
      reason:
        "Every field is one invocation of the api function, which logs each request (field, caller, outcome) with Powertools; AppSync's own log setting would add a log-retention custom resource for the same lines.",
    });
    Validations.of(cursorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'An HMAC key for pagination cursors, not a credential: rotating it only invalidates cursors in flight, so it has no rotation schedule.',
    });
  }
}
