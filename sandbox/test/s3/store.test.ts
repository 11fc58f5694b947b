import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { silentLogger } from '../../src/core/logger';
import {
  BucketStore,
  compareKeys,
  INLINE_LIMIT,
  StaleRecordError,
  type ObjectRecord,
} from '../../src/services/s3/store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sandbox-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fields = (etag = '"e"') => ({
  etag,
  lastModified: new Date(0).toISOString(),
  contentType: 'text/plain',
  userMetadata: {},
  checksums: {},
});

async function put(store: BucketStore, key: string, body: string): Promise<ObjectRecord> {
  const staged = await store.stage(Readable.from([Buffer.from(body)]));
  return store.commit(key, staged, fields(`"${createHash('md5').update(body).digest('hex')}"`));
}

async function read(store: BucketStore, key: string, start?: number, end?: number): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.openRead(store.get(key)!, start, end)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

test('objects, their metadata and the key index survive reopening the store', async () => {
  const first = await BucketStore.open('b', dir, silentLogger);
  await put(first, 'a/1', 'one');
  await put(first, 'a/2', 'two');
  await put(first, 'a/1', 'one again');
  await first.delete('a/2');
  const reopened = await BucketStore.open('b', dir, silentLogger);
  expect(reopened.list({ prefix: '', maxKeys: 1000 }).contents.map((r) => r.key)).toEqual(['a/1']);
  expect(await read(reopened, 'a/1')).toBe('one again');
});

test('a small object lives inside its metadata file: no separate data file', async () => {
  const store = await BucketStore.open('b', dir, silentLogger);
  await put(store, 'small', 'tiny');
  expect((await readdir(join(dir, 'objects'))).filter((f) => !f.startsWith('.'))).toEqual([
    expect.stringMatching(/\.meta$/),
  ]);
  expect(await read(store, 'small', 1, 2)).toBe('in');
});

test('a read of a record replaced in the meantime is reported stale, never served mixed', async () => {
  const store = await BucketStore.open('b', dir, silentLogger);
  const old = await put(store, 'k', 'version one');
  await put(store, 'k', 'version two');
  await expect(store.readSmall(old)).rejects.toBeInstanceOf(StaleRecordError);
  const bigOld = await put(store, 'big', 'x'.repeat(INLINE_LIMIT + 1));
  await put(store, 'big', 'y'.repeat(INLINE_LIMIT + 1));
  await expect(store.openRead(bigOld)).rejects.toBeInstanceOf(StaleRecordError);
});

test('an overwrite releases the previous data file', async () => {
  const store = await BucketStore.open('b', dir, silentLogger);
  await put(store, 'k', 'a'.repeat(INLINE_LIMIT + 1));
  await put(store, 'k', 'b'.repeat(INLINE_LIMIT + 1));
  const bins = (await readdir(join(dir, 'objects'))).filter((f) => f.endsWith('.bin'));
  expect(bins).toHaveLength(1);
});

test('temp files and data that no metadata names (a crash mid-write) are removed on open', async () => {
  const store = await BucketStore.open('b', dir, silentLogger);
  await put(store, 'kept', 'kept');
  await writeFile(join(dir, 'objects', '.tmp-123-abc'), 'half a body');
  await writeFile(
    join(dir, 'objects', '0123456789abcdef0123456789abcdef.bin'),
    'renamed but never published',
  );
  const reopened = await BucketStore.open('b', dir, silentLogger);
  const files = await readdir(join(dir, 'objects'));
  expect(files.some((f) => f.startsWith('.tmp-'))).toBe(false);
  expect(files).not.toContain('0123456789abcdef0123456789abcdef.bin');
  expect(await read(reopened, 'kept')).toBe('kept');
});

