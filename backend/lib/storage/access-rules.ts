// The storage access rules, written once as data (path -> who -> actions), and the one
// factory that turns them into IAM policy statements. Pure on purpose (no aws-cdk-lib):
// the Amplify config converter, the frontend and the sandbox derive from the same table.
import { ADMINS_GROUP } from '../auth/auth-settings';

/** What a principal may do under a path, in Amplify Gen 2's vocabulary. */
export type StorageAction = 'get' | 'list' | 'write' | 'delete';

/** Who gets which actions under one path. */
export interface PathAccess {
  /** Anyone, through the identity pool's guest role. */
  readonly guest?: readonly StorageAction[];
  /** Every signed-in user. */
  readonly authenticated?: readonly StorageAction[];
  /** The owner: the signed-in user whose identity id fills `{entity_id}`. */
  readonly entity?: readonly StorageAction[];
  /** Members of a user pool group, by group name. */
  readonly groups?: Readonly<Record<string, readonly StorageAction[]>>;
}

/** Path patterns (`folder/*`, `folder/{entity_id}/*`) to access. */
export type AccessRules = Readonly<Record<string, PathAccess>>;

/** The IAM roles the identity pool hands out. */
export type AccessRole = 'guest' | 'authenticated' | 'admin';

export const ENTITY_ID_TOKEN = '{entity_id}';

/** The folder everyone may read, and the one CloudFront serves. */
export const PUBLIC_FOLDER = 'public';

/** The caller's identity pool identity id (`<region>:<uuid>`), as an IAM policy variable. */
export const IDENTITY_ID_POLICY_VARIABLE = '${cognito-identity.amazonaws.com:sub}';

const OWNER: readonly StorageAction[] = ['get', 'list', 'write', 'delete'];

/** The storage access matrix (docs/security-model.md#storage-matrix). */
export const ACCESS_RULES: AccessRules = {
  [`${PUBLIC_FOLDER}/*`]: {
    guest: ['get', 'list'],
    authenticated: ['get', 'list'],
    groups: { [ADMINS_GROUP.name]: OWNER },
  },
  [`${PUBLIC_FOLDER}/{entity_id}/*`]: { entity: OWNER },
  'protected/*': { authenticated: ['get', 'list'] },
  'protected/{entity_id}/*': { entity: OWNER },
  'private/{entity_id}/*': { entity: OWNER },
};

type Subject =
  { kind: 'guest' } | { kind: 'authenticated' } | { kind: 'entity' } | { kind: 'group'; name: string };

/** Which rule subjects each role carries: the admin role is a signed-in user plus the admins group. */
const ROLE_SUBJECTS: Readonly<Record<AccessRole, readonly Subject[]>> = {
  guest: [{ kind: 'guest' }],
  authenticated: [{ kind: 'authenticated' }, { kind: 'entity' }],
  admin: [{ kind: 'authenticated' }, { kind: 'entity' }, { kind: 'group', name: ADMINS_GROUP.name }],
};

const ACTIONS: readonly StorageAction[] = ['get', 'list', 'write', 'delete'];
const SEGMENT = /^[A-Za-z0-9_.-]+$/;
const GROUP_NAME = /^[\w+=,.@-]{1,128}$/;

