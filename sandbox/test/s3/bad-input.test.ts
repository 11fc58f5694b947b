/** The bad-input table of docs/sandbox.md#bad-input, one test per case, each asserting the AWS error code. */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetBucketVersioningCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { crc32c } from '../../src/services/s3/checksums';
import { errorCode, signedFetch } from '../helpers/s3-signing';
import {
  BUCKET,
  makeCredentials,
  s3ErrorOf,
  startS3TestServer,
  type S3TestServer,
} from '../helpers/s3-test-server';

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3TestServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.authorizer.decide = (request) => request.caller.kind !== 'anonymous';
});

async function failure(call: Promise<unknown>): Promise<{ code: string; status: number | undefined }> {
  const e = await s3ErrorOf(call);
  return { code: e.name, status: e.$metadata?.httpStatusCode };
}

const put = (Key: string, Body: string | Buffer = 'x') => new PutObjectCommand({ Bucket: BUCKET, Key, Body });

describe('authentication', () => {
  test('a wrong secret is 403 SignatureDoesNotMatch', async () => {
    const client = server.client({ ...server.user, secretAccessKey: 'not-the-secret' });
    expect(await failure(client.send(put('auth/x')))).toEqual({ code: 'SignatureDoesNotMatch', status: 403 });
  });

  test('an unknown access key is 403 InvalidAccessKeyId', async () => {
    const client = server.client(makeCredentials());
    expect(await failure(client.send(put('auth/x')))).toEqual({ code: 'InvalidAccessKeyId', status: 403 });
  });

  test('a request without any authentication is 403 AccessDenied', async () => {
    const res = await fetch(`${server.endpoint}/${BUCKET}/auth/x`);
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('AccessDenied');
  });

  test('a session token that does not belong to the key is 400 InvalidToken', async () => {
    const client = server.client({ ...server.user, sessionToken: 'forged' });
    expect(await failure(client.send(put('auth/x')))).toEqual({ code: 'InvalidToken', status: 400 });
  });

  test('a missing session token is 400 InvalidToken', async () => {
    const { sessionToken: _dropped, ...withoutToken } = server.user;
    const client = server.client(withoutToken as typeof server.user, {
      credentials: { accessKeyId: server.user.accessKeyId, secretAccessKey: server.user.secretAccessKey },
    });
    expect(await failure(client.send(put('auth/x')))).toEqual({ code: 'InvalidToken', status: 400 });
  });

  test('expired credentials are 400 ExpiredToken', async () => {
    const expired = makeCredentials({ expiration: new Date(Date.now() - 1000) });
    await server.credentials.put(expired);
    expect(await failure(server.client(expired).send(put('auth/x')))).toEqual({
      code: 'ExpiredToken',
      status: 400,
    });
  });

  test('a request signed more than 15 minutes off is 403 RequestTimeTooSkewed', async () => {
    const client = server.client(server.user, { systemClockOffset: -20 * 60 * 1000 });
    expect(await failure(client.send(put('auth/x')))).toEqual({ code: 'RequestTimeTooSkewed', status: 403 });
  });

  test('an expired presigned URL is 403 AccessDenied', async () => {
    await server.client().send(put('presigned/old.txt'));
    const url = await getSignedUrl(
      server.client(),
      new GetObjectCommand({ Bucket: BUCKET, Key: 'presigned/old.txt' }),
      {
        expiresIn: 60,
        signingDate: new Date(Date.now() - 10 * 60 * 1000),
      },
    );
    const res = await fetch(url);
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('AccessDenied');
  });

  test('a presigned URL signed for another key is 403 SignatureDoesNotMatch', async () => {
    const url = await getSignedUrl(
      server.client(),
      new GetObjectCommand({ Bucket: BUCKET, Key: 'presigned/a.txt' }),
      { expiresIn: 60 },
    );
    const res = await fetch(url.replace('/presigned/a.txt', '/presigned/b.txt'));
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('SignatureDoesNotMatch');
  });
});

