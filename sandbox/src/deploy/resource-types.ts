/**
 * For each resource type the sandbox emulates: its physical id (what `Ref` returns) and the
 * attributes `Fn::GetAtt` can read, in the formats AWS uses.
 */
import { idFormats } from './physical-ids';

export interface NamingContext {
  readonly stack: string;
  readonly logicalId: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
  /** A persisted value for this resource, generated on the first deploy. */
  persisted(name: string, generate: () => string): string;
}

export interface ResourceTypeSpec {
  physicalId(ctx: NamingContext, properties: Readonly<Record<string, unknown>>): string;
  attributes?(
    ctx: NamingContext,
    physicalId: string,
    properties: Readonly<Record<string, unknown>>,
  ): Record<string, string>;
}

const persistedId = (generate: (ctx: NamingContext) => string) => (ctx: NamingContext) =>
  ctx.persisted('id', () => generate(ctx));

const named =
  (property: string, maxLength: number, lowercase = false) =>
  (ctx: NamingContext, properties: Readonly<Record<string, unknown>>) => {
    const explicit = properties[property];
    if (typeof explicit === 'string') return explicit;
    return ctx.persisted('id', () => idFormats.generatedName(ctx.stack, ctx.logicalId, maxLength, lowercase));
  };

function iamPath(properties: Readonly<Record<string, unknown>>): string {
  return typeof properties.Path === 'string' ? properties.Path : '/';
}

/** StreamArn is left out on purpose: the sandbox has no streams, so a template that reads it fails to deploy. */
function tableAttributes(ctx: NamingContext, name: string): Record<string, string> {
  return {
    Arn: `arn:${ctx.partition}:dynamodb:${ctx.region}:${ctx.accountId}:table/${name}`,
    TableId: ctx.persisted('tableId', idFormats.uuid),
  };
}

