/**
 * Authorises S3 requests and role assumptions against the deployed model, the AWS way: the caller's
 * role policies + the bucket policy for S3, the role's trust policy for AssumeRoleWithWebIdentity.
 * This module builds the request context AWS would build; `evaluate` decides.
 */
import { systemClock, type Clock } from '../core/clock';
import type { SessionCredentials } from '../core/credentials';
import type { DeployedModel } from '../deploy/model';
import { partitionOf } from '../deploy/partition';
import { evaluate } from './evaluate';
import type {
  AuthorizationRequest,
  CallerPrincipal,
  Decision,
  EvaluationInput,
  EvaluationResult,
  PolicyDocument,
} from './types';

export const CLOUDFRONT_SERVICE_PRINCIPAL = 'cloudfront.amazonaws.com';
export const COGNITO_IDENTITY_PROVIDER = 'cognito-identity.amazonaws.com';

/** Who signed a request (S3's, and Lambda's Invoke: the same three kinds of caller). */
export type S3Caller =
  /** Temporary credentials from the identity pool (an assumed-role session). */
  | { readonly kind: 'role'; readonly credentials: SessionCredentials }
  /** A service acting for one of its resources: CloudFront through OAC, S3 sending an event. */
  | {
      readonly kind: 'service';
      readonly service: string;
      readonly sourceArn: string;
    }
  /** An unsigned request. */
  | { readonly kind: 'anonymous' };

export interface S3AuthorizationRequest {
  readonly caller: S3Caller;
  /** The IAM action the S3 operation needs, e.g. "s3:GetObject" (HeadObject and CopyObject's source too). */
  readonly action: string;
  readonly bucket: string;
  /** The object key for object-level actions; omit for bucket-level ones (ListBucket). */
  readonly key?: string;
  /**
   * Whether the request came over TLS. Loopback plain HTTP to the sandbox counts as secure
   * (the README says so), so this defaults to true; pass false to exercise the bucket's TLS deny.
   */
  readonly secureTransport?: boolean;
  readonly sourceIp?: string;
  /** Request-specific condition keys, e.g. { "s3:prefix": "public/", "s3:delimiter": "/", "s3:max-keys": "1000" }. */
  readonly context?: Readonly<Record<string, string | readonly string[] | undefined>>;
}

export interface S3AuthorizationResult {
  readonly decision: Decision;
  readonly allowed: boolean;
  /** The ARN that was authorised, for error messages and logs. */
  readonly resource: string;
  readonly matchedStatements: readonly string[];
}

export type S3Authorize = (request: S3AuthorizationRequest) => S3AuthorizationResult;

export function createS3Authorizer(model: DeployedModel, clock: Clock = systemClock): S3Authorize {
  return (request) => {
    const input = s3EvaluationInput(model, request, clock);
    const result = evaluate(input);
    return { ...result, allowed: result.decision === 'Allow', resource: input.request.resource };
  };
}

/** What `createS3Authorizer` evaluates for one request; exported so tests can hand the same input to an oracle. */
export function s3EvaluationInput(
  model: DeployedModel,
  request: S3AuthorizationRequest,
  clock: Clock = systemClock,
): EvaluationInput {
  const bucketArn = `arn:${partitionOf(model.region).partition}:s3:::${request.bucket}`;
  const resource = request.key === undefined ? bucketArn : `${bucketArn}/${request.key}`;
  const { principal, identityPolicies, context: callerContext } = describeCaller(model, request.caller);
  return {
    request: {
      action: request.action,
      resource,
      principal,
      // Request keys first, so that a request can never override what the sandbox knows about the caller.
      context: {
        ...request.context,
        ...timeContext(clock),
        'aws:SecureTransport': String(request.secureTransport ?? true),
        'aws:SourceIp': request.sourceIp,
        'aws:ResourceAccount': model.accountId,
        ...callerContext,
      },
    },
    identityPolicies,
    resourcePolicy: model.buckets.get(request.bucket)?.policy,
    mode: 'same-account',
  };
}

/** The DynamoDB condition keys the sandbox computes from a request (others are listed at start-up). */
export const DYNAMODB_CONDITION_KEYS = [
  'dynamodb:LeadingKeys',
  'dynamodb:Select',
  'dynamodb:ReturnValues',
  'dynamodb:ReturnConsumedCapacity',
] as const;

