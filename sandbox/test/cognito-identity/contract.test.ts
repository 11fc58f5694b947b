/**
 * The real AWS SDK v3 identity client, and Amplify JS in Node (sign-up, SRP sign-in, session
 * credentials, sign-out), against the sandbox's HTTP server on a random port.
 */
import {
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  NotAuthorizedException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cognito-identity';
import { Amplify } from 'aws-amplify';
import {
  confirmSignUp,
  fetchAuthSession,
  fetchUserAttributes,
  getCurrentUser,
  signIn,
  signOut,
  signUp,
} from 'aws-amplify/auth';
import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { IDENTITY_POOL_ID, POOL_ID, PROVIDER, STRONG_PASSWORD, WEB_CLIENT } from '../helpers/cognito-model';
import { cognitoTestServerPerFile } from '../helpers/cognito-server';

// Each sign-in runs Amplify's pure-JS SRP client math (about half a second on a busy machine).
jest.setTimeout(30_000);

const cognito = cognitoTestServerPerFile();
const identity = () => cognito().identity;
const server = () => cognito().server;

beforeAll(() => {
  const { endpoint } = server();
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: POOL_ID,
        userPoolClientId: WEB_CLIENT,
        identityPoolId: IDENTITY_POOL_ID,
        userPoolEndpoint: endpoint,
        identityPoolEndpoint: endpoint,
        allowGuestAccess: true,
        loginWith: { email: true },
      },
    },
  });
});

describe('the AWS SDK identity client', () => {
  it('gets guest credentials with an Expiration the SDK parses as a date one hour ahead', async () => {
    const { IdentityId } = await identity().send(
      new GetIdCommand({ IdentityPoolId: IDENTITY_POOL_ID, Logins: {} }),
    );
    const out = await identity().send(new GetCredentialsForIdentityCommand({ IdentityId }));
    expect(out.IdentityId).toBe(IdentityId);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    const ahead = (out.Credentials?.Expiration?.getTime() ?? 0) - Date.now();
    expect(ahead).toBeGreaterThan(59 * 60 * 1000);
    expect(ahead).toBeLessThanOrEqual(60 * 60 * 1000);
  });

  it('maps identity errors to the SDK exception classes', async () => {
    await expect(
      identity().send(
        new GetCredentialsForIdentityCommand({
          IdentityId: 'us-east-1:00000000-0000-0000-0000-000000000000',
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({
      sub: '5b1f8a8e-2f3c-4a6b-9a0e-0123456789ab',
      aud: WEB_CLIENT,
      token_use: 'id',
      iss: `https://${PROVIDER}`,
    })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    await expect(
      identity().send(new GetIdCommand({ IdentityPoolId: IDENTITY_POOL_ID, Logins: { [PROVIDER]: forged } })),
    ).rejects.toBeInstanceOf(NotAuthorizedException);
  });
});

describe('Amplify JS in Node', () => {
  it('signs up, confirms with the mailed code, signs in with SRP and keeps one identity id across sign-ins', async () => {
    const guest = await fetchAuthSession();
    expect(guest.tokens).toBeUndefined();
    expect(guest.identityId).toMatch(/^us-east-1:/);
    expect(guest.credentials?.accessKeyId).toMatch(/^ASIA/);
    expect((await server().credentials.get(guest.credentials?.accessKeyId as string))?.amr).toEqual([
      'unauthenticated',
    ]);

    const email = 'dana@example.com';
    const created = await signUp({
      username: email,
      password: STRONG_PASSWORD,
      options: { userAttributes: { email } },
    });
    expect(created.nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
    await confirmSignUp({ username: email, confirmationCode: await server().code(email) });

    const signedIn = await signIn({ username: email, password: STRONG_PASSWORD });
    expect(signedIn).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const current = await getCurrentUser();
    expect(current.username).toBe(created.userId);
    await expect(fetchUserAttributes()).resolves.toMatchObject({ email, email_verified: 'true' });

    const session = await fetchAuthSession();
    expect(decodeJwt(session.tokens?.idToken?.toString() as string).sub).toBe(created.userId);
    expect(session.identityId).toBe(guest.identityId);
    const stored = await server().credentials.get(session.credentials?.accessKeyId as string);
    expect(stored).toMatchObject({
      identityId: guest.identityId,
      amr: ['authenticated', PROVIDER, `${PROVIDER}:CognitoSignIn:${created.userId}`],
    });

    const refreshed = await fetchAuthSession({ forceRefresh: true });
    expect(refreshed.tokens?.accessToken.toString()).not.toBe(session.tokens?.accessToken.toString());

    await signOut();
    const afterSignOut = await fetchAuthSession();
    expect(afterSignOut.tokens).toBeUndefined();

    await signIn({ username: email, password: STRONG_PASSWORD });
    expect((await fetchAuthSession()).identityId).toBe(guest.identityId);
    await signOut({ global: true });
  });

  it('surfaces a wrong password as NotAuthorizedException', async () => {
    await expect(
      signIn({ username: 'dana@example.com', password: 'Wrong-Password-123' }),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
  });
});
