/**
 * Turns the deployed resources of every stack into the model the services read. Values are
 * already resolved; this step reads CloudFormation property shapes, applies AWS's defaults, and
 * connects resources that point at each other (groups -> pools, policies -> roles, ...).
 */
import { parseS3Host } from '@image-share/contracts/s3-reroute';
import { z } from 'zod';

import { DYNAMODB_CONDITION_KEYS } from '../iam/authorizer';
import { isKnownConditionOperator } from '../iam/conditions';
import type { PolicyDocument } from '../iam/types';
import type { AssetLocator } from './assets';
import { MANAGED_CACHE_POLICIES, MANAGED_RESPONSE_HEADERS_POLICIES } from './cloudfront-managed';
import { DeployError } from './errors';
import { partitionOf } from './partition';
import type {
  BucketNotificationSpec,
  BucketSpec,
  CorsRuleSpec,
  DeployedModel,
  CacheKeyValues,
  CachePolicySpec,
  DistributionOriginSpec,
  DistributionSpec,
  FunctionSpec,
  IdentityPoolSpec,
  RoleMappingSpec,
  RoleSpec,
  SecondaryIndexSpec,
  SecretSpec,
  GraphqlApiSpec,
  ResolverSpec,
  TableSpec,
  UserPoolClientSpec,
  UserPoolGroupSpec,
  UserPoolSpec,
} from './model';
import { IGNORED_TYPES } from './resource-types';
import type { DeployedResource, DeployedStack } from './template';

type Props = Readonly<Record<string, unknown>>;

export function buildModel(
  stacks: readonly DeployedStack[],
  accountId: string,
  region: string,
  assets: AssetLocator,
): DeployedModel {
  const resources = stacks.flatMap((stack) => stack.resources);
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  const unsupported: Array<{ stack: string; logicalId: string; type: string }> = resources
    .filter((r) => !r.supported && !IGNORED_TYPES.has(r.type))
    .map(({ stack, logicalId, type }) => ({ stack, logicalId, type }));

  unsupported.push(...unemulatedFeatures(resources));
  for (const stack of stacks) {
    for (const { key } of stack.skippedOutputs) {
      unsupported.push({ stack: stack.stackName, logicalId: key, type: 'output of a service not emulated' });
    }
  }

  const roles = buildRoles(resources, ofType, unsupported);
  const userPools = buildUserPools(ofType, region);
  const identityPools = buildIdentityPools(ofType);
  const buckets = buildBuckets(ofType, region);
  const distributions = buildDistributions(ofType, accountId, partitionOf(region).partition);
  const tables = buildTables(ofType, region, unsupported);
  unsupported.push(...uncomputedConditionKeys(resources));
  const functions = buildFunctions(resources, ofType, assets, unsupported);
  const secrets = buildSecrets(ofType);
  const graphqlApis = buildGraphqlApis(ofType, unsupported);

  // Every stack, even one without outputs, as `cdk deploy --outputs-file` writes them.
  const outputs: Record<string, Record<string, string>> = {};
  for (const stack of stacks) {
    outputs[stack.stackName] = { ...stack.outputs };
  }
  return {
    accountId,
    region,
    userPools,
    identityPools,
    roles,
    buckets,
    distributions,
    tables,
    functions,
    secrets,
    graphqlApis,
    outputs,
    unsupported,
  };
}

/**
 * Properties of emulated types that change behaviour the sandbox does not reproduce; they are
 * listed with the unsupported resources (as "<type> <property>") instead of being dropped silently.
 */
const UNEMULATED_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'AWS::Cognito::UserPool': ['LambdaConfig', 'UserPoolAddOns'],
  'AWS::Cognito::IdentityPool': [
    'SupportedLoginProviders',
    'OpenIdConnectProviderARNs',
    'SamlProviderARNs',
    'DeveloperProviderName',
  ],
  'AWS::S3::Bucket': [
    'LifecycleConfiguration',
    // Lambda configurations are emulated (see bucketNotifications); the sandbox has no SQS, SNS or EventBridge.
    'NotificationConfiguration.QueueConfigurations',
    'NotificationConfiguration.TopicConfigurations',
    'NotificationConfiguration.EventBridgeConfiguration',
    'ObjectLockConfiguration',
    'WebsiteConfiguration',
    'ReplicationConfiguration',
  ],
  'AWS::DynamoDB::Table': [
    'StreamSpecification',
    'KinesisStreamSpecification',
    'TimeToLiveSpecification',
    'ImportSourceSpecification',
  ],
  'AWS::DynamoDB::GlobalTable': ['StreamSpecification', 'TimeToLiveSpecification'],
  'Custom::S3BucketNotifications': [
    'NotificationConfiguration.QueueConfigurations',
    'NotificationConfiguration.TopicConfigurations',
    'NotificationConfiguration.EventBridgeConfiguration',
  ],
  'AWS::Lambda::Function': [
    'Layers',
    'VpcConfig',
    'FileSystemConfigs',
    'DeadLetterConfig',
    'SnapStart',
    'RecursiveLoop',
  ],
  // OnFailure records go to the dead-letter log instead (no SQS, SNS or EventBridge here).
  'AWS::Lambda::EventInvokeConfig': [
    'MaximumEventAgeInSeconds',
    'DestinationConfig.OnSuccess',
    'DestinationConfig.OnFailure',
  ],
  // The sandbox serves AWS_IAM alone, and only direct Lambda resolvers (UNIT, no mapping code).
  'AWS::AppSync::GraphQLApi': [
    'AdditionalAuthenticationProviders',
    'LambdaAuthorizerConfig',
    'OpenIDConnectConfig',
    'UserPoolConfig',
    'EnhancedMetricsConfig',
  ],
  'AWS::AppSync::GraphQLSchema': ['DefinitionS3Location'],
  'AWS::AppSync::Resolver': ['CachingConfig', 'SyncConfig', 'MaxBatchSize'],
  // Rotation and replication need services the sandbox lacks; a secret's value never changes here.
  'AWS::SecretsManager::Secret': ['ReplicaRegions'],
  'AWS::CloudFront::ResponseHeadersPolicy': [
    'ResponseHeadersPolicyConfig.CorsConfig',
    'ResponseHeadersPolicyConfig.RemoveHeadersConfig',
    'ResponseHeadersPolicyConfig.ServerTimingHeadersConfig',
  ],
  'AWS::CloudFront::Distribution': [
    'DistributionConfig.CacheBehaviors',
    'DistributionConfig.CustomErrorResponses',
    'DistributionConfig.OriginGroups',
    'DistributionConfig.DefaultCacheBehavior.OriginRequestPolicyId',
    'DistributionConfig.DefaultCacheBehavior.FunctionAssociations',
    'DistributionConfig.DefaultCacheBehavior.LambdaFunctionAssociations',
  ],
};

