/**
 * "A removed public image stops being served": on the real app's templates, a published rendition
 * is cached by the CDN (so deleting it from the bucket alone does not stop it: the cache is real),
 * then the backend's own unpublishing code (publishing.ts -> cdn.ts, the AWS SDK's CloudFront and
 * S3 clients) runs with the api function's role, and the CDN URL answers 403 at once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFrontClient,
  CreateInvalidationCommand,
  GetInvalidationCommand,
  ListInvalidationsCommand,
} from '@aws-sdk/client-cloudfront';
import { S3Client } from '@aws-sdk/client-s3';
import { CloudFrontCdn } from '../../../backend/functions/shared/cdn';
import { S3ObjectStore } from '../../../backend/functions/shared/object-store';
import { unpublish } from '../../../backend/functions/shared/publishing';
import { publicRenditionKey } from '../../../backend/lib/records/image-keys';
import { systemClock } from '../../src/core/clock';
import type { SessionCredentials } from '../../src/core/credentials';
import type { FunctionSpec } from '../../src/deploy/model';
import { FileCredentialStore } from '../../src/services/cognito-identity/credential-store';
import { issueFunctionCredentials } from '../../src/services/lambda/credentials';
import { startLiveSandbox, type LiveSandbox } from './harness';

// What the pipeline stores renditions with (their keys change with every version).
const RENDITION_CACHE_CONTROL = 'public, max-age=31536000, immutable';

let live: LiveSandbox;
let stateDir: string;
let apiRole: SessionCredentials;
let pipelineRole: SessionCredentials;
let distributionId: string;

/** The two functions that invalidate: the api function (it has the admin role's name) and the pipeline. */
function invalidatingFunctions(functions: Iterable<FunctionSpec>): {
  api: FunctionSpec;
  pipeline: FunctionSpec;
} {
  const all = [...functions].filter((f) => f.environment.DISTRIBUTION_ID !== undefined);
  const api = all.find((f) => f.environment.ADMIN_ROLE_NAME !== undefined);
  const pipeline = all.find((f) => f.environment.ADMIN_ROLE_NAME === undefined);
  if (!api || !pipeline)
    throw new Error('The templates should have an api function and a pipeline function.');
  return { api, pipeline };
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-cdn-'));
  // The roles' ARNs exist once deployed: deploy, store a session of each function's role as Lambda
  // would hand it to the function, and start again on the same state.
  const first = await startLiveSandbox({ stateDir });
  const { api, pipeline } = invalidatingFunctions(first.sandbox.model.functions.values());
  distributionId = api.environment.DISTRIBUTION_ID!;
  apiRole = issueFunctionCredentials(first.sandbox.model, api, systemClock);
  pipelineRole = issueFunctionCredentials(first.sandbox.model, pipeline, systemClock);
  await first.close();
  const store = await FileCredentialStore.open(join(stateDir, 'credentials'));
  await store.put(apiRole);
  await store.put(pipelineRole);
  live = await startLiveSandbox({ stateDir });
}, 120_000);

afterAll(async () => {
  await live?.close();
  await rm(stateDir, { recursive: true, force: true });
});

const s3As = (credentials: SessionCredentials) =>
  new S3ObjectStore(
    new S3Client({
      region: live.region,
      endpoint: live.sandbox.endpoint,
      forcePathStyle: true,
      credentials,
      maxAttempts: 1,
    }),
    live.bucket,
  );
const cloudFrontAs = (credentials: SessionCredentials) =>
  new CloudFrontClient({ region: live.region, endpoint: live.sandbox.endpoint, credentials, maxAttempts: 1 });
const cdnUrl = (key: string) => `${live.publicBaseUrl}${key.slice('public'.length)}`;

test('a published image stays cached after its object is deleted, and is gone at once when unpublished', async () => {
  const ownerId = `${live.region}:${randomUUID()}`;
  const imageId = randomUUID();
  const keys = [320, 640].map((size) => publicRenditionKey(ownerId, imageId, 'v1', size));
  for (const key of keys)
    await s3As(pipelineRole).put(key, Buffer.from(`webp ${key}`), {
      contentType: 'image/webp',
      cacheControl: RENDITION_CACHE_CONTROL,
    });

  for (const key of keys) {
    const miss = await fetch(cdnUrl(key));
    expect(miss.status).toBe(200);
    expect(miss.headers.get('x-cache')).toBe('Miss from cloudfront');
    expect(await miss.text()).toBe(`webp ${key}`);
  }

  // Deleting from the bucket alone does not stop the CDN: the copy is cached for a year.
  await s3As(pipelineRole).delete([keys[0]!]);
  const cached = await fetch(cdnUrl(keys[0]!));
  expect(cached.status).toBe(200);
  expect(cached.headers.get('x-cache')).toBe('Hit from cloudfront');
  expect(await cached.text()).toBe(`webp ${keys[0]}`);

  // What the api function does when an owner unpublishes or an admin moderates, with its role.
  await unpublish(s3As(apiRole), new CloudFrontCdn(cloudFrontAs(apiRole), distributionId), {
    ownerId,
    imageId,
  });

  for (const key of keys) {
    const gone = await fetch(cdnUrl(key));
    expect(gone.status).toBe(403);
    expect(gone.headers.get('x-cache')).toBe('Error from cloudfront');
    expect(await gone.text()).toContain('<Code>AccessDenied</Code>');
  }
});

test("the functions' roles may create invalidations on their distribution and do nothing else there", async () => {
  const created = await cloudFrontAs(pipelineRole).send(
    new CreateInvalidationCommand({
      DistributionId: distributionId,
      InvalidationBatch: { CallerReference: randomUUID(), Paths: { Quantity: 1, Items: ['/x/*'] } },
    }),
  );
  expect(created.Invalidation?.Status).toBe('InProgress');
  for (const role of [apiRole, pipelineRole]) {
    await expect(
      cloudFrontAs(role).send(
        new GetInvalidationCommand({ DistributionId: distributionId, Id: created.Invalidation!.Id! }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(
      cloudFrontAs(role).send(new ListInvalidationsCommand({ DistributionId: distributionId })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(
      new CloudFrontCdn(cloudFrontAs(role), 'E0THERDISTRIB0').invalidate(['/x']),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  }
});

test('a guest cannot invalidate', async () => {
  const guest = await live.guest();
  const credentials = await guest.s3.config.credentials();
  await expect(
    new CloudFrontCdn(
      new CloudFrontClient({
        region: live.region,
        endpoint: live.sandbox.endpoint,
        credentials,
        maxAttempts: 1,
      }),
      distributionId,
    ).invalidate(['/x']),
  ).rejects.toMatchObject({ name: 'AccessDenied' });
});
