import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** The few bucket operations the functions use, so tests can run them on an in-memory bucket. */
export interface ObjectStore {
  /** The object's bytes, or undefined if that key (or version) no longer exists. */
  get(key: string, versionId?: string): Promise<Buffer | undefined>;
  put(key: string, body: Buffer, headers: { contentType: string; cacheControl: string }): Promise<void>;
  copy(fromKey: string, toKey: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
  delete(keys: readonly string[]): Promise<void>;
}

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async get(key: string, versionId?: string): Promise<Buffer | undefined> {
    try {
      const response = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }),
      );
      if (!response.Body) return undefined;
      return Buffer.from(await response.Body.transformToByteArray());
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchVersion')
        return undefined;
      throw error;
    }
  }

  async put(key: string, body: Buffer, headers: { contentType: string; cacheControl: string }) {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: headers.contentType,
        CacheControl: headers.cacheControl,
      }),
    );
  }

  async copy(fromKey: string, toKey: string) {
    await this.s3.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: toKey,
        CopySource: `${this.bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`,
      }),
    );
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  }

  async delete(keys: readonly string[]) {
    // DeleteObjects takes at most 1,000 keys.
    for (let start = 0; start < keys.length; start += 1000) {
      const batch = keys.slice(start, start + 1000);
      const result = await this.s3.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      if (result.Errors?.length) {
        throw new Error(`Could not delete ${result.Errors.map((e) => `${e.Key}: ${e.Code}`).join(', ')}`);
      }
    }
  }
}