function unemulatedFeatures(
  resources: readonly DeployedResource[],
): Array<{ stack: string; logicalId: string; type: string }> {
  const found: Array<{ stack: string; logicalId: string; type: string }> = [];
  for (const r of resources) {
    for (const path of UNEMULATED_PROPERTIES[r.type] ?? []) {
      const value = path.split('.').reduce<unknown>((at, key) => obj(at)[key], r.properties);
      const empty =
        value === undefined || (Array.isArray(value) && value.length === 0) || isEmptyObject(value);
      if (!empty) found.push({ stack: r.stack, logicalId: r.logicalId, type: `${r.type} ${path}` });
    }
  }
  return found;
}

function isEmptyObject(value: unknown): boolean {
  return (
    value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0
  );
}

// ---- IAM -------------------------------------------------------------------------------------

const statementSchema = z
  .object({
    Sid: z.string().optional(),
    Effect: z.enum(['Allow', 'Deny']),
    Condition: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  })
  .loose();
const policyDocumentSchema = z
  .object({ Version: z.string().optional(), Statement: z.union([statementSchema, z.array(statementSchema)]) })
  .loose();

/** AWS rejects malformed policies at deploy time, so the sandbox does too, instead of failing per request. */
function policyDocument(value: unknown, where: string): PolicyDocument {
  const parsed = policyDocumentSchema.safeParse(value);
  if (!parsed.success) throw new DeployError(`${where}: malformed policy document: ${parsed.error.message}`);
  const statements = Array.isArray(parsed.data.Statement) ? parsed.data.Statement : [parsed.data.Statement];
  for (const statement of statements) {
    for (const operator of Object.keys(statement.Condition ?? {})) {
      if (!isKnownConditionOperator(operator))
        throw new DeployError(`${where}: unknown condition operator ${operator}`);
    }
  }
  return value as PolicyDocument;
}

function buildRoles(
  resources: readonly DeployedResource[],
  ofType: (type: string) => DeployedResource[],
  unsupported: Array<{ stack: string; logicalId: string; type: string }>,
): Map<string, RoleSpec> {
  const byName = new Map<
    string,
    {
      arn: string;
      name: string;
      roleId: string;
      assumeRolePolicy: PolicyDocument;
      policies: PolicyDocument[];
    }
  >();
  const managed = new Map(
    ofType('AWS::IAM::ManagedPolicy').map((r) => [
      r.physicalId,
      policyDocument(r.properties.PolicyDocument, where(r)),
    ]),
  );
  for (const r of ofType('AWS::IAM::Role')) {
    const p = r.properties;
    const policies = list(p.Policies).map((inline, i) =>
      policyDocument(obj(inline).PolicyDocument, `${where(r)} Policies[${i}]`),
    );
    for (const arn of list(p.ManagedPolicyArns).map(String)) {
      const document = managed.get(arn);
      if (document) policies.push(document);
      // AWS managed policies (arn:aws:iam::aws:policy/...) are not in the templates.
      else unsupported.push({ stack: r.stack, logicalId: r.logicalId, type: `managed policy ${arn}` });
    }
    byName.set(r.physicalId, {
      arn: attr(r, 'Arn'),
      name: r.physicalId,
      roleId: attr(r, 'RoleId'),
      assumeRolePolicy: policyDocument(p.AssumeRolePolicyDocument, `${where(r)} AssumeRolePolicyDocument`),
      policies,
    });
  }
  const attach = (r: DeployedResource, document: PolicyDocument) => {
    for (const roleName of list(r.properties.Roles).map(String)) {
      const role = byName.get(roleName);
      if (!role) throw new DeployError(`${where(r)}: attached to role ${roleName}, which no stack creates`);
      role.policies.push(document);
    }
  };
  for (const r of resources) {
    if (r.type === 'AWS::IAM::Policy') attach(r, policyDocument(r.properties.PolicyDocument, where(r)));
    if (r.type === 'AWS::IAM::ManagedPolicy') attach(r, managed.get(r.physicalId)!);
  }
  return new Map([...byName.values()].map((role) => [role.arn, role]));
}

// ---- Cognito ---------------------------------------------------------------------------------

