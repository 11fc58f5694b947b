import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { errorCode, signedFetch } from '../helpers/s3-signing';
import { BUCKET, REGION, s3ErrorOf, startS3TestServer, type S3TestServer } from '../helpers/s3-test-server';

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3TestServer();
});
afterAll(async () => server.close());
afterEach(() => {
  server.authorizer.decide = (request) => request.caller.kind !== 'anonymous';
});

async function codeOf(call: Promise<unknown>): Promise<string> {
  return (await s3ErrorOf(call)).name;
}

/**
 * An SDK client addressing AWS itself (virtual-hosted, or path-style on s3.<region>.amazonaws.com),
 * whose requests are redirected to the sandbox after signing, keeping the signed Host header: what the
 * fetch dispatcher and the service worker do.
 */
function awsAddressedClient(forcePathStyle: boolean): S3Client {
  const client = new S3Client({
    region: REGION,
    forcePathStyle,
    maxAttempts: 1,
    credentials: {
      accessKeyId: server.user.accessKeyId,
      secretAccessKey: server.user.secretAccessKey,
      sessionToken: server.user.sessionToken,
    },
  });
  type Handler = (args: { request: unknown }) => Promise<{ output: unknown; response: unknown }>;
  const reroute =
    (next: Handler): Handler =>
    async (args) => {
      const request = args.request as {
        protocol: string;
        hostname: string;
        port?: number;
        headers: Record<string, string>;
      };
      expect(request.headers.host).toMatch(/amazonaws\.com$/);
      request.protocol = 'http:';
      request.hostname = '127.0.0.1';
      request.port = server.port;
      return next(args);
    };
  client.middlewareStack.addRelativeTo(reroute as never, {
    relation: 'after',
    toMiddleware: 'httpSigningMiddleware',
    name: 'rerouteToSandbox',
  });
  return client;
}

test.each([
  ['virtual-hosted (<bucket>.s3.<region>.amazonaws.com/<key>)', false],
  ['AWS path-style (s3.<region>.amazonaws.com/<bucket>/<key>)', true],
])('verifies signatures against the original host: %s', async (_name, forcePathStyle) => {
  const s3 = awsAddressedClient(forcePathStyle);
  try {
    const key = `addressing/${forcePathStyle ? 'path' : 'virtual'}/a b+c.txt`;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'addressed' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(await got.Body!.transformToString()).toBe('addressed');
    const list = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'addressing/' }));
    expect(list.Contents?.map((c) => c.Key)).toContain(key);
  } finally {
    s3.destroy();
  }
});

test('AbortMultipartUpload discards the parts; the upload id is then unknown', async () => {
  const s3 = server.client();
  const Key = 'ops/aborted.bin';
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key }));
  await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key, UploadId, PartNumber: 1, Body: 'part one' }));
  const parts = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key, UploadId }));
  expect(parts.Parts?.map((p) => p.Size)).toEqual([8]);
  const aborted = await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key, UploadId }));
  expect(aborted.$metadata.httpStatusCode).toBe(204);
  expect(await codeOf(s3.send(new ListPartsCommand({ Bucket: BUCKET, Key, UploadId })))).toBe('NoSuchUpload');
  expect(await codeOf(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key })))).toBe('NoSuchKey');
});

test('AbortMultipartUpload is authorised as s3:AbortMultipartUpload', async () => {
  const s3 = server.client();
  const Key = 'ops/not-mine.bin';
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key }));
  server.authorizer.decide = (r) => r.action !== 's3:AbortMultipartUpload';
  expect(await codeOf(s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key, UploadId })))).toBe(
    'AccessDenied',
  );
});

test('DeleteObjects authorises each key: denied keys are reported as errors, the others deleted', async () => {
  const s3 = server.client();
  for (const Key of ['ops/del/mine', 'ops/del/theirs'])
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: Key }));
  server.authorizer.decide = (r) => !(r.action === 's3:DeleteObject' && r.key === 'ops/del/theirs');
  const result = await s3.send(
    new DeleteObjectsCommand({
      Bucket: BUCKET,
      Delete: { Objects: [{ Key: 'ops/del/mine' }, { Key: 'ops/del/theirs' }] },
    }),
  );
  expect(result.Deleted?.map((d) => d.Key)).toEqual(['ops/del/mine']);
  expect(result.Errors?.map((e) => [e.Key, e.Code])).toEqual([['ops/del/theirs', 'AccessDenied']]);
  expect(server.service.store.bucket(BUCKET)!.get('ops/del/theirs')).toBeDefined();
});