/** Throws one error naming every malformed path or grant in the rules. */
export function validateAccessRules(rules: AccessRules): void {
  const problems = Object.entries(rules).flatMap(([path, access]) => [
    ...pathProblems(path),
    ...accessProblems(path, access),
  ]);
  if (problems.length > 0) {
    throw new Error(`Invalid storage access rules:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function pathProblems(path: string): string[] {
  const problems: string[] = [];
  const say = (why: string) => problems.push(`path "${path}" ${why}`);
  if (!path.endsWith('/*')) say('must end with "/*" (the trailing slash keeps "a/*" from matching "ab/...")');
  if (path.startsWith('/')) say('must not start with "/"');
  if (path.includes('//')) say('must not contain "//"');
  if (path.indexOf('*') !== path.length - 1) say('may hold "*" only as its last character');
  const segments = path.split('/').slice(0, -1);
  segments.forEach((segment, index) => {
    if (segment === ENTITY_ID_TOKEN) {
      if (index !== segments.length - 1)
        say(`may hold ${ENTITY_ID_TOKEN} only as the segment right before "/*"`);
      if (index === 0) say(`must start with a folder before ${ENTITY_ID_TOKEN}`);
    } else if (segment.includes('{') || segment.includes('}')) {
      say(`may hold ${ENTITY_ID_TOKEN} only as a whole segment (got "${segment}")`);
    } else if (segment !== '' && (!SEGMENT.test(segment) || /^\.+$/.test(segment))) {
      say(`has a segment "${segment}" that is not letters, digits, "_", "-" or "."`);
    }
  });
  return problems;
}

function accessProblems(path: string, access: PathAccess): string[] {
  const problems: string[] = [];
  const ownerPath = path.includes(ENTITY_ID_TOKEN);
  const grants: [string, readonly StorageAction[] | undefined][] = [
    ['guest', access.guest],
    ['authenticated', access.authenticated],
    ['entity', access.entity],
    ...Object.entries(access.groups ?? {}).map(([name, actions]): [string, readonly StorageAction[]] => {
      if (!GROUP_NAME.test(name)) problems.push(`path "${path}": "${name}" is not a valid group name`);
      return [`group ${name}`, actions];
    }),
  ];
  const given = grants.filter((grant): grant is [string, readonly StorageAction[]] => grant[1] !== undefined);
  if (given.length === 0) problems.push(`path "${path}" grants nothing to anyone; remove it`);
  for (const [who, actions] of given) {
    if (actions.length === 0) problems.push(`path "${path}": ${who} has an empty action list`);
    const unknown = actions.filter((a) => !ACTIONS.includes(a));
    if (unknown.length > 0) {
      problems.push(
        `path "${path}": ${who} has unknown actions ${unknown.join(', ')} (use ${ACTIONS.join(', ')})`,
      );
    }
    if (new Set(actions).size !== actions.length) problems.push(`path "${path}": ${who} repeats an action`);
    if (ownerPath && who !== 'entity') {
      problems.push(
        `path "${path}": only the owner (entity) can be granted on a ${ENTITY_ID_TOKEN} path; grant ${who} on the parent folder`,
      );
    }
  }
  if (!ownerPath && access.entity !== undefined) {
    problems.push(`path "${path}": an entity (owner) grant needs ${ENTITY_ID_TOKEN} in the path`);
  }
  return problems;
}

/** The rules in `amplify_outputs.json`'s `storage.buckets[].paths` shape. */
export function toAmplifyPaths(
  rules: AccessRules = ACCESS_RULES,
): Record<string, Record<string, StorageAction[]>> {
  validateAccessRules(rules);
  const inOrder = (actions: readonly StorageAction[]) => ACTIONS.filter((a) => actions.includes(a));
  return Object.fromEntries(
    Object.entries(rules).map(([path, access]) => {
      const entry: Record<string, StorageAction[]> = {};
      if (access.guest) entry.guest = inOrder(access.guest);
      if (access.authenticated) entry.authenticated = inOrder(access.authenticated);
      for (const [name, actions] of Object.entries(access.groups ?? {}))
        entry[`groups${name}`] = inOrder(actions);
      if (access.entity) entry.entityidentity = inOrder(access.entity);
      return [path, entry];
    }),
  );
}

/** An IAM policy statement as JSON; `Resource` values embed the bucket ARN given to the factory. */
export interface PolicyStatementJson {
  readonly Effect: 'Allow';
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: { readonly StringLike: { readonly 's3:prefix': string[] } };
}

const OBJECT_ACTIONS: Readonly<Record<Exclude<StorageAction, 'list'>, readonly string[]>> = {
  get: ['s3:GetObject'],
  // Multipart parts and completion are s3:PutObject too; aborting is its own action.
  write: ['s3:PutObject', 's3:AbortMultipartUpload'],
  delete: ['s3:DeleteObject'],
};

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

  // Actions with the same prefixes share one statement.
  const statements = new Map<string, { actions: string[]; prefixes: string[] }>();
  for (const [action, prefixes] of prefixesByAction) {
    const kept = withoutCovered(prefixes);
    const key = kept.join('\n');
    const existing = statements.get(key);
    if (existing) existing.actions.push(action);
    else statements.set(key, { actions: [action], prefixes: kept });
  }
  const result: PolicyStatementJson[] = [...statements.values()].map(({ actions, prefixes }) => ({
    Effect: 'Allow',
    Action: actions,
    Resource: prefixes.map((prefix) => `${bucketArn}/${prefix}*`),
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