function buildUserPools(
  ofType: (type: string) => DeployedResource[],
  region: string,
): Map<string, UserPoolSpec> {
  const pools = new Map<
    string,
    UserPoolSpec & { groups: Map<string, UserPoolGroupSpec>; clients: Map<string, UserPoolClientSpec> }
  >();
  for (const r of ofType('AWS::Cognito::UserPool')) {
    const p = r.properties;
    const password = obj(obj(p.Policies).PasswordPolicy);
    pools.set(r.physicalId, {
      id: r.physicalId,
      arn: attr(r, 'Arn'),
      region,
      // CloudFormation's defaults when the template leaves them out.
      passwordPolicy: {
        minimumLength: num(password.MinimumLength) ?? 8,
        requireLowercase: bool(password.RequireLowercase) ?? true,
        requireUppercase: bool(password.RequireUppercase) ?? true,
        requireNumbers: bool(password.RequireNumbers) ?? true,
        requireSymbols: bool(password.RequireSymbols) ?? true,
        temporaryPasswordValidityDays: num(password.TemporaryPasswordValidityDays) ?? 7,
      },
      usernameAttributes: list(p.UsernameAttributes).map(String),
      autoVerifiedAttributes: list(p.AutoVerifiedAttributes).map(String),
      keepOriginalUntilVerified: list(
        obj(p.UserAttributeUpdateSettings).AttributesRequireVerificationBeforeUpdate,
      ).map(String),
      selfSignUpEnabled: !(bool(obj(p.AdminCreateUserConfig).AllowAdminCreateUserOnly) ?? false),
      mfaConfiguration: oneOf(p.MfaConfiguration, ['OFF', 'ON', 'OPTIONAL'] as const, 'OFF', where(r)),
      deletionProtection: p.DeletionProtection === 'ACTIVE',
      groups: new Map(),
      clients: new Map(),
    });
  }
  const poolOf = (r: DeployedResource) => {
    const pool = pools.get(String(r.properties.UserPoolId));
    if (!pool)
      throw new DeployError(
        `${where(r)}: user pool ${String(r.properties.UserPoolId)} is not created by any stack`,
      );
    return pool;
  };
  for (const r of ofType('AWS::Cognito::UserPoolGroup')) {
    const p = r.properties;
    poolOf(r).groups.set(r.physicalId, {
      name: r.physicalId,
      roleArn: str(p.RoleArn),
      precedence: num(p.Precedence),
      description: str(p.Description),
    });
  }
  for (const r of ofType('AWS::Cognito::UserPoolClient')) {
    const p = r.properties;
    const units = obj(p.TokenValidityUnits);
    poolOf(r).clients.set(r.physicalId, {
      clientId: r.physicalId,
      userPoolId: String(p.UserPoolId),
      hasSecret: bool(p.GenerateSecret) ?? false,
      // Cognito's default flows when ExplicitAuthFlows is absent.
      explicitAuthFlows:
        p.ExplicitAuthFlows === undefined
          ? ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']
          : list(p.ExplicitAuthFlows).map(String),
      preventUserExistenceErrors: p.PreventUserExistenceErrors === 'ENABLED',
      enableTokenRevocation: bool(p.EnableTokenRevocation) ?? true,
      accessTokenValiditySeconds: seconds(p.AccessTokenValidity, units.AccessToken, 60 * 60, 'hours'),
      idTokenValiditySeconds: seconds(p.IdTokenValidity, units.IdToken, 60 * 60, 'hours'),
      refreshTokenValiditySeconds: seconds(p.RefreshTokenValidity, units.RefreshToken, 30 * 86400, 'days'),
      readAttributes: p.ReadAttributes === undefined ? undefined : list(p.ReadAttributes).map(String),
      writeAttributes: p.WriteAttributes === undefined ? undefined : list(p.WriteAttributes).map(String),
    });
  }
  return pools;
}

function buildIdentityPools(ofType: (type: string) => DeployedResource[]): Map<string, IdentityPoolSpec> {
  type Mutable = { -readonly [K in keyof IdentityPoolSpec]: IdentityPoolSpec[K] };
  const pools = new Map<string, Mutable>();
  for (const r of ofType('AWS::Cognito::IdentityPool')) {
    const p = r.properties;
    pools.set(r.physicalId, {
      id: r.physicalId,
      allowUnauthenticated: bool(p.AllowUnauthenticatedIdentities) ?? false,
      allowClassicFlow: bool(p.AllowClassicFlow) ?? false,
      providers: list(p.CognitoIdentityProviders).map((provider) => {
        const q = obj(provider);
        return {
          providerName: String(q.ProviderName),
          clientId: String(q.ClientId),
          serverSideTokenCheck: bool(q.ServerSideTokenCheck) ?? false,
        };
      }),
      roles: {},
      roleMappings: new Map(),
    });
  }
  for (const r of ofType('AWS::Cognito::IdentityPoolRoleAttachment')) {
    const p = r.properties;
    const pool = pools.get(String(p.IdentityPoolId));
    if (!pool)
      throw new DeployError(
        `${where(r)}: identity pool ${String(p.IdentityPoolId)} is not created by any stack`,
      );
    const roles = obj(p.Roles);
    pool.roles = { authenticated: str(roles.authenticated), unauthenticated: str(roles.unauthenticated) };
    const mappings = new Map<string, RoleMappingSpec>();
    for (const [key, value] of Object.entries(obj(p.RoleMappings))) {
      const m = obj(value);
      mappings.set(str(m.IdentityProvider) ?? key, {
        type: oneOf(m.Type, ['Token', 'Rules'] as const, undefined, `${where(r)} RoleMappings.${key}.Type`),
        ambiguousRoleResolution:
          m.AmbiguousRoleResolution === undefined
            ? undefined
            : oneOf(
                m.AmbiguousRoleResolution,
                ['AuthenticatedRole', 'Deny'] as const,
                undefined,
                `${where(r)} RoleMappings.${key}`,
              ),
        rules:
          m.RulesConfiguration === undefined
            ? undefined
            : list(obj(m.RulesConfiguration).Rules).map((rule) => {
                const q = obj(rule);
                return {
                  claim: String(q.Claim),
                  matchType: String(q.MatchType),
                  value: String(q.Value),
                  roleArn: String(q.RoleARN),
                };
              }),
      });
    }
    pool.roleMappings = mappings;
  }
  return pools as Map<string, IdentityPoolSpec>;
}

// ---- S3 --------------------------------------------------------------------------------------