test('DeleteObjects with one malformed entry is MalformedXML and deletes nothing, not even the valid keys', async () => {
  await server.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'ops/del/kept', Body: 'kept' }));
  const body =
    '<Delete><Object><Key>ops/del/kept</Key></Object><Object><VersionId>v</VersionId></Object></Delete>';
  const res = await signedFetch(server.endpoint, server.user, {
    method: 'POST',
    path: `/${BUCKET}`,
    query: { delete: '' },
    body,
    headers: { 'content-md5': createHash('md5').update(body).digest('base64') },
  });
  expect(res.status).toBe(400);
  expect(await errorCode(res)).toBe('MalformedXML');
  expect(server.service.store.bucket(BUCKET)!.get('ops/del/kept')?.size).toBe(4);
});

test('DeleteObjects with Quiet reports only failures', async () => {
  const s3 = server.client();
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'ops/quiet', Body: 'q' }));
  const result = await s3.send(
    new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Quiet: true, Objects: [{ Key: 'ops/quiet' }] } }),
  );
  expect(result.Deleted ?? []).toEqual([]);
  expect(result.Errors ?? []).toEqual([]);
  expect(server.service.store.bucket(BUCKET)!.get('ops/quiet')).toBeUndefined();
});

test('CopyObject needs s3:GetObject on the source as well as s3:PutObject on the destination', async () => {
  const s3 = server.client();
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'ops/copy/src', Body: 'src' }));
  server.authorizer.decide = (r) => !(r.action === 's3:GetObject' && r.key === 'ops/copy/src');
  expect(
    await codeOf(
      s3.send(
        new CopyObjectCommand({ Bucket: BUCKET, Key: 'ops/copy/dst', CopySource: `${BUCKET}/ops/copy/src` }),
      ),
    ),
  ).toBe('AccessDenied');
  server.authorizer.decide = (r) => !(r.action === 's3:PutObject' && r.key === 'ops/copy/dst');
  expect(
    await codeOf(
      s3.send(
        new CopyObjectCommand({ Bucket: BUCKET, Key: 'ops/copy/dst', CopySource: `${BUCKET}/ops/copy/src` }),
      ),
    ),
  ).toBe('AccessDenied');
});

test('CopyObject honours x-amz-copy-source-if-match', async () => {
  const s3 = server.client();
  const { ETag } = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'ops/copy/cond', Body: 'c' }));
  expect(
    await codeOf(
      s3.send(
        new CopyObjectCommand({
          Bucket: BUCKET,
          Key: 'ops/copy/cond2',
          CopySource: `${BUCKET}/ops/copy/cond`,
          CopySourceIfMatch: '"nope"',
        }),
      ),
    ),
  ).toBe('PreconditionFailed');
  const ok = await s3.send(
    new CopyObjectCommand({
      Bucket: BUCKET,
      Key: 'ops/copy/cond2',
      CopySource: `${BUCKET}/ops/copy/cond`,
      CopySourceIfMatch: ETag,
    }),
  );
  expect(ok.CopyObjectResult?.ETag).toBe(ETag);
});

test('every write gets a new version id on a versioned bucket; only the latest is readable', async () => {
  const s3 = server.client();
  const first = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'ops/versioned', Body: 'v1' }));
  const second = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'ops/versioned', Body: 'v2' }));
  expect(first.VersionId).not.toBe(second.VersionId);
  const latest = await s3.send(
    new GetObjectCommand({ Bucket: BUCKET, Key: 'ops/versioned', VersionId: second.VersionId }),
  );
  expect(await latest.Body!.transformToString()).toBe('v2');
  expect(
    await codeOf(
      s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'ops/versioned', VersionId: first.VersionId })),
    ),
  ).toBe('NoSuchVersion');
});

test('requests without TLS reach the authorizer as aws:SecureTransport=false', async () => {
  const plain = await startS3TestServer({ secureTransport: false });
  try {
    await plain.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'tls', Body: 't' }));
    expect(plain.authorizer.calls.pop()?.secureTransport).toBe(false);
  } finally {
    await plain.close();
  }
});