export interface DynamoDbAuthorizationRequest {
  /** DynamoDB only accepts signed requests: the caller is always a session of a role. */
  readonly credentials: SessionCredentials;
  /** e.g. "dynamodb:Query" */
  readonly action: string;
  /** The table ARN, `<table ARN>/index/<name>` for an index, or "*" for ListTables. */
  readonly resource: string;
  /** The addressed table's name, whose resource-based policy (if any) also decides. */
  readonly table?: string;
  readonly sourceIp?: string;
  /** DynamoDB's request keys, e.g. { "dynamodb:LeadingKeys": ["user-1"], "dynamodb:Select": "ALL_ATTRIBUTES" }. */
  readonly context?: Readonly<Record<string, string | readonly string[] | undefined>>;
}

export type DynamoDbAuthorize = (request: DynamoDbAuthorizationRequest) => EvaluationResult;

export function createDynamoDbAuthorizer(
  model: DeployedModel,
  clock: Clock = systemClock,
): DynamoDbAuthorize {
  return (request) => evaluate(dynamoDbEvaluationInput(model, request, clock));
}

/** What `createDynamoDbAuthorizer` evaluates for one request; exported so tests can hand it to an oracle. */
export function dynamoDbEvaluationInput(
  model: DeployedModel,
  request: DynamoDbAuthorizationRequest,
  clock: Clock = systemClock,
): EvaluationInput {
  const {
    principal,
    identityPolicies,
    context: callerContext,
  } = describeCaller(model, {
    kind: 'role',
    credentials: request.credentials,
  });
  return {
    request: {
      action: request.action,
      resource: request.resource,
      principal,
      context: {
        ...request.context,
        ...timeContext(clock),
        'aws:SecureTransport': 'true',
        'aws:SourceIp': request.sourceIp,
        'aws:ResourceAccount': model.accountId,
        ...callerContext,
      },
    },
    identityPolicies,
    resourcePolicy: request.table === undefined ? undefined : model.tables.get(request.table)?.policy,
    mode: 'same-account',
  };
}

export interface AssumeRoleSession {
  readonly identityPoolId: string;
  /** cognito-identity.amazonaws.com:amr, e.g. ["unauthenticated"] or ["authenticated", "cognito-idp...", "cognito-idp...:CognitoSignIn:<sub>"]. */
  readonly amr: readonly string[];
  readonly identityId?: string;
  /** The federated principal presenting the token. @default "cognito-identity.amazonaws.com" */
  readonly provider?: string;
}

/** Evaluates a role's trust policy for sts:AssumeRoleWithWebIdentity with a Cognito identity token. */
export function authorizeAssumeRole(
  model: DeployedModel,
  roleArn: string,
  session: AssumeRoleSession,
  clock: Clock = systemClock,
): EvaluationResult {
  const input = assumeRoleEvaluationInput(model, roleArn, session, clock);
  return input ? evaluate(input) : { decision: 'ImplicitDeny', matchedStatements: [] };
}

/** What `authorizeAssumeRole` evaluates, or undefined for an unknown role. */
export function assumeRoleEvaluationInput(
  model: DeployedModel,
  roleArn: string,
  session: AssumeRoleSession,
  clock: Clock = systemClock,
): EvaluationInput | undefined {
  const role = model.roles.get(roleArn);
  if (!role) return undefined;
  const provider = session.provider ?? COGNITO_IDENTITY_PROVIDER;
  return {
    request: {
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: roleArn,
      principal: { type: 'Federated', provider },
      context: {
        ...timeContext(clock),
        'aws:FederatedProvider': provider,
        [`${provider}:aud`]: session.identityPoolId,
        [`${provider}:amr`]: session.amr,
        [`${provider}:sub`]: session.identityId,
      },
    },
    identityPolicies: [],
    resourcePolicy: role.assumeRolePolicy,
    mode: 'resource-only',
  };
}

/**
 * lambda:InvokeFunction on a function: the caller's role policies, and the function's resource
 * policy (one statement per AWS::Lambda::Permission), which is what lets a service invoke it.
 */
export function authorizeInvoke(
  model: DeployedModel,
  caller: S3Caller,
  functionArn: string,
  resourcePolicy: PolicyDocument | undefined,
  clock: Clock = systemClock,
): EvaluationResult {
  const { principal, identityPolicies, context } = describeCaller(model, caller);
  return evaluate({
    request: {
      action: 'lambda:InvokeFunction',
      resource: functionArn,
      principal,
      context: { ...timeContext(clock), 'aws:ResourceAccount': model.accountId, ...context },
    },
    identityPolicies,
    resourcePolicy,
    mode: 'same-account',
  });
}

