// The one factory that turns the storage access rules (the contracts package holds them as
// data) into the IAM policy statements of each identity pool role.
import { ADMINS_GROUP } from '@image-share/contracts/auth';
import {
  ACCESS_RULES,
  type AccessRules,
  ENTITY_ID_TOKEN,
  type PathAccess,
  type StorageAction,
  validateAccessRules,
} from '@image-share/contracts/storage';

/** The IAM roles the identity pool hands out. */
export type AccessRole = 'guest' | 'authenticated' | 'admin';

/** The caller's identity pool identity id (`<region>:<uuid>`), as an IAM policy variable. */
export const IDENTITY_ID_POLICY_VARIABLE = '${cognito-identity.amazonaws.com:sub}';

type Subject =
  { kind: 'guest' } | { kind: 'authenticated' } | { kind: 'entity' } | { kind: 'group'; name: string };

/** Which rule subjects each role carries: the admin role is a signed-in user plus the admins group. */
const ROLE_SUBJECTS: Readonly<Record<AccessRole, readonly Subject[]>> = {
  guest: [{ kind: 'guest' }],
  authenticated: [{ kind: 'authenticated' }, { kind: 'entity' }],
  admin: [{ kind: 'authenticated' }, { kind: 'entity' }, { kind: 'group', name: ADMINS_GROUP.name }],
};

/** An IAM condition block: operator -> condition key -> value(s). */
export type ConditionJson = Readonly<Record<string, Readonly<Record<string, string | string[]>>>>;

/** An IAM policy statement as JSON; `Resource` values embed the bucket ARN given to the factory. */
export interface PolicyStatementJson {
  readonly Effect: 'Allow';
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: ConditionJson;
}

const OBJECT_ACTIONS: Readonly<Record<Exclude<StorageAction, 'list'>, readonly string[]>> = {
  get: ['s3:GetObject'],
  // Multipart parts and completion are s3:PutObject too; aborting is its own action.
  write: ['s3:PutObject', 's3:AbortMultipartUpload'],
  delete: ['s3:DeleteObject'],
};

/**
 * What every user upload must look like, wherever the rules let a user write
 * (docs/security-model.md#also-denied). Uploads carry no object tags: nothing the app
 * needs, and a tag is how a bucket's lifecycle or another reader could be steered (on AWS a
 * tagged PutObject also needs s3:PutObjectTagging, which no user role has; this refusal does not
 * rest on that). Uploads stay in STANDARD: DEEP_ARCHIVE and the like make an object unreadable
 * until restored and bill it for months. The header may be absent (S3 then stores STANDARD).
 */
export const UPLOAD_CONDITIONS: ConditionJson = {
  StringEqualsIfExists: { 's3:x-amz-storage-class': 'STANDARD' },
  Null: { 's3:RequestObjectTagKeys': 'true' },
};

const ACTION_CONDITIONS: Readonly<Record<string, ConditionJson>> = { 's3:PutObject': UPLOAD_CONDITIONS };

/**
 * The IAM statements for one role of the identity pool, derived from the rules.
 * `bucketArn` may be a CDK token; prefixes a broader prefix already covers are dropped, so
 * each role gets one statement per set of prefixes (docs/security-model.md#storage-matrix).
 */
export function accessPolicyStatements(
  role: AccessRole,
  bucketArn: string,
  rules: AccessRules = ACCESS_RULES,
): PolicyStatementJson[] {
  validateAccessRules(rules);
  const prefixesByAction = new Map<string, string[]>();
  const listPrefixes: string[] = [];
  for (const [path, access] of Object.entries(rules)) {
    for (const subject of ROLE_SUBJECTS[role]) {
      const actions = actionsFor(access, subject);
      if (!actions) continue;
      const prefix = path.slice(0, -1).replace(ENTITY_ID_TOKEN, IDENTITY_ID_POLICY_VARIABLE);
      for (const action of actions) {
        if (action === 'list') {
          listPrefixes.push(prefix);
          continue;
        }
        for (const iamAction of OBJECT_ACTIONS[action]) {
          prefixesByAction.set(iamAction, [...(prefixesByAction.get(iamAction) ?? []), prefix]);
        }
      }
    }
  }

  // Actions with the same prefixes and conditions share one statement.
  const statements = new Map<string, { actions: string[]; prefixes: string[]; condition?: ConditionJson }>();
  for (const [action, prefixes] of prefixesByAction) {
    const kept = withoutCovered(prefixes);
    const condition = ACTION_CONDITIONS[action];
    const key = `${kept.join('\n')}\n${JSON.stringify(condition ?? null)}`;
    const existing = statements.get(key);
    if (existing) existing.actions.push(action);
    else statements.set(key, { actions: [action], prefixes: kept, condition });
  }
  const result: PolicyStatementJson[] = [...statements.values()].map(({ actions, prefixes, condition }) => ({
    Effect: 'Allow',
    Action: actions,
    Resource: prefixes.map((prefix) => `${bucketArn}/${prefix}*`),
    ...(condition ? { Condition: condition } : {}),
  }));
  if (listPrefixes.length > 0) {
    result.push({
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [bucketArn],
      Condition: { StringLike: { 's3:prefix': withoutCovered(listPrefixes).flatMap((p) => [p, `${p}*`]) } },
    });
  }
  return result;
}

function actionsFor(access: PathAccess, subject: Subject): readonly StorageAction[] | undefined {
  switch (subject.kind) {
    case 'guest':
      return access.guest;
    case 'authenticated':
      return access.authenticated;
    case 'entity':
      return access.entity;
    case 'group':
      return access.groups?.[subject.name];
  }
}

/** Drops duplicates and every prefix that a shorter one already covers (`public/` covers `public/x/`). */
function withoutCovered(prefixes: readonly string[]): string[] {
  const unique = [...new Set(prefixes)];
  return unique.filter((prefix) => !unique.some((other) => other !== prefix && prefix.startsWith(other)));
}
