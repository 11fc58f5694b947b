// Every cell and every "also denied" case of the storage access matrix
// (docs/security-model.md#storage-matrix; the contracts package holds the table), evaluated by an IAM evaluator against the synthesized templates of both stages (role
// policies + bucket policy + role trust).
import {
  ALSO_DENIED,
  fillTarget,
  MATRIX,
  NO_TLS,
  type Op,
  OP_CONDITION_KEYS,
  S3_ACTIONS,
  type Who,
} from '@image-share/contracts/access-cases';
import { IDENTITY_ID_POLICY_VARIABLE } from '../lib/storage/access-rules';
import {
  type AccessModel,
  accessModel,
  type Caller,
  type Decision,
  decideAssumeRole,
  decideS3,
} from './support/access-model';
import { createTestApp, PROD_CONTEXT } from './support/test-app';

const ID = {
  A: 'eu-west-1:aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa',
  B: 'eu-west-1:bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb',
  admin: 'eu-west-1:cccccccc-3333-4333-8333-cccccccccccc',
  guest: 'eu-west-1:dddddddd-4444-4444-8444-dddddddddddd',
} as const;

type Role = keyof AccessModel['roles'];

const roleOf = (who: Who): Role => (who === 'guest' ? 'guest' : who === 'admin' ? 'admin' : 'authenticated');

function caller(who: Who): Caller {
  return { kind: 'role', role: roleOf(who), identityId: ID[who] };
}

// The ops that name a grant; Tag, Class, RV and DV are requests the grants must refuse.
const OP_OF_ACTION: Record<string, Op> = {
  's3:GetObject': 'R',
  's3:PutObject': 'W',
  's3:DeleteObject': 'D',
  's3:AbortMultipartUpload': 'Abort',
  's3:ListBucket': 'L',
};

/**
 * Each storage grant of the role policies, as "<role> <op> <prefix>" with the identity id left as the
 * policy variable: every object prefix of an object action, every `s3:prefix` of ListBucket.
 */
function grants(model: AccessModel): { role: Role; op: Op; prefix: string }[] {
  const bucketObjects = `arn:aws:s3:::${model.bucketName}/`;
  const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : ([] as T[]).concat(value));
  return (Object.keys(model.roles) as Role[]).flatMap((role) =>
    model.roles[role].policies.flatMap(({ policy }) =>
      policy.Statement.flatMap((statement) =>
        list(statement.Action as string | string[]).flatMap((action) => {
          // The data API's field grants have their own matrix (test/api/data-api.test.ts).
          if (action.startsWith('appsync:')) return [];
          const op = OP_OF_ACTION[action];
          if (op === undefined)
            throw new Error(`${role} is granted ${action}, which the matrix has no op for`);
          const prefixes =
            op === 'L'
              ? list(
                  (statement.Condition as { StringLike?: Record<string, string | string[]> } | undefined)
                    ?.StringLike?.['s3:prefix'],
                ).filter((prefix) => !prefix.endsWith('*'))
              : list(statement.Resource as string | string[]).map((resource) => {
                  if (!resource.startsWith(bucketObjects) || !resource.endsWith('*'))
                    throw new Error(
                      `${role} is granted ${action} on ${resource}, outside the bucket's objects`,
                    );
                  return resource.slice(bucketObjects.length, -1);
                });
          return prefixes.map((prefix) => ({ role, op, prefix }));
        }),
      ),
    ),
  );
}

const fill = (target: string) => fillTarget(target, ID);

function decide(
  model: AccessModel,
  who: Who,
  op: Op,
  target: string | undefined,
  secure = true,
): Promise<Decision> {
  if (op === 'L') {
    return decideS3(model, caller(who), {
      action: 's3:ListBucket',
      prefix: target === undefined ? undefined : fill(target),
      secureTransport: secure,
    });
  }
  return decideS3(model, caller(who), {
    action: S3_ACTIONS[op],
    key: fill(target as string),
    secureTransport: secure,
    conditionKeys: OP_CONDITION_KEYS[op],
  });
}

