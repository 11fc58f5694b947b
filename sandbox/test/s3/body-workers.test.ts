/**
 * Bodies of 1 MiB and more are hashed and written by the worker pool (src/services/s3/body-workers.ts).
 * These tests hold that path to the same answers as the in-thread one: every checksum algorithm,
 * bodies in parallel (more than the pool has workers and slots), a failed check, a client that
 * goes away mid-body, and a durable store.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { BodySession, type WorkerAlgorithm } from '../../src/services/s3/body-workers';
import { crc32c } from '../../src/services/s3/checksums';
import { errorCode, signedFetch, signerFor } from '../helpers/s3-signing';
import { BUCKET, startS3TestServer, type S3TestServer } from '../helpers/s3-test-server';

const MiB = 1024 * 1024;
let server: S3TestServer;

beforeAll(async () => {
  server = await startS3TestServer();
});
afterAll(async () => {
  await server.close();
});

const base64Crc = (value: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out.toString('base64');
};
const md5Hex = (body: Buffer) => createHash('md5').update(body).digest('hex');

async function read(key: string): Promise<Buffer> {
  const out = await server.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function tempFiles(): Promise<string[]> {
  const objects = await readdir(join(server.stateDir, 's3', BUCKET, 'objects'));
  return objects.filter((f) => f.startsWith('.tmp-'));
}

test.each([
  ['CRC32', (b: Buffer) => base64Crc(crc32(b))],
  ['CRC32C', (b: Buffer) => base64Crc(crc32c(b))],
  ['SHA1', (b: Buffer) => createHash('sha1').update(b).digest('base64')],
  ['SHA256', (b: Buffer) => createHash('sha256').update(b).digest('base64')],
] as const)(
  'a 3 MiB body with %s: the right checksum and ETag, stored byte for byte',
  async (algorithm, expected) => {
    const body = randomBytes(3 * MiB + 123);
    const key = `workers/checksum-${algorithm}`;
    const out = await server
      .client()
      .send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ChecksumAlgorithm: algorithm }));
    const echoed = {
      CRC32: out.ChecksumCRC32,
      CRC32C: out.ChecksumCRC32C,
      SHA1: out.ChecksumSHA1,
      SHA256: out.ChecksumSHA256,
    }[algorithm];
    expect(echoed).toBe(expected(body));
    expect(out.ETag).toBe(`"${md5Hex(body)}"`);
    expect((await read(key)).equals(body)).toBe(true);
  },
);

test('twelve large bodies at once (more than the workers and their slots) each get their own ETag and bytes', async () => {
  const bodies = Array.from({ length: 12 }, (_, i) => randomBytes(MiB + 4099 * (i + 1)));
  const client = server.client();
  const etags = await Promise.all(
    bodies.map(async (Body, i) => {
      const out = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `workers/many-${i}`, Body }));
      return out.ETag;
    }),
  );
  expect(etags).toEqual(bodies.map((b) => `"${md5Hex(b)}"`));
  for (const [i, body] of bodies.entries()) expect((await read(`workers/many-${i}`)).equals(body)).toBe(true);
});

test('a large body whose CRC32 does not match is 400 BadDigest and leaves no file behind', async () => {
  const body = randomBytes(2 * MiB);
  const res = await signedFetch(server.endpoint, server.user, {
    method: 'PUT',
    path: `/${BUCKET}/workers/bad-crc`,
    body,
    headers: { 'x-amz-checksum-crc32': base64Crc(crc32(body) ^ 1) },
  });
  expect(res.status).toBe(400);
  expect(await errorCode(res)).toBe('BadDigest');
  expect(server.service.store.bucket(BUCKET)!.get('workers/bad-crc')).toBeUndefined();
  expect(await tempFiles()).toEqual([]);
});

test('a client that goes away mid-body leaves no object and no temp file, and the next upload works', async () => {
  const url = new URL(server.endpoint);
  const declared = 8 * MiB;
  // Signed as UNSIGNED-PAYLOAD so that the request is authorised and its body starts streaming.
  const signed = await signerFor(server.user).sign({
    method: 'PUT',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: `/${BUCKET}/workers/abandoned`,
    query: {},
    headers: {
      host: url.host,
      'content-length': String(declared),
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    },
  });
  let midway: string[] = [];
  await new Promise<void>((resolve) => {
    const req = request({
      host: url.hostname,
      port: url.port,
      method: 'PUT',
      path: `/${BUCKET}/workers/abandoned`,
      headers: signed.headers,
    });
    req.on('error', () => resolve());
    req.write(randomBytes(3 * MiB), () =>
      setTimeout(() => {
        void tempFiles().then((files) => {
          midway = files;
          req.destroy();
          resolve();
        });
      }, 200),
    );
  });
  // The body really was streaming to a temp file when the client went away.
  expect(midway).toHaveLength(1);
  // The server notices the reset, aborts the body on its worker and deletes the temp file.
  for (let i = 0; i < 50 && (await tempFiles()).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  expect(await tempFiles()).toEqual([]);
  expect(server.service.store.bucket(BUCKET)!.get('workers/abandoned')).toBeUndefined();

  const body = randomBytes(2 * MiB);
  await server.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'workers/after', Body: body }));
  expect((await read('workers/after')).equals(body)).toBe(true);
});

test('a durable store (fsync before acknowledging) stores large bodies the same way', async () => {
  const durable = await startS3TestServer({ durable: true });
  try {
    const body = randomBytes(2 * MiB + 1);
    const out = await durable
      .client()
      .send(new PutObjectCommand({ Bucket: BUCKET, Key: 'workers/durable', Body: body }));
    expect(out.ETag).toBe(`"${md5Hex(body)}"`);
    const got = await durable.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'workers/durable' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
  } finally {
    await durable.close();
  }
});

test('a body waiting for a slot when its worker dies fails instead of waiting forever', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'body-workers-'));
  const file = await open(join(dir, 'body'), 'w');
  try {
    // An algorithm the worker cannot create throws inside it: the worker dies on the first message.
    const session = new BodySession(['no-such-hash' as WorkerAlgorithm], file.fd);
    // More than the worker's slots (8 x 256 KiB): the rest waits for slots the dead worker never frees.
    const behind = session.write(randomBytes(3 * MiB));
    expect(behind).toBeInstanceOf(Promise);
    await expect(behind).rejects.toThrow(/no-such-hash|Digest method not supported/i);
    await session.abort();
  } finally {
    await file.close();
    await rm(dir, { recursive: true, force: true });
  }
});
