// The deployed app's access as IAM sees it: the three roles the identity pool hands out, the
// policies attached to them, the bucket policy, and an IAM evaluator to ask them questions.
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { ADMINS_GROUP } from '@image-share/contracts/auth';
import { IDENTITY_ID_POLICY_VARIABLE } from '../../lib/storage/access-rules';
import { ACCOUNT, REGION, resolveTemplates, type StackTemplate, standInId } from './stand-ins';
import type { TestApp } from './test-app';

type PolicyDocument = { Statement: Record<string, unknown>[] };

export interface RoleModel {
  readonly name: string;
  readonly arn: string;
  readonly trust: PolicyDocument;
  readonly policies: { name: string; policy: PolicyDocument }[];
}

export interface AccessModel {
  readonly bucketName: string;
  readonly distributionArn: string;
  readonly identityPoolId: string;
  /** The data API's ARN; field resources are `<apiArn>/types/<Type>/fields/<field>`. */
  readonly apiArn: string;
  readonly bucketPolicy: PolicyDocument;
  readonly roles: { readonly guest: RoleModel; readonly authenticated: RoleModel; readonly admin: RoleModel };
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** Builds the model from a synthesized app, failing loudly if the templates hold anything unexpected. */
export function accessModel(testApp: TestApp): AccessModel {
  const assembly = testApp.app.synth();
  const raw: Record<string, StackTemplate> = {};
  for (const stack of [testApp.auth, testApp.identity, testApp.storage]) {
    raw[stack.stackName] = assembly.getStackByName(stack.stackName).template as StackTemplate;
  }
  const templates = resolveTemplates(raw);
  const all = Object.values(templates).flatMap((t) => Object.entries(t.Resources));
  const ofType = (type: string): ({ id: string } & Record<string, unknown>)[] =>
    all.filter(([, r]) => r.Type === type).map(([id, r]) => ({ ...r.Properties, id }));
  const one = <T>(items: T[], what: string): T => {
    if (items.length !== 1) throw new Error(`Expected exactly one ${what}, found ${items.length}`);
    return items[0] as T;
  };

  const storage = templates[testApp.storage.stackName] as StackTemplate;
  const identity = templates[testApp.identity.stackName] as StackTemplate;
  const bucketName = storage.Outputs?.BucketName?.Value as string;
  const bucketPolicy = one(
    ofType('AWS::S3::BucketPolicy').filter((p) => p.Bucket === bucketName),
    `bucket policy on ${bucketName}`,
  ).PolicyDocument as PolicyDocument;
  const distribution = one(ofType('AWS::CloudFront::Distribution'), 'distribution');
  const identityPoolId = identity.Outputs?.IdentityPoolId?.Value as string;
  const api = one(ofType('AWS::AppSync::GraphQLApi'), 'GraphQL API');

  const roles = ofType('AWS::IAM::Role').map((role) => {
    const trust = role.AssumeRolePolicyDocument as PolicyDocument;
    const amr = trust.Statement.map(
      (s) =>
        (s.Condition as Record<string, Record<string, string>> | undefined)?.['ForAnyValue:StringLike']?.[
          'cognito-identity.amazonaws.com:amr'
        ],
    );
    // Only the identity pool's roles are modelled; service roles (functions, CDK's handlers) are not.
    if (amr.some((value) => value !== undefined) && (role.ManagedPolicyArns as unknown[] | undefined)?.length)
      throw new Error(`${role.id} has managed policies`);
    const inline = (
      (role.Policies as { PolicyName: string; PolicyDocument: PolicyDocument }[] | undefined) ?? []
    ).map((p) => ({ name: p.PolicyName, policy: p.PolicyDocument }));
    const attached = ofType('AWS::IAM::Policy')
      .filter((p) => (p.Roles as string[]).includes(role.id))
      .map((p) => ({ name: p.PolicyName as string, policy: p.PolicyDocument as PolicyDocument }));
    return {
      amr,
      model: {
        name: role.id,
        arn: `arn:aws:iam::${ACCOUNT}:role/${role.id}`,
        trust,
        policies: [...inline, ...attached],
      },
    };
  });
  const guest = one(
    roles.filter((r) => r.amr.includes('unauthenticated')),
    'role trusting unauthenticated identities',
  ).model;
  const signedIn = roles.filter((r) => r.amr.includes('authenticated')).map((r) => r.model);
  const adminArn = one(
    ofType('AWS::Cognito::UserPoolGroup').filter((g) => g.GroupName === ADMINS_GROUP.name),
    'admins group',
  ).RoleArn as string;
  const admin = one(
    signedIn.filter((r) => r.arn === adminArn),
    'admin role',
  );
  const authenticated = one(
    signedIn.filter((r) => r.arn !== adminArn),
    'signed-in role',
  );

  return {
    bucketName,
    distributionArn: `arn:aws:cloudfront::${ACCOUNT}:distribution/${standInId(distribution.id, 'AWS::CloudFront::Distribution')}`,
    identityPoolId,
    apiArn: `arn:aws:appsync:${REGION}:${ACCOUNT}:apis/${api.id}`,
    bucketPolicy,
    roles: { guest, authenticated, admin },
  };
}

export type Caller =
  | { readonly kind: 'role'; readonly role: keyof AccessModel['roles']; readonly identityId: string }
  | { readonly kind: 'cloudfront'; readonly distributionArn: string };

export interface S3Request {
  readonly action: string;
  /** An object key, or for s3:ListBucket the bucket itself. */
  readonly key?: string;
  /** The `prefix` of a ListObjects request; undefined means no prefix at all. */
  readonly prefix?: string;
  /** @default true */
  readonly secureTransport?: boolean;
  /** Condition keys the request carries, e.g. `s3:x-amz-storage-class` of an upload. */
  readonly conditionKeys?: Readonly<Record<string, string | readonly string[]>>;
}

/** Asks the IAM evaluator whether `caller` may make `request` against the uploads bucket. */
export async function decideS3(model: AccessModel, caller: Caller, request: S3Request): Promise<Decision> {
  const resource =
    request.key === undefined
      ? `arn:aws:s3:::${model.bucketName}`
      : `arn:aws:s3:::${model.bucketName}/${request.key}`;
  const context: Record<string, string | string[]> = {
    ...Object.fromEntries(
      Object.entries(request.conditionKeys ?? {}).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : [...value],
      ]),
    ),
    'aws:SecureTransport': String(request.secureTransport ?? true),
  };
  if (request.prefix !== undefined) context['s3:prefix'] = request.prefix;

  let principal: string;
  let identityPolicies: Simulation['identityPolicies'] = [];
  if (caller.kind === 'role') {
    const role = model.roles[caller.role];
    principal = `arn:aws:sts::${ACCOUNT}:assumed-role/${role.name}/CognitoIdentityCredentials`;
    // The evaluator drops cognito-identity.amazonaws.com:sub as an unknown S3 context key, so
    // the caller's identity id is put into the policy text where IAM would substitute it.
    identityPolicies = role.policies.map(({ name, policy }) => ({
      name,
      policy: JSON.parse(JSON.stringify(policy).split(IDENTITY_ID_POLICY_VARIABLE).join(caller.identityId)),
    }));
  } else {
    principal = 'cloudfront.amazonaws.com';
    context['aws:SourceArn'] = caller.distributionArn;
    context['aws:SourceAccount'] = ACCOUNT;
  }
  return simulate({
    request: {
      principal,
      action: request.action,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: context,
    },
    identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: model.bucketPolicy,
    additionalSettings: { s3: { blockPublicAccess: true } },
  });
}