function buildBuckets(ofType: (type: string) => DeployedResource[], region: string): Map<string, BucketSpec> {
  const buckets = new Map<string, { -readonly [K in keyof BucketSpec]: BucketSpec[K] }>();
  for (const r of ofType('AWS::S3::Bucket')) {
    const p = r.properties;
    const cors: CorsRuleSpec[] = list(obj(p.CorsConfiguration).CorsRules).map((rule) => {
      const q = obj(rule);
      return {
        allowedOrigins: list(q.AllowedOrigins).map(String),
        allowedMethods: list(q.AllowedMethods).map(String),
        allowedHeaders: list(q.AllowedHeaders).map(String),
        exposedHeaders: list(q.ExposedHeaders).map(String),
        maxAgeSeconds: num(q.MaxAge),
      };
    });
    buckets.set(r.physicalId, {
      name: r.physicalId,
      arn: attr(r, 'Arn'),
      region,
      versioning: obj(p.VersioningConfiguration).Status === 'Enabled',
      cors,
      notifications: bucketNotifications(r, p.NotificationConfiguration),
    });
  }
  for (const r of ofType('Custom::S3BucketNotifications')) {
    const bucket = buckets.get(String(r.properties.BucketName));
    if (!bucket)
      throw new DeployError(
        `${where(r)}: bucket ${String(r.properties.BucketName)} is not created by any stack`,
      );
    // CDK's handler puts the whole configuration (it keeps only ones it does not manage, and the
    // templates the sandbox deploys have none), so it replaces the bucket's own.
    bucket.notifications = bucketNotifications(r, r.properties.NotificationConfiguration);
  }
  for (const r of ofType('AWS::S3::BucketPolicy')) {
    const bucket = buckets.get(String(r.properties.Bucket));
    if (!bucket)
      throw new DeployError(`${where(r)}: bucket ${String(r.properties.Bucket)} is not created by any stack`);
    // A bucket has one policy; a second BucketPolicy replaces the first, as in AWS.
    bucket.policy = policyDocument(r.properties.PolicyDocument, where(r));
  }
  return buckets;
}

/**
 * The Lambda configurations of a notification configuration, in either spelling: the bucket
 * property's (LambdaConfigurations: Event, Function, Filter.S3Key.Rules) or the
 * PutBucketNotificationConfiguration API's that CDK's custom resource passes on
 * (LambdaFunctionConfigurations: Events, LambdaFunctionArn, Filter.Key.FilterRules).
 */
function bucketNotifications(r: DeployedResource, configuration: unknown): BucketNotificationSpec[] {
  const c = obj(configuration);
  const entries = [...list(c.LambdaConfigurations), ...list(c.LambdaFunctionConfigurations)];
  return entries.map((entry, index) => {
    const e = obj(entry);
    const functionArn = str(e.Function) ?? str(e.LambdaFunctionArn);
    if (functionArn === undefined)
      throw new DeployError(`${where(r)}: a Lambda notification configuration names no function`);
    const filter = obj(e.Filter);
    const rules = [...list(obj(filter.S3Key).Rules), ...list(obj(filter.Key).FilterRules)];
    const key = { prefix: '', suffix: '' };
    for (const rule of rules) {
      const name = String(obj(rule).Name).toLowerCase();
      if (name !== 'prefix' && name !== 'suffix')
        throw new DeployError(`${where(r)}: unknown notification filter rule ${String(obj(rule).Name)}`);
      key[name] = String(obj(rule).Value ?? '');
    }
    return {
      // S3 generates an Id for a configuration without one; this one stays the same across starts.
      id: str(e.Id) ?? `${r.logicalId}-${index + 1}`,
      events: [str(e.Event), ...list(e.Events).map(String)].filter((v): v is string => v !== undefined),
      ...key,
      functionArn,
    };
  });
}

// ---- DynamoDB ---------------------------------------------------------------------------------

function buildTables(
  ofType: (type: string) => DeployedResource[],
  region: string,
  unsupported: Array<{ stack: string; logicalId: string; type: string }>,
): Map<string, TableSpec> {
  const tables = new Map<string, TableSpec>();
  const add = (r: DeployedResource, policy: unknown, throughput: { read: unknown; write: unknown }) => {
    const p = r.properties;
    const billingMode = oneOf(
      p.BillingMode,
      ['PAY_PER_REQUEST', 'PROVISIONED'] as const,
      'PROVISIONED',
      where(r),
    );
    const attributeTypes: Record<string, 'S' | 'N' | 'B'> = {};
    for (const definition of list(p.AttributeDefinitions).map(obj)) {
      attributeTypes[String(definition.AttributeName)] = oneOf(
        definition.AttributeType,
        ['S', 'N', 'B'] as const,
        undefined,
        `${where(r)} AttributeDefinitions`,
      );
    }
    const keySchemaOf = (value: unknown, at: string) => {
      const elements = list(value).map(obj);
      const partitionKey = str(elements.find((e) => e.KeyType === 'HASH')?.AttributeName);
      const sortKey = str(elements.find((e) => e.KeyType === 'RANGE')?.AttributeName);
      if (partitionKey === undefined || elements.length !== (sortKey === undefined ? 1 : 2))
        throw new DeployError(`${where(r)} ${at}: a key schema is one HASH key and at most one RANGE key`);
      for (const name of [partitionKey, sortKey]) {
        if (name !== undefined && attributeTypes[name] === undefined)
          throw new DeployError(`${where(r)} ${at}: key attribute ${name} is not in AttributeDefinitions`);
      }
      return { partitionKey, ...(sortKey === undefined ? {} : { sortKey }) };
    };
    const indexes = (value: unknown, kind: string): SecondaryIndexSpec[] =>
      list(value)
        .map(obj)
        .map((index) => {
          const name = String(index.IndexName);
          const projection = obj(index.Projection);
          return {
            name,
            keySchema: keySchemaOf(index.KeySchema, `${kind} ${name}`),
            projectionType: oneOf(
              projection.ProjectionType,
              ['ALL', 'KEYS_ONLY', 'INCLUDE'] as const,
              'KEYS_ONLY',
              `${where(r)} ${kind} ${name} Projection`,
            ),
            nonKeyAttributes: list(projection.NonKeyAttributes).map(String),
          };
        });
    if (tables.has(r.physicalId))
      throw new DeployError(`${where(r)}: a table named ${r.physicalId} already exists`);
    tables.set(r.physicalId, {
      name: r.physicalId,
      arn: attr(r, 'Arn'),
      keySchema: keySchemaOf(p.KeySchema, 'KeySchema'),
      attributeTypes,
      globalSecondaryIndexes: indexes(p.GlobalSecondaryIndexes, 'GlobalSecondaryIndexes'),
      localSecondaryIndexes: indexes(p.LocalSecondaryIndexes, 'LocalSecondaryIndexes'),
      billingMode,
      ...(billingMode === 'PROVISIONED'
        ? {
            provisionedThroughput: {
              readCapacityUnits: num(throughput.read) ?? 1,
              writeCapacityUnits: num(throughput.write) ?? 1,
            },
          }
        : {}),
      ...(policy === undefined ? {} : { policy: policyDocument(policy, `${where(r)} ResourcePolicy`) }),
    });
  };
  for (const r of ofType('AWS::DynamoDB::Table')) {
    const throughput = obj(r.properties.ProvisionedThroughput);
    add(r, obj(r.properties.ResourcePolicy).PolicyDocument, {
      read: throughput.ReadCapacityUnits,
      write: throughput.WriteCapacityUnits,
    });
  }
  for (const r of ofType('AWS::DynamoDB::GlobalTable')) {
    const replicas = list(r.properties.Replicas).map(obj);
    const here = replicas.find((replica) => replica.Region === region);
    if (!here)
      throw new DeployError(`${where(r)}: no replica in ${region}, the region the sandbox deploys to`);
    for (const replica of replicas) {
      if (replica !== here)
        unsupported.push({
          stack: r.stack,
          logicalId: r.logicalId,
          type: `${r.type} replica in ${String(replica.Region)}`,
        });
    }
    // A provisioned global table autoscales writes; its floor is what the sandbox reports.
    add(r, obj(here.ResourcePolicy).PolicyDocument, {
      read: obj(here.ReadProvisionedThroughputSettings).ReadCapacityUnits,
      write: obj(obj(r.properties.WriteProvisionedThroughputSettings).WriteCapacityAutoScalingSettings)
        .MinCapacity,
    });
  }
  return tables;
}