test('a staged body that is discarded never becomes visible and leaves no temp file', async () => {
  const store = await BucketStore.open('b', dir, silentLogger);
  // Larger than INLINE_LIMIT, so that it is staged in a temp file.
  const staged = await store.stage(Readable.from([Buffer.alloc(INLINE_LIMIT + 1)]));
  expect(staged.tmpName).toMatch(/^\.tmp-/);
  await store.discard(staged);
  expect(store.objectCount).toBe(0);
  expect(await readdir(join(dir, 'objects'))).toEqual([]);
});

test('keys sort in UTF-8 byte order (code points), as S3 lists them', async () => {
  const keys = ['\uffff', '\u{1F600}', 'a', 'B', 'é'];
  expect([...keys].sort(compareKeys)).toEqual(['B', 'a', 'é', '\uffff', '\u{1F600}']);
  expect(Buffer.compare(Buffer.from('\uffff'), Buffer.from('\u{1F600}'))).toBe(-1);
});

test('list pages through common prefixes without repeating them', async () => {
  const store = await BucketStore.open('b', dir, silentLogger);
  for (const key of ['p/a/1', 'p/a/2', 'p/b', 'p/c/1', 'p/d']) await put(store, key, key);
  const seen: string[] = [];
  let continueFrom: string | undefined;
  do {
    const page = store.list({ prefix: 'p/', delimiter: '/', maxKeys: 1, continueFrom });
    seen.push(...page.contents.map((r) => r.key), ...page.commonPrefixes);
    continueFrom = page.continueFrom;
  } while (continueFrom !== undefined);
  expect(seen).toEqual(['p/a/', 'p/b', 'p/c/', 'p/d']);
});

test('a completed multipart object reads across its parts, including ranges that span them', async () => {
  const store = await BucketStore.open('b', dir, silentLogger);
  const upload = await store.createUpload('mp', { contentType: 'x', userMetadata: {} }, new Date());
  const parts = [];
  for (const [i, body] of ['aaaa', 'bbbb', 'cc'].entries()) {
    const staged = await store.stage(Readable.from([Buffer.from(body)]), upload.uploadId);
    parts.push(
      await store.commitPart(upload, staged, {
        partNumber: i + 1,
        etag: `"${i}"`,
        lastModified: new Date().toISOString(),
        checksums: {},
      }),
    );
  }
  await store.completeUpload(upload, parts, {
    etag: '"x-3"',
    lastModified: new Date().toISOString(),
    checksums: {},
    partsCount: 3,
  });
  expect(await read(store, 'mp')).toBe('aaaabbbbcc');
  expect(await read(store, 'mp', 3, 8)).toBe('abbbbc');
  expect(await readdir(join(dir, 'uploads'))).toEqual([]);
  const reopened = await BucketStore.open('b', dir, silentLogger);
  expect(await read(reopened, 'mp')).toBe('aaaabbbbcc');
});

test('an incomplete upload is invisible to reads and lists, and survives a reopen for resuming', async () => {
  const store = await BucketStore.open('b', dir, silentLogger);
  const upload = await store.createUpload('pending', { contentType: 'x', userMetadata: {} }, new Date());
  const staged = await store.stage(Readable.from([Buffer.from('part')]), upload.uploadId);
  await store.commitPart(upload, staged, {
    partNumber: 1,
    etag: '"p"',
    lastModified: new Date().toISOString(),
    checksums: {},
  });
  expect(store.get('pending')).toBeUndefined();
  expect(store.list({ prefix: '', maxKeys: 10 }).contents).toEqual([]);
  const reopened = await BucketStore.open('b', dir, silentLogger);
  expect(reopened.getUpload(upload.uploadId, 'pending').parts.get(1)?.size).toBe(4);
});

test('a part whose upload was aborted while it streamed is NoSuchUpload, not an internal error', async () => {
  const store = await BucketStore.open('b', dir, silentLogger);
  const upload = await store.createUpload('gone', { contentType: 'x', userMetadata: {} }, new Date());
  const staged = await store.stage(Readable.from([Buffer.from('part')]), upload.uploadId);
  await store.abortUpload(upload);
  await expect(
    store.commitPart(upload, staged, {
      partNumber: 1,
      etag: '"p"',
      lastModified: new Date().toISOString(),
      checksums: {},
    }),
  ).rejects.toMatchObject({ code: 'NoSuchUpload', status: 404 });
  expect(await readdir(join(dir, 'uploads'))).toEqual([]);
});