describe('Signature Version 2 (review finding)', () => {
  const SIGV2_REFUSAL = {
    code: 'InvalidRequest',
    message: 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
  };
  const key = 'sigv2/a.txt';
  /** A correct SigV2 signature (HMAC-SHA1 over S3's V2 string to sign), so only the version is wrong. */
  const sigV2 = (stringToSign: string) =>
    createHmac('sha1', server.user.secretAccessKey).update(stringToSign).digest('base64');

  async function refusal(res: Response): Promise<{ status: number; code?: string; message?: string }> {
    const body = await res.text();
    return {
      status: res.status,
      code: /<Code>([^<]+)<\/Code>/.exec(body)?.[1],
      message: /<Message>([^<]+)<\/Message>/.exec(body)?.[1],
    };
  }

  beforeAll(async () => {
    await server.client().send(put(key, 'v2'));
  });

  test('a boto3-style SigV2 presigned URL is 400 InvalidRequest, not AccessDenied (review finding)', async () => {
    const expires = String(Math.floor(Date.now() / 1000) + 300);
    const token = server.user.sessionToken;
    const signature = sigV2(`GET\n\n\n${expires}\nx-amz-security-token:${token}\n/${BUCKET}/${key}`);
    const query = new URLSearchParams({
      AWSAccessKeyId: server.user.accessKeyId,
      Signature: signature,
      Expires: expires,
      'x-amz-security-token': token,
    });
    const res = await fetch(`${server.endpoint}/${BUCKET}/${key}?${query.toString()}`);
    expect(await refusal(res)).toEqual({ status: 400, ...SIGV2_REFUSAL });
  });

  test('an Authorization: AWS <key>:<signature> header is 400 InvalidRequest (review finding)', async () => {
    const date = new Date().toUTCString();
    const token = server.user.sessionToken;
    const signature = sigV2(`GET\n\n\n${date}\nx-amz-security-token:${token}\n/${BUCKET}/${key}`);
    const res = await fetch(`${server.endpoint}/${BUCKET}/${key}`, {
      headers: {
        authorization: `AWS ${server.user.accessKeyId}:${signature}`,
        date,
        'x-amz-security-token': token,
      },
    });
    expect(await refusal(res)).toEqual({ status: 400, ...SIGV2_REFUSAL });
  });
});

describe('authorisation', () => {
  test('a denied request is 403 AccessDenied and the sandbox logs the action, resource and principal', async () => {
    server.authorizer.decide = (r) => r.action !== 's3:PutObject';
    expect(await failure(server.client().send(put('private/someone-else/x')))).toEqual({
      code: 'AccessDenied',
      status: 403,
    });
    const line = server.logger.lines.find(
      (l) =>
        l.message === 'AccessDenied' &&
        l.fields?.resource === `arn:aws:s3:::${BUCKET}/private/someone-else/x`,
    );
    expect(line?.level).toBe('warn');
    expect(line?.fields).toMatchObject({ action: 's3:PutObject', principal: server.user.assumedRoleArn });
  });

  test('ListObjectsV2 is authorised with s3:prefix, s3:delimiter and s3:max-keys', async () => {
    await server
      .client()
      .send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'public/', Delimiter: '/', MaxKeys: 7 }));
    const call = server.authorizer.calls.filter((c) => c.action === 's3:ListBucket').pop();
    expect(call).toMatchObject({
      bucket: BUCKET,
      key: undefined,
      secureTransport: true,
      context: { 's3:prefix': 'public/', 's3:delimiter': '/', 's3:max-keys': '7' },
    });
  });
});

