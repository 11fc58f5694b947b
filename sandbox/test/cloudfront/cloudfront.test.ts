import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DIST, OTHER, oacPolicy, SECURITY_HEADERS, startEdge, type Edge } from '../helpers/cloudfront-edge';
import { BUCKET, bucketSpec } from '../helpers/s3-test-server';

describe('CloudFront with OAC scoped to public/*', () => {
  let edge: Edge;
  beforeAll(async () => {
    edge = await startEdge(bucketSpec({ policy: oacPolicy('public/*') }));
  });
  afterAll(async () => edge.close());

  test('serves public/ objects under the origin path, with the response headers policy and edge headers', async () => {
    const res = await fetch(`${edge.url}/${DIST}/idA/cat.png`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('cat-bytes');
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; img-src 'self'; sandbox");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-cache')).toBe('Miss from cloudfront');
    expect(res.headers.get('via')).toMatch(/cloudfront\.net \(CloudFront\)$/);
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
  });

  test('decodes the viewer path once, like the S3 origin', async () => {
    const res = await fetch(`${edge.url}/${DIST}/idA/photo%201.png`);
    expect(await res.text()).toBe('spaced');
  });

  test('answers If-None-Match with 304 and Range with 206', async () => {
    const first = await fetch(`${edge.url}/${DIST}/idA/cat.png`);
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    const again = await fetch(`${edge.url}/${DIST}/idA/cat.png`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const part = await fetch(`${edge.url}/${DIST}/idA/cat.png`, { headers: { range: 'bytes=0-2' } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('cat');
  });

  test('cannot reach outside the origin path: ../ stays inside public/ and is simply missing', async () => {
    const res = await fetch(`${edge.url}/${DIST}/..%2Fprivate%2FidA%2Fdiary.png`);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('private-bytes');
  });

  test('a missing object is 403 AccessDenied (the OAC principal may not list), with security headers', async () => {
    const res = await fetch(`${edge.url}/${DIST}/idA/missing.png`);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
    expect(res.headers.get('content-security-policy')).toBe(SECURITY_HEADERS['content-security-policy']);
  });

  test('another distribution reads nothing: the grant is bound to one SourceArn, and the denial is logged', async () => {
    const res = await fetch(`${edge.url}/${OTHER}/idA/cat.png`);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
    const line = edge.logger.lines.find(
      (l) => l.message === 'AccessDenied' && String(l.fields?.principal).includes(OTHER),
    );
    expect(line?.fields).toMatchObject({
      action: 's3:GetObject',
      resource: `arn:aws:s3:::${BUCKET}/public/idA/cat.png`,
    });
  });

  test.each(['POST', 'PUT', 'DELETE', 'PATCH'])(
    '%s is refused with 403, as CloudFront refuses methods it does not allow',
    async (method) => {
      const res = await fetch(`${edge.url}/${DIST}/idA/cat.png`, { method });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('not configured to allow the HTTP request method');
    },
  );

  test('an archived (DEEP_ARCHIVE) object is 403 InvalidObjectState, as its S3 origin answers', async () => {
    await edge.s3.client().send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'public/idA/cold.png',
        Body: 'cold',
        StorageClass: 'DEEP_ARCHIVE',
      }),
    );
    const res = await fetch(`${edge.url}/${DIST}/idA/cold.png`);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>InvalidObjectState</Code>');
  });

  test('the response headers policy wins over the headers the uploader stored', async () => {
    await edge.s3.client().send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'public/idA/download.png',
        Body: 'x',
        ContentDisposition: 'attachment; filename="evil.html"',
      }),
    );
    const res = await fetch(`${edge.url}/${DIST}/idA/download.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('inline');
  });

  test('HEAD returns the headers without a body', async () => {
    const res = await fetch(`${edge.url}/${DIST}/idA/cat.png`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('9');
  });
});

describe('CloudFront with an over-broad grant on bucket/*', () => {
  let edge: Edge;
  beforeAll(async () => {
    // What `S3BucketOrigin.withOriginAccessControl(bucket, { originPath: '/public' })` writes: the origin path does not narrow it.
    edge = await startEdge(bucketSpec({ policy: oacPolicy('*') }), { originPath: '' });
  });
  afterAll(async () => edge.close());

  test('private files become readable through a distribution on the bucket root, so the mistake shows up locally', async () => {
    const res = await fetch(`${edge.url}/${DIST}/private/idA/diary.png`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('private-bytes');
  });
});