describe.each([
  ['dev', {}],
  ['prod', PROD_CONTEXT],
])('access matrix, %s stage', (_stage, context) => {
  let model: AccessModel;
  beforeAll(() => {
    model = accessModel(createTestApp(context));
  });

  test.each(MATRIX)('%s %s %s -> allowed: %s', async (who, op, target, allowed) => {
    expect(await decide(model, who, op, target)).toBe(allowed ? 'Allowed' : 'ImplicitlyDenied');
  });

  test.each(ALSO_DENIED)('also denied: %s %s %s', async (who, op, target) => {
    expect(await decide(model, who, op, target)).toBe('ImplicitlyDenied');
  });

  test.each<Who>(['guest', 'A', 'admin'])('also denied: %s listing with no prefix', async (who) => {
    expect(await decide(model, who, 'L', undefined)).toBe('ImplicitlyDenied');
  });

  test('an upload that names STANDARD is allowed (the storage-class rule refuses only other classes)', async () => {
    const upload = { action: 's3:PutObject', key: fill('protected/{A}/cat.png') };
    await expect(
      decideS3(model, caller('A'), { ...upload, conditionKeys: { 's3:x-amz-storage-class': 'STANDARD' } }),
    ).resolves.toBe('Allowed');
  });

  test.each(NO_TLS)('also denied without TLS: %s %s %s', async (who, op, target) => {
    expect(await decide(model, who, op, target, false)).toBe('ExplicitlyDenied');
  });

  describe('CloudFront through the bucket policy', () => {
    const cloudfront = (distributionArn: string, action: string, key?: string, secureTransport = true) =>
      decideS3(
        model,
        { kind: 'cloudfront', distributionArn },
        { action, key: key && fill(key), secureTransport },
      );

    test('reads public/', async () => {
      expect(await cloudfront(model.distributionArn, 's3:GetObject', 'public/{A}/cat.png')).toBe('Allowed');
    });

    test.each(['protected/{A}/cat.png', 'private/{A}/cat.png', 'publicity/cat.png', 'cat.png'])(
      'cannot read %s',
      async (key) => {
        expect(await cloudfront(model.distributionArn, 's3:GetObject', key)).toBe('ImplicitlyDenied');
      },
    );

    test.each(['s3:PutObject', 's3:DeleteObject'])('cannot %s in public/', async (action) => {
      expect(await cloudfront(model.distributionArn, action, 'public/{A}/cat.png')).toBe('ImplicitlyDenied');
    });

    test('cannot list the bucket', async () => {
      expect(await cloudfront(model.distributionArn, 's3:ListBucket')).toBe('ImplicitlyDenied');
    });

    test('another distribution cannot read public/', async () => {
      const other = model.distributionArn.replace(/distribution\/.*$/, 'distribution/EOTHERDISTRIBUTION');
      expect(await cloudfront(other, 's3:GetObject', 'public/{A}/cat.png')).toBe('ImplicitlyDenied');
    });

    test('cannot read without TLS', async () => {
      expect(await cloudfront(model.distributionArn, 's3:GetObject', 'public/{A}/cat.png', false)).toBe(
        'ExplicitlyDenied',
      );
    });
  });

  describe('role trust', () => {
    const signedIn = ['authenticated', 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_StandIn'];
    const guestAmr = ['unauthenticated'];

    test.each([
      ['guest', guestAmr],
      ['authenticated', signedIn],
      ['admin', signedIn],
    ] as const)('a token of this pool with the right amr assumes the %s role', async (role, amr) => {
      expect(await decideAssumeRole(model, role, { aud: model.identityPoolId, amr })).toBe('Allowed');
    });

    test.each(['guest', 'authenticated', 'admin'] as const)(
      'a token from another identity pool cannot assume the %s role',
      async (role) => {
        const amr = role === 'guest' ? guestAmr : signedIn;
        const aud = 'eu-west-1:99999999-9999-4999-8999-999999999999';
        expect(await decideAssumeRole(model, role, { aud, amr })).toBe('ImplicitlyDenied');
      },
    );

    test.each(['guest', 'authenticated', 'admin'] as const)(
      'a token without aud cannot assume the %s role',
      async (role) => {
        const amr = role === 'guest' ? guestAmr : signedIn;
        expect(await decideAssumeRole(model, role, { amr })).toBe('ImplicitlyDenied');
      },
    );

    test.each([
      ['guest', signedIn],
      ['authenticated', guestAmr],
      ['admin', guestAmr],
    ] as const)('the wrong amr cannot assume the %s role', async (role, amr) => {
      expect(await decideAssumeRole(model, role, { aud: model.identityPoolId, amr })).toBe(
        'ImplicitlyDenied',
      );
    });
  });

  test('every grant in the role policies is exercised by an allowed case of the matrix', () => {
    // A grant the table never exercises would be allowed without anyone having decided so.
    const unexercised = grants(model).filter(
      ({ role, op, prefix }) =>
        !MATRIX.some(
          ([who, caseOp, target, allowed]) =>
            allowed &&
            caseOp === op &&
            roleOf(who) === role &&
            fill(target).startsWith(prefix.split(IDENTITY_ID_POLICY_VARIABLE).join(ID[who])),
        ),
    );
    expect(grants(model).length).toBeGreaterThan(0);
    expect(unexercised).toEqual([]);
  });
});
