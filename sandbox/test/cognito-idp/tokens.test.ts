import {
  SignJWT,
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  generateKeyPair,
  jwtVerify,
} from 'jose';
import {
  ADMIN_ROLE,
  OTHER_POOL_ID,
  PASSWORD_CLIENT,
  POOL_ID,
  WEB_CLIENT,
  cognitoModel,
} from '../helpers/cognito-model';
import { idpHarness } from '../helpers/cognito-harness';

// Each sign-in runs Amplify's pure-JS SRP client math (about half a second on a busy machine).
jest.setTimeout(30_000);

const MINUTE = 60 * 1000;
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}`;

describe('tokens', () => {
  it('signs RS256 tokens that verify against the pool JWKS, with the Cognito claims', async () => {
    const h = idpHarness();
    const sub = await h.registerUser('jane@example.com');
    const tokens = await h.signIn('jane@example.com');
    const jwks = await h.idp.jwks(POOL_ID);
    expect(jwks?.keys).toEqual([
      expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) }),
    ]);
    expect(JSON.stringify(jwks)).not.toMatch(/"d":/);
    const keySet = createLocalJWKSet(jwks as { keys: never[] });
    const now = h.clock.now();
    const id = await jwtVerify(tokens.IdToken as string, keySet, {
      issuer: ISSUER,
      audience: WEB_CLIENT,
      currentDate: now,
    });
    expect(decodeProtectedHeader(tokens.IdToken as string)).toEqual({
      alg: 'RS256',
      kid: jwks?.keys[0]?.kid,
    });
    expect(id.payload).toEqual({
      sub,
      iss: ISSUER,
      aud: WEB_CLIENT,
      token_use: 'id',
      'cognito:username': sub,
      email: 'jane@example.com',
      email_verified: true,
      origin_jti: expect.any(String),
      event_id: expect.any(String),
      jti: expect.any(String),
      auth_time: Math.floor(now.getTime() / 1000),
      iat: Math.floor(now.getTime() / 1000),
      exp: Math.floor(now.getTime() / 1000) + 3600,
    });
    const access = await jwtVerify(tokens.AccessToken as string, keySet, {
      issuer: ISSUER,
      currentDate: now,
    });
    expect(access.payload).toEqual({
      sub,
      iss: ISSUER,
      client_id: WEB_CLIENT,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      username: sub,
      origin_jti: id.payload.origin_jti,
      event_id: id.payload.event_id,
      jti: expect.any(String),
      auth_time: id.payload.auth_time,
      iat: id.payload.iat,
      exp: Math.floor(now.getTime() / 1000) + 3600,
    });
    expect(access.payload.jti).not.toBe(id.payload.jti);
    expect(tokens.RefreshToken).not.toContain('.');
  });

  it('gives each pool its own key, so one pool cannot vouch for another', async () => {
    const h = idpHarness();
    const a = await h.idp.jwks(POOL_ID);
    const b = await h.idp.jwks(OTHER_POOL_ID);
    expect(a?.keys[0]?.kid).not.toBe(b?.keys[0]?.kid);
    await expect(h.idp.jwks('us-east-1_Unknown')).resolves.toBeUndefined();
  });

  it('carries groups and the group role for token-based role mapping', async () => {
    const h = idpHarness();
    await h.registerUser('admin@example.com');
    await h.idp.addUserToGroup(POOL_ID, 'admin@example.com', 'admins');
    const tokens = await h.signIn('admin@example.com');
    expect(decodeJwt(tokens.IdToken as string)).toMatchObject({
      'cognito:groups': ['admins'],
      'cognito:roles': [ADMIN_ROLE],
      'cognito:preferred_role': ADMIN_ROLE,
    });
    expect(decodeJwt(tokens.AccessToken as string)).toMatchObject({ 'cognito:groups': ['admins'] });
    await expect(h.idp.addUserToGroup(POOL_ID, 'admin@example.com', 'nope')).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
    });
    await expect(h.idp.addUserToGroup(POOL_ID, 'ghost@example.com', 'admins')).rejects.toMatchObject({
      code: 'UserNotFoundException',
    });
  });

  it('adds to a group in the only user pool when the CLI names none, and refuses to guess among several', async () => {
    const full = cognitoModel();
    const single = { ...full, userPools: new Map([[POOL_ID, full.userPools.get(POOL_ID)!]]) };
    const h = idpHarness({ model: single });
    await h.registerUser('admin@example.com');
    await h.idp.addUserToGroup('admin@example.com', 'admins');
    expect(h.idp.adminGetUser(POOL_ID, 'admin@example.com').Groups).toEqual(['admins']);
    await h.idp.removeUserFromGroup('admin@example.com', 'admins');
    expect(h.idp.adminGetUser(POOL_ID, 'admin@example.com').Groups).toEqual([]);
    await expect(idpHarness().idp.addUserToGroup('admin@example.com', 'admins')).rejects.toMatchObject({
      code: 'InvalidParameterException',
    });
  });

  it('verifies id tokens for the identity pools and names what is wrong with a bad one', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    const tokens = await h.signIn('jane@example.com');
    await expect(h.idp.verifyIdToken(tokens.IdToken as string)).resolves.toMatchObject({
      ok: true,
      userPoolId: POOL_ID,
    });
    await expect(h.idp.verifyIdToken(tokens.AccessToken as string)).resolves.toEqual({
      ok: false,
      reason: 'not-an-id-token',
    });
    await expect(h.idp.verifyIdToken('garbage')).resolves.toEqual({ ok: false, reason: 'malformed' });

    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ ...decodeJwt(tokens.IdToken as string) })
      .setProtectedHeader({ alg: 'RS256', kid: (await h.idp.jwks(POOL_ID))?.keys[0]?.kid })
      .sign(privateKey);
    await expect(h.idp.verifyIdToken(forged)).resolves.toEqual({ ok: false, reason: 'bad-signature' });
    const foreign = await new SignJWT({
      ...decodeJwt(tokens.IdToken as string),
      iss: 'https://evil.example.com/us-east-1_TestPool1',
    })
      .setProtectedHeader({ alg: 'RS256' })
      .sign(privateKey);
    await expect(h.idp.verifyIdToken(foreign)).resolves.toEqual({ ok: false, reason: 'unknown-issuer' });

    h.clock.advance(61 * MINUTE);
    await expect(h.idp.verifyIdToken(tokens.IdToken as string)).resolves.toEqual({
      ok: false,
      reason: 'expired',
    });
  });
});

describe('refresh', () => {
  it('mints new tokens of the same sign-in from the refresh token, both ways the clients ask', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    const first = await h.signIn('jane@example.com');
    h.clock.advance(50 * MINUTE);
    const viaNewApi = await h.call<{ AuthenticationResult: Record<string, unknown> }>(
      'GetTokensFromRefreshToken',
      {
        ClientId: WEB_CLIENT,
        RefreshToken: first.RefreshToken,
      },
    );
    expect(viaNewApi.AuthenticationResult).toEqual({
      AccessToken: expect.any(String),
      IdToken: expect.any(String),
      ExpiresIn: 3600,
      TokenType: 'Bearer',
    });
    const viaInitiateAuth = await h.call<{ AuthenticationResult: Record<string, unknown> }>('InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: WEB_CLIENT,
      AuthParameters: { REFRESH_TOKEN: first.RefreshToken },
    });
    const original = decodeJwt(first.AccessToken as string);
    const refreshed = decodeJwt(viaInitiateAuth.AuthenticationResult.AccessToken as string);
    expect(refreshed.origin_jti).toBe(original.origin_jti);
    expect(refreshed.auth_time).toBe(original.auth_time);
    expect(refreshed.iat).toBe((original.iat as number) + 50 * 60);
  });

  it('refuses an unknown refresh token, one of another client, and an expired one', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    const tokens = await h.signIn('jane@example.com');
    await expect(
      h.call('GetTokensFromRefreshToken', { ClientId: WEB_CLIENT, RefreshToken: 'made-up' }),
    ).rejects.toMatchObject({ code: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
    await expect(
      h.call('GetTokensFromRefreshToken', {
        ClientId: PASSWORD_CLIENT,
        RefreshToken: tokens.RefreshToken,
      }),
    ).rejects.toMatchObject({ code: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
    h.clock.advance(30 * 24 * 60 * MINUTE);
    await expect(
      h.call('GetTokensFromRefreshToken', { ClientId: WEB_CLIENT, RefreshToken: tokens.RefreshToken }),
    ).rejects.toMatchObject({ code: 'NotAuthorizedException', message: 'Refresh Token has expired' });
  });
});

describe('GetUser', () => {
  it('returns Username = sub and email_verified as the string "true"', async () => {
    const h = idpHarness();
    const sub = await h.registerUser('jane@example.com');
    const tokens = await h.signIn('jane@example.com');
    await expect(h.call('GetUser', { AccessToken: tokens.AccessToken })).resolves.toEqual({
      Username: sub,
      UserAttributes: [
        { Name: 'sub', Value: sub },
        { Name: 'email', Value: 'jane@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
  });

  it('refuses an id token, a forged token and an expired access token', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    const tokens = await h.signIn('jane@example.com');
    await expect(h.call('GetUser', { AccessToken: tokens.IdToken })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    });
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(decodeJwt(tokens.AccessToken as string))
      .setProtectedHeader({ alg: 'RS256' })
      .sign(privateKey);
    await expect(h.call('GetUser', { AccessToken: forged })).rejects.toMatchObject({
      message: 'Invalid Access Token',
    });
    h.clock.advance(61 * MINUTE);
    await expect(h.call('GetUser', { AccessToken: tokens.AccessToken })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Access Token has expired',
    });
  });
});

describe('sign-out', () => {
  it('GlobalSignOut revokes every session of the user: access tokens and refresh tokens', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    const laptop = await h.signIn('jane@example.com');
    const phone = await h.signIn('jane@example.com');
    await expect(h.call('GlobalSignOut', { AccessToken: laptop.AccessToken })).resolves.toEqual({});
    for (const session of [laptop, phone]) {
      await expect(h.call('GetUser', { AccessToken: session.AccessToken })).rejects.toMatchObject({
        code: 'NotAuthorizedException',
        message: 'Access Token has been revoked',
      });
      await expect(
        h.call('GetTokensFromRefreshToken', { ClientId: WEB_CLIENT, RefreshToken: session.RefreshToken }),
      ).rejects.toMatchObject({ code: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    }
    await expect(h.signIn('jane@example.com')).resolves.toHaveProperty('AccessToken');
  });

  it('RevokeToken revokes one refresh token family and leaves the other sessions alone', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    const laptop = await h.signIn('jane@example.com');
    const phone = await h.signIn('jane@example.com');
    await expect(
      h.call('RevokeToken', { ClientId: WEB_CLIENT, Token: laptop.RefreshToken }),
    ).resolves.toEqual({});
    await expect(h.call('GetUser', { AccessToken: laptop.AccessToken })).rejects.toMatchObject({
      message: 'Access Token has been revoked',
    });
    await expect(h.idp.verifyIdToken(laptop.IdToken as string, { checkRevocation: true })).resolves.toEqual({
      ok: false,
      reason: 'revoked',
    });
    await expect(h.call('GetUser', { AccessToken: phone.AccessToken })).resolves.toHaveProperty('Username');
    await expect(
      h.call('RevokeToken', { ClientId: WEB_CLIENT, Token: laptop.AccessToken }),
    ).rejects.toMatchObject({
      code: 'UnsupportedTokenTypeException',
    });
    await expect(
      h.call('RevokeToken', { ClientId: PASSWORD_CLIENT, Token: phone.RefreshToken }),
    ).rejects.toMatchObject({
      code: 'UnauthorizedException',
    });
    await expect(h.call('RevokeToken', { ClientId: WEB_CLIENT, Token: 'never-issued' })).resolves.toEqual({});
  });
});

it('answers an operation it does not implement with 501 NotImplemented', async () => {
  await expect(idpHarness().call('AdminCreateUser', { UserPoolId: POOL_ID })).rejects.toMatchObject({
    code: 'NotImplemented',
    status: 501,
  });
  await expect(idpHarness().call('SignUp', 'not an object')).rejects.toMatchObject({
    code: 'InvalidParameterException',
  });
});
