// Every cell and every "also denied" case of ACCESS.md, evaluated by an IAM evaluator against
// the synthesized templates of both stages (role policies + bucket policy + role trust).
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

type Who = 'guest' | 'A' | 'B' | 'admin';
type Op = 'R' | 'W' | 'D' | 'L' | 'Abort';

const OPS: Record<Exclude<Op, 'L'>, string> = {
  R: 's3:GetObject',
  W: 's3:PutObject',
  D: 's3:DeleteObject',
  Abort: 's3:AbortMultipartUpload',
};

function caller(who: Who): Caller {
  const role = who === 'guest' ? 'guest' : who === 'admin' ? 'admin' : 'authenticated';
  return { kind: 'role', role, identityId: ID[who] };
}

/** `{A}` in a target stands for A's identity id, and so on. */
function fill(target: string): string {
  return target.replace(/\{(A|B|admin|guest)\}/g, (_, who: keyof typeof ID) => ID[who]);
}

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
    action: OPS[op],
    key: fill(target as string),
    secureTransport: secure,
  });
}

// [principal, operation, key (or list prefix), allowed?]: the matrix, cell by cell.
type Case = [Who, Op, string, boolean];
const yes = (who: Who, target: string, ops: Op[]): Case[] => ops.map((op) => [who, op, target, true]);
const no = (who: Who, target: string, ops: Op[]): Case[] => ops.map((op) => [who, op, target, false]);
const folder = (target: string) => target.slice(0, target.lastIndexOf('/') + 1);
/** R W D on a key plus L on its folder. */
const cell = (who: Who, key: string, allowed: Op[]): Case[] =>
  (['R', 'W', 'D', 'L'] as Op[]).map((op) => [who, op, op === 'L' ? folder(key) : key, allowed.includes(op)]);

const MATRIX: Case[] = [
  // guest: public/ R L yes, W D no; nothing under protected/ or private/
  ...cell('guest', 'public/{A}/cat.png', ['R', 'L']),
  ...yes('guest', 'public/', ['L']),
  ...cell('guest', 'protected/{A}/cat.png', []),
  ...no('guest', 'protected/', ['L']),
  ...cell('guest', 'private/{A}/cat.png', []),
  // signed-in A on own <idA>/: R W D L everywhere
  ...cell('A', 'public/{A}/cat.png', ['R', 'W', 'D', 'L']),
  ...cell('A', 'protected/{A}/cat.png', ['R', 'W', 'D', 'L']),
  ...cell('A', 'private/{A}/cat.png', ['R', 'W', 'D', 'L']),
  ...cell('B', 'private/{B}/dog.png', ['R', 'W', 'D', 'L']),
  // signed-in A on B's <idB>/: R L only in public/ and protected/, nothing in private/
  ...cell('A', 'public/{B}/dog.png', ['R', 'L']),
  ...cell('A', 'protected/{B}/dog.png', ['R', 'L']),
  ...cell('A', 'private/{B}/dog.png', []),
  ...cell('B', 'private/{A}/cat.png', []),
  // admins: R W D L on any public/; a signed-in user elsewhere
  ...cell('admin', 'public/{B}/dog.png', ['R', 'W', 'D', 'L']),
  ...cell('admin', 'public/banner.png', ['R', 'W', 'D', 'L']),
  ...cell('admin', 'protected/{B}/dog.png', ['R', 'L']),
  ...cell('admin', 'protected/{admin}/mod.png', ['R', 'W', 'D', 'L']),
  ...cell('admin', 'private/{admin}/mod.png', ['R', 'W', 'D', 'L']),
  ...cell('admin', 'private/{B}/dog.png', []),
  // multipart: aborting follows writing
  ...yes('A', 'protected/{A}/big.png', ['Abort']),
  ...no('A', 'protected/{B}/big.png', ['Abort']),
  ...no('guest', 'public/{A}/big.png', ['Abort']),
];

const ALSO_DENIED: Case[] = [
  // ListBucket with no prefix is its own case below; these prefixes escape the rules.
  ...no('A', 'private/', ['L']),
  ...no('A', 'private/{B}/', ['L']),
  ...no('A', '', ['L']),
  ...no('guest', 'private/{guest}/', ['L']),
  ...no('admin', 'private/', ['L']),
  // A writes only into <folder>/<idA>/..., never straight into a top folder.
  ...no('A', 'public/cat.png', ['W', 'D']),
  ...no('A', 'protected/cat.png', ['W', 'D']),
  ...no('A', 'private/cat.png', ['R', 'W', 'D']),
  // The trailing slash in every rule: <idA>x is someone else's folder.
  ...no('A', 'private/{A}x/cat.png', ['R', 'W', 'D']),
  ...no('A', 'public/{A}x/cat.png', ['W', 'D']),
  ...no('A', 'protected/{A}x/cat.png', ['W', 'D']),
  ...no('A', 'private/{A}x/', ['L']),
  // Folders that only share a prefix with public/.
  ...no('guest', 'publicity/cat.png', ['R']),
  ...no('guest', 'publicity/', ['L']),
  // Nothing outside the three folders.
  ...no('A', 'cat.png', ['R', 'W', 'D']),
  ...no('admin', 'cat.png', ['R', 'W', 'D']),
];

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

  test.each<[Who, Op, string]>([
    ['guest', 'R', 'public/{A}/cat.png'],
    ['guest', 'L', 'public/'],
    ['A', 'R', 'private/{A}/cat.png'],
    ['A', 'W', 'protected/{A}/cat.png'],
    ['admin', 'D', 'public/{B}/dog.png'],
  ])('also denied without TLS: %s %s %s', async (who, op, target) => {
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

  test('covers at least 40 principal x path x action cases', () => {
    expect(MATRIX.length + ALSO_DENIED.length).toBeGreaterThanOrEqual(40);
  });
});