export const RESOURCE_TYPES: Readonly<Record<string, ResourceTypeSpec>> = {
  'AWS::Cognito::UserPool': {
    physicalId: persistedId((ctx) => idFormats.userPoolId(ctx.region)),
    attributes: (ctx, id) => ({
      Arn: `arn:${ctx.partition}:cognito-idp:${ctx.region}:${ctx.accountId}:userpool/${id}`,
      ProviderName: `cognito-idp.${ctx.region}.${ctx.urlSuffix}/${id}`,
      ProviderURL: `https://cognito-idp.${ctx.region}.${ctx.urlSuffix}/${id}`,
      UserPoolId: id,
    }),
  },
  'AWS::Cognito::UserPoolClient': {
    physicalId: persistedId(() => idFormats.userPoolClientId()),
    attributes: (_ctx, id, properties) => ({
      ClientId: id,
      ...(typeof properties.ClientName === 'string' ? { Name: properties.ClientName } : {}),
    }),
  },
  'AWS::Cognito::UserPoolGroup': { physicalId: named('GroupName', 128) },
  'AWS::Cognito::IdentityPool': {
    physicalId: persistedId((ctx) => idFormats.identityPoolId(ctx.region)),
    attributes: (ctx, id, properties) => ({
      Id: id,
      Name: typeof properties.IdentityPoolName === 'string' ? properties.IdentityPoolName : ctx.logicalId,
    }),
  },
  'AWS::Cognito::IdentityPoolRoleAttachment': { physicalId: persistedId(() => idFormats.uuid()) },
  'AWS::IAM::Role': {
    physicalId: named('RoleName', 64),
    attributes: (ctx, name, properties) => ({
      Arn: `arn:${ctx.partition}:iam::${ctx.accountId}:role${iamPath(properties)}${name}`,
      RoleId: ctx.persisted('roleId', idFormats.roleId),
    }),
  },
  'AWS::IAM::Policy': { physicalId: named('PolicyName', 128) },
  'AWS::IAM::ManagedPolicy': {
    // Ref on a managed policy returns its ARN.
    physicalId: (ctx, properties) =>
      `arn:${ctx.partition}:iam::${ctx.accountId}:policy${iamPath(properties)}${named('ManagedPolicyName', 128)(ctx, properties)}`,
    attributes: (_ctx, arn) => ({ PolicyArn: arn }),
  },
  // CDK's custom resource that puts a bucket's notification configuration; the sandbox applies it itself.
  'Custom::S3BucketNotifications': { physicalId: persistedId(() => idFormats.uuid()) },
  'AWS::S3::Bucket': {
    physicalId: named('BucketName', 63, true),
    attributes: (ctx, name) => ({
      Arn: `arn:${ctx.partition}:s3:::${name}`,
      DomainName: `${name}.s3.${ctx.urlSuffix}`,
      RegionalDomainName: `${name}.s3.${ctx.region}.${ctx.urlSuffix}`,
      DualStackDomainName: `${name}.s3.dualstack.${ctx.region}.${ctx.urlSuffix}`,
      WebsiteURL: `http://${name}.s3-website-${ctx.region}.${ctx.urlSuffix}`,
    }),
  },
  'AWS::DynamoDB::Table': { physicalId: named('TableName', 255), attributes: tableAttributes },
  // What CDK's TableV2 synthesizes: one table per replica region; the sandbox serves its own region's.
  'AWS::DynamoDB::GlobalTable': { physicalId: named('TableName', 255), attributes: tableAttributes },
  'AWS::S3::BucketPolicy': { physicalId: persistedId(() => idFormats.uuid()) },
  'AWS::CloudFront::Distribution': {
    physicalId: persistedId(() => idFormats.cloudFrontId()),
    attributes: (ctx, id) => ({
      Id: id,
      DomainName: ctx.persisted('domainName', () => idFormats.cloudFrontDomain()),
    }),
  },
  'AWS::CloudFront::OriginAccessControl': {
    physicalId: persistedId(() => idFormats.cloudFrontId()),
    attributes: (_ctx, id) => ({ Id: id }),
  },
  'AWS::CloudFront::ResponseHeadersPolicy': {
    physicalId: persistedId(() => idFormats.uuid()),
    attributes: (_ctx, id) => ({ Id: id }),
  },
  'AWS::Lambda::Function': {
    physicalId: named('FunctionName', 64),
    attributes: (ctx, name) => ({
      Arn: `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.accountId}:function:${name}`,
    }),
  },
  'AWS::Lambda::EventInvokeConfig': { physicalId: persistedId(() => idFormats.uuid()) },
  'AWS::Lambda::Permission': { physicalId: persistedId(() => idFormats.uuid()) },
  // Ref and Id are the ARN, whose name ends in a random 6-character suffix (as CloudFormation forms it).
  'AWS::SecretsManager::Secret': {
    physicalId: (ctx, properties) =>
      ctx.persisted('id', () => {
        const name =
          typeof properties.Name === 'string' ? properties.Name : idFormats.secretName(ctx.logicalId);
        return `arn:${ctx.partition}:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${name}-${idFormats.secretSuffix()}`;
      }),
    attributes: (_ctx, arn) => ({ Id: arn }),
  },
  'AWS::AppSync::GraphQLApi': {
    physicalId: persistedId(() => idFormats.appSyncApiId()),
    attributes: (ctx, id) => ({
      ApiId: id,
      Arn: `arn:${ctx.partition}:appsync:${ctx.region}:${ctx.accountId}:apis/${id}`,
      GraphQLDns: `${id}.appsync-api.${ctx.region}.${ctx.urlSuffix}`,
      GraphQLUrl: `https://${id}.appsync-api.${ctx.region}.${ctx.urlSuffix}/graphql`,
      RealtimeDns: `${id}.appsync-realtime-api.${ctx.region}.${ctx.urlSuffix}`,
      RealtimeUrl: `wss://${id}.appsync-realtime-api.${ctx.region}.${ctx.urlSuffix}/graphql`,
    }),
  },
  'AWS::AppSync::GraphQLSchema': { physicalId: persistedId(() => idFormats.uuid()) },
  'AWS::AppSync::DataSource': {
    physicalId: (ctx, properties) =>
      `arn:${ctx.partition}:appsync:${ctx.region}:${ctx.accountId}:apis/${String(properties.ApiId)}/datasources/${String(properties.Name)}`,
    attributes: (_ctx, arn, properties) => ({ DataSourceArn: arn, Name: String(properties.Name) }),
  },
  'AWS::AppSync::Resolver': {
    physicalId: (ctx, properties) =>
      `arn:${ctx.partition}:appsync:${ctx.region}:${ctx.accountId}:apis/${String(properties.ApiId)}/types/${String(properties.TypeName)}/resolvers/${String(properties.FieldName)}`,
    attributes: (_ctx, arn, properties) => ({
      ResolverArn: arn,
      TypeName: String(properties.TypeName),
      FieldName: String(properties.FieldName),
    }),
  },
  'AWS::CloudFront::CachePolicy': {
    physicalId: persistedId(() => idFormats.uuid()),
    attributes: (_ctx, id) => ({ Id: id }),
  },
};

/**
 * Types the sandbox does not serve, but whose name and ARN it can still form the way AWS does, so
 * that a policy of an emulated role that names one (a function's log group, its dead-letter
 * queue) resolves to the exact resource instead of failing the deploy.
 * Attributes left out here (a queue's URL) have no local endpoint to point at yet: reading one still fails, and an output that needs one is skipped and listed.
 */
export const IDENTIFIED_TYPES: Readonly<Record<string, ResourceTypeSpec>> = {
  'AWS::Logs::LogGroup': {
    physicalId: named('LogGroupName', 512),
    // CloudFormation's Arn attribute of a log group ends in ":*".
    attributes: (ctx, name) => ({
      Arn: `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${name}:*`,
    }),
  },
  'AWS::SQS::Queue': {
    physicalId: named('QueueName', 80),
    attributes: (ctx, name) => ({
      Arn: `arn:${ctx.partition}:sqs:${ctx.region}:${ctx.accountId}:${name}`,
      QueueName: name,
    }),
  },
};

/** Present in every CDK template; describes the CDK version, nothing to deploy. */
export const IGNORED_TYPES: ReadonlySet<string> = new Set(['AWS::CDK::Metadata']);

/** For types the sandbox does not emulate: `Ref` still works (dependent resources may name them). */
export function unsupportedPhysicalId(ctx: NamingContext): string {
  return ctx.persisted('id', () => idFormats.generatedName(ctx.stack, ctx.logicalId, 128));
}
