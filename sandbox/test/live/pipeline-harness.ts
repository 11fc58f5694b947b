/**
 * Reading what the upload pipeline wrote, as the pipeline function itself reads it: a session for
 * its execution role (stored before the sandbox starts, since the credential store is loaded at
 * start), the image table through @aws-sdk/lib-dynamodb and the bucket through the S3 client.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { imageIdOf, ImageRecords, type StoredImage } from '../../../backend/functions/shared/records';
import { systemClock } from '../../src/core/clock';
import type { SessionCredentials } from '../../src/core/credentials';
import { deployCloudAssembly } from '../../src/deploy';
import { FileCredentialStore } from '../../src/services/cognito-identity/credential-store';
import { issueFunctionCredentials } from '../../src/services/lambda/credentials';
import { synthesizeRealApp } from '../deploy/real-app';

export interface PipelineRole {
  readonly credentials: SessionCredentials;
  readonly tableName: string;
  readonly bucket: string;
}

/**
 * Deploys the real app into `stateDir` (its ids are kept there, so a sandbox started on it later
 * gets the same ones) and stores a session for the pipeline function's role.
 */
export async function preparePipelineRole(stateDir: string): Promise<PipelineRole> {
  const model = await deployCloudAssembly({ cdkOutDir: await synthesizeRealApp(), stateDir });
  const pipeline = [...model.functions.values()].find(
    (f) => f.environment.TABLE_NAME !== undefined && f.environment.BUCKET_NAME !== undefined,
  )!;
  const credentials = issueFunctionCredentials(model, pipeline, systemClock);
  await (await FileCredentialStore.open(join(stateDir, 'credentials'))).put(credentials);
  return {
    credentials,
    tableName: pipeline.environment.TABLE_NAME!,
    bucket: pipeline.environment.BUCKET_NAME!,
  };
}

export class PipelineReader {
  private readonly db: DynamoDBClient;
  readonly s3: S3Client;
  private readonly records: ImageRecords;

  constructor(
    private readonly role: PipelineRole,
    endpoint: string,
    private readonly problems: () => string[] = () => [],
  ) {
    const { credentials } = role;
    this.db = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });
    this.s3 = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials,
      maxAttempts: 1,
    });
    this.records = new ImageRecords(DynamoDBDocumentClient.from(this.db), role.tableName);
  }

  record(key: string): Promise<StoredImage | undefined> {
    return this.records.get(imageIdOf(key));
  }

  /** The image's record once `done` says so (e.g. READY or REJECTED, or a delete's tombstone). */
  async settled(key: string, done: (r: StoredImage) => boolean, timeoutMs = 30_000): Promise<StoredImage> {
    for (let waited = 0; waited < timeoutMs; waited += 100) {
      const record = await this.record(key);
      if (record && done(record)) return record;
      await sleep(100);
    }
    throw new Error(
      `the pipeline never settled ${key}: ${JSON.stringify(await this.record(key))}\n${this.problems().slice(-20).join('\n')}`,
    );
  }

  /** Every rendition key of the image, all versions. */
  async renditionKeys(imageId: string): Promise<string[]> {
    const { Contents = [] } = await this.s3.send(
      new ListObjectsV2Command({ Bucket: this.role.bucket, Prefix: 'renditions/' }),
    );
    return Contents.map((o) => o.Key!).filter((k) => k.includes(`/${imageId}/`));
  }

  close(): void {
    this.s3.destroy();
    this.db.destroy();
  }
}
