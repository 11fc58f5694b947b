/**
 * The web app's path under access rules version 2, with Amplify JS itself in Node: the Amplify
 * config the web app builds from the sandbox's outputs file, sign-up with the mailbox code, SRP
 * sign-in, upload to the user's own folder (S3 traffic rerouted from *.amazonaws.com by the fetch
 * dispatcher, signed for the real host), a presigned URL of the original, the refusals of every
 * write outside it, and the renditions the pipeline writes: read by the owner through Amplify as
 * /me's thumbnails are, and served by CloudFront once published.
 */
import { Amplify } from 'aws-amplify';
import { confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { getUrl, list, uploadData } from 'aws-amplify/storage';
import { findOutputs, toAmplifyOutputs } from '@image-share/contracts/outputs';
import { toResourcesConfig } from '../../../frontend/lib/amplify-config';
import { ADMIN_TOKEN_HEADER, adminTokenFromOutputs } from '../../src/core/admin-token';
import { installSandboxFetch } from '../../src/routing/fetch-dispatcher';
import { PASSWORD, startLiveSandbox, type LiveSandbox } from './harness';

let live: LiveSandbox;
let identityId: string;
const email = 'carol@example.com';
// A tiny but real PNG (1x1), so content sniffing anywhere would agree it is an image.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

beforeAll(async () => {
  live = await startLiveSandbox();
  const endpoint = live.sandbox.endpoint;
  // The same config the web app builds (frontend/lib/amplify-config.ts).
  const outputs = toAmplifyOutputs(findOutputs(live.sandbox.outputs));
  Amplify.configure(toResourcesConfig({ outputs: { ...outputs }, sandboxEndpoint: endpoint }));
  installSandboxFetch(endpoint);
}, 120_000);

afterAll(async () => {
  await signOut().catch(() => undefined);
  await live?.close();
});

test('sign up with the code from the mailbox, then SRP sign-in', async () => {
  const up = await signUp({ username: email, password: PASSWORD, options: { userAttributes: { email } } });
  expect(up.nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
  const res = await fetch(`${live.sandbox.endpoint}/_sandbox/mailbox?to=${encodeURIComponent(email)}`, {
    headers: { [ADMIN_TOKEN_HEADER]: adminTokenFromOutputs(live.sandbox.outputs) },
  });
  const { messages } = (await res.json()) as { messages: Array<{ code?: string }> };
  const code = messages.at(-1)?.code;
  expect(code).toMatch(/^\d{6}$/);
  await confirmSignUp({ username: email, confirmationCode: code! });
  const signedIn = await signIn({ username: email, password: PASSWORD });
  expect(signedIn.isSignedIn).toBe(true);
  const session = await fetchAuthSession();
  identityId = session.identityId!;
  expect(identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
  expect(session.credentials?.accessKeyId).toMatch(/^ASIA/);
});

test('uploads into protected/<identityId>/ and lists it back', async () => {
  await uploadData({
    path: ({ identityId: id }) => `protected/${id}/pixel.png`,
    data: PNG,
    options: { contentType: 'image/png' },
  }).result;
  const { items } = await list({ path: ({ identityId: id }) => `protected/${id}/` });
  expect(items.map((i) => i.path)).toEqual([`protected/${identityId}/pixel.png`]);
  expect(items[0]!.size).toBe(PNG.length);
});

test('a presigned URL serves the exact bytes', async () => {
  const { url } = await getUrl({
    path: `protected/${identityId}/pixel.png`,
    options: { validateObjectExistence: true },
  });
  expect(url.host).toMatch(/amazonaws\.com$/);
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
});

test('refused outside the own originals, with an AccessDenied the client can show', async () => {
  // public/ and renditions/ are the pipeline's: a user who could write them would publish
  // unchecked bytes or forge a rendition.
  for (const path of [
    `public/${identityId}/pixel.png`,
    'public/not-mine.png',
    `renditions/protected/${identityId}/forged/1/320.webp`,
  ]) {
    await expect(
      uploadData({ path, data: PNG, options: { contentType: 'image/png' } }).result,
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  }
});

test("the pipeline's renditions: the owner reads them through Amplify, CloudFront serves the published ones", async () => {
  const pipeline = await live.functionS3('Pipeline');
  const rendition = `renditions/protected/${identityId}/img1/1/320.webp`;
  const published = `public/${identityId}/img1/1/320.webp`;
  for (const Key of [rendition, published]) {
    await pipeline.send(
      new PutObjectCommand({ Bucket: live.bucket, Key, Body: PNG, ContentType: 'image/webp' }),
    );
  }
  const { url } = await getUrl({ path: rendition, options: { validateObjectExistence: true } });
  expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(PNG);

  const res = await fetch(`${live.publicBaseUrl}/${identityId}/img1/1/320.webp`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; img-src 'self'; sandbox");
  expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
});

test('CloudFront serves only public/: the original is not there under its name', async () => {
  const res = await fetch(`${live.publicBaseUrl}/${identityId}/pixel.png`);
  // With OAC the distribution may not list the bucket, so a missing object is a 403, as on AWS.
  expect(res.status).toBe(403);
});

test('CloudFront refuses writes', async () => {
  const res = await fetch(`${live.publicBaseUrl}/${identityId}/x.png`, { method: 'PUT', body: 'x' });
  expect(res.status).toBe(403);
});

test('sign-out, then a new sign-in keeps the same identity id (and so the same folders)', async () => {
  await signOut();
  await signIn({ username: email, password: PASSWORD });
  const session = await fetchAuthSession();
  expect(session.identityId).toBe(identityId);
  const { items } = await list({ path: `protected/${identityId}/` });
  expect(items.map((i) => i.path)).toEqual([`protected/${identityId}/pixel.png`]);
});

test('the session refreshes its tokens', async () => {
  const before = (await fetchAuthSession()).tokens!.idToken!.toString();
  const refreshed = await fetchAuthSession({ forceRefresh: true });
  expect(refreshed.tokens!.idToken!.toString()).not.toBe(before);
  expect(refreshed.identityId).toBe(identityId);
});