describe('digests', () => {
  test('a malformed Content-MD5 is 400 InvalidDigest', async () => {
    const res = await signedFetch(server.endpoint, server.user, {
      method: 'PUT',
      path: `/${BUCKET}/digest/a`,
      body: 'abc',
      headers: { 'content-md5': 'not-base64-md5' },
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('InvalidDigest');
  });

  test('a Content-MD5 that does not match the body is 400 BadDigest and nothing is stored', async () => {
    const wrong = createHash('md5').update('something else').digest('base64');
    const res = await signedFetch(server.endpoint, server.user, {
      method: 'PUT',
      path: `/${BUCKET}/digest/b`,
      body: 'abc',
      headers: { 'content-md5': wrong },
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('BadDigest');
    expect(server.service.store.bucket(BUCKET)!.get('digest/b')).toBeUndefined();
  });

  test('a body that does not match the signed x-amz-content-sha256 is 400 XAmzContentSHA256Mismatch', async () => {
    const res = await signedFetch(server.endpoint, server.user, {
      method: 'PUT',
      path: `/${BUCKET}/digest/c`,
      body: 'the real body',
      payloadHash: createHash('sha256').update('another body').digest('hex'),
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('XAmzContentSHA256Mismatch');
    expect(server.service.store.bucket(BUCKET)!.get('digest/c')).toBeUndefined();
  });

  test('large bodies (hashed on the worker thread) are checked the same way: SHA-256 and Content-MD5', async () => {
    const body = randomBytes(3 * 1024 * 1024);
    const badSha = await signedFetch(server.endpoint, server.user, {
      method: 'PUT',
      path: `/${BUCKET}/digest/large-sha`,
      body,
      payloadHash: createHash('sha256').update('not this body').digest('hex'),
    });
    expect(await errorCode(badSha)).toBe('XAmzContentSHA256Mismatch');
    const badMd5 = await signedFetch(server.endpoint, server.user, {
      method: 'PUT',
      path: `/${BUCKET}/digest/large-md5`,
      body,
      headers: { 'content-md5': createHash('md5').update('not this body').digest('base64') },
    });
    expect(await errorCode(badMd5)).toBe('BadDigest');
    const good = await signedFetch(server.endpoint, server.user, {
      method: 'PUT',
      path: `/${BUCKET}/digest/large-ok`,
      body,
      headers: { 'content-md5': createHash('md5').update(body).digest('base64') },
    });
    expect(good.status).toBe(200);
    expect(good.headers.get('etag')).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
    expect(server.service.store.bucket(BUCKET)!.get('digest/large-sha')).toBeUndefined();
    expect(server.service.store.bucket(BUCKET)!.get('digest/large-md5')).toBeUndefined();
  });

  test('an x-amz-checksum-crc32 that does not match is 400 BadDigest', async () => {
    const res = await signedFetch(server.endpoint, server.user, {
      method: 'PUT',
      path: `/${BUCKET}/digest/d`,
      body: 'abc',
      headers: { 'x-amz-checksum-crc32': 'AAAAAA==' },
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('BadDigest');
  });

  const crcBase64 = (value: number) => {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(value >>> 0);
    return out.toString('base64');
  };
  test.each([
    ['CRC32', crcBase64(crc32('checksummed'))],
    ['CRC32C', crcBase64(crc32c(Buffer.from('checksummed')))],
    ['SHA1', createHash('sha1').update('checksummed').digest('base64')],
    ['SHA256', createHash('sha256').update('checksummed').digest('base64')],
  ] as const)(
    'a correct %s checksum from the SDK is accepted and echoed',
    async (ChecksumAlgorithm, expected) => {
      const out = await server.client().send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: `digest/ok-${ChecksumAlgorithm}`,
          Body: 'checksummed',
          ChecksumAlgorithm,
        }),
      );
      const echoed = {
        CRC32: out.ChecksumCRC32,
        CRC32C: out.ChecksumCRC32C,
        SHA1: out.ChecksumSHA1,
        SHA256: out.ChecksumSHA256,
      }[ChecksumAlgorithm];
      expect(echoed).toBe(expected);
    },
  );
});

describe('keys', () => {
  test('a key over 1024 bytes is 400 KeyTooLongError', async () => {
    expect(await failure(server.client().send(put(`long/${'k'.repeat(1100)}`)))).toEqual({
      code: 'KeyTooLongError',
      status: 400,
    });
  });

  test('keys with ../, //, %, unicode and control characters are stored, listed and authorised literally', async () => {
    const keys = [
      'weird/../escape.txt',
      'weird//double',
      'weird/100%.txt',
      'weird/ünï©ødé/😀.png',
      'weird/ctl\u0001\u007f.bin',
      'weird/./dot',
      '../outside',
    ];
    const s3 = server.client();
    for (const [i, Key] of keys.entries())
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: `body-${i}` }));
    for (const [i, Key] of keys.entries()) {
      const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
      expect(await got.Body!.transformToString()).toBe(`body-${i}`);
      expect(server.authorizer.calls.some((c) => c.action === 's3:PutObject' && c.key === Key)).toBe(true);
    }
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'weird/', EncodingType: 'url' }),
    );
    expect(listed.Contents!.map((c) => decodeURIComponent(c.Key!.replace(/\+/g, ' '))).sort()).toEqual(
      keys.filter((k) => k.startsWith('weird/')).sort(),
    );
    // Nothing but hashed names on disk: no key became a path.
    const files = await readdir(join(server.stateDir, 's3', BUCKET, 'objects'));
    expect(files.every((f) => /^[0-9a-f]+\.(meta|bin)$/.test(f))).toBe(true);
    expect(await readdir(join(server.stateDir, 's3', BUCKET))).toEqual(
      expect.arrayContaining(['objects', 'uploads']),
    );
    expect((await readdir(join(server.stateDir, 's3'))).sort()).toEqual([BUCKET]);
  });

  test('a malformed percent-encoding in the path is 400 InvalidURI', async () => {
    const res = await signedFetch(server.endpoint, server.user, {
      method: 'GET',
      path: `/${BUCKET}/bad%zzkey`,
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('InvalidURI');
  });
});

describe('multipart', () => {
  async function startUpload(Key: string) {
    const s3 = server.client();
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key }));
    return { s3, UploadId: UploadId! };
  }

  test('an unparseable CompleteMultipartUpload body is 400 MalformedXML', async () => {
    const { UploadId } = await startUpload('mp/bad-xml');
    const res = await signedFetch(server.endpoint, server.user, {
      method: 'POST',
      path: `/${BUCKET}/mp/bad-xml`,
      query: { uploadId: UploadId },
      body: '<CompleteMultipartUpload><Part>',
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('MalformedXML');
  });

  test('a wrong part ETag is 400 InvalidPart', async () => {
    const { s3, UploadId } = await startUpload('mp/wrong-etag');
    await s3.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: 'mp/wrong-etag', UploadId, PartNumber: 1, Body: 'part' }),
    );
    const complete = new CompleteMultipartUploadCommand({
      Bucket: BUCKET,
      Key: 'mp/wrong-etag',
      UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }] },
    });
    expect(await failure(s3.send(complete))).toEqual({ code: 'InvalidPart', status: 400 });
  });

  test('parts out of order are 400 InvalidPartOrder', async () => {
    const { s3, UploadId } = await startUpload('mp/order');
    const one = await s3.send(
      new UploadPartCommand({
        Bucket: BUCKET,
        Key: 'mp/order',
        UploadId,
        PartNumber: 1,
        Body: Buffer.alloc(5 * 1024 * 1024),
      }),
    );
    const two = await s3.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: 'mp/order', UploadId, PartNumber: 2, Body: 'tail' }),
    );
    const complete = new CompleteMultipartUploadCommand({
      Bucket: BUCKET,
      Key: 'mp/order',
      UploadId,
      MultipartUpload: {
        Parts: [
          { PartNumber: 2, ETag: two.ETag },
          { PartNumber: 1, ETag: one.ETag },
        ],
      },
    });
    expect(await failure(s3.send(complete))).toEqual({ code: 'InvalidPartOrder', status: 400 });
  });

  test('a non-last part under 5 MiB is 400 EntityTooSmall', async () => {
    const { s3, UploadId } = await startUpload('mp/small');
    const one = await s3.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: 'mp/small', UploadId, PartNumber: 1, Body: 'small' }),
    );
    const two = await s3.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: 'mp/small', UploadId, PartNumber: 2, Body: 'tail' }),
    );
    const complete = new CompleteMultipartUploadCommand({
      Bucket: BUCKET,
      Key: 'mp/small',
      UploadId,
      MultipartUpload: {
        Parts: [
          { PartNumber: 1, ETag: one.ETag },
          { PartNumber: 2, ETag: two.ETag },
        ],
      },
    });
    expect(await failure(s3.send(complete))).toEqual({ code: 'EntityTooSmall', status: 400 });
  });

  test('an unknown upload id is 404 NoSuchUpload', async () => {
    const s3 = server.client();
    expect(
      await failure(
        s3.send(
          new UploadPartCommand({
            Bucket: BUCKET,
            Key: 'mp/none',
            UploadId: 'no-such-upload-id-at-all',
            PartNumber: 1,
            Body: 'x',
          }),
        ),
      ),
    ).toEqual({ code: 'NoSuchUpload', status: 404 });
    const complete = new CompleteMultipartUploadCommand({
      Bucket: BUCKET,
      Key: 'mp/none',
      UploadId: '../../../etc',
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"x"' }] },
    });
    expect(await failure(s3.send(complete))).toEqual({ code: 'NoSuchUpload', status: 404 });
  });
});

