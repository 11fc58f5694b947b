/**
 * The deployed model: what `src/deploy` produces from the synthesized CloudFormation templates and
 * what every service reads. Every value here is already resolved (no intrinsics left), so services
 * never see CloudFormation syntax.
 */
import type { PolicyDocument } from '../iam/types';

export interface DeployedModel {
  readonly accountId: string;
  readonly region: string;
  readonly userPools: ReadonlyMap<string, UserPoolSpec>; // by user pool id, e.g. "us-east-1_AbC123xyz"
  readonly identityPools: ReadonlyMap<string, IdentityPoolSpec>; // by identity pool id "<region>:<uuid>"
  readonly roles: ReadonlyMap<string, RoleSpec>; // by role ARN
  readonly buckets: ReadonlyMap<string, BucketSpec>; // by bucket name
  readonly distributions: ReadonlyMap<string, DistributionSpec>; // by distribution id
  readonly tables: ReadonlyMap<string, TableSpec>; // by table name
  readonly functions: ReadonlyMap<string, FunctionSpec>; // by function name
  readonly secrets: ReadonlyMap<string, SecretSpec>; // by secret ARN
  readonly graphqlApis: ReadonlyMap<string, GraphqlApiSpec>; // by API id
  /** `{ "<stack name>": { "<OutputKey>": "<resolved value>" } }`, the shape `cdk deploy --outputs-file` writes. */
  readonly outputs: Record<string, Record<string, string>>;
  /** Resource types present in the templates that the sandbox does not emulate (logical id -> type). */
  readonly unsupported: ReadonlyArray<{ stack: string; logicalId: string; type: string }>;
}

export interface PasswordPolicySpec {
  readonly minimumLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireNumbers: boolean;
  readonly requireSymbols: boolean;
  readonly temporaryPasswordValidityDays?: number;
}

export interface UserPoolSpec {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly passwordPolicy: PasswordPolicySpec;
  readonly usernameAttributes: readonly string[]; // e.g. ["email"]
  readonly autoVerifiedAttributes: readonly string[]; // e.g. ["email"]
  /**
   * UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate (e.g. ["email"]): a new
   * value of these waits for its code, and the original stays in effect (and signs in) until then.
   */
  readonly keepOriginalUntilVerified: readonly string[];
  readonly selfSignUpEnabled: boolean; // !AdminCreateUserConfig.AllowAdminCreateUserOnly
  readonly mfaConfiguration: 'OFF' | 'ON' | 'OPTIONAL';
  readonly deletionProtection: boolean;
  readonly groups: ReadonlyMap<string, UserPoolGroupSpec>; // by group name
  readonly clients: ReadonlyMap<string, UserPoolClientSpec>; // by client id
}

export interface UserPoolGroupSpec {
  readonly name: string;
  readonly roleArn?: string;
  readonly precedence?: number;
  readonly description?: string;
}

export interface UserPoolClientSpec {
  readonly clientId: string;
  readonly userPoolId: string;
  readonly hasSecret: boolean;
  /** ExplicitAuthFlows as in the template, e.g. ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]. */
  readonly explicitAuthFlows: readonly string[];
  readonly preventUserExistenceErrors: boolean;
  readonly enableTokenRevocation: boolean;
  readonly accessTokenValiditySeconds: number;
  readonly idTokenValiditySeconds: number;
  readonly refreshTokenValiditySeconds: number;
  readonly readAttributes?: readonly string[];
  readonly writeAttributes?: readonly string[];
}

export interface IdentityPoolSpec {
  readonly id: string; // "<region>:<uuid>"
  readonly allowUnauthenticated: boolean;
  readonly allowClassicFlow: boolean;
  /** CognitoIdentityProviders: ProviderName is "cognito-idp.<region>.amazonaws.com/<userPoolId>". */
  readonly providers: ReadonlyArray<{
    readonly providerName: string;
    readonly clientId: string;
    readonly serverSideTokenCheck: boolean;
  }>;
  /** From AWS::Cognito::IdentityPoolRoleAttachment. */
  readonly roles: { readonly authenticated?: string; readonly unauthenticated?: string };
  /** RoleMappings by provider name ("cognito-idp.<region>.amazonaws.com/<userPoolId>:<clientId>"). */
  readonly roleMappings: ReadonlyMap<string, RoleMappingSpec>;
}