/** Whether `role` may call `Type.field` of the data API (appsync:GraphQL on the field's ARN). */
export async function decideAppSyncField(
  model: AccessModel,
  role: keyof AccessModel['roles'],
  field: string,
): Promise<Decision> {
  const [type, name] = field.split('.') as [string, string];
  return simulate({
    request: {
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${model.roles[role].name}/CognitoIdentityCredentials`,
      action: 'appsync:GraphQL',
      resource: { resource: `${model.apiArn}/types/${type}/fields/${name}`, accountId: ACCOUNT },
      contextVariables: {},
    },
    identityPolicies: model.roles[role].policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  });
}

export interface WebIdentityToken {
  /** The identity pool the Cognito token was issued for. */
  readonly aud?: string;
  readonly amr: readonly string[];
}

/** Whether a Cognito identity token may assume `role` (sts:AssumeRoleWithWebIdentity against its trust policy). */
export async function decideAssumeRole(
  model: AccessModel,
  role: keyof AccessModel['roles'],
  token: WebIdentityToken,
): Promise<Decision> {
  const context: Record<string, string | string[]> = { 'cognito-identity.amazonaws.com:amr': [...token.amr] };
  if (token.aud !== undefined) context['cognito-identity.amazonaws.com:aud'] = token.aud;
  return simulate({
    request: {
      principal: 'cognito-identity.amazonaws.com',
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: { resource: model.roles[role].arn, accountId: ACCOUNT },
      contextVariables: context,
    },
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: model.roles[role].trust,
  });
}

async function simulate(simulation: Simulation): Promise<Decision> {
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`Simulation rejected: ${JSON.stringify(result.errors)}`);
  if (result.resultType !== 'single') throw new Error(`Expected one simulation, got ${result.resultType}`);
  const ignored = result.result.ignoredContextKeys ?? [];
  if (ignored.length > 0) throw new Error(`The evaluator ignored context keys ${ignored.join(', ')}`);
  return result.overallResult as Decision;
}
