import {
  ALSO_DENIED,
  fillTarget,
  MATRIX,
  NO_TLS,
  OP_CONDITION_KEYS,
  S3_ACTIONS,
} from '@image-share/contracts/access-cases';
import type { Op, Who } from '@image-share/contracts/access-cases';
import { ManualClock } from '../../src/core/clock';
import type { SessionCredentials } from '../../src/core/credentials';
import type { DeployedModel } from '../../src/deploy/model';
import {
  authorizeAssumeRole,
  CLOUDFRONT_SERVICE_PRINCIPAL,
  createS3Authorizer,
  s3EvaluationInput,
  type S3Authorize,
} from '../../src/iam/authorizer';
import { deployFixture, deployRealApp, ID_A, ID_B, matrixCallers, type MatrixCallers } from './fixture-model';

let model: DeployedModel;
let callers: MatrixCallers;
let authorize: S3Authorize;

const ID_ADMIN = ID_A.replace('aaaaaaaa', 'dddddddd');

/** The matrix's principals as sessions: B is a signed-in user like A, the admin has an id of their own. */
function sessions(): Record<Who, SessionCredentials> {
  return {
    guest: callers.guest,
    A: callers.userA,
    B: { ...callers.userA, identityId: ID_B },
    admin: { ...callers.admin, identityId: ID_ADMIN },
  };
}

/** The decision for one case of the matrix: `target` is a key, or for L a list prefix (none when undefined). */
function decide(who: Who, op: Op, target: string | undefined, secureTransport = true): string {
  const all = sessions();
  const ids = Object.fromEntries(Object.entries(all).map(([w, s]) => [w, s.identityId])) as Record<
    Who,
    string
  >;
  const caller = { kind: 'role' as const, credentials: all[who] };
  const filled = target === undefined ? undefined : fillTarget(target, ids);
  if (op === 'L') {
    return authorize({
      caller,
      action: 's3:ListBucket',
      bucket: callers.bucket,
      context: filled === undefined ? {} : { 's3:prefix': filled, 's3:delimiter': '/' },
      secureTransport,
    }).decision;
  }
  return authorize({
    caller,
    action: S3_ACTIONS[op],
    bucket: callers.bucket,
    key: filled,
    secureTransport,
    context: OP_CONDITION_KEYS[op],
  }).decision;
}

const SOURCES: Array<[string, () => Promise<DeployedModel>]> = [
  ['the fixture templates', () => deployFixture()],
  ['the real app templates', () => deployRealApp()],
];

