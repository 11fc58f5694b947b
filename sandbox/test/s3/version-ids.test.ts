/**
 * Security review finding: reads and deletes by version id were authorised as plain s3:GetObject /
 * s3:DeleteObject. AWS asks for s3:GetObjectVersion / s3:DeleteObjectVersion (and s3:GetObjectVersion
 * on a versioned copy source); no role of the templates has them, so a user is refused even on their
 * own objects. Decided by the real role and bucket policies of the fixture templates.
 */
import { randomBytes } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { SessionCredentials } from '../../src/core/credentials';
import { createS3Authorizer } from '../../src/iam/authorizer';
import { s3ErrorOf, startS3TestServer, type S3TestServer } from '../helpers/s3-test-server';
import { deployFixture, ID_A, matrixCallers } from '../iam/fixture-model';

let server: S3TestServer;
let bucket: string;
const clients = new Map<string, S3Client>();

/** The fixture session with keys of its own, registered with the server. */
async function register(session: SessionCredentials): Promise<S3Client> {
  const credentials: SessionCredentials = {
    ...session,
    accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(64).toString('base64'),
    expiration: new Date(Date.now() + 3600_000),
  };
  await server.credentials.put(credentials);
  return server.client(credentials);
}

beforeAll(async () => {
  const model = await deployFixture();
  const callers = matrixCallers(model);
  bucket = callers.bucket;
  server = await startS3TestServer({ model, authorize: createS3Authorizer(model) });
  clients.set('signed-in user', await register(callers.userA));
  clients.set('admin', await register(callers.admin));
}, 60_000);

afterAll(async () => {
  await server.close();
});

async function denied(call: Promise<unknown>): Promise<{ code: string; status: number | undefined }> {
  const e = await s3ErrorOf(call);
  return { code: e.name, status: e.$metadata?.httpStatusCode };
}
const ACCESS_DENIED = { code: 'AccessDenied', status: 403 };

describe.each(['signed-in user', 'admin'])('%s, on own objects', (name) => {
  let s3: S3Client;
  let key: string;
  let versionId: string;

  beforeAll(async () => {
    s3 = clients.get(name)!;
    key = `private/${ID_A}/${name.replace(/\W/g, '-')}.png`;
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'pixels' }));
    versionId = put.VersionId!;
    expect(versionId).toBeDefined();
  });

  it('may still read and head the object without a version id', async () => {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(await got.Body?.transformToString()).toBe('pixels');
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  });

  it('is refused GetObject by version id without s3:GetObjectVersion (review finding)', async () => {
    expect(
      await denied(s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }))),
    ).toEqual(ACCESS_DENIED);
    const refusal = server.logger.lines.filter((l) => l.message === 'AccessDenied').at(-1);
    expect(refusal?.fields).toMatchObject({ action: 's3:GetObjectVersion' });
  });

  it('is refused HeadObject by version id without s3:GetObjectVersion (review finding)', async () => {
    expect(
      (await denied(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }))))
        .status,
    ).toBe(403); // HEAD has no body: the SDK names the error after the status alone
  });

  it('is refused CopyObject from a source version without s3:GetObjectVersion (review finding)', async () => {
    const copyKey = `${key}.copy`;
    const copy = new CopyObjectCommand({
      Bucket: bucket,
      Key: copyKey,
      CopySource: `${bucket}/${key}?versionId=${versionId}`,
    });
    expect(await denied(s3.send(copy))).toEqual(ACCESS_DENIED);
    expect(await denied(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: copyKey })))).toMatchObject({
      status: 404,
    });
  });

  it('is refused DeleteObject by version id without s3:DeleteObjectVersion (review finding)', async () => {
    expect(
      await denied(s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }))),
    ).toEqual(ACCESS_DENIED);
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  });

  it('is refused a DeleteObjects entry with a version id, not the plain one beside it (review finding)', async () => {
    const plainKey = `${key}.plain`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: plainKey, Body: 'x' }));
    const result = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: key, VersionId: versionId }, { Key: plainKey }] },
      }),
    );
    expect(result.Errors).toEqual([
      expect.objectContaining({ Key: key, VersionId: versionId, Code: 'AccessDenied' }),
    ]);
    expect(result.Deleted).toEqual([{ Key: plainKey }]);
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  });
});