export interface RoleMappingSpec {
  readonly type: 'Token' | 'Rules';
  readonly ambiguousRoleResolution?: 'AuthenticatedRole' | 'Deny';
  readonly rules?: ReadonlyArray<{
    readonly claim: string;
    readonly matchType: string;
    readonly value: string;
    readonly roleArn: string;
  }>;
}

export interface RoleSpec {
  readonly arn: string;
  readonly name: string;
  /** The role's unique id (AROA...), as Fn::GetAtt Role.RoleId gives it; sessions carry it in aws:userid. */
  readonly roleId?: string;
  readonly assumeRolePolicy: PolicyDocument;
  /** Inline (Policies), AWS::IAM::Policy and AWS::IAM::ManagedPolicy documents attached to this role. */
  readonly policies: readonly PolicyDocument[];
}

export interface CorsRuleSpec {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders: readonly string[];
  readonly exposedHeaders: readonly string[];
  readonly maxAgeSeconds?: number;
}

export interface BucketSpec {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly versioning: boolean;
  readonly policy?: PolicyDocument;
  readonly cors: readonly CorsRuleSpec[];
  /**
   * Where S3 sends this bucket's object events: the bucket's NotificationConfiguration and the
   * Custom::S3BucketNotifications resource CDK writes (which replaces it, as its handler does).
   */
  readonly notifications?: readonly BucketNotificationSpec[];
}

/** One LambdaFunctionConfiguration of a bucket's notification configuration. */
export interface BucketNotificationSpec {
  /** The configuration's Id, or one the sandbox gives it (S3 generates one when none is set). */
  readonly id: string;
  /** As configured, e.g. "s3:ObjectCreated:*" or "s3:ObjectRemoved:Delete". */
  readonly events: readonly string[];
  readonly prefix: string;
  readonly suffix: string;
  readonly functionArn: string;
}

export interface DistributionSpec {
  readonly id: string;
  readonly arn: string; // arn:aws:cloudfront::<account>:distribution/<id>
  readonly domainName: string; // the *real-looking* domain, e.g. d111111abcdef8.cloudfront.net
  readonly origins: ReadonlyMap<string, DistributionOriginSpec>; // by origin id
  readonly defaultBehavior: CacheBehaviorSpec;
  readonly defaultRootObject?: string;
}

export interface DistributionOriginSpec {
  readonly id: string;
  readonly bucketName: string; // resolved from the origin's S3 domain name
  readonly originPath: string; // "" or "/public"
  readonly originAccessControl: boolean;
}

export interface CacheBehaviorSpec {
  readonly targetOriginId: string;
  readonly allowedMethods: readonly string[];
  readonly viewerProtocolPolicy: string;
  /** Headers added to every response by the response headers policy (managed or custom), resolved. */
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly cachePolicy: CachePolicySpec;
}

/** Which of the viewer's values of one kind (query strings, headers, cookies) enter the cache key. */
export type CacheKeyValues =
  | { readonly behavior: 'none' | 'all' }
  | { readonly behavior: 'whitelist' | 'allExcept'; readonly names: readonly string[] };

/** How long the edge keeps a response (seconds) and what the cache key holds besides the path. */
export interface CachePolicySpec {
  readonly name: string;
  readonly minTtl: number;
  readonly defaultTtl: number;
  readonly maxTtl: number;
  readonly queryStrings: CacheKeyValues;
  /** Header names are compared case-insensitively; `all` is not a choice CloudFront offers for headers. */
  readonly headers: CacheKeyValues;
  readonly cookies: CacheKeyValues;
}

export interface KeySchemaSpec {
  readonly partitionKey: string;
  readonly sortKey?: string;
}

export interface SecondaryIndexSpec {
  readonly name: string;
  readonly keySchema: KeySchemaSpec;
  readonly projectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  readonly nonKeyAttributes: readonly string[];
}

