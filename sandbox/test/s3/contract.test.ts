import { createHash, randomBytes } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { BUCKET, s3ErrorOf, s3TestServerPerFile } from '../helpers/s3-test-server';

const server = s3TestServerPerFile();

describe('objects through the real AWS SDK v3 client', () => {
  test('PutObject then GetObject returns the bytes, content type, metadata and ETag', async () => {
    const s3 = server().client();
    const body = 'hello sandbox';
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'public/a/hello.txt',
        Body: body,
        ContentType: 'text/plain',
        CacheControl: 'max-age=60',
        ContentDisposition: 'inline',
        Metadata: { owner: 'alice' },
      }),
    );
    expect(put.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
    // A version id is 24 random bytes, base64url (handlers/common.ts).
    expect(put.VersionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'public/a/hello.txt' }));
    expect(await got.Body!.transformToString()).toBe(body);
    expect(got.ContentType).toBe('text/plain');
    expect(got.CacheControl).toBe('max-age=60');
    expect(got.ContentDisposition).toBe('inline');
    expect(got.Metadata).toEqual({ owner: 'alice' });
    expect(got.ETag).toBe(put.ETag);
    expect(got.LastModified).toBeInstanceOf(Date);
    expect(got.VersionId).toBe(put.VersionId);
  });

  test('a streamed body (aws-chunked with a CRC32 trailer) is decoded and stored byte-identical', async () => {
    const s3 = server().client();
    const data = randomBytes(300_000);
    let sent: Record<string, string> = {};
    s3.middlewareStack.add(
      (next) => async (args) => {
        sent = { ...(args.request as { headers: Record<string, string> }).headers };
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low' },
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'stream.bin',
        Body: Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]),
        ContentLength: data.length,
      }),
    );
    expect(sent['x-amz-content-sha256']).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    expect(sent['x-amz-trailer']).toBe('x-amz-checksum-crc32');
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'stream.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
  });

  test('HeadObject reports size, type and ETag; a missing key is a bodiless 404', async () => {
    const s3 = server().client();
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'head/me.png',
        Body: Buffer.alloc(1234, 1),
        ContentType: 'image/png',
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'head/me.png' }));
    expect(head.ContentLength).toBe(1234);
    expect(head.ContentType).toBe('image/png');
    const err = await s3ErrorOf(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'head/missing.png' })));
    expect(err.$metadata.httpStatusCode).toBe(404);
    expect(err.name).toBe('NotFound');
  });

  test('Range reads return 206 with the requested bytes', async () => {
    const s3 = server().client();
    const data = randomBytes(1000);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'range.bin', Body: data }));
    const got = await s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'range.bin', Range: 'bytes=100-199' }),
    );
    expect(got.$metadata.httpStatusCode).toBe(206);
    expect(got.ContentRange).toBe('bytes 100-199/1000');
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data.subarray(100, 200))).toBe(true);
    const suffix = await s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'range.bin', Range: 'bytes=-10' }),
    );
    expect(Buffer.from(await suffix.Body!.transformToByteArray()).equals(data.subarray(990))).toBe(true);
  });

  test('ListObjectsV2 with prefix, delimiter, url encoding and pagination keeps KeyCount and IsTruncated consistent', async () => {
    const s3 = server().client();
    const keys = [
      'list/a.txt',
      'list/b c.txt',
      'list/sub/1.txt',
      'list/sub/2.txt',
      'list/z/9.txt',
      'list/é.txt',
    ];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: Key }));
    const top = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'list/', Delimiter: '/', EncodingType: 'url' }),
    );
    expect(top.EncodingType).toBe('url');
    expect(top.Contents?.map((c) => decodeURIComponent(c.Key!.replace(/\+/g, ' ')))).toEqual([
      'list/a.txt',
      'list/b c.txt',
      'list/é.txt',
    ]);
    expect(top.CommonPrefixes?.map((p) => decodeURIComponent(p.Prefix!))).toEqual(['list/sub/', 'list/z/']);
    expect(top.KeyCount).toBe(5);
    expect(top.IsTruncated).toBe(false);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: BUCKET,
          Prefix: 'list/',
          Delimiter: '/',
          MaxKeys: 2,
          ContinuationToken: token,
        }),
      );
      pages++;
      expect(page.KeyCount).toBe((page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0));
      expect(page.IsTruncated).toBe(page.NextContinuationToken !== undefined);
      seen.push(
        ...(page.Contents ?? []).map((c) => c.Key!),
        ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!),
      );
      token = page.NextContinuationToken;
    } while (token);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['list/a.txt', 'list/b c.txt', 'list/sub/', 'list/z/', 'list/é.txt'].sort());

    const after = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'list/', StartAfter: 'list/sub/1.txt' }),
    );
    expect(after.Contents?.map((c) => c.Key)).toEqual(['list/sub/2.txt', 'list/z/9.txt', 'list/é.txt']);
  });

  test('CopyObject copies bytes and metadata, or replaces metadata with REPLACE', async () => {
    const s3 = server().client();
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'copy/src file%.txt',
        Body: 'copy me',
        ContentType: 'text/plain',
        Metadata: { a: '1' },
      }),
    );
    const copied = await s3.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'copy/dst.txt',
        CopySource: `${BUCKET}/${encodeURIComponent('copy/src file%.txt')}`,
      }),
    );
    expect(copied.CopyObjectResult?.ETag).toBe(`"${createHash('md5').update('copy me').digest('hex')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'copy/dst.txt' }));
    expect(await got.Body!.transformToString()).toBe('copy me');
    expect(got.Metadata).toEqual({ a: '1' });
    await s3.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'copy/dst2.txt',
        CopySource: `${BUCKET}/copy/src file%.txt`,
        MetadataDirective: 'REPLACE',
        ContentType: 'text/csv',
        Metadata: { b: '2' },
      }),
    );
    const replaced = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'copy/dst2.txt' }));
    expect(replaced.ContentType).toBe('text/csv');
    expect(replaced.Metadata).toEqual({ b: '2' });
  });

  test('DeleteObject is idempotent and DeleteObjects reports each key', async () => {
    const s3 = server().client();
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'del/1', Body: '1' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'del/2', Body: '2' }));
    const first = await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'del/1' }));
    expect(first.$metadata.httpStatusCode).toBe(204);
    const again = await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'del/1' }));
    expect(again.$metadata.httpStatusCode).toBe(204);
    const batch = await s3.send(
      new DeleteObjectsCommand({
        Bucket: BUCKET,
        Delete: { Objects: [{ Key: 'del/2' }, { Key: 'del/never' }] },
      }),
    );
    expect(batch.Deleted?.map((d) => d.Key).sort()).toEqual(['del/2', 'del/never']);
    const list = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'del/' }));
    expect(list.KeyCount).toBe(0);
  });

  test('a presigned GET URL works with plain fetch, including response-content-disposition', async () => {
    const s3 = server().client();
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'presign/pic.png',
        Body: 'png-bytes',
        ContentType: 'image/png',
      }),
    );
    const url = await getSignedUrl(
      s3,
      new GetObjectCommand({
        Bucket: BUCKET,
        Key: 'presign/pic.png',
        ResponseContentDisposition: 'attachment; filename="x.png"',
      }),
      { expiresIn: 60 },
    );
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('png-bytes');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="x.png"');
    const tampered = await fetch(
      url.replace('presign%2Fpic.png', 'presign%2Fother.png').replace('presign/pic.png', 'presign/other.png'),
    );
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  test('a 20 MiB multipart upload (lib-storage Upload) reads back byte-identical', async () => {
    const s3 = server().client();
    const data = randomBytes(20 * 1024 * 1024);
    const upload = new Upload({
      client: s3,
      params: { Bucket: BUCKET, Key: 'big/20mib.bin', Body: data, ContentType: 'application/octet-stream' },
      partSize: 5 * 1024 * 1024,
      queueSize: 4,
    });
    const done = await upload.done();
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-4"$/);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big/20mib.bin' }));
    expect(head.ContentLength).toBe(data.length);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big/20mib.bin' }));
    const back = Buffer.from(await got.Body!.transformToByteArray());
    expect(createHash('sha256').update(back).digest('hex')).toBe(
      createHash('sha256').update(data).digest('hex'),
    );
    const middle = await s3.send(
      new GetObjectCommand({
        Bucket: BUCKET,
        Key: 'big/20mib.bin',
        Range: `bytes=${5 * 1024 * 1024 - 10}-${5 * 1024 * 1024 + 9}`,
      }),
    );
    expect(
      Buffer.from(await middle.Body!.transformToByteArray()).equals(
        data.subarray(5 * 1024 * 1024 - 10, 5 * 1024 * 1024 + 10),
      ),
    ).toBe(true);
  }, 60_000);
});
