import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonService } from '../../src/core/service';
import type { DeployedModel } from '../../src/deploy/model';
import { createCognitoIdentityService } from '../../src/services/cognito-identity';
import { FileCredentialStore } from '../../src/services/cognito-identity/credential-store';
import { META, idpHarness, type IdpHarness } from '../helpers/cognito-harness';
import {
  ADMIN_ROLE,
  AUTH_ROLE,
  GUEST_ROLE,
  GUESTLESS_IDENTITY_POOL_ID,
  IDENTITY_POOL_ID,
  MISTRUSTING_ROLE,
  OTHER_POOL_CLIENT,
  OTHER_POOL_ID,
  POOL_ID,
  PROVIDER,
  UNLISTED_CLIENT,
  cognitoModel,
} from '../helpers/cognito-model';

// Each sign-in runs Amplify's pure-JS SRP client math (about half a second on a busy machine).
jest.setTimeout(30_000);

const HOUR = 60 * 60 * 1000;
interface Creds {
  IdentityId: string;
  Credentials: { AccessKeyId: string; SecretKey: string; SessionToken: string; Expiration: number };
}

function setup(options: { model?: DeployedModel; stateDir?: string } = {}) {
  const h = idpHarness({ model: options.model });
  const credentials = FileCredentialStore.inMemory(h.clock);
  const identity = createCognitoIdentityService({
    model: h.model,
    stateDir: options.stateDir,
    clock: h.clock,
    logger: h.logger,
    idp: h.idp,
    credentials,
  });
  const call = <T>(op: string, input: unknown) => identity.call(op, input, META) as Promise<T>;
  return { h, identity, credentials, call };
}

async function signedIn(h: IdpHarness, email: string) {
  await h.registerUser(email);
  return h.signIn(email);
}

describe('guests', () => {
  it('gets an identity id and short-lived guest-role credentials, Expiration in epoch seconds', async () => {
    const { h, call, credentials } = setup();
    const { IdentityId } = await call<{ IdentityId: string }>('GetId', {
      IdentityPoolId: IDENTITY_POOL_ID,
      Logins: {},
    });
    expect(IdentityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    const out = await call<Creds>('GetCredentialsForIdentity', { IdentityId });
    expect(out.IdentityId).toBe(IdentityId);
    expect(out.Credentials.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials.Expiration).toBe((h.clock.now().getTime() + HOUR) / 1000);
    expect(await credentials.get(out.Credentials.AccessKeyId)).toEqual({
      accessKeyId: out.Credentials.AccessKeyId,
      secretAccessKey: out.Credentials.SecretKey,
      sessionToken: out.Credentials.SessionToken,
      expiration: new Date(h.clock.now().getTime() + HOUR),
      roleArn: GUEST_ROLE,
      assumedRoleArn:
        'arn:aws:sts::123456789012:assumed-role/ImageShare-Identity-UnauthenticatedRole/CognitoIdentityCredentials',
      identityId: IdentityId,
      identityPoolId: IDENTITY_POOL_ID,
      amr: ['unauthenticated'],
    });
  });

  it('is refused when the pool does not allow guests', async () => {
    const { call } = setup();
    await expect(call('GetId', { IdentityPoolId: GUESTLESS_IDENTITY_POOL_ID })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Unauthenticated access is not supported for this identity pool.',
    });
  });

  it('answers unknown pools and identities with ResourceNotFoundException, malformed ids with InvalidParameterException', async () => {
    const { call } = setup();
    await expect(
      call('GetId', { IdentityPoolId: 'us-east-1:00000000-0000-0000-0000-00000000dead' }),
    ).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
    });
    await expect(
      call('GetCredentialsForIdentity', { IdentityId: 'us-east-1:00000000-0000-0000-0000-00000000beef' }),
    ).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
      message: "Identity 'us-east-1:00000000-0000-0000-0000-00000000beef' not found.",
    });
    await expect(call('GetCredentialsForIdentity', { IdentityId: '../../etc/passwd' })).rejects.toMatchObject(
      {
        code: 'InvalidParameterException',
        message:
          "1 validation error detected: Value '../../etc/passwd' at 'identityId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
      },
    );
    await expect(call('GetId', { IdentityPoolId: 'no-colon' })).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message: expect.stringContaining("Value 'no-colon' at 'identityPoolId' failed to satisfy constraint"),
    });
    await expect(call('GetCredentialsForIdentity', {})).rejects.toMatchObject({
      code: 'InvalidParameterException',
    });
  });
});

