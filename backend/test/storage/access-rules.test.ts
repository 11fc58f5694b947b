import {
  ACCESS_RULES,
  accessPolicyStatements,
  type AccessRules,
  toAmplifyPaths,
  validateAccessRules,
} from '../../lib/storage/access-rules';

const BUCKET = 'arn:aws:s3:::bucket';
const ID = '${cognito-identity.amazonaws.com:sub}';

describe('accessPolicyStatements', () => {
  test('guest role: read public/ and list it, nothing else', () => {
    expect(accessPolicyStatements('guest', BUCKET)).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`${BUCKET}/public/*`] },
      {
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: [BUCKET],
        Condition: { StringLike: { 's3:prefix': ['public/', 'public/*'] } },
      },
    ]);
  });

  test('signed-in role: read public/ and protected/, write only under its own identity id', () => {
    expect(accessPolicyStatements('authenticated', BUCKET)).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: [`${BUCKET}/public/*`, `${BUCKET}/protected/*`, `${BUCKET}/private/${ID}/*`],
      },
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
        Resource: [`${BUCKET}/public/${ID}/*`, `${BUCKET}/protected/${ID}/*`, `${BUCKET}/private/${ID}/*`],
      },
      {
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: [BUCKET],
        Condition: {
          StringLike: {
            's3:prefix': [
              'public/',
              'public/*',
              'protected/',
              'protected/*',
              `private/${ID}/`,
              `private/${ID}/*`,
            ],
          },
        },
      },
    ]);
  });

  test('admin role: the signed-in statements with writes on all of public/', () => {
    const writes = accessPolicyStatements('admin', BUCKET).find((s) => s.Action.includes('s3:PutObject'));
    expect(writes?.Resource).toEqual([
      `${BUCKET}/public/*`,
      `${BUCKET}/protected/${ID}/*`,
      `${BUCKET}/private/${ID}/*`,
    ]);
  });

  test('admin role: reads and lists exactly as a signed-in user', () => {
    const withoutWrites = (role: 'admin' | 'authenticated') =>
      accessPolicyStatements(role, BUCKET).filter((s) => !s.Action.includes('s3:PutObject'));
    expect(withoutWrites('admin')).toEqual(withoutWrites('authenticated'));
  });

  test('every object resource ends with "/*" after a folder', () => {
    const resources = (['guest', 'authenticated', 'admin'] as const)
      .flatMap((role) => accessPolicyStatements(role, BUCKET))
      .flatMap((s) => s.Resource)
      .filter((r) => r !== BUCKET);
    for (const resource of resources) expect(resource).toMatch(/\/\*$/);
  });
});

describe('toAmplifyPaths', () => {
  test('gives each path its principals in Amplify Gen 2 keys', () => {
    const owner = ['get', 'list', 'write', 'delete'];
    expect(toAmplifyPaths(ACCESS_RULES)).toEqual({
      'public/*': { guest: ['get', 'list'], authenticated: ['get', 'list'], groupsadmins: owner },
      'public/{entity_id}/*': { entityidentity: owner },
      'protected/*': { authenticated: ['get', 'list'] },
      'protected/{entity_id}/*': { entityidentity: owner },
      'private/{entity_id}/*': { entityidentity: owner },
    });
  });
});

describe('validateAccessRules', () => {
  test('accepts the app rules', () => {
    expect(() => validateAccessRules(ACCESS_RULES)).not.toThrow();
  });

  test.each<[string, AccessRules, RegExp]>([
    ['no trailing slash', { 'private/{entity_id}*': { entity: ['get'] } }, /must end with "\/\*"/],
    ['no wildcard', { 'public/': { guest: ['get'] } }, /must end with "\/\*"/],
    ['a leading slash', { '/public/*': { guest: ['get'] } }, /must not start with "\/"/],
    ['a double slash', { 'public//*': { guest: ['get'] } }, /must not contain "\/\/"/],
    ['a wildcard inside', { 'pub*/x/*': { guest: ['get'] } }, /"\*" only as its last character/],
    [
      'a partial entity segment',
      { 'public/user-{entity_id}/*': { entity: ['get'] } },
      /only as a whole segment/,
    ],
    ['an entity segment not last', { 'public/{entity_id}/x/*': { entity: ['get'] } }, /right before "\/\*"/],
    ['an entity segment first', { '{entity_id}/*': { entity: ['get'] } }, /must start with a folder/],
    ['a dot segment', { 'public/../*': { guest: ['get'] } }, /is not letters/],
    ['an owner grant without entity_id', { 'public/*': { entity: ['get'] } }, /needs \{entity_id\}/],
    ['a guest grant on an owner path', { 'public/{entity_id}/*': { guest: ['get'] } }, /only the owner/],
    ['an unknown action', { 'public/*': { guest: ['read' as never] } }, /unknown actions read/],
    ['an empty action list', { 'public/*': { guest: [] } }, /empty action list/],
    ['a repeated action', { 'public/*': { guest: ['get', 'get'] } }, /repeats an action/],
    ['a grant to nobody', { 'public/*': {} }, /grants nothing/],
    ['a bad group name', { 'public/*': { groups: { 'bad group': ['get'] } } }, /not a valid group name/],
  ])('rejects a path with %s', (_why, rules, message) => {
    expect(() => validateAccessRules(rules)).toThrow(message);
  });

  test('the statement factory refuses malformed rules too', () => {
    expect(() => accessPolicyStatements('guest', BUCKET, { 'public*': { guest: ['get'] } })).toThrow(
      /Invalid storage access rules/,
    );
  });
});