describe('missing keys, ranges and preconditions', () => {
  test('a missing key is 404 NoSuchKey for a caller that may list the prefix', async () => {
    expect(
      await failure(server.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing/one' }))),
    ).toEqual({ code: 'NoSuchKey', status: 404 });
  });

  test('a missing key is 403 AccessDenied for a caller that may not list', async () => {
    server.authorizer.decide = (r) => r.action !== 's3:ListBucket';
    expect(
      await failure(server.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing/two' }))),
    ).toEqual({ code: 'AccessDenied', status: 403 });
    const listCall = server.authorizer.calls.filter((c) => c.action === 's3:ListBucket').pop();
    expect(listCall?.context).toEqual({ 's3:prefix': 'missing/two' });
  });

  test('a range past the end is 416 InvalidRange', async () => {
    await server.client().send(put('range/small', '0123456789'));
    expect(
      await failure(
        server
          .client()
          .send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range/small', Range: 'bytes=50-60' })),
      ),
    ).toEqual({ code: 'InvalidRange', status: 416 });
  });

  test('If-Match with another ETag is 412 PreconditionFailed', async () => {
    await server.client().send(put('cond/a', 'a'));
    expect(
      await failure(
        server.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cond/a', IfMatch: '"0123"' })),
      ),
    ).toEqual({ code: 'PreconditionFailed', status: 412 });
  });

  test('PutObject with If-None-Match: * on an existing key is 412 PreconditionFailed', async () => {
    await server.client().send(put('cond/b', 'b'));
    expect(
      await failure(
        server
          .client()
          .send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cond/b', Body: 'b2', IfNoneMatch: '*' })),
      ),
    ).toEqual({ code: 'PreconditionFailed', status: 412 });
    const created = await server
      .client()
      .send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cond/new', Body: 'n', IfNoneMatch: '*' }));
    expect(created.ETag).toBe(`"${createHash('md5').update('n').digest('hex')}"`);
  });

  test('concurrent PutObjects with If-None-Match: * on one new key: one succeeds, the others are 412', async () => {
    const s3 = server.client();
    // Above the inline size, so that each body is staged in a file and commit awaits the disk.
    const outcomes = await Promise.allSettled(
      ['a', 'b', 'c', 'd'].map((c) =>
        s3.send(
          new PutObjectCommand({
            Bucket: BUCKET,
            Key: 'cond/race',
            Body: c.repeat(100_000),
            IfNoneMatch: '*',
          }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected'))
      expect((o.reason as Error).name).toBe('PreconditionFailed');
  });

  test('If-None-Match with the current ETag is 304 on HEAD', async () => {
    const { ETag } = await server.client().send(put('cond/c', 'c'));
    const res = await s3ErrorOf(
      server.client().send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'cond/c', IfNoneMatch: ETag })),
    );
    expect(res.$metadata.httpStatusCode).toBe(304);
  });
});

describe('operations the sandbox does not implement', () => {
  test.each([
    ['GetObjectAcl', () => new GetObjectAclCommand({ Bucket: BUCKET, Key: 'x' })],
    [
      'PutObjectTagging',
      () => new PutObjectTaggingCommand({ Bucket: BUCKET, Key: 'x', Tagging: { TagSet: [] } }),
    ],
    ['GetBucketVersioning', () => new GetBucketVersioningCommand({ Bucket: BUCKET })],
  ])('%s is 501 NotImplemented, never a silent 200', async (_name, command) => {
    expect(await failure(server.client().send(command() as never))).toEqual({
      code: 'NotImplemented',
      status: 501,
    });
  });

  test('an upload that sets tags is refused whole (501), so a tag can never be forged onto an object', async () => {
    const tagged = {
      PutObject: new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'tags/put',
        Body: 'x',
        Tagging: 'processed=true',
      }),
      CreateMultipartUpload: new CreateMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'tags/multipart',
        Tagging: 'processed=true',
      }),
    };
    for (const command of Object.values(tagged))
      expect(await failure(server.client().send(command as never))).toEqual({
        code: 'NotImplemented',
        status: 501,
      });
    expect(server.service.store.bucket(BUCKET)!.get('tags/put')).toBeUndefined();
    expect(
      server.service.store
        .bucket(BUCKET)!
        .listUploads()
        .map((u) => u.key),
    ).not.toContain('tags/multipart');
  });

  test('an unknown bucket is 404 NoSuchBucket', async () => {
    expect(
      await failure(server.client().send(new GetObjectCommand({ Bucket: 'not-a-bucket', Key: 'x' }))),
    ).toEqual({ code: 'NoSuchBucket', status: 404 });
  });

  test('a body larger than the declared length never becomes an object', async () => {
    const res = await signedFetch(server.endpoint, server.user, {
      method: 'PUT',
      path: `/${BUCKET}/len/x`,
      body: randomBytes(10),
      headers: { 'x-amz-decoded-content-length': '20', 'content-encoding': 'aws-chunked' },
      payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    });
    expect(res.status).toBe(400);
    expect(server.service.store.bucket(BUCKET)!.get('len/x')).toBeUndefined();
  });
});