describe('users', () => {
  it('links the guest identity on first sign-in and keeps the same identity id on later sign-ins', async () => {
    const { h, call, credentials } = setup();
    const guest = (await call<{ IdentityId: string }>('GetId', { IdentityPoolId: IDENTITY_POOL_ID }))
      .IdentityId;
    const tokens = await signedIn(h, 'jane@example.com');
    const sub = decodeJwt(tokens.IdToken as string).sub as string;
    const first = await call<Creds>('GetCredentialsForIdentity', {
      IdentityId: guest,
      Logins: { [PROVIDER]: tokens.IdToken },
    });
    expect(first.IdentityId).toBe(guest);
    expect(await credentials.get(first.Credentials.AccessKeyId)).toMatchObject({
      roleArn: AUTH_ROLE,
      amr: ['authenticated', PROVIDER, `${PROVIDER}:CognitoSignIn:${sub}`],
    });

    // Signed out, the browser gets a new guest id; signing in again must land on the original identity.
    const laterGuest = (await call<{ IdentityId: string }>('GetId', { IdentityPoolId: IDENTITY_POOL_ID }))
      .IdentityId;
    expect(laterGuest).not.toBe(guest);
    const again = await h.signIn('jane@example.com');
    const second = await call<Creds>('GetCredentialsForIdentity', {
      IdentityId: laterGuest,
      Logins: { [PROVIDER]: again.IdToken },
    });
    expect(second.IdentityId).toBe(guest);
    await expect(
      call('GetId', { IdentityPoolId: IDENTITY_POOL_ID, Logins: { [PROVIDER]: again.IdToken } }),
    ).resolves.toEqual({
      IdentityId: guest,
    });
    // The unused guest identity stays a guest.
    await expect(
      call<Creds>('GetCredentialsForIdentity', { IdentityId: laterGuest }),
    ).resolves.toHaveProperty('IdentityId', laterGuest);
  });

  it('never hands a user identity out without its login, nor to another user', async () => {
    const { h, call } = setup();
    const jane = await signedIn(h, 'jane@example.com');
    const john = await signedIn(h, 'john@example.com');
    const { IdentityId: janeId } = await call<{ IdentityId: string }>('GetId', {
      IdentityPoolId: IDENTITY_POOL_ID,
      Logins: { [PROVIDER]: jane.IdToken },
    });
    await expect(call('GetCredentialsForIdentity', { IdentityId: janeId })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message:
        "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    });
    const johnCreds = await call<Creds>('GetCredentialsForIdentity', {
      IdentityId: janeId,
      Logins: { [PROVIDER]: john.IdToken },
    });
    expect(johnCreds.IdentityId).not.toBe(janeId);
  });

  it('gives members of admins the admin role through the token role mapping', async () => {
    const { h, call, credentials } = setup();
    await h.registerUser('admin@example.com');
    await h.idp.addUserToGroup(POOL_ID, 'admin@example.com', 'admins');
    const tokens = await h.signIn('admin@example.com');
    const { IdentityId } = await call<{ IdentityId: string }>('GetId', {
      IdentityPoolId: IDENTITY_POOL_ID,
      Logins: { [PROVIDER]: tokens.IdToken },
    });
    const out = await call<Creds>('GetCredentialsForIdentity', {
      IdentityId,
      Logins: { [PROVIDER]: tokens.IdToken },
    });
    expect((await credentials.get(out.Credentials.AccessKeyId))?.roleArn).toBe(ADMIN_ROLE);
    await expect(
      call('GetCredentialsForIdentity', {
        IdentityId,
        Logins: { [PROVIDER]: tokens.IdToken },
        CustomRoleArn: AUTH_ROLE,
      }),
    ).rejects.toMatchObject({ code: 'NotAuthorizedException' });
  });

  it('checks the role trust policy before issuing credentials', async () => {
    const { h, call } = setup({ model: cognitoModel({ authenticatedRole: MISTRUSTING_ROLE }) });
    const tokens = await signedIn(h, 'jane@example.com');
    const { IdentityId } = await call<{ IdentityId: string }>('GetId', {
      IdentityPoolId: IDENTITY_POOL_ID,
      Logins: { [PROVIDER]: tokens.IdToken },
    });
    await expect(
      call('GetCredentialsForIdentity', { IdentityId, Logins: { [PROVIDER]: tokens.IdToken } }),
    ).rejects.toMatchObject({ code: 'InvalidIdentityPoolConfigurationException' });
  });
});

describe('login tokens', () => {
  async function withGuest() {
    const ctx = setup();
    const { IdentityId } = await ctx.call<{ IdentityId: string }>('GetId', {
      IdentityPoolId: IDENTITY_POOL_ID,
    });
    const tokens = await signedIn(ctx.h, 'jane@example.com');
    const attempt = (logins: Record<string, unknown>) =>
      ctx.call('GetCredentialsForIdentity', { IdentityId, Logins: logins });
    return { ...ctx, IdentityId, tokens, attempt };
  }

  it('refuses a forged token (right claims, wrong key)', async () => {
    const { tokens, attempt } = await withGuest();
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(decodeJwt(tokens.IdToken as string))
      .setProtectedHeader({ alg: 'RS256' })
      .sign(privateKey);
    await expect(attempt({ [PROVIDER]: forged })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid login token. Invalid signature.',
    });
  });

  it('refuses a token from another user pool, under its own or this pool’s provider name', async () => {
    const { h, attempt } = await withGuest();
    const otherPool = `cognito-idp.us-east-1.amazonaws.com/${OTHER_POOL_ID}`;
    await h.call('SignUp', {
      ClientId: OTHER_POOL_CLIENT,
      Username: 'eve@example.com',
      Password: 'Correct-Horse-9-Battery',
      UserAttributes: [{ Name: 'email', Value: 'eve@example.com' }],
    });
    await h.call('ConfirmSignUp', {
      ClientId: OTHER_POOL_CLIENT,
      Username: 'eve@example.com',
      ConfirmationCode: h.latestCode('eve@example.com'),
    });
    const eve = await h.signIn('eve@example.com', 'Correct-Horse-9-Battery', OTHER_POOL_CLIENT);
    await expect(attempt({ [otherPool]: eve.IdToken })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Token is not from a supported provider of this identity pool.',
    });
    await expect(attempt({ [PROVIDER]: eve.IdToken })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: "Invalid login token. Issuer doesn't match providerName",
    });
  });

  it('refuses a token for a client the identity pool does not list (aud), an access token, and an expired token', async () => {
    const { h, tokens, attempt } = await withGuest();
    const unlisted = await h.signIn('jane@example.com', undefined, UNLISTED_CLIENT);
    await expect(attempt({ [PROVIDER]: unlisted.IdToken })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid login token. Incorrect token audience.',
    });
    await expect(attempt({ [PROVIDER]: tokens.AccessToken })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid login token. Not a valid OpenId Connect identity token.',
    });
    h.clock.advance(HOUR + 1000);
    await expect(attempt({ [PROVIDER]: tokens.IdToken })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid login token. Token expired.',
    });
  });

  it('with ServerSideTokenCheck, refuses an id token whose sign-in was revoked (without it, the token stands until it expires)', async () => {
    for (const serverSideTokenCheck of [true, false]) {
      const { h, call } = setup({ model: cognitoModel({ serverSideTokenCheck }) });
      const tokens = await signedIn(h, 'jane@example.com');
      await h.call('GlobalSignOut', { AccessToken: tokens.AccessToken });
      const attempt = call('GetId', {
        IdentityPoolId: IDENTITY_POOL_ID,
        Logins: { [PROVIDER]: tokens.IdToken },
      });
      if (serverSideTokenCheck) {
        await expect(attempt).rejects.toMatchObject({
          code: 'NotAuthorizedException',
          message: 'Invalid login token. Token has been revoked.',
        });
      } else {
        await expect(attempt).resolves.toHaveProperty('IdentityId');
      }
    }
  });

  it('refuses unknown providers and more than one login', async () => {
    const { tokens, attempt } = await withGuest();
    const unsupported = {
      code: 'NotAuthorizedException',
      message: 'Token is not from a supported provider of this identity pool.',
    };
    await expect(attempt({ 'accounts.google.com': tokens.IdToken })).rejects.toMatchObject(unsupported);
    await expect(attempt({ [PROVIDER]: tokens.IdToken, 'accounts.google.com': 'x' })).rejects.toMatchObject(
      unsupported,
    );
  });
});