test('concurrent create-only commits of one key: exactly one wins, the loser leaves no data behind', async () => {
  const store = await BucketStore.open('b', dir, silentLogger);
  const createOnly = (current: ObjectRecord | undefined) => {
    if (current) throw new Error('exists');
  };
  // Above INLINE_LIMIT, so that each body is a data file renamed into objects/ before it is published.
  const bodies = ['a', 'b', 'c'].map((c) => c.repeat(INLINE_LIMIT + 1));
  const staged = await Promise.all(bodies.map((b) => store.stage(Readable.from([Buffer.from(b)]))));
  const outcomes = await Promise.allSettled(
    staged.map((s, i) => store.commit('once', s, fields(`"${i}"`), createOnly)),
  );
  expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected', 'rejected']);
  const winner = outcomes.findIndex((o) => o.status === 'fulfilled');
  expect(await read(store, 'once')).toBe(bodies[winner]);
  const files = await readdir(join(dir, 'objects'));
  expect(files.filter((f) => f.endsWith('.bin'))).toHaveLength(1);
  expect(files.filter((f) => f.startsWith('.tmp-'))).toEqual([]);
});

test('a commit whose metadata cannot be written fails and leaves no data file behind', async () => {
  const store = await BucketStore.open('b', dir, silentLogger);
  // A folder where the key's metadata file goes makes the metadata rename fail.
  const metaFile = `${createHash('sha256').update('blocked').digest('hex')}.meta`;
  await mkdir(join(dir, 'objects', metaFile));
  const staged = await store.stage(Readable.from([Buffer.alloc(INLINE_LIMIT + 1)]));
  await expect(store.commit('blocked', staged, fields())).rejects.toThrow();
  expect(store.get('blocked')).toBeUndefined();
  expect(await readdir(join(dir, 'objects'))).toEqual([metaFile]);
});

test('a completion that cannot link every part removes the links it made and keeps the upload', async () => {
  const store = await BucketStore.open('b', dir, silentLogger);
  const upload = await store.createUpload('mp-broken', { contentType: 'x', userMetadata: {} }, new Date());
  const parts = [];
  for (const partNumber of [1, 2]) {
    const staged = await store.stage(Readable.from([Buffer.from(`part ${partNumber}`)]), upload.uploadId);
    parts.push(
      await store.commitPart(upload, staged, {
        partNumber,
        etag: `"${partNumber}"`,
        lastModified: new Date().toISOString(),
        checksums: {},
      }),
    );
  }
  await rm(join(dir, 'uploads', upload.uploadId, parts[1]!.file));
  await expect(
    store.completeUpload(upload, parts, {
      etag: '"x-2"',
      lastModified: new Date().toISOString(),
      checksums: {},
    }),
  ).rejects.toThrow(/ENOENT/);
  expect(store.get('mp-broken')).toBeUndefined();
  expect(await readdir(join(dir, 'objects'))).toEqual([]);
  expect(store.getUpload(upload.uploadId, 'mp-broken').parts.size).toBe(2);
});

test('a part that starts streaming after its upload was aborted is NoSuchUpload, on either staging path', async () => {
  const store = await BucketStore.open('b', dir, silentLogger);
  const upload = await store.createUpload('gone-early', { contentType: 'x', userMetadata: {} }, new Date());
  await store.abortUpload(upload);
  const noSuchUpload = { code: 'NoSuchUpload', status: 404 };
  await expect(store.stage(Readable.from([Buffer.from('part')]), upload.uploadId)).rejects.toMatchObject(
    noSuchUpload,
  );
  await expect(store.stageFile(upload.uploadId, async () => 0)).rejects.toMatchObject(noSuchUpload);
});
