/**
 * The upload pipeline end to end, with the web app's clients: Amplify storage uploads into the
 * user's protected/ folder, the bucket's event notification invokes the pipeline function's own
 * asset (bundled by the CDK app, with sharp) in the sandbox's Lambda service, and the result is
 * read back as the functions read it: the record with @aws-sdk/lib-dynamodb, the renditions from S3.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Amplify } from 'aws-amplify';
import { confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import { remove, uploadData } from 'aws-amplify/storage';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { findOutputs, toAmplifyOutputs } from '@image-share/contracts/outputs';
import { imageIdOf, ImageRecords, type StoredImage } from '../../../backend/functions/shared/records';
import { toResourcesConfig } from '../../../frontend/lib/amplify-config';
import { systemClock } from '../../src/core/clock';
import { deployCloudAssembly } from '../../src/deploy';
import type { FunctionSpec } from '../../src/deploy/model';
import { FileCredentialStore } from '../../src/services/cognito-identity/credential-store';
import { issueFunctionCredentials } from '../../src/services/lambda/credentials';
import { installSandboxFetch } from '../../src/routing/fetch-dispatcher';
import { synthesizeRealApp } from '../deploy/real-app';
import { PASSWORD, startLiveSandbox, type LiveSandbox } from './harness';

const SECRET = 'EXIF-SECRET-do-not-publish-7Q2';
let live: LiveSandbox;
let identityId: string;
let records: ImageRecords;
let pipelineS3: S3Client;
let db: DynamoDBClient;

beforeAll(async () => {
  // The ids are kept in the state folder, so deploying first tells the pipeline's role before the
  // sandbox starts; the test reads as that role (the credential store is loaded at start).
  const stateDir = await mkdtemp(join(tmpdir(), 'sandbox-pipeline-'));
  const model = await deployCloudAssembly({ cdkOutDir: await synthesizeRealApp(), stateDir });
  const pipeline = [...model.functions.values()].find(
    (f): f is FunctionSpec =>
      f.environment.TABLE_NAME !== undefined && f.environment.BUCKET_NAME !== undefined,
  )!;
  const credentials = issueFunctionCredentials(model, pipeline, systemClock);
  await (await FileCredentialStore.open(join(stateDir, 'credentials'))).put(credentials);

  live = await startLiveSandbox({ stateDir });
  const endpoint = live.sandbox.endpoint;
  Amplify.configure(
    toResourcesConfig({
      outputs: { ...toAmplifyOutputs(findOutputs(live.sandbox.outputs)) },
      sandboxEndpoint: endpoint,
    }),
  );
  installSandboxFetch(endpoint);
  db = new DynamoDBClient({ region: live.region, endpoint, credentials, maxAttempts: 1 });
  records = new ImageRecords(DynamoDBDocumentClient.from(db), pipeline.environment.TABLE_NAME!);
  pipelineS3 = new S3Client({
    region: live.region,
    endpoint,
    forcePathStyle: true,
    credentials,
    maxAttempts: 1,
  });

  const email = 'pia@example.com';
  await signUp({ username: email, password: PASSWORD, options: { userAttributes: { email } } });
  const code = (await live.sandbox.mailbox.list(email)).at(-1)?.code;
  await confirmSignUp({ username: email, confirmationCode: code! });
  await signIn({ username: email, password: PASSWORD });
  identityId = (await fetchAuthSession()).identityId!;
}, 300_000);

afterAll(async () => {
  await signOut().catch(() => undefined);
  pipelineS3?.destroy();
  db?.destroy();
  await live?.close();
});

/** The image's record once the pipeline has settled it (READY, REJECTED or a delete's tombstone). */
async function settled(key: string, done: (r: StoredImage) => boolean): Promise<StoredImage> {
  for (let waited = 0; waited < 30_000; waited += 100) {
    const record = await records.get(imageIdOf(key));
    if (record && done(record)) return record;
    await sleep(100);
  }
  const problems = live.logger.lines.filter((l) => l.level !== 'info').map((l) => l.message);
  throw new Error(
    `the pipeline never settled ${key}: ${JSON.stringify(await records.get(imageIdOf(key)))}\n${problems.slice(-20).join('\n')}`,
  );
}

async function renditionKeys(imageId: string): Promise<string[]> {
  const { Contents = [] } = await pipelineS3.send(
    new ListObjectsV2Command({ Bucket: live.bucket, Prefix: 'renditions/' }),
  );
  return Contents.map((o) => o.Key!).filter((k) => k.includes(`/${imageId}/`));
}

async function bytesOf(key: string): Promise<Buffer> {
  const { Body } = await pipelineS3.send(new GetObjectCommand({ Bucket: live.bucket, Key: key }));
  return Buffer.from(await Body!.transformToByteArray());
}

test('an Amplify upload ends READY, with renditions that carry no EXIF; deleting it removes both', async () => {
  const photo = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#3a7' } })
    .jpeg()
    .withExif({ IFD0: { ImageDescription: SECRET, Make: 'SecretCam' } })
    .toBuffer();
  expect(photo.includes(SECRET)).toBe(true);
  const path = `protected/${identityId}/holiday photo.jpg`;
  await uploadData({ path, data: photo, options: { contentType: 'image/jpeg' } }).result;

  const record = await settled(path, (r) => r.status !== 'PROCESSING');
  expect(record).toMatchObject({
    status: 'READY',
    ownerId: identityId,
    originalKey: path,
    width: 1600,
    height: 1200,
  });
  const keys = await renditionKeys(record.imageId);
  expect(keys.length).toBeGreaterThan(0);
  expect(keys.length).toBe('renditions' in record ? record.renditions!.length : -1);
  for (const key of keys) {
    const bytes = await bytesOf(key);
    expect(bytes.includes(SECRET)).toBe(false);
    expect(bytes.includes('SecretCam')).toBe(false);
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.exif).toBeUndefined();
  }

  await remove({ path });
  const tombstone = await settled(path, (r) => r.status === 'DELETED');
  expect(tombstone).toMatchObject({ status: 'DELETED', ownerId: identityId });
  // The tombstone is written first; the renditions go before the invocation ends.
  await live.sandbox.functions.drain();
  expect(await renditionKeys(record.imageId)).toEqual([]);
}, 120_000);

test('an HTML page named .png ends REJECTED with a reason a person understands, and nothing is rendered', async () => {
  const path = `protected/${identityId}/not-a-picture.png`;
  const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
  await uploadData({ path, data: html, options: { contentType: 'image/png' } }).result;
  const record = await settled(path, (r) => r.status !== 'PROCESSING');
  expect(record.status).toBe('REJECTED');
  expect('rejectionReason' in record && record.rejectionReason).toMatch(/\w+ \w+/);
  expect(await renditionKeys(record.imageId)).toEqual([]);
}, 120_000);