/** A DynamoDB table from AWS::DynamoDB::Table or (this region's replica of) AWS::DynamoDB::GlobalTable. */
export interface TableSpec {
  readonly name: string;
  readonly arn: string; // arn:aws:dynamodb:<region>:<account>:table/<name>
  readonly keySchema: KeySchemaSpec;
  /** Attribute name -> S | N | B, for the attributes that key the table or an index. */
  readonly attributeTypes: Readonly<Record<string, 'S' | 'N' | 'B'>>;
  readonly globalSecondaryIndexes: readonly SecondaryIndexSpec[];
  readonly localSecondaryIndexes: readonly SecondaryIndexSpec[];
  readonly billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  /** For PROVISIONED tables (the sandbox never throttles; DescribeTable reports them). */
  readonly provisionedThroughput?: {
    readonly readCapacityUnits: number;
    readonly writeCapacityUnits: number;
  };
  /** The resource-based policy (ResourcePolicy, or the replica's for a global table). */
  readonly policy?: PolicyDocument;
}

export interface FunctionSpec {
  readonly name: string;
  readonly arn: string; // arn:aws:lambda:<region>:<account>:function:<name>
  readonly stack: string;
  readonly logicalId: string;
  readonly roleArn: string;
  readonly handler: string; // "index.handler": file "index" (.js, .cjs, .mjs), export "handler"
  readonly runtime: string; // "nodejs22.x"
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly environment: Readonly<Record<string, string>>;
  /** ReservedConcurrentExecutions; the sandbox's default limit applies when absent. */
  readonly reservedConcurrency?: number;
  /** What runs: a folder of the cloud assembly, or why the sandbox cannot run this function. */
  readonly code:
    | { readonly kind: 'asset'; readonly path: string; readonly hash: string }
    | { readonly kind: 'not-runnable'; readonly reason: string };
  /** From AWS::Lambda::EventInvokeConfig, with Lambda's defaults. */
  readonly asyncInvoke: {
    readonly maximumRetryAttempts: number; // 0..2, default 2
    /** DestinationConfig.OnFailure.Destination (an SQS queue, SNS topic, function or bus ARN). */
    readonly onFailure?: string;
  };
  /** The function's resource policy, one statement per AWS::Lambda::Permission. */
  readonly resourcePolicy?: PolicyDocument;
}

/** GenerateSecretString of AWS::SecretsManager::Secret, with Secrets Manager's defaults applied. */
export interface GenerateSecretSpec {
  readonly passwordLength: number;
  readonly excludeCharacters: string;
  readonly excludeLowercase: boolean;
  readonly excludeUppercase: boolean;
  readonly excludeNumbers: boolean;
  readonly excludePunctuation: boolean;
  readonly includeSpace: boolean;
  readonly requireEachIncludedType: boolean;
  /** With generateStringKey: the JSON object the generated value is added to under that key. */
  readonly secretStringTemplate?: string;
  readonly generateStringKey?: string;
}

export interface SecretSpec {
  /** arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters> */
  readonly arn: string;
  readonly name: string;
  /** The template's SecretString, or how to generate one (generated once, then kept in the state folder). */
  readonly value:
    | { readonly kind: 'string'; readonly secretString: string }
    | { readonly kind: 'generate'; readonly generate: GenerateSecretSpec };
}

/** An AppSync GraphQL API (AWS::AppSync::GraphQLApi with its schema, data sources and resolvers). */
export interface GraphqlApiSpec {
  readonly id: string;
  readonly arn: string; // arn:aws:appsync:<region>:<account>:apis/<id>
  readonly name: string;
  readonly authenticationType: string; // AWS_IAM is what the sandbox serves
  /** The URL AppSync would serve it at; the sandbox's outputs replace it with the local one. */
  readonly graphQlUrl: string;
  /** The schema's SDL (GraphQLSchema.Definition), or undefined when the template has none. */
  readonly definition?: string;
  /** By `<Type>.<field>`. */
  readonly resolvers: ReadonlyMap<string, ResolverSpec>;
}

export type ResolverSpec =
  /** A direct Lambda resolver: a UNIT resolver on an AWS_LAMBDA data source, no mapping code. */
  | {
      readonly kind: 'lambda';
      readonly typeName: string;
      readonly fieldName: string;
      readonly functionArn: string;
      /** The data source's role, which AppSync assumes to invoke the function. */
      readonly serviceRoleArn?: string;
    }
  /** Anything else (VTL, APPSYNC_JS, pipelines, other data sources): answered as a field error. */
  | {
      readonly kind: 'unsupported';
      readonly typeName: string;
      readonly fieldName: string;
      readonly reason: string;
    };