/**
 * DynamoDB condition keys the sandbox does not compute are absent from every request, which makes
 * `ForAllValues` conditions on them hold vacuously: listed, so nobody trusts a grant it cannot check.
 */
/**
 * S3 condition keys about object tags the sandbox does not compute: it stores no tags (the tagging
 * subresource answers 501), so a policy that tests them would be evaluated as if they were absent.
 * `s3:RequestObjectTagKeys` is computed from a write's `x-amz-tagging` header (version 2's rules
 * refuse uploads that carry tags with it), so it is evaluated, not listed.
 */
const UNCOMPUTED_S3_KEY = /^s3:(existingobjecttag\/|requestobjecttag\/)/;

function uncomputedConditionKeys(
  resources: readonly DeployedResource[],
): Array<{ stack: string; logicalId: string; type: string }> {
  const found = new Map<string, { stack: string; logicalId: string; type: string }>();
  const computed = new Set(DYNAMODB_CONDITION_KEYS.map((k) => k.toLowerCase()));
  const walk = (r: DeployedResource, value: unknown): void => {
    if (Array.isArray(value)) return value.forEach((item) => walk(r, item));
    if (value === null || typeof value !== 'object') return;
    for (const [name, inner] of Object.entries(value)) {
      if (name === 'Condition') {
        for (const entries of Object.values(obj(inner))) {
          for (const key of Object.keys(obj(entries))) {
            const lower = key.toLowerCase();
            if ((lower.startsWith('dynamodb:') && !computed.has(lower)) || UNCOMPUTED_S3_KEY.test(lower))
              found.set(`${r.stack}/${r.logicalId} ${key}`, {
                stack: r.stack,
                logicalId: r.logicalId,
                type: `${r.type} condition key ${key}`,
              });
          }
        }
      }
      walk(r, inner);
    }
  };
  for (const r of resources) walk(r, r.properties);
  return [...found.values()];
}

// ---- Lambda ----------------------------------------------------------------------------------

/** Lambda's defaults when the template leaves them out. */
const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;
const DEFAULT_ASYNC_RETRIES = 2;

function buildFunctions(
  resources: readonly DeployedResource[],
  ofType: (type: string) => DeployedResource[],
  assets: AssetLocator,
  unsupported: Array<{ stack: string; logicalId: string; type: string }>,
): Map<string, FunctionSpec> {
  const providers = new Set(
    resources.filter((r) => r.serviceTokenFunction).map((r) => `${r.stack}/${r.serviceTokenFunction}`),
  );
  type Mutable = { -readonly [K in keyof FunctionSpec]: FunctionSpec[K] };
  const functions = new Map<string, Mutable>();
  for (const r of ofType('AWS::Lambda::Function')) {
    const p = r.properties;
    const runtime = str(p.Runtime) ?? '';
    const code = functionCode(r, runtime, providers.has(`${r.stack}/${r.logicalId}`), assets);
    if (code.kind === 'not-runnable')
      unsupported.push({
        stack: r.stack,
        logicalId: r.logicalId,
        type: `${r.type} (not runnable: ${code.reason})`,
      });
    const role = str(p.Role);
    if (role === undefined) throw new DeployError(`${where(r)}: Role is required`);
    functions.set(r.physicalId, {
      name: r.physicalId,
      arn: attr(r, 'Arn'),
      stack: r.stack,
      logicalId: r.logicalId,
      roleArn: role,
      handler: str(p.Handler) ?? '',
      runtime,
      timeoutSeconds: num(p.Timeout) ?? DEFAULT_TIMEOUT_SECONDS,
      memoryMb: num(p.MemorySize) ?? DEFAULT_MEMORY_MB,
      environment: Object.fromEntries(
        Object.entries(obj(obj(p.Environment).Variables)).map(([k, v]) => [k, String(v)]),
      ),
      reservedConcurrency: num(p.ReservedConcurrentExecutions),
      code,
      asyncInvoke: { maximumRetryAttempts: DEFAULT_ASYNC_RETRIES },
    });
  }
  const functionOf = (r: DeployedResource): Mutable => {
    const ref = String(r.properties.FunctionName);
    // FunctionName may be a name, an ARN or a partial ARN ("<account>:function:<name>").
    const name = /(?:^|:)function:([^:]+)(?::[^:]+)?$/.exec(ref)?.[1] ?? ref;
    const fn = functions.get(name);
    if (!fn) throw new DeployError(`${where(r)}: function ${ref} is not created by any stack`);
    return fn;
  };
  for (const r of ofType('AWS::Lambda::EventInvokeConfig')) {
    const p = r.properties;
    const retries = num(p.MaximumRetryAttempts) ?? DEFAULT_ASYNC_RETRIES;
    if (!Number.isInteger(retries) || retries < 0 || retries > 2)
      throw new DeployError(`${where(r)}: MaximumRetryAttempts must be 0, 1 or 2, got ${retries}`);
    functionOf(r).asyncInvoke = {
      maximumRetryAttempts: retries,
      onFailure: str(obj(obj(p.DestinationConfig).OnFailure).Destination),
    };
  }
  for (const r of ofType('AWS::Lambda::Permission')) {
    const p = r.properties;
    const fn = functionOf(r);
    const principal = String(p.Principal);
    const conditions: Record<string, Record<string, string>> = {};
    if (typeof p.SourceArn === 'string') conditions.ArnLike = { 'aws:SourceArn': p.SourceArn };
    if (typeof p.SourceAccount === 'string')
      conditions.StringEquals = { 'aws:SourceAccount': p.SourceAccount };
    const statement = {
      Sid: r.logicalId,
      Effect: 'Allow' as const,
      Principal:
        principal === '*'
          ? ('*' as const)
          : principal.endsWith('.amazonaws.com')
            ? { Service: principal }
            : { AWS: principal },
      Action: String(p.Action),
      Resource: fn.arn,
      ...(Object.keys(conditions).length > 0 ? { Condition: conditions } : {}),
    };
    const existing = fn.resourcePolicy?.Statement ?? [];
    fn.resourcePolicy = {
      Version: '2012-10-17',
      Statement: [...(Array.isArray(existing) ? existing : [existing]), statement],
    };
  }
  return functions;
}

