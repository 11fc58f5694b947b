/**
 * Security review finding: request documents the XML parser refused (entity tricks, deep nesting)
 * answered 500 InternalError. S3 answers 400 MalformedXML, and nothing may be deleted or completed.
 * Every operation that reads an XML body is tried: DeleteObjects and CompleteMultipartUpload (the
 * sandbox answers tagging and CORS writes 501 before reading a body).
 */
import { createHash } from 'node:crypto';
import {
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { errorCode, signedFetch } from '../helpers/s3-signing';
import { BUCKET, s3TestServerPerFile } from '../helpers/s3-test-server';

const server = s3TestServerPerFile();

const KEPT = 'xml/kept.txt';
const entity = (name: string) => `&${name};`;

/** Each wraps an innocent-looking document for `root` whose one Key/ETag text is `inner`. */
const hostile: ReadonlyArray<readonly [string, (root: string, inner: (text: string) => string) => string]> = [
  [
    'billion laughs',
    (root, inner) =>
      `<?xml version="1.0"?><!DOCTYPE ${root} [<!ENTITY l0 "lol">` +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${entity(`l${i}`).repeat(10)}">`).join('') +
      `]>${inner(entity('l9'))}`,
  ],
  [
    'an external entity',
    (root, inner) =>
      `<?xml version="1.0"?><!DOCTYPE ${root} [<!ENTITY x SYSTEM "file:///etc/passwd">]>${inner(entity('x'))}`,
  ],
  [
    'an internal entity naming another key',
    (root, inner) => `<?xml version="1.0"?><!DOCTYPE ${root} [<!ENTITY k "${KEPT}">]>${inner(entity('k'))}`,
  ],
  ['an undefined entity', (_root, inner) => inner(entity('undefined'))],
  ['10,000-deep nesting', (_root, inner) => inner(`${'<a>'.repeat(10_000)}x${'</a>'.repeat(10_000)}`)],
  ['not XML at all', () => '{"Objects": [{"Key": "xml/kept.txt"}]}'],
  ['binary bytes', () => '\u0000\u0001\u0002\u00ff'],
];

async function post(path: string, query: Record<string, string>, body: string): Promise<Response> {
  return signedFetch(server().endpoint, server().user, {
    method: 'POST',
    path,
    query,
    body,
    headers: { 'content-md5': createHash('md5').update(body).digest('base64') },
  });
}

describe('hostile XML bodies are 400 MalformedXML, never a 500 (review finding)', () => {
  beforeAll(async () => {
    await server()
      .client()
      .send(new PutObjectCommand({ Bucket: BUCKET, Key: KEPT, Body: 'kept' }));
  });

  it.each(hostile)('DeleteObjects with %s is 400 MalformedXML (review finding)', async (_, make) => {
    const body = make('Delete', (key) => `<Delete><Object><Key>${key}</Key></Object></Delete>`);
    const res = await post(`/${BUCKET}`, { delete: '' }, body);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('MalformedXML');
    expect(server().service.store.bucket(BUCKET)!.get(KEPT)).toBeDefined();
  });

  it.each(hostile)(
    'CompleteMultipartUpload with %s is 400 MalformedXML (review finding)',
    async (_, make) => {
      const s3 = server().client();
      const Key = 'xml/upload.bin';
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key }));
      const { ETag } = await s3.send(
        new UploadPartCommand({ Bucket: BUCKET, Key, UploadId, PartNumber: 1, Body: 'part' }),
      );
      const body = make(
        'CompleteMultipartUpload',
        (etag) =>
          `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag === 'x' ? ETag! : etag}</ETag></Part></CompleteMultipartUpload>`,
      );
      const res = await post(`/${BUCKET}/${Key}`, { uploadId: UploadId! }, body);
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe('MalformedXML');
      expect(server().service.store.bucket(BUCKET)!.get(Key)).toBeUndefined();
    },
  );

  it('still decodes the character references the SDK writes (a key with a newline)', async () => {
    // The SDK escapes "\n" in a key as &#x0A;: the key to delete is the one with the newline.
    const s3 = server().client();
    const Key = 'xml/line\nbreak.txt';
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: 'x' }));
    const result = await s3.send(
      new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key }] } }),
    );
    expect(result.Deleted).toEqual([{ Key }]);
    expect(server().service.store.bucket(BUCKET)!.get(Key)).toBeUndefined();
  });
});
