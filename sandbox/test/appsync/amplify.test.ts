/**
 * Amplify's own GraphQL client in Node (`generateClient` from aws-amplify/api, `authMode: 'iam'`),
 * configured exactly as the web app configures Amplify from the sandbox's outputs (the converter's
 * data section carries the local GraphQlUrl), as a guest, a user and an admin of the real app's
 * templates.
 */
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { findOutputs, toAmplifyOutputs } from '@image-share/contracts/outputs';
import { toResourcesConfig } from '../../../frontend/lib/amplify-config';
import { installSandboxFetch } from '../../src/routing/fetch-dispatcher';
import { PASSWORD, startLiveSandbox, type LiveSandbox } from '../live/harness';

let live: LiveSandbox;
const client = () => generateClient({ authMode: 'iam' });
const MISSING = 'AAAAAAAAAAAAAAAAAAAAAA';

/** The errors Amplify rejects with (AppSync's field errors; for a 401, Amplify's own "Unauthorized"). */
async function rejection(call: () => unknown): Promise<Array<{ errorType?: string; message: string }>> {
  try {
    await call();
  } catch (err) {
    return (err as { errors: Array<{ errorType?: string; message: string }> }).errors;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  live = await startLiveSandbox();
  const endpoint = live.sandbox.endpoint;
  // The web app's configuration, whose data section the converter writes from GraphQlUrl.
  const config = toResourcesConfig({
    outputs: { ...toAmplifyOutputs(findOutputs(live.sandbox.outputs)) },
    sandboxEndpoint: endpoint,
  });
  expect(config.API?.GraphQL?.endpoint).toMatch(/\/_appsync\/[a-z0-9]+\/graphql$/);
  Amplify.configure(config);
  installSandboxFetch(endpoint);
  await live.user('amy');
  await live.user('adam', { groups: ['admins'] });
}, 180_000);

afterAll(async () => {
  await signOut().catch(() => undefined);
  await live?.close();
});

test('a guest reads the public feed and is refused signed-in fields', async () => {
  const feed = (await client().graphql({
    query: '{ publicImages(limit: 3) { items { imageId } nextToken } }',
  })) as {
    data: unknown;
  };
  expect(feed.data).toEqual({ publicImages: { items: [], nextToken: null } });
  const errors = await rejection(() => client().graphql({ query: '{ myProfile { identityId } }' }));
  expect(errors[0]?.message).toBe('Unauthorized');
});

test("a user reads and writes their own profile; the function sees the user's identity id", async () => {
  await signOut();
  await signIn({ username: 'amy@example.com', password: PASSWORD });
  const { identityId } = await fetchAuthSession();
  const saved = (await client().graphql({
    query: 'mutation P($name: String!) { updateProfile(displayName: $name) { identityId displayName } }',
    variables: { name: 'Amy' },
  })) as { data: unknown };
  expect(saved.data).toEqual({ updateProfile: { identityId, displayName: 'Amy' } });
  const errors = await rejection(() =>
    client().graphql({ query: `mutation { moderateImage(imageId: "${MISSING}", action: HIDE) }` }),
  );
  expect(errors[0]?.message).toBe('Unauthorized');
  await signOut();
});

test('an admin gets through to moderation, where the function decides', async () => {
  await signOut();
  await signIn({ username: 'adam@example.com', password: PASSWORD });
  const errors = await rejection(() =>
    client().graphql({ query: `mutation { moderateImage(imageId: "${MISSING}", action: HIDE) }` }),
  );
  expect(errors).toEqual([expect.objectContaining({ errorType: 'NotFound', message: 'No such image.' })]);
  await signOut();
});
