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

describe('the rules it is given', () => {
  test('the statement factory refuses malformed rules too', () => {
    expect(() => accessPolicyStatements('guest', BUCKET, { 'public*': { guest: ['get'] } })).toThrow(
      /Invalid storage access rules/,
    );
  });
});