function functionCode(
  r: DeployedResource,
  runtime: string,
  isCustomResourceProvider: boolean,
  assets: AssetLocator,
): FunctionSpec['code'] {
  const notRunnable = (reason: string) => ({ kind: 'not-runnable' as const, reason });
  const code = obj(r.properties.Code);
  // Checked first: CDK's own handlers (bucket notifications, auto-delete) only serve deployments.
  if (isCustomResourceProvider) return notRunnable('custom resource provider');
  if (code.ZipFile !== undefined) return notRunnable('inline code (ZipFile)');
  if (code.ImageUri !== undefined || r.properties.PackageType === 'Image')
    return notRunnable('container image');
  if (!runtime.startsWith('nodejs'))
    return notRunnable(`runtime ${runtime || '(none)'}; the sandbox runs nodejs*`);
  const assetPath = r.metadata?.['aws:asset:path'];
  const asset =
    typeof assetPath === 'string'
      ? assets.byMetadataPath(assetPath)
      : typeof code.S3Key === 'string'
        ? assets.byObjectKey(code.S3Key)
        : undefined;
  if (!asset) return notRunnable('its code is not an asset of the cloud assembly');
  if (asset.packaging !== 'zip')
    return notRunnable('its asset is a zip file; the sandbox runs asset folders');
  return { kind: 'asset', path: asset.path, hash: asset.hash };
}

// ---- AppSync ---------------------------------------------------------------------------------

function buildGraphqlApis(
  ofType: (type: string) => DeployedResource[],
  unsupported: Array<{ stack: string; logicalId: string; type: string }>,
): Map<string, GraphqlApiSpec> {
  type Mutable = { -readonly [K in keyof GraphqlApiSpec]: GraphqlApiSpec[K] };
  const apis = new Map<string, Mutable>();
  for (const r of ofType('AWS::AppSync::GraphQLApi')) {
    const authenticationType = str(r.properties.AuthenticationType) ?? '';
    if (authenticationType !== 'AWS_IAM')
      unsupported.push({
        stack: r.stack,
        logicalId: r.logicalId,
        type: `${r.type} AuthenticationType ${authenticationType}`,
      });
    apis.set(r.physicalId, {
      id: r.physicalId,
      arn: attr(r, 'Arn'),
      name: str(r.properties.Name) ?? r.logicalId,
      authenticationType,
      graphQlUrl: attr(r, 'GraphQLUrl'),
      resolvers: new Map(),
    });
  }
  const apiOf = (r: DeployedResource): Mutable => {
    const api = apis.get(String(r.properties.ApiId));
    if (!api)
      throw new DeployError(`${where(r)}: ApiId ${String(r.properties.ApiId)} is no API of any stack`);
    return api;
  };
  for (const r of ofType('AWS::AppSync::GraphQLSchema')) {
    apiOf(r).definition = str(r.properties.Definition);
  }
  const dataSources = new Map<string, DeployedResource>();
  for (const r of ofType('AWS::AppSync::DataSource')) {
    dataSources.set(`${apiOf(r).id}/${String(r.properties.Name)}`, r);
  }
  for (const r of ofType('AWS::AppSync::Resolver')) {
    const p = r.properties;
    const api = apiOf(r);
    const typeName = String(p.TypeName);
    const fieldName = String(p.FieldName);
    const source = dataSources.get(`${api.id}/${String(p.DataSourceName)}`);
    const code = [
      'RequestMappingTemplate',
      'ResponseMappingTemplate',
      'RequestMappingTemplateS3Location',
      'ResponseMappingTemplateS3Location',
      'Code',
      'CodeS3Location',
    ].filter((key) => p[key] !== undefined);
    let reason: string | undefined;
    if ((str(p.Kind) ?? 'UNIT') !== 'UNIT') reason = `a ${String(p.Kind)} resolver`;
    else if (code.length > 0) reason = `a resolver with mapping code (${code.join(', ')})`;
    else if (!source) reason = `data source ${String(p.DataSourceName)} is not in the template`;
    else if (source.properties.Type !== 'AWS_LAMBDA')
      reason = `a ${String(source.properties.Type)} data source`;
    const functionArn = str(obj(source?.properties.LambdaConfig).LambdaFunctionArn);
    let resolver: ResolverSpec;
    if (reason === undefined && functionArn !== undefined) {
      resolver = {
        kind: 'lambda',
        typeName,
        fieldName,
        functionArn,
        serviceRoleArn: str(source!.properties.ServiceRoleArn),
      };
    } else {
      resolver = {
        kind: 'unsupported',
        typeName,
        fieldName,
        reason: reason ?? 'a Lambda data source without a function',
      };
      unsupported.push({ stack: r.stack, logicalId: r.logicalId, type: `${r.type} (${resolver.reason})` });
    }
    (api.resolvers as Map<string, ResolverSpec>).set(`${typeName}.${fieldName}`, resolver);
  }
  return apis;
}

