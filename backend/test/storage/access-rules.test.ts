import { accessPolicyStatements } from '../../lib/storage/access-rules';

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

  test('signed-in role: reads public/, own originals and renditions it may see; writes only its own originals', () => {
    const own = [`${BUCKET}/protected/${ID}/*`, `${BUCKET}/private/${ID}/*`];
    expect(accessPolicyStatements('authenticated', BUCKET)).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: [
          `${BUCKET}/public/*`,
          ...own,
          `${BUCKET}/renditions/protected/*`,
          `${BUCKET}/renditions/private/${ID}/*`,
        ],
      },
      {
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: own,
        Condition: {
          StringEqualsIfExists: { 's3:x-amz-storage-class': 'STANDARD' },
          Null: { 's3:RequestObjectTagKeys': 'true' },
        },
      },
      { Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:DeleteObject'], Resource: own },
      {
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: [BUCKET],
        Condition: {
          StringLike: {
            's3:prefix': [
              'public/',
              'public/*',
              `protected/${ID}/`,
              `protected/${ID}/*`,
              `private/${ID}/`,
              `private/${ID}/*`,
            ],
          },
        },
      },
    ]);
  });

  test('no role writes or deletes under public/ or renditions/ (only the pipeline does)', () => {
    const writes = (['guest', 'authenticated', 'admin'] as const)
      .flatMap((role) => accessPolicyStatements(role, BUCKET))
      .filter((s) => s.Action.some((a) => a !== 's3:GetObject' && a !== 's3:ListBucket'))
      .flatMap((s) => s.Resource);
    expect(writes.filter((r) => /\/(public|renditions)\//.test(r))).toEqual([]);
  });

  test('admin role: exactly a signed-in user (moderation goes through the data API)', () => {
    expect(accessPolicyStatements('admin', BUCKET)).toEqual(accessPolicyStatements('authenticated', BUCKET));
  });

  test('every object resource ends with "/*" after a folder', () => {
    const resources = (['guest', 'authenticated', 'admin'] as const)
      .flatMap((role) => accessPolicyStatements(role, BUCKET))
      .flatMap((s) => s.Resource)
      .filter((r) => r !== BUCKET);
    for (const resource of resources) expect(resource).toMatch(/\/\*$/);
  });
});

describe('the rules it is given', () => {
  test('the statement factory refuses malformed rules too', () => {
    expect(() => accessPolicyStatements('guest', BUCKET, { 'public*': { guest: ['get'] } })).toThrow(
      /Invalid storage access rules/,
    );
  });
});