/**
 * An action of a role's session on a resource without a resource policy (CloudFront's API on a
 * distribution ARN): the role's policies alone decide.
 */
export function authorizeRoleAction(
  model: DeployedModel,
  credentials: SessionCredentials,
  action: string,
  resource: string,
  clock: Clock = systemClock,
): EvaluationResult {
  const { principal, identityPolicies, context } = describeCaller(model, { kind: 'role', credentials });
  return evaluate({
    request: {
      action,
      resource,
      principal,
      context: {
        ...timeContext(clock),
        'aws:SecureTransport': 'true',
        'aws:ResourceAccount': model.accountId,
        ...context,
      },
    },
    identityPolicies,
    resourcePolicy: undefined,
    mode: 'same-account',
  });
}

/** Whether a service (lambda.amazonaws.com) may assume a role: its trust policy alone decides. */
export function authorizeServiceAssumeRole(
  model: DeployedModel,
  roleArn: string,
  service: string,
  clock: Clock = systemClock,
): EvaluationResult {
  const role = model.roles.get(roleArn);
  if (!role) return { decision: 'ImplicitDeny', matchedStatements: [] };
  return evaluate({
    request: {
      action: 'sts:AssumeRole',
      resource: roleArn,
      principal: { type: 'Service', service },
      context: {
        ...timeContext(clock),
        'aws:PrincipalServiceName': service,
        'aws:PrincipalIsAWSService': 'true',
      },
    },
    identityPolicies: [],
    resourcePolicy: role.assumeRolePolicy,
    mode: 'resource-only',
  });
}

function describeCaller(
  model: DeployedModel,
  caller: S3Caller,
): {
  principal: CallerPrincipal;
  identityPolicies: readonly PolicyDocument[];
  context: AuthorizationRequest['context'];
} {
  switch (caller.kind) {
    case 'role': {
      const { credentials } = caller;
      const role = model.roles.get(credentials.roleArn);
      const roleSessionName = credentials.assumedRoleArn.split('/').pop() ?? '';
      return {
        principal: { type: 'AWS', arn: credentials.assumedRoleArn },
        identityPolicies: role?.policies ?? [],
        context: {
          'aws:PrincipalArn': credentials.roleArn,
          'aws:PrincipalAccount': model.accountId,
          'aws:PrincipalType': 'AssumedRole',
          'aws:userid': role?.roleId === undefined ? undefined : `${role.roleId}:${roleSessionName}`,
          // Only identity pool sessions are federated; a function's role session is not.
          ...(credentials.identityPoolId === undefined
            ? {}
            : {
                'aws:FederatedProvider': COGNITO_IDENTITY_PROVIDER,
                'cognito-identity.amazonaws.com:sub': credentials.identityId,
                'cognito-identity.amazonaws.com:aud': credentials.identityPoolId,
                'cognito-identity.amazonaws.com:amr': credentials.amr,
              }),
        },
      };
    }
    case 'service':
      return {
        principal: { type: 'Service', service: caller.service },
        identityPolicies: [],
        context: {
          'aws:PrincipalServiceName': caller.service,
          'aws:PrincipalIsAWSService': 'true',
          'aws:SourceArn': caller.sourceArn,
          'aws:SourceAccount': model.accountId,
        },
      };
    case 'anonymous':
      return { principal: { type: 'Anonymous' }, identityPolicies: [], context: {} };
  }
}

function timeContext(clock: Clock): Record<string, string> {
  const now = clock.now();
  return { 'aws:CurrentTime': now.toISOString(), 'aws:EpochTime': String(Math.floor(now.getTime() / 1000)) };
}

/**
 * One action of a role session on one resource that has no resource policy (a secret, an AppSync
 * field): the role's policies decide, with the same caller keys as every other request.
 */
export function authorizeSession(
  model: DeployedModel,
  credentials: SessionCredentials,
  action: string,
  resource: string,
  sourceIp: string | undefined,
  clock: Clock = systemClock,
): EvaluationResult {
  return evaluate(dynamoDbEvaluationInput(model, { credentials, action, resource, sourceIp }, clock));
}
