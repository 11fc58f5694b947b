/**
 * The upload pipeline end to end, with the web app's clients: Amplify storage uploads into the
 * user's protected/ folder, the bucket's event notification invokes the pipeline function's own
 * asset (bundled by the CDK app, with sharp) in the sandbox's Lambda service, and the result is
 * read back as the functions read it: the record with @aws-sdk/lib-dynamodb, the renditions from S3.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Amplify } from 'aws-amplify';
import { confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import { remove, uploadData } from 'aws-amplify/storage';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { findOutputs, toAmplifyOutputs } from '@image-share/contracts/outputs';
import { toResourcesConfig } from '../../../frontend/lib/amplify-config';
import { installSandboxFetch } from '../../src/routing/fetch-dispatcher';
import { PASSWORD, startLiveSandbox, type LiveSandbox } from './harness';
import { PipelineReader, preparePipelineRole } from './pipeline-harness';

const SECRET = 'EXIF-SECRET-do-not-publish-7Q2';
let live: LiveSandbox;
let identityId: string;
let pipeline: PipelineReader;

beforeAll(async () => {
  const stateDir = await mkdtemp(join(tmpdir(), 'sandbox-pipeline-'));
  const role = await preparePipelineRole(stateDir);
  live = await startLiveSandbox({ stateDir });
  const endpoint = live.sandbox.endpoint;
  Amplify.configure(
    toResourcesConfig({
      outputs: { ...toAmplifyOutputs(findOutputs(live.sandbox.outputs)) },
      sandboxEndpoint: endpoint,
    }),
  );
  installSandboxFetch(endpoint);
  pipeline = new PipelineReader(role, endpoint, () =>
    live.logger.lines.filter((l) => l.level !== 'info').map((l) => l.message),
  );

  const email = 'pia@example.com';
  await signUp({ username: email, password: PASSWORD, options: { userAttributes: { email } } });
  const code = (await live.sandbox.mailbox.list(email)).at(-1)?.code;
  await confirmSignUp({ username: email, confirmationCode: code! });
  await signIn({ username: email, password: PASSWORD });
  identityId = (await fetchAuthSession()).identityId!;
}, 300_000);

afterAll(async () => {
  await signOut().catch(() => undefined);
  pipeline?.close();
  await live?.close();
});

async function bytesOf(key: string): Promise<Buffer> {
  const { Body } = await pipeline.s3.send(new GetObjectCommand({ Bucket: live.bucket, Key: key }));
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

  const record = await pipeline.settled(path, (r) => r.status !== 'PROCESSING');
  expect(record).toMatchObject({
    status: 'READY',
    ownerId: identityId,
    originalKey: path,
    width: 1600,
    height: 1200,
  });
  const keys = await pipeline.renditionKeys(record.imageId);
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
  const tombstone = await pipeline.settled(path, (r) => r.status === 'DELETED');
  expect(tombstone).toMatchObject({ status: 'DELETED', ownerId: identityId });
  // The tombstone is written first; the renditions go before the invocation ends.
  await live.sandbox.functions.drain();
  expect(await pipeline.renditionKeys(record.imageId)).toEqual([]);
}, 120_000);

test('an HTML page named .png ends REJECTED with a reason a person understands, and nothing is rendered', async () => {
  const path = `protected/${identityId}/not-a-picture.png`;
  const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
  await uploadData({ path, data: html, options: { contentType: 'image/png' } }).result;
  const record = await pipeline.settled(path, (r) => r.status !== 'PROCESSING');
  expect(record).toMatchObject({
    status: 'REJECTED',
    rejectionReason: expect.stringContaining('not an image'),
  });
  expect(await pipeline.renditionKeys(record.imageId)).toEqual([]);
}, 120_000);
