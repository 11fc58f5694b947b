/**
 * The storage access matrix (docs/security-model.md#storage-matrix), live: a guest, two signed-in users
 * (A, B) and an admin, each with credentials from the identity pool, against the sandbox deployed from
 * the real templates. Every cell is decided by the sandbox's IAM evaluation of the templates' role
 * policies and bucket policy.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { startLiveSandbox, type LiveSandbox, type Principal } from './harness';

type Action = 'get' | 'head' | 'put' | 'delete' | 'list';
type Outcome = 'allowed' | 'denied';

let live: LiveSandbox;
let guest: Principal;
let a: Principal;
let b: Principal;
let admin: Principal;
const folders = ['public', 'protected', 'private'] as const;

beforeAll(async () => {
  live = await startLiveSandbox();
  guest = await live.guest();
  a = await live.user('alice');
  b = await live.user('bob');
  admin = await live.user('ada', { groups: ['admins'] });
  // Each owner seeds one object in each of their folders, for the read and delete cases.
  for (const owner of [a, b]) {
    for (const folder of folders) {
      await put(owner.s3, `${folder}/${owner.identityId}/seed.png`);
    }
  }
}, 120_000);

afterAll(async () => {
  await live?.close();
});

async function put(s3: S3Client, key: string, body = 'image bytes'): Promise<void> {
  await s3.send(
    new PutObjectCommand({ Bucket: live.bucket, Key: key, Body: body, ContentType: 'image/png' }),
  );
}

async function attempt(p: Principal, action: Action, keyOrPrefix: string | undefined): Promise<Outcome> {
  const Bucket = live.bucket;
  try {
    switch (action) {
      case 'get':
        await (await p.s3.send(new GetObjectCommand({ Bucket, Key: keyOrPrefix }))).Body?.transformToString();
        break;
      case 'head':
        await p.s3.send(new HeadObjectCommand({ Bucket, Key: keyOrPrefix }));
        break;
      case 'put':
        await p.s3.send(
          new PutObjectCommand({ Bucket, Key: keyOrPrefix, Body: 'x', ContentType: 'image/png' }),
        );
        break;
      case 'delete':
        await p.s3.send(new DeleteObjectCommand({ Bucket, Key: keyOrPrefix }));
        break;
      case 'list':
        await p.s3.send(new ListObjectsV2Command({ Bucket, Prefix: keyOrPrefix, Delimiter: '/' }));
        break;
    }
    return 'allowed';
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.$metadata?.httpStatusCode === 403 && (action === 'head' || e.name === 'AccessDenied'))
      return 'denied';
    throw err;
  }
}

/** The owner of the target folder: "own" = the principal itself, "A"/"B" = that user. */
type Cell = [
  principal: string,
  folder: (typeof folders)[number],
  owner: 'own' | 'A' | 'B',
  action: Action,
  expected: Outcome,
];

const R: Action[] = ['get', 'head', 'list'];
const cells: Cell[] = [];
const add = (principal: string, folder: Cell[1], owner: Cell[2], allowed: Action[]) => {
  for (const action of ['get', 'head', 'list', 'put', 'delete'] as Action[]) {
    cells.push([principal, folder, owner, action, allowed.includes(action) ? 'allowed' : 'denied']);
  }
};
// guest
add('guest', 'public', 'A', R);
add('guest', 'protected', 'A', []);
add('guest', 'private', 'A', []);
// signed-in A on own folders
add('A', 'public', 'own', ['get', 'head', 'list', 'put', 'delete']);
add('A', 'protected', 'own', ['get', 'head', 'list', 'put', 'delete']);
add('A', 'private', 'own', ['get', 'head', 'list', 'put', 'delete']);
// signed-in A on B's folders
add('A', 'public', 'B', R);
add('A', 'protected', 'B', R);
add('A', 'private', 'B', []);
// admins: everything on any public/, otherwise as a signed-in user
add('admin', 'public', 'A', ['get', 'head', 'list', 'put', 'delete']);
add('admin', 'protected', 'A', R);
add('admin', 'private', 'A', []);

describe('the storage access matrix, live against the sandbox', () => {
  test.each(cells)('%s on %s/ of %s: %s is %s', async (who, folder, owner, action, expected) => {
    const principal = { guest, A: a, admin }[who]!;
    const target = owner === 'own' ? principal : owner === 'A' ? a : b;
    const folderPrefix = `${folder}/${target.identityId}/`;
    // Writes and deletes use a fresh key so that each cell stands alone; deletes seed it first
    // as the owner, and a refused delete must leave the object in place.
    const fresh = `${folderPrefix}${action}-${who}-${Math.random().toString(36).slice(2)}.png`;
    let key = `${folderPrefix}seed.png`;
    if (action === 'put') key = fresh;
    if (action === 'delete') {
      key = fresh;
      await put(target.s3, key);
    }
    const outcome = await attempt(principal, action, action === 'list' ? folderPrefix : key);
    expect(outcome).toBe(expected);
    if (action === 'delete' && expected === 'denied') {
      await expect(attempt(target, 'head', key)).resolves.toBe('allowed');
    }
  });
});

describe('also denied', () => {
  test('listing the whole bucket with no prefix, as a guest and as a user', async () => {
    await expect(attempt(guest, 'list', undefined)).resolves.toBe('denied');
    await expect(attempt(a, 'list', undefined)).resolves.toBe('denied');
  });

  test.each(['private/', 'protected', 'pub', ''])(
    'A listing with the escaping prefix "%s"',
    async (prefix) => {
      await expect(attempt(a, 'list', prefix)).resolves.toBe('denied');
    },
  );

  test("A listing B's private folder", async () => {
    await expect(attempt(a, 'list', `private/${b.identityId}/`)).resolves.toBe('denied');
  });

  test.each(['public/loose.png', 'protected/loose.png', 'private/loose.png'])(
    'A writing straight into a top folder: %s',
    async (key) => {
      await expect(attempt(a, 'put', key)).resolves.toBe('denied');
    },
  );

  test.each(['private', 'protected', 'public'])(
    'A writing into %s/<idA>x/ (the trailing slash matters)',
    async (folder) => {
      await expect(attempt(a, 'put', `${folder}/${a.identityId}x/evil.png`)).resolves.toBe('denied');
    },
  );

  test("a guest overwriting A's public image", async () => {
    await expect(attempt(guest, 'put', `public/${a.identityId}/seed.png`)).resolves.toBe('denied');
  });

  test('every refusal was logged as an AccessDenied with the action and principal', () => {
    const denials = live.logger.lines.filter((l) => /AccessDenied|denied/i.test(l.message));
    expect(denials.length).toBeGreaterThan(20);
  });

  test('the matrix covers at least 40 principal x path x action cells', () => {
    expect(cells.length).toBeGreaterThanOrEqual(40);
  });
});
