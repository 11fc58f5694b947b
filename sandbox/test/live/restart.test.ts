/**
 * A restart keeps everything: the deployed ids (so outputs files stay valid), users, identity ids,
 * objects, and what CloudFront serves.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLiveSandbox } from './harness';

let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-restart-'));
});

afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

test('users, identities, objects and ids survive a restart', async () => {
  const first = await startLiveSandbox({ stateDir });
  const dave = await first.user('dave');
  // Dave's original, and a published rendition as the pipeline writes it (users never write public/).
  const key = `protected/${dave.identityId}/kept.png`;
  await dave.s3.send(
    new PutObjectCommand({ Bucket: first.bucket, Key: key, Body: 'kept bytes', ContentType: 'image/png' }),
  );
  const pipeline = await first.functionS3('Pipeline');
  await pipeline.send(
    new PutObjectCommand({
      Bucket: first.bucket,
      Key: `public/${dave.identityId}/img/1/320.webp`,
      Body: 'published bytes',
      ContentType: 'image/webp',
    }),
  );
  const before = { ...first.sandbox.outputs };
  await first.close();

  const second = await startLiveSandbox({ stateDir });
  try {
    for (const stack of Object.keys(before).filter((s) => s !== 'Sandbox')) {
      expect(second.sandbox.outputs[stack]).toEqual(
        Object.fromEntries(
          Object.entries(before[stack]!).map(([k, v]) => [
            k,
            v.replace(first.sandbox.endpoint, second.sandbox.endpoint),
          ]),
        ),
      );
    }
    const again = await second.signIn('dave');
    expect(again.identityId).toBe(dave.identityId);
    const got = await again.s3.send(new GetObjectCommand({ Bucket: second.bucket, Key: key }));
    expect(await got.Body!.transformToString()).toBe('kept bytes');
    const viaCdn = await fetch(`${second.publicBaseUrl}/${dave.identityId}/img/1/320.webp`);
    expect(await viaCdn.text()).toBe('published bytes');
  } finally {
    await second.close();
  }
}, 60_000);
