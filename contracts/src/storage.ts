// The storage access rules, written once as data (path -> who -> actions), with the folder
// vocabulary they are written in. The backend turns them into IAM policies, the outputs converter
// into Amplify's storage paths, and the web app builds its keys from the same folder names.

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

export const ENTITY_ID_TOKEN = '{entity_id}';

/**
 * Who may see an image, which is also the name of the top folder it is stored in:
 * `<visibility>/<identity id>/<file>`.
 */
export type Visibility = 'private' | 'protected' | 'public';

export const VISIBILITIES: readonly Visibility[] = ['private', 'protected', 'public'];

/** The folder everyone may read, and the one CloudFront serves. */
export const PUBLIC_FOLDER = 'public' satisfies Visibility;

/** Signed-in users see each other's images from here (as renditions); only the owner writes. */
export const PROTECTED_FOLDER = 'protected' satisfies Visibility;

/** Only the owner reads and writes here. */
export const PRIVATE_FOLDER = 'private' satisfies Visibility;

/**
 * Where the pipeline writes an image's re-encoded renditions: outside every folder a user may
 * write, so nobody can forge one. `renditions/<protected|private>/<identity id>/<image>/...`.
 */
export const RENDITIONS_FOLDER = 'renditions';

/** Every storage action, in the order Amplify lists them. */
export const STORAGE_ACTIONS: readonly StorageAction[] = ['get', 'list', 'write', 'delete'];

const OWNER = STORAGE_ACTIONS;

/**
 * Version 2 (docs/security-model.md#storage-matrix): users write only their own originals; what
 * anyone else sees is a rendition the pipeline re-encoded. public/ is read-only for every user
 * (only the pipeline publishes), other users' originals are unreadable, and signed-in users read
 * the renditions of protected images. Admins are signed-in users here: moderation goes through
 * the data API.
 */
export const ACCESS_RULES: AccessRules = {
  [`${PUBLIC_FOLDER}/*`]: { guest: ['get', 'list'], authenticated: ['get', 'list'] },
  [`${PROTECTED_FOLDER}/${ENTITY_ID_TOKEN}/*`]: { entity: OWNER },
  [`${PRIVATE_FOLDER}/${ENTITY_ID_TOKEN}/*`]: { entity: OWNER },
  [`${RENDITIONS_FOLDER}/${PROTECTED_FOLDER}/*`]: { authenticated: ['get'] },
  [`${RENDITIONS_FOLDER}/${PRIVATE_FOLDER}/${ENTITY_ID_TOKEN}/*`]: { entity: ['get'] },
};

const ACTIONS = STORAGE_ACTIONS;
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
