// The data API function against a local DynamoDB and an in-memory bucket: ownership, guest
// filtering, moderation, cursors and page limits.
import { Logger } from '@aws-lambda-powertools/logger';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppSyncResolverEvent } from 'aws-lambda';
import { Cursors } from '../../functions/api/cursor';
import { createApiHandler } from '../../functions/api/handler';
import { createPipeline } from '../../functions/pipeline/pipeline';
import { ImageRecords, imageIdOf } from '../../functions/shared/records';
import { photo } from '../support/images';
import { type LocalDynamo, startLocalDynamo } from '../support/local-dynamo';
import { MemoryStore, RecordingCdn } from '../support/memory-store';
import { s3Event } from '../support/s3-events';

const A = 'eu-west-1:aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa';
const B = 'eu-west-1:bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb';
const ADMIN = 'eu-west-1:cccccccc-3333-4333-8333-cccccccccccc';
const GUEST = 'eu-west-1:dddddddd-4444-4444-8444-dddddddddddd';
const C = 'eu-west-1:eeeeeeee-5555-4555-8555-eeeeeeeeeeee';
const ADMIN_ROLE = 'AdminRole';
const OWNER_ONLY = ['originalKey', 'originalBytes', 'rejectionReason', 'status', 'createdAt'];

type Who = 'A' | 'B' | 'C' | 'admin' | 'guest';
const IDENTITY: Record<Who, { id: string; role: string; auth: 'authenticated' | 'unauthenticated' }> = {
  A: { id: A, role: 'SignedInRole', auth: 'authenticated' },
  B: { id: B, role: 'SignedInRole', auth: 'authenticated' },
  C: { id: C, role: 'SignedInRole', auth: 'authenticated' },
  admin: { id: ADMIN, role: ADMIN_ROLE, auth: 'authenticated' },
  guest: { id: GUEST, role: 'GuestRole', auth: 'unauthenticated' },
};

let dynamo: LocalDynamo;
let store: MemoryStore;
let cdn: RecordingCdn;
let api: (event: AppSyncResolverEvent<Record<string, unknown>>) => Promise<unknown>;
let pipeline: ReturnType<typeof createPipeline>;
let sequence = 0x5000;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  store = new MemoryStore();
  cdn = new RecordingCdn();
  const records = new ImageRecords(dynamo.db, dynamo.tableName);
  const logger = new Logger({ logLevel: 'SILENT' });
  pipeline = createPipeline({ store, records, cdn, logger });
  api = createApiHandler({
    db: dynamo.db,
    tableName: dynamo.tableName,
    records,
    store,
    cdn,
    cursors: new Cursors(Buffer.alloc(32, 7)),
    adminRoleName: ADMIN_ROLE,
    logger,
  });
});
afterAll(() => dynamo.close());