describe('state', () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'sandbox-identity-'));
  });
  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('keeps identities and credentials across a restart', async () => {
    const first = setup({ stateDir });
    const tokens = await signedIn(first.h, 'jane@example.com');
    const { IdentityId } = await first.call<{ IdentityId: string }>('GetId', {
      IdentityPoolId: IDENTITY_POOL_ID,
      Logins: { [PROVIDER]: tokens.IdToken },
    });

    const store = await FileCredentialStore.open(join(stateDir, 'credentials'), first.h.clock);
    const identity: JsonService = createCognitoIdentityService({
      model: first.h.model,
      stateDir,
      clock: first.h.clock,
      logger: first.h.logger,
      idp: first.h.idp,
      credentials: store,
    });
    const out = (await identity.call(
      'GetCredentialsForIdentity',
      { IdentityId, Logins: { [PROVIDER]: tokens.IdToken } },
      META,
    )) as Creds;
    expect(out.IdentityId).toBe(IdentityId);

    const reopened = await FileCredentialStore.open(join(stateDir, 'credentials'), first.h.clock);
    expect(await reopened.get(out.Credentials.AccessKeyId)).toMatchObject({
      identityId: IdentityId,
      roleArn: AUTH_ROLE,
    });
    first.h.clock.advance(26 * HOUR);
    const swept = await FileCredentialStore.open(join(stateDir, 'credentials'), first.h.clock);
    expect(await swept.get(out.Credentials.AccessKeyId)).toBeUndefined();
  });
});

it('answers an operation it does not implement with 501 NotImplemented', async () => {
  const { call } = setup();
  await expect(call('MergeDeveloperIdentities', {})).rejects.toMatchObject({
    code: 'NotImplemented',
    status: 501,
  });
});