describe.each(SOURCES)('on %s', (_source, load) => {
  beforeAll(async () => {
    model = await load();
    callers = matrixCallers(model);
    authorize = createS3Authorizer(model, new ManualClock());
  }, 300_000);

  describe('the storage access matrix (docs/security-model.md#storage-matrix)', () => {
    test.each(MATRIX)('%s %s %s -> allowed: %s', (who, op, target, allowed) => {
      expect(decide(who, op, target)).toBe(allowed ? 'Allow' : 'ImplicitDeny');
    });

    test.each(ALSO_DENIED)('also denied: %s %s %s', (who, op, target) => {
      expect(decide(who, op, target)).toBe('ImplicitDeny');
    });

    test.each<Who>(['guest', 'A', 'admin'])('also denied: %s listing with no prefix', (who) => {
      expect(decide(who, 'L', undefined)).toBe('ImplicitDeny');
    });

    test.each(NO_TLS)('also denied without TLS: %s %s %s', (who, op, target) => {
      expect(decide(who, op, target, false)).toBe('ExplicitDeny');
    });
  });

  describe('also denied', () => {
    test('a request without TLS is an explicit deny on the resource it names', () => {
      const result = authorize({
        caller: { kind: 'role', credentials: callers.userA },
        action: 's3:GetObject',
        bucket: callers.bucket,
        key: `private/${ID_A}/photo.png`,
        secureTransport: false,
      });
      expect(result.decision).toBe('ExplicitDeny');
      expect(result.resource).toBe(`arn:aws:s3:::${callers.bucket}/private/${ID_A}/photo.png`);
    });

    test('a request cannot override what the sandbox knows about the caller', () => {
      const result = authorize({
        caller: { kind: 'role', credentials: callers.userA },
        action: 's3:GetObject',
        bucket: callers.bucket,
        key: `private/${ID_B}/photo.png`,
        context: { 'cognito-identity.amazonaws.com:sub': ID_B },
      });
      expect(result.decision).toBe('ImplicitDeny');
    });
  });

  describe('CloudFront through origin access control', () => {
    const read = (sourceArn: string, key: string) =>
      authorize({
        caller: { kind: 'service', service: CLOUDFRONT_SERVICE_PRINCIPAL, sourceArn },
        action: 's3:GetObject',
        bucket: callers.bucket,
        key,
      }).decision;

    test('reads public/ for its own distribution', () => {
      expect(read(callers.distributionArn, `public/${ID_A}/photo.png`)).toBe('Allow');
    });

    test('reads nothing outside public/', () => {
      expect(read(callers.distributionArn, `protected/${ID_A}/photo.png`)).toBe('ImplicitDeny');
      expect(read(callers.distributionArn, `private/${ID_A}/photo.png`)).toBe('ImplicitDeny');
    });

    test('another distribution reads nothing', () => {
      expect(
        read('arn:aws:cloudfront::000000000000:distribution/EOTHER1234567', `public/${ID_A}/photo.png`),
      ).toBe('ImplicitDeny');
    });
  });

  test('an anonymous caller gets nothing', () => {
    expect(
      authorize({
        caller: { kind: 'anonymous' },
        action: 's3:GetObject',
        bucket: callers.bucket,
        key: 'public/x',
      }).allowed,
    ).toBe(false);
  });

  describe('role trust (AssumeRoleWithWebIdentity)', () => {
    const pool = () => [...model.identityPools.values()][0]!;

    test('each role accepts its own amr from its own identity pool', () => {
      const { authenticated, unauthenticated } = pool().roles;
      expect(
        authorizeAssumeRole(model, unauthenticated!, { identityPoolId: pool().id, amr: ['unauthenticated'] })
          .decision,
      ).toBe('Allow');
      expect(
        authorizeAssumeRole(model, authenticated!, { identityPoolId: pool().id, amr: callers.userA.amr! })
          .decision,
      ).toBe('Allow');
      expect(
        authorizeAssumeRole(model, callers.admin.roleArn, {
          identityPoolId: pool().id,
          amr: callers.userA.amr!,
        }).decision,
      ).toBe('Allow');
    });

    test('a guest cannot assume the signed-in role, nor a user the guest role', () => {
      const { authenticated, unauthenticated } = pool().roles;
      expect(
        authorizeAssumeRole(model, authenticated!, { identityPoolId: pool().id, amr: ['unauthenticated'] })
          .decision,
      ).toBe('ImplicitDeny');
      expect(
        authorizeAssumeRole(model, unauthenticated!, { identityPoolId: pool().id, amr: callers.userA.amr! })
          .decision,
      ).toBe('ImplicitDeny');
    });

    test('a token from another identity pool is refused (the aud condition)', () => {
      const other = 'us-east-1:00000000-0000-4000-8000-000000000000';
      expect(
        authorizeAssumeRole(model, pool().roles.authenticated!, {
          identityPoolId: other,
          amr: callers.userA.amr!,
        }).decision,
      ).toBe('ImplicitDeny');
    });

    test('another federated provider is refused, and an unknown role is denied', () => {
      const { authenticated } = pool().roles;
      expect(
        authorizeAssumeRole(model, authenticated!, {
          identityPoolId: pool().id,
          amr: callers.userA.amr!,
          provider: 'accounts.google.com',
        }).decision,
      ).toBe('ImplicitDeny');
      expect(
        authorizeAssumeRole(model, 'arn:aws:iam::000000000000:role/Nope', {
          identityPoolId: pool().id,
          amr: ['unauthenticated'],
        }).decision,
      ).toBe('ImplicitDeny');
    });
  });
});

describe('request context', () => {
  beforeAll(async () => {
    model = await deployFixture();
  });

  test('a role session carries the identity keys, its role and aws:userid from the role id', () => {
    const { userA } = matrixCallers(model);
    const role = model.roles.get(userA.roleArn)!;
    expect(role.roleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    const input = s3EvaluationInput(model, {
      caller: { kind: 'role', credentials: userA },
      action: 's3:ListBucket',
      bucket: 'b',
      context: { 's3:prefix': 'public/', 'aws:PrincipalArn': 'arn:aws:iam::000000000000:role/Forged' },
    });
    expect(input.request.resource).toBe('arn:aws:s3:::b');
    expect(input.request.context).toMatchObject({
      'aws:PrincipalArn': userA.roleArn,
      'aws:userid': `${role.roleId}:CognitoIdentityCredentials`,
      'aws:SecureTransport': 'true',
      'cognito-identity.amazonaws.com:sub': ID_A,
      'cognito-identity.amazonaws.com:aud': userA.identityPoolId,
      'cognito-identity.amazonaws.com:amr': userA.amr,
      's3:prefix': 'public/',
    });
    expect(input.identityPolicies).toBe(role.policies);
  });

  test('time keys come from the injected clock', () => {
    const timed: DeployedModel = {
      ...model,
      buckets: new Map([
        [
          'timed',
          {
            name: 'timed',
            arn: 'arn:aws:s3:::timed',
            region: 'us-east-1',
            versioning: false,
            cors: [],
            policy: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: '*',
                  Action: 's3:GetObject',
                  Resource: 'arn:aws:s3:::timed/*',
                  Condition: {
                    DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:10Z' },
                    NumericLessThan: { 'aws:EpochTime': '1767225610' },
                  },
                },
              ],
            },
          },
        ],
      ]),
    };
    const at = (iso: string) =>
      createS3Authorizer(
        timed,
        new ManualClock(new Date(iso)),
      )({ caller: { kind: 'anonymous' }, action: 's3:GetObject', bucket: 'timed', key: 'a' }).allowed;
    expect(at('2026-01-01T00:00:00Z')).toBe(true);
    expect(at('2026-01-01T00:00:11Z')).toBe(false);
  });
});