// ---- Secrets Manager -------------------------------------------------------------------------

/** Secrets Manager's GenerateSecretString default length. */
const DEFAULT_SECRET_LENGTH = 32;

function buildSecrets(ofType: (type: string) => DeployedResource[]): Map<string, SecretSpec> {
  const secrets = new Map<string, SecretSpec>();
  for (const r of ofType('AWS::SecretsManager::Secret')) {
    const p = r.properties;
    const arn = r.physicalId;
    const name = /:secret:(.+)-[A-Za-z0-9]{6}$/.exec(arn)?.[1] ?? arn;
    const secretString = str(p.SecretString);
    if (secretString !== undefined && p.GenerateSecretString !== undefined)
      throw new DeployError(`${where(r)}: SecretString and GenerateSecretString exclude each other`);
    if (secretString !== undefined) {
      secrets.set(arn, { arn, name, value: { kind: 'string', secretString } });
      continue;
    }
    const g = obj(p.GenerateSecretString);
    const passwordLength = num(g.PasswordLength) ?? DEFAULT_SECRET_LENGTH;
    if (!Number.isInteger(passwordLength) || passwordLength < 1 || passwordLength > 4096)
      throw new DeployError(`${where(r)}: PasswordLength must be 1..4096, got ${passwordLength}`);
    const template = str(g.SecretStringTemplate);
    const key = str(g.GenerateStringKey);
    if ((template === undefined) !== (key === undefined))
      throw new DeployError(`${where(r)}: SecretStringTemplate and GenerateStringKey go together`);
    secrets.set(arn, {
      arn,
      name,
      value: {
        kind: 'generate',
        generate: {
          passwordLength,
          excludeCharacters: str(g.ExcludeCharacters) ?? '',
          excludeLowercase: bool(g.ExcludeLowercase) ?? false,
          excludeUppercase: bool(g.ExcludeUppercase) ?? false,
          excludeNumbers: bool(g.ExcludeNumbers) ?? false,
          excludePunctuation: bool(g.ExcludePunctuation) ?? false,
          includeSpace: bool(g.IncludeSpace) ?? false,
          requireEachIncludedType: bool(g.RequireEachIncludedType) ?? true,
          ...(template === undefined ? {} : { secretStringTemplate: template, generateStringKey: key }),
        },
      },
    });
  }
  return secrets;
}

// ---- CloudFront ------------------------------------------------------------------------------

function buildDistributions(
  ofType: (type: string) => DeployedResource[],
  accountId: string,
  partition: string,
): Map<string, DistributionSpec> {
  const responseHeaders = new Map<string, Record<string, string>>(
    Object.entries(MANAGED_RESPONSE_HEADERS_POLICIES).map(([id, policy]) => [id, { ...policy.headers }]),
  );
  for (const r of ofType('AWS::CloudFront::ResponseHeadersPolicy')) {
    responseHeaders.set(r.physicalId, headersOfPolicy(obj(r.properties.ResponseHeadersPolicyConfig)));
  }
  const cachePolicies = new Map<string, CachePolicySpec>(Object.entries(MANAGED_CACHE_POLICIES));
  for (const r of ofType('AWS::CloudFront::CachePolicy')) {
    cachePolicies.set(r.physicalId, cachePolicyOf(obj(r.properties.CachePolicyConfig)));
  }
  const originAccessControls = new Set(
    ofType('AWS::CloudFront::OriginAccessControl').map((r) => r.physicalId),
  );

  const distributions = new Map<string, DistributionSpec>();
  for (const r of ofType('AWS::CloudFront::Distribution')) {
    const config = obj(r.properties.DistributionConfig);
    const origins = new Map<string, DistributionOriginSpec>();
    for (const origin of list(config.Origins).map(obj)) {
      const id = String(origin.Id);
      const domain = String(origin.DomainName);
      const bucketName = parseS3Host(domain)?.bucket;
      if (!bucketName || origin.CustomOriginConfig !== undefined) {
        throw new DeployError(
          `${where(r)}: origin ${id} (${domain}) is not an S3 bucket; the sandbox serves S3 origins only`,
        );
      }
      const oacId = str(origin.OriginAccessControlId);
      if (oacId && !originAccessControls.has(oacId))
        throw new DeployError(`${where(r)}: origin access control ${oacId} is not created by any stack`);
      origins.set(id, {
        id,
        bucketName,
        originPath: str(origin.OriginPath) ?? '',
        originAccessControl: Boolean(oacId),
      });
    }
    const behavior = obj(config.DefaultCacheBehavior);
    const targetOriginId = String(behavior.TargetOriginId);
    if (!origins.has(targetOriginId))
      throw new DeployError(`${where(r)}: default behavior targets unknown origin ${targetOriginId}`);
    const cachePolicyId = str(behavior.CachePolicyId);
    const cachePolicy = cachePolicyId ? cachePolicies.get(cachePolicyId) : legacyCachePolicy(behavior);
    if (!cachePolicy) throw new DeployError(`${where(r)}: unknown cache policy ${cachePolicyId}`);
    const headersPolicyId = str(behavior.ResponseHeadersPolicyId);
    const headers = headersPolicyId === undefined ? {} : responseHeaders.get(headersPolicyId);
    if (!headers)
      throw new DeployError(
        `${where(r)}: response headers policy ${headersPolicyId} is neither in the templates nor a managed policy the sandbox knows`,
      );
    distributions.set(r.physicalId, {
      id: r.physicalId,
      arn: `arn:${partition}:cloudfront::${accountId}:distribution/${r.physicalId}`,
      domainName: attr(r, 'DomainName'),
      origins,
      defaultBehavior: {
        targetOriginId,
        allowedMethods:
          behavior.AllowedMethods === undefined ? ['GET', 'HEAD'] : list(behavior.AllowedMethods).map(String),
        viewerProtocolPolicy: str(behavior.ViewerProtocolPolicy) ?? 'allow-all',
        responseHeaders: headers,
        cachePolicy,
      },
      defaultRootObject: str(config.DefaultRootObject) || undefined,
    });
  }
  return distributions;
}