function call(who: Who, field: string, args: Record<string, unknown> = {}) {
  const [parentTypeName, fieldName] = field.split('.') as [string, string];
  const identity = IDENTITY[who];
  return api({
    arguments: args,
    identity: {
      accountId: '123456789012',
      cognitoIdentityPoolId: 'eu-west-1:00000000-0000-4000-8000-000000000000',
      cognitoIdentityId: identity.id,
      cognitoIdentityAuthType: identity.auth,
      cognitoIdentityAuthProvider: '',
      sourceIp: ['127.0.0.1'],
      username: identity.id,
      userArn: `arn:aws:sts::123456789012:assumed-role/${identity.role}/CognitoIdentityCredentials`,
    },
    source: null,
    request: { headers: {}, domainName: null },
    info: { fieldName, parentTypeName, variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
    prev: null,
    stash: {},
  } as unknown as AppSyncResolverEvent<Record<string, unknown>>);
}

async function upload(owner: string, name: string, folder = 'protected') {
  const key = `${folder}/${owner}/${name}`;
  const bytes = await photo(200, 150);
  store.objects.set(key, { body: bytes });
  await pipeline(s3Event('ObjectCreated:Put', key, (sequence += 0x10).toString(16), bytes.length));
  return imageIdOf(key);
}

type Page = { items: Record<string, unknown>[]; nextToken: string | null };

describe('data API', () => {
  let shared: string;
  let published: string;
  let secret: string;
  beforeAll(async () => {
    shared = await upload(A, 'shared.jpg');
    published = await upload(A, 'published.jpg');
    secret = await upload(A, 'secret.jpg', 'private');
    await call('A', 'Mutation.setVisibility', { imageId: published, visibility: 'PUBLIC' });
  });

  test('guests see only READY public images, without owner-only fields', async () => {
    const page = (await call('guest', 'Query.publicImages')) as Page;
    expect(page.items.map((i) => i.imageId)).toEqual([published]);
    for (const field of OWNER_ONLY) expect(page.items[0]?.[field]).toBeNull();
    expect(await call('guest', 'Query.publicImage', { imageId: shared })).toBeNull();
    expect(await call('guest', 'Query.publicImage', { imageId: secret })).toBeNull();
    expect(await call('guest', 'Query.publicImage', { imageId: published })).toMatchObject({
      imageId: published,
      originalKey: null,
    });
  });

  test('guests cannot call a signed-in field even if IAM let them', async () => {
    await expect(call('guest', 'Query.myImages')).rejects.toMatchObject({ name: 'Unauthorized' });
  });

  test('publishing copies renditions into public/; the public keys are what the API returns', async () => {
    const image = (await call('guest', 'Query.publicImage', { imageId: published })) as {
      renditions: { key: string }[];
    };
    expect(image.renditions.length).toBeGreaterThan(0);
    for (const r of image.renditions)
      expect(store.objects.has(r.key) && r.key.startsWith(`public/${A}/`)).toBe(true);
  });

  test('another user sees shared images but not private ones, and no owner-only field', async () => {
    const page = (await call('B', 'Query.sharedImages')) as Page;
    expect(page.items.map((i) => i.imageId).sort()).toEqual([shared, published].sort());
    for (const item of page.items) for (const field of OWNER_ONLY) expect(item[field]).toBeNull();
    expect(await call('B', 'Query.image', { imageId: secret })).toBeNull();
  });

  test('the owner sees every own image with owner fields', async () => {
    const page = (await call('A', 'Query.myImages')) as Page;
    expect(page.items).toHaveLength(3);
    expect(page.items.every((i) => i.status === 'READY' && typeof i.originalKey === 'string')).toBe(true);
  });

  test.each([
    ['Mutation.updateImage', { title: 'mine now' }],
    ['Mutation.setVisibility', { visibility: 'PRIVATE' }],
    ['Mutation.deleteImage', {}],
  ])("%s on another user's image is refused", async (field, args) => {
    await expect(call('B', field, { imageId: shared, ...args })).rejects.toMatchObject({
      name: 'Unauthorized',
    });
    expect(await call('A', 'Query.image', { imageId: shared })).toMatchObject({
      title: null,
      visibility: 'SHARED',
    });
    expect(store.objects.has(`protected/${A}/shared.jpg`)).toBe(true);
  });

  test('text lengths are validated', async () => {
    await expect(
      call('A', 'Mutation.updateImage', { imageId: shared, title: 'x'.repeat(121) }),
    ).rejects.toMatchObject({ name: 'BadRequest', message: 'title may be at most 120 characters' });
    await expect(call('A', 'Mutation.updateProfile', { displayName: '  ' })).rejects.toMatchObject({
      name: 'BadRequest',
    });
    expect(
      await call('A', 'Mutation.updateImage', { imageId: shared, altText: 'A red field' }),
    ).toMatchObject({
      altText: 'A red field',
    });
  });

  test('only admins moderate: a signed-in user is refused, an admin hides a public image everywhere', async () => {
    await expect(
      call('B', 'Mutation.moderateImage', { imageId: published, action: 'HIDE' }),
    ).rejects.toMatchObject({
      name: 'Unauthorized',
    });
    const target = await upload(B, 'abuse.jpg');
    await call('B', 'Mutation.setVisibility', { imageId: target, visibility: 'PUBLIC' });
    expect(store.keys(`public/${B}/${target}/`).length).toBeGreaterThan(0);
    expect(await call('admin', 'Mutation.moderateImage', { imageId: target, action: 'HIDE' })).toBe(true);
    expect(store.keys(`public/${B}/${target}/`)).toEqual([]);
    expect(cdn.invalidations).toContainEqual([`/${B}/${target}/*`]);
    expect(((await call('guest', 'Query.publicImages')) as Page).items.map((i) => i.imageId)).not.toContain(
      target,
    );
    expect(((await call('A', 'Query.sharedImages')) as Page).items.map((i) => i.imageId)).not.toContain(
      target,
    );
    expect(await call('B', 'Query.image', { imageId: target })).toMatchObject({ status: 'HIDDEN' });
  });

  test('pages have a hard size: more than 48 is refused, and the cursor walks the rest', async () => {
    await expect(call('A', 'Query.myImages', { limit: 49 })).rejects.toMatchObject({ name: 'BadRequest' });
    const first = (await call('A', 'Query.myImages', { limit: 2 })) as Page;
    expect(first.items).toHaveLength(2);
    expect(first.nextToken).toEqual(expect.any(String));
    const second = (await call('A', 'Query.myImages', { limit: 2, nextToken: first.nextToken })) as Page;
    expect(second.items).toHaveLength(1);
    expect(second.nextToken).toBeNull();
  });

  test('cursors cannot be forged or reused by another caller or query', async () => {
    const { nextToken } = (await call('A', 'Query.myImages', { limit: 1 })) as Page;
    const token = nextToken as string;
    const [payload] = token.split('.') as [string];
    const forgedKey = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, string>;
    forgedKey.ownerPk = `OWNER#${B}`;
    const forged = `${Buffer.from(JSON.stringify(forgedKey)).toString('base64url')}.${token.split('.')[1]}`;
    await expect(call('A', 'Query.myImages', { nextToken: forged })).rejects.toMatchObject({
      name: 'InvalidCursor',
    });
    await expect(call('B', 'Query.myImages', { nextToken: token })).rejects.toMatchObject({
      name: 'InvalidCursor',
    });
    await expect(call('A', 'Query.sharedImages', { nextToken: token })).rejects.toMatchObject({
      name: 'InvalidCursor',
    });
    await expect(call('A', 'Query.myImages', { nextToken: 'garbage' })).rejects.toMatchObject({
      name: 'InvalidCursor',
    });
  });

  test('unpublishing removes the public copies and purges the CDN', async () => {
    const image = await upload(A, 'temp.jpg');
    await call('A', 'Mutation.setVisibility', { imageId: image, visibility: 'PUBLIC' });
    await call('A', 'Mutation.setVisibility', { imageId: image, visibility: 'SHARED' });
    expect(store.keys(`public/${A}/${image}/`)).toEqual([]);
    expect(cdn.invalidations).toContainEqual([`/${A}/${image}/*`]);
  });

  test("profiles: the caller's own, and deleteMyData removes every original and the profile", async () => {
    await call('B', 'Mutation.updateProfile', { displayName: 'Bee' });
    expect(await call('B', 'Query.myProfile')).toEqual({ identityId: B, displayName: 'Bee' });
    expect(await call('A', 'Query.myProfile')).toEqual({ identityId: A, displayName: null });
    await call('B', 'Mutation.deleteMyData');
    expect(store.keys(`protected/${B}/`)).toEqual([]);
    expect(await call('B', 'Query.myProfile')).toEqual({ identityId: B, displayName: null });
    expect(store.keys(`protected/${A}/`).length).toBeGreaterThan(0);
  });
});

describe("the owner's display name on images", () => {
  const HOSTILE = '<img src=x onerror=alert(1)>"&\'';
  let byA: string[];
  let byB: string;
  let byC: string;
  beforeAll(async () => {
    byA = [await upload(A, 'named-1.jpg'), await upload(A, 'named-2.jpg')];
    byB = await upload(B, 'named.jpg');
    byC = await upload(C, 'nameless.jpg');
    for (const [who, imageId] of [
      ['A', byA[0]],
      ['A', byA[1]],
      ['B', byB],
      ['C', byC],
    ] as const) {
      await call(who, 'Mutation.setVisibility', { imageId, visibility: 'PUBLIC' });
    }
    await call('A', 'Mutation.updateProfile', { displayName: 'Ada' });
    await call('B', 'Mutation.updateProfile', { displayName: HOSTILE });
  });
  afterEach(() => jest.restoreAllMocks());

  test("one page carries every owner's name (null without a profile, a hostile one as data), in one BatchGetItem", async () => {
    const send = jest.spyOn(dynamo.db, 'send');
    const page = (await call('guest', 'Query.publicImages', { limit: 4 })) as Page;
    const names = Object.fromEntries(page.items.map((i) => [i.imageId, i.ownerName]));
    expect(names).toEqual({ [byA[0]!]: 'Ada', [byA[1]!]: 'Ada', [byB]: HOSTILE, [byC]: null });
    const gets = send.mock.calls.filter(([command]) => command instanceof BatchGetCommand);
    expect(gets).toHaveLength(1);
    const keys = (gets[0]![0] as BatchGetCommand).input.RequestItems?.[dynamo.tableName]?.Keys;
    expect(keys).toHaveLength(3);
    // Only the name is read from a profile, so no other profile attribute can reach an image.
    expect(
      (gets[0]![0] as BatchGetCommand).input.RequestItems?.[dynamo.tableName]?.ProjectionExpression,
    ).toBe('#pk, #name');
  });

  test('the same name on one public image, the shared feed and my images; a rename shows at once', async () => {
    expect(await call('guest', 'Query.publicImage', { imageId: byB })).toMatchObject({ ownerName: HOSTILE });
    const shared = (await call('C', 'Query.sharedImages', { limit: 4 })) as Page;
    expect(shared.items.find((i) => i.imageId === byA[0])).toMatchObject({ ownerName: 'Ada' });
    await call('A', 'Mutation.updateProfile', { displayName: 'Ada L.' });
    const mine = (await call('A', 'Query.myImages', { limit: 2 })) as Page;
    expect(mine.items.map((i) => i.ownerName)).toEqual(['Ada L.', 'Ada L.']);
    expect(await call('C', 'Query.image', { imageId: byA[0] })).toMatchObject({ ownerName: 'Ada L.' });
  });
});
