/**
 * Security review finding: x-amz-storage-class was silently ignored. S3 stores the classes a general
 * purpose bucket takes, names a non-STANDARD class on GET/HEAD and in listings, refuses other names
 * with 400 InvalidStorageClass, and keeps the bytes of an archived object (GLACIER, DEEP_ARCHIVE)
 * unreadable until it is restored. The header is also the s3:x-amz-storage-class condition key.
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type StorageClass,
} from '@aws-sdk/client-s3';
import { BUCKET, s3ErrorOf, s3TestServerPerFile } from '../helpers/s3-test-server';

const server = s3TestServerPerFile();

const s3 = () => server().client();
const put = (Key: string, StorageClass?: string) =>
  s3().send(
    new PutObjectCommand({ Bucket: BUCKET, Key, Body: 'bytes', StorageClass: StorageClass as StorageClass }),
  );
const head = (Key: string) => s3().send(new HeadObjectCommand({ Bucket: BUCKET, Key }));
async function failure(call: Promise<unknown>): Promise<{ code: string; status: number | undefined }> {
  const e = await s3ErrorOf(call);
  return { code: e.name, status: e.$metadata?.httpStatusCode };
}
async function listed(prefix: string): Promise<Array<[string | undefined, string | undefined]>> {
  const result = await s3().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (result.Contents ?? []).map((o) => [o.Key, o.StorageClass]);
}

describe('x-amz-storage-class (review finding)', () => {
  it('stores a class S3 takes and names it on GET, HEAD and in ListObjectsV2 (review finding)', async () => {
    await put('sc/ia.txt', 'STANDARD_IA');
    expect((await head('sc/ia.txt')).StorageClass).toBe('STANDARD_IA');
    const got = await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'sc/ia.txt' }));
    expect(got.StorageClass).toBe('STANDARD_IA');
    expect(await got.Body?.transformToString()).toBe('bytes');
    expect(await listed('sc/ia')).toEqual([['sc/ia.txt', 'STANDARD_IA']]);
  });

  it('leaves STANDARD unnamed on GET/HEAD, as S3 does, and lists it as STANDARD', async () => {
    await put('sc/standard.txt', 'STANDARD');
    await put('sc/default.txt');
    expect((await head('sc/standard.txt')).StorageClass).toBeUndefined();
    expect((await head('sc/default.txt')).StorageClass).toBeUndefined();
    expect(await listed('sc/default')).toEqual([['sc/default.txt', 'STANDARD']]);
  });

  it.each(['FOO', 'standard_ia', 'EXPRESS_ONEZONE', 'OUTPOSTS'])(
    'refuses the class %p with 400 InvalidStorageClass and stores nothing (review finding)',
    async (storageClass) => {
      const key = `sc/refused-${storageClass}.txt`;
      expect(await failure(put(key, storageClass))).toEqual({ code: 'InvalidStorageClass', status: 400 });
      expect(server().service.store.bucket(BUCKET)!.get(key)).toBeUndefined();
    },
  );

  it('keeps the bytes of a DEEP_ARCHIVE object offline: HEAD answers, GET and copy are 403 InvalidObjectState (review finding)', async () => {
    await put('sc/archived.txt', 'DEEP_ARCHIVE');
    expect((await head('sc/archived.txt')).StorageClass).toBe('DEEP_ARCHIVE');
    expect(
      await failure(s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'sc/archived.txt' }))),
    ).toEqual({
      code: 'InvalidObjectState',
      status: 403,
    });
    const copy = new CopyObjectCommand({
      Bucket: BUCKET,
      Key: 'sc/unarchived.txt',
      CopySource: `${BUCKET}/sc/archived.txt`,
    });
    expect(await failure(s3().send(copy))).toEqual({ code: 'InvalidObjectState', status: 403 });
  });

  it('gives a copy the class the request names, STANDARD when none, and allows changing it in place', async () => {
    await put('sc/source.txt', 'ONEZONE_IA');
    const copy = (Key: string, StorageClass?: StorageClass) =>
      s3().send(
        new CopyObjectCommand({ Bucket: BUCKET, Key, CopySource: `${BUCKET}/sc/source.txt`, StorageClass }),
      );
    await copy('sc/copy-default.txt');
    expect((await head('sc/copy-default.txt')).StorageClass).toBeUndefined();
    await copy('sc/copy-glacier-ir.txt', 'GLACIER_IR');
    expect((await head('sc/copy-glacier-ir.txt')).StorageClass).toBe('GLACIER_IR');
    await copy('sc/source.txt', 'INTELLIGENT_TIERING');
    expect((await head('sc/source.txt')).StorageClass).toBe('INTELLIGENT_TIERING');
    expect(await failure(copy('sc/source.txt', 'INTELLIGENT_TIERING'))).toEqual({
      code: 'InvalidRequest',
      status: 400,
    });
  });

  it('carries the class of a multipart upload through ListParts, ListMultipartUploads and the object (review finding)', async () => {
    const Key = 'sc/multipart.bin';
    const { UploadId } = await s3().send(
      new CreateMultipartUploadCommand({ Bucket: BUCKET, Key, StorageClass: 'GLACIER_IR' }),
    );
    const { ETag } = await s3().send(
      new UploadPartCommand({ Bucket: BUCKET, Key, UploadId, PartNumber: 1, Body: 'part' }),
    );
    expect((await s3().send(new ListPartsCommand({ Bucket: BUCKET, Key, UploadId }))).StorageClass).toBe(
      'GLACIER_IR',
    );
    const uploads = await s3().send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: Key }));
    expect(uploads.Uploads?.map((u) => u.StorageClass)).toEqual(['GLACIER_IR']);
    await s3().send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key,
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag }] },
      }),
    );
    expect((await head(Key)).StorageClass).toBe('GLACIER_IR');
    expect(
      await failure(
        s3().send(
          new CreateMultipartUploadCommand({
            Bucket: BUCKET,
            Key,
            StorageClass: 'NOT_A_CLASS' as StorageClass,
          }),
        ),
      ),
    ).toEqual({ code: 'InvalidStorageClass', status: 400 });
  });

  it('offers the class to the policy as s3:x-amz-storage-class on writes, only when the header is sent', async () => {
    await put('sc/condition.txt', 'REDUCED_REDUNDANCY');
    await put('sc/no-condition.txt');
    const writes = server().authorizer.calls.filter((c) => c.action === 's3:PutObject');
    const contextOf = (key: string) => writes.find((c) => c.key === key)?.context;
    expect(contextOf('sc/condition.txt')).toMatchObject({ 's3:x-amz-storage-class': 'REDUCED_REDUNDANCY' });
    expect(contextOf('sc/no-condition.txt')?.['s3:x-amz-storage-class']).toBeUndefined();
  });
});
