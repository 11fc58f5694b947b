/**
 * Security review finding: x-amz-* headers that the signature does not cover were accepted, so a
 * replayed signed PUT with an added x-amz-copy-source became a CopyObject. S3 refuses any x-amz-*
 * header outside SignedHeaders with 403 AccessDenied; presigned URLs may carry only the payload
 * hash and the SDK's user agent unsigned.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { errorCode, signRequest, type RawRequest } from '../helpers/s3-signing';
import { BUCKET, startS3TestServer, type S3TestServer } from '../helpers/s3-test-server';

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3TestServer();
  await server
    .client()
    .send(new PutObjectCommand({ Bucket: BUCKET, Key: 'private/alice/a.png', Body: 'secret' }));
});
afterAll(async () => {
  await server.close();
});

const COPY_SOURCE = `/${BUCKET}/private/alice/a.png`;

/** Signs `request`, then adds `added` to what is sent: what an attacker replaying a captured request does. */
async function replayWith(request: RawRequest, added: Record<string, string>): Promise<Response> {
  const { url, init } = await signRequest(server.endpoint, server.user, request);
  return fetch(url, { ...init, headers: { ...init.headers, ...added } });
}

async function exists(key: string): Promise<boolean> {
  const res = await fetch(
    await getSignedUrl(server.client(), new GetObjectCommand({ Bucket: BUCKET, Key: key }), {
      expiresIn: 60,
    }),
  );
  await res.arrayBuffer();
  return res.status === 200;
}

describe('unsigned x-amz-* headers (review finding)', () => {
  it('refuses an unsigned x-amz-copy-source added to a signed PUT (review finding)', async () => {
    const res = await replayWith(
      { method: 'PUT', path: `/${BUCKET}/public/replayed.png`, body: 'harmless upload' },
      { 'x-amz-copy-source': COPY_SOURCE },
    );
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain('There were headers present in the request which were not signed');
    expect(body).toContain('<HeadersNotSigned>x-amz-copy-source</HeadersNotSigned>');
    expect(await exists('public/replayed.png')).toBe(false);
  });

  const operations: ReadonlyArray<readonly [string, RawRequest]> = [
    ['PutObject', { method: 'PUT', path: `/${BUCKET}/ops/put.txt`, body: 'x' }],
    ['GetObject', { method: 'GET', path: `/${BUCKET}/private/alice/a.png` }],
    ['HeadObject', { method: 'HEAD', path: `/${BUCKET}/private/alice/a.png` }],
    [
      'CopyObject',
      {
        method: 'PUT',
        path: `/${BUCKET}/ops/copy.txt`,
        headers: { 'x-amz-copy-source': COPY_SOURCE },
      },
    ],
    ['DeleteObject', { method: 'DELETE', path: `/${BUCKET}/private/alice/a.png` }],
    [
      'DeleteObjects',
      {
        method: 'POST',
        path: `/${BUCKET}`,
        query: { delete: '' },
        headers: { 'content-md5': 'AAAAAAAAAAAAAAAAAAAAAA==' },
        body: '<Delete><Object><Key>private/alice/a.png</Key></Object></Delete>',
      },
    ],
    ['ListObjectsV2', { method: 'GET', path: `/${BUCKET}`, query: { 'list-type': '2' } }],
    ['HeadBucket', { method: 'HEAD', path: `/${BUCKET}` }],
    ['GetBucketLocation', { method: 'GET', path: `/${BUCKET}`, query: { location: '' } }],
    ['CreateMultipartUpload', { method: 'POST', path: `/${BUCKET}/ops/mp.bin`, query: { uploads: '' } }],
    [
      'UploadPart',
      { method: 'PUT', path: `/${BUCKET}/ops/mp.bin`, query: { partNumber: '1', uploadId: 'u' }, body: 'x' },
    ],
    [
      'CompleteMultipartUpload',
      {
        method: 'POST',
        path: `/${BUCKET}/ops/mp.bin`,
        query: { uploadId: 'u' },
        body: '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>',
      },
    ],
    ['AbortMultipartUpload', { method: 'DELETE', path: `/${BUCKET}/ops/mp.bin`, query: { uploadId: 'u' } }],
    ['ListParts', { method: 'GET', path: `/${BUCKET}/ops/mp.bin`, query: { uploadId: 'u' } }],
    ['ListMultipartUploads', { method: 'GET', path: `/${BUCKET}`, query: { uploads: '' } }],
  ];

  it.each(operations)('refuses an unsigned x-amz-* header on %s (review finding)', async (_, request) => {
    const res = await replayWith(request, { 'x-amz-meta-added': 'later' });
    expect(res.status).toBe(403);
    if (request.method !== 'HEAD') expect(await errorCode(res)).toBe('AccessDenied');
    expect(await exists('private/alice/a.png')).toBe(true);
  });

  it('refuses a session token sent as an unsigned header (review finding)', async () => {
    // Signed without the token, which then rides along outside the signature.
    const { sessionToken, ...keyOnly } = server.user;
    const { url, init } = await signRequest(
      server.endpoint,
      { ...keyOnly, sessionToken: undefined as unknown as string },
      { method: 'GET', path: `/${BUCKET}/private/alice/a.png` },
    );
    const res = await fetch(url, {
      ...init,
      headers: { ...init.headers, 'x-amz-security-token': sessionToken },
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<HeadersNotSigned>x-amz-security-token</HeadersNotSigned>');
  });

  it('refuses an unsigned x-amz-copy-source added to a presigned PUT (review finding)', async () => {
    const url = await getSignedUrl(
      server.client(),
      new PutObjectCommand({ Bucket: BUCKET, Key: 'public/presigned.png' }),
      { expiresIn: 60 },
    );
    const res = await fetch(url, { method: 'PUT', body: 'x', headers: { 'x-amz-copy-source': COPY_SOURCE } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<HeadersNotSigned>x-amz-copy-source</HeadersNotSigned>');
    expect(await exists('public/presigned.png')).toBe(false);
  });

  it('lets a presigned URL carry only the payload hash and the user agent unsigned, as S3 does', async () => {
    const url = await getSignedUrl(
      server.client(),
      new GetObjectCommand({ Bucket: BUCKET, Key: 'private/alice/a.png' }),
      { expiresIn: 60 },
    );
    const allowed = await fetch(url, {
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-user-agent': 'aws-sdk-js/3' },
    });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toBe('secret');
    const refused = await fetch(url, { headers: { 'x-amz-checksum-mode': 'ENABLED' } });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<HeadersNotSigned>x-amz-checksum-mode</HeadersNotSigned>');
  });

  it('still accepts headers the client signed, x-amz-* ones included', async () => {
    const { url, init } = await signRequest(server.endpoint, server.user, {
      method: 'PUT',
      path: `/${BUCKET}/ops/signed-meta.txt`,
      headers: { 'x-amz-meta-colour': 'blue' },
      body: 'x',
    });
    expect((await fetch(url, init)).status).toBe(200);
  });
});