/** An `AWS::CloudFront::CachePolicy`'s TTLs and cache key. */
function cachePolicyOf(config: Props): CachePolicySpec {
  const key = obj(config.ParametersInCacheKeyAndForwardedToOrigin);
  const keyValues = (part: Props, behaviorName: string, namesName: string): CacheKeyValues => {
    const behavior = str(part[behaviorName]) ?? 'none';
    if (behavior === 'whitelist' || behavior === 'allExcept')
      return { behavior, names: list(part[namesName]).map(String) };
    return { behavior: behavior === 'all' ? 'all' : 'none' };
  };
  const headers = keyValues(obj(key.HeadersConfig), 'HeaderBehavior', 'Headers');
  return {
    name: str(config.Name) ?? 'custom',
    minTtl: num(config.MinTTL) ?? 0,
    defaultTtl: num(config.DefaultTTL) ?? 86_400,
    maxTtl: num(config.MaxTTL) ?? 31_536_000,
    queryStrings: keyValues(obj(key.QueryStringsConfig), 'QueryStringBehavior', 'QueryStrings'),
    headers: 'names' in headers ? { ...headers, names: headers.names.map((n) => n.toLowerCase()) } : headers,
    cookies: keyValues(obj(key.CookiesConfig), 'CookieBehavior', 'Cookies'),
  };
}

/** A behaviour without a cache policy uses its own (legacy) TTLs and forwarded values. */
function legacyCachePolicy(behavior: Props): CachePolicySpec {
  const forwarded = obj(behavior.ForwardedValues);
  const cookies = obj(forwarded.Cookies);
  const cookieNames = list(cookies.WhitelistedNames).map(String);
  const queryKeys = list(forwarded.QueryStringCacheKeys).map(String);
  return {
    name: 'legacy cache settings',
    minTtl: num(behavior.MinTTL) ?? 0,
    defaultTtl: num(behavior.DefaultTTL) ?? 86_400,
    maxTtl: num(behavior.MaxTTL) ?? 31_536_000,
    queryStrings:
      bool(forwarded.QueryString) !== true
        ? { behavior: 'none' }
        : queryKeys.length > 0
          ? { behavior: 'whitelist', names: queryKeys }
          : { behavior: 'all' },
    headers: { behavior: 'whitelist', names: list(forwarded.Headers).map((h) => String(h).toLowerCase()) },
    cookies:
      str(cookies.Forward) === 'all'
        ? { behavior: 'all' }
        : str(cookies.Forward) === 'whitelist'
          ? { behavior: 'whitelist', names: cookieNames }
          : { behavior: 'none' },
  };
}

/** A custom response headers policy's security and custom headers, as the values CloudFront sends. */
function headersOfPolicy(config: Props): Record<string, string> {
  const headers: Record<string, string> = {};
  const security = obj(config.SecurityHeadersConfig);
  const csp = obj(security.ContentSecurityPolicy);
  if (typeof csp.ContentSecurityPolicy === 'string')
    headers['Content-Security-Policy'] = csp.ContentSecurityPolicy;
  if (security.ContentTypeOptions !== undefined) headers['X-Content-Type-Options'] = 'nosniff';
  const frame = obj(security.FrameOptions);
  if (typeof frame.FrameOption === 'string') headers['X-Frame-Options'] = frame.FrameOption;
  const referrer = obj(security.ReferrerPolicy);
  if (typeof referrer.ReferrerPolicy === 'string') headers['Referrer-Policy'] = referrer.ReferrerPolicy;
  const hsts = obj(security.StrictTransportSecurity);
  if (hsts.AccessControlMaxAgeSec !== undefined) {
    headers['Strict-Transport-Security'] = [
      `max-age=${String(hsts.AccessControlMaxAgeSec)}`,
      ...(bool(hsts.IncludeSubdomains) ? ['includeSubDomains'] : []),
      ...(bool(hsts.Preload) ? ['preload'] : []),
    ].join('; ');
  }
  const xss = obj(security.XSSProtection);
  if (xss.Protection !== undefined) {
    headers['X-XSS-Protection'] = !bool(xss.Protection)
      ? '0'
      : [
          '1',
          ...(bool(xss.ModeBlock) ? ['mode=block'] : []),
          ...(typeof xss.ReportUri === 'string' ? [`report=${xss.ReportUri}`] : []),
        ].join('; ');
  }
  for (const item of list(obj(config.CustomHeadersConfig).Items).map(obj)) {
    headers[String(item.Header)] = String(item.Value);
  }
  return headers;
}

// ---- property readers ------------------------------------------------------------------------

function where(r: DeployedResource): string {
  return `${r.stack}/${r.logicalId} (${r.type})`;
}

function attr(r: DeployedResource, name: string): string {
  const value = r.attributes[name];
  if (value === undefined) throw new DeployError(`${where(r)} has no ${name}`);
  return value;
}

function obj(value: unknown): Props {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Props) : {};
}

function list(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** CloudFormation accepts numbers and booleans as strings too. */
function num(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  fallback: T | undefined,
  at: string,
): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new DeployError(`${at}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

function seconds(value: unknown, unit: unknown, fallbackSeconds: number, defaultUnit: string): number {
  const amount = num(value);
  if (amount === undefined) return fallbackSeconds;
  return amount * (UNIT_SECONDS[typeof unit === 'string' ? unit : defaultUnit] ?? UNIT_SECONDS[defaultUnit]!);
}
