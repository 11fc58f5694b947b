/**
 * The web app's path, with Amplify JS itself in Node: the Amplify config the web app builds from the
 * sandbox's outputs file, sign-up with the mailbox code, SRP sign-in, upload to the user's own
 * folder (S3 traffic rerouted from *.amazonaws.com by the fetch dispatcher, signed for the real
 * host), a presigned URL, making an image public and seeing it through CloudFront, and back.
 */
import { Amplify } from 'aws-amplify';
import { confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import { getUrl, list, uploadData } from 'aws-amplify/storage';
import { findOutputs, toAmplifyOutputs } from '@image-share/contracts/outputs';
import { toResourcesConfig } from '../../../frontend/lib/amplify-config';
import { changeVisibility } from '../../../frontend/lib/my-images';
import type { Visibility } from '../../../frontend/lib/paths';
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

/** The web app's own move (copy, then delete) of the uploaded pixel between two of the user's folders. */
function moveTo(from: Visibility, to: Visibility) {
  return changeVisibility(
    { path: `${from}/${identityId}/pixel.png`, visibility: from, fileName: 'pixel.png' },
    to,
  );
}

beforeAll(async () => {
  // Version 1's moves delete public objects without invalidating them: with the CDN's cache on,
  // "made private again" would (rightly, as on AWS) still be served. test/live/cdn-removal.test.ts
  // proves removal the records way, with the cache on.
  live = await startLiveSandbox({ edgeCache: false });
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
    options: { contentType: 'image/png', metadata: { 'display-name': 'Carol' } },
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

test('refused outside the own folder, with an AccessDenied the client can show', async () => {
  await expect(
    uploadData({ path: 'public/not-mine.png', data: PNG, options: { contentType: 'image/png' } }).result,
  ).rejects.toMatchObject({ name: 'AccessDenied' });
});

test('made public (copy, then delete), it is served by CloudFront with the security headers', async () => {
  await expect(moveTo('protected', 'public')).resolves.toEqual({
    kind: 'moved',
    path: `public/${identityId}/pixel.png`,
  });
  const res = await fetch(`${live.publicBaseUrl}/${identityId}/pixel.png`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/png');
  expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; img-src 'self'; sandbox");
  expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
});

test('made private again, CloudFront stops serving it', async () => {
  await expect(moveTo('public', 'private')).resolves.toEqual({
    kind: 'moved',
    path: `private/${identityId}/pixel.png`,
  });
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
  const { items } = await list({ path: `private/${identityId}/` });
  expect(items.map((i) => i.path)).toEqual([`private/${identityId}/pixel.png`]);
});

test('the session refreshes its tokens', async () => {
  const before = (await fetchAuthSession()).tokens!.idToken!.toString();
  const refreshed = await fetchAuthSession({ forceRefresh: true });
  expect(refreshed.tokens!.idToken!.toString()).not.toBe(before);
  expect(refreshed.identityId).toBe(identityId);
});
