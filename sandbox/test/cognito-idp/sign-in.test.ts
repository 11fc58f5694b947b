import { decodeJwt } from 'jose';
import { formatSrpTimestamp } from '../../src/services/cognito-idp/srp';
import { startSrp } from '../helpers/amplify-srp';
import { PASSWORD_CLIENT, POOL_ID, STRONG_PASSWORD, WEB_CLIENT } from '../helpers/cognito-model';
import { idpHarness, type IdpHarness } from '../helpers/cognito-harness';

// Each sign-in runs Amplify's pure-JS SRP client math (about half a second on a busy machine).
jest.setTimeout(30_000);

const MINUTE = 60 * 1000;
type Challenge = { ChallengeParameters: Record<string, string>; Session: string; ChallengeName: string };

async function challenge(h: IdpHarness, username: string, clientId = WEB_CLIENT) {
  const srp = await startSrp(POOL_ID);
  const out = await h.call<Challenge>('InitiateAuth', {
    AuthFlow: 'USER_SRP_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, SRP_A: srp.srpA },
  });
  /** The client's answer to this challenge, stamped by the manual clock unless a TIMESTAMP is given. */
  const answer = (password = STRONG_PASSWORD, timestamp = formatSrpTimestamp(h.clock.now())) =>
    srp.respond(out.ChallengeParameters, password, timestamp);
  return { out, answer };
}

async function respond(
  h: IdpHarness,
  c: Challenge,
  responses: Record<string, string>,
  clientId = WEB_CLIENT,
) {
  return h.call('RespondToAuthChallenge', {
    ChallengeName: 'PASSWORD_VERIFIER',
    ClientId: clientId,
    Session: c.Session,
    ChallengeResponses: responses,
  });
}

describe('USER_SRP_AUTH', () => {
  it('answers PASSWORD_VERIFIER with the sub as USERNAME and USER_ID_FOR_SRP, then issues tokens', async () => {
    const h = idpHarness();
    const sub = await h.registerUser('jane@example.com');
    const { out, answer } = await challenge(h, 'jane@example.com');
    expect(out.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(out.ChallengeParameters).toEqual({
      SALT: expect.stringMatching(/^[0-9a-f]+$/),
      SECRET_BLOCK: expect.any(String),
      SRP_B: expect.stringMatching(/^[0-9a-f]+$/),
      USERNAME: sub,
      USER_ID_FOR_SRP: sub,
    });
    const responses = await answer();
    const result = (await respond(h, out, responses)) as { AuthenticationResult: Record<string, unknown> };
    expect(result.AuthenticationResult).toEqual({
      AccessToken: expect.any(String),
      IdToken: expect.any(String),
      RefreshToken: expect.any(String),
      ExpiresIn: 3600,
      TokenType: 'Bearer',
    });
    expect(decodeJwt(result.AuthenticationResult.IdToken as string)).toMatchObject({
      sub,
      email: 'jane@example.com',
    });
  });

  it('accepts the sub as the username too', async () => {
    const h = idpHarness();
    const sub = await h.registerUser('jane@example.com');
    await expect(h.signIn(sub)).resolves.toHaveProperty('AccessToken');
  });

  it('refuses a wrong password with NotAuthorizedException', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    await expect(h.signIn('jane@example.com', 'Wrong-Password-123')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('answers an unknown user with a stable decoy challenge and then the same NotAuthorizedException', async () => {
    const h = idpHarness();
    const first = await challenge(h, 'ghost@example.com');
    const second = await challenge(h, 'ghost@example.com');
    expect(first.out.ChallengeParameters.USER_ID_FOR_SRP).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(second.out.ChallengeParameters.USER_ID_FOR_SRP).toBe(
      first.out.ChallengeParameters.USER_ID_FOR_SRP,
    );
    expect(second.out.ChallengeParameters.SALT).toBe(first.out.ChallengeParameters.SALT);
    const responses = await first.answer();
    await expect(respond(h, first.out, responses)).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('tells an unconfirmed user to confirm only once the password is proven', async () => {
    const h = idpHarness();
    await h.call('SignUp', {
      ClientId: WEB_CLIENT,
      Username: 'new@example.com',
      Password: STRONG_PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'new@example.com' }],
    });
    await expect(h.signIn('new@example.com', 'Wrong-Password-123')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
    await expect(h.signIn('new@example.com')).rejects.toMatchObject({
      code: 'UserNotConfirmedException',
      message: 'User is not confirmed.',
    });
  });

  it('uses each challenge once and lets it expire after three minutes', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    const { out, answer } = await challenge(h, 'jane@example.com');
    const responses = await answer();
    await respond(h, out, responses);
    await expect(respond(h, out, responses)).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });

    const late = await challenge(h, 'jane@example.com');
    h.clock.advance(3 * MINUTE + 1000);
    const lateResponses = await late.answer();
    await expect(respond(h, late.out, lateResponses)).rejects.toMatchObject({
      message: 'Invalid session for the user, session is expired.',
    });
  });

  it('binds the challenge to its Session and client', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    const a = await challenge(h, 'jane@example.com');
    const responses = await a.answer();
    await expect(respond(h, { ...a.out, Session: 'forged-session' }, responses)).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
    const b = await challenge(h, 'jane@example.com');
    const bResponses = await b.answer();
    await expect(respond(h, b.out, bResponses, PASSWORD_CLIENT)).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
  });

  it('validates TIMESTAMP and refuses a stale one', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    const a = await challenge(h, 'jane@example.com');
    const bad = await a.answer(STRONG_PASSWORD, '2026-01-01T00:00:00Z');
    await expect(respond(h, a.out, bad)).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message: 'TIMESTAMP must be of the form "ddd MMM D HH:mm:ss UTC YYYY".',
    });
    const b = await challenge(h, 'jane@example.com');
    const stale = await b.answer(
      STRONG_PASSWORD,
      formatSrpTimestamp(new Date(h.clock.now().getTime() - 10 * MINUTE)),
    );
    await expect(respond(h, b.out, stale)).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'TIMESTAMP is too far from the current time.',
    });
  });

  it('refuses SRP_A = 0 (mod N) and missing parameters', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    await expect(
      h.call('InitiateAuth', {
        AuthFlow: 'USER_SRP_AUTH',
        ClientId: WEB_CLIENT,
        AuthParameters: { USERNAME: 'jane@example.com', SRP_A: '0' },
      }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message: 'SRP_A is not a valid SRP public value.',
    });
    await expect(
      h.call('InitiateAuth', {
        AuthFlow: 'USER_SRP_AUTH',
        ClientId: WEB_CLIENT,
        AuthParameters: { USERNAME: 'jane@example.com' },
      }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message: 'Missing required parameter SRP_A',
    });
  });
});

describe('USER_PASSWORD_AUTH', () => {
  it('is refused for the SRP-only app client', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    await expect(
      h.call('InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: WEB_CLIENT,
        AuthParameters: { USERNAME: 'jane@example.com', PASSWORD: STRONG_PASSWORD },
      }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message: 'USER_PASSWORD_AUTH flow not enabled for this client',
    });
  });

  it('signs in on a client that allows it, checking the password against the stored verifier', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    const ok = await h.call<{ AuthenticationResult: { IdToken: string } }>('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: PASSWORD_CLIENT,
      AuthParameters: { USERNAME: 'jane@example.com', PASSWORD: STRONG_PASSWORD },
    });
    expect(decodeJwt(ok.AuthenticationResult.IdToken).aud).toBe(PASSWORD_CLIENT);
    await expect(
      h.call('InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: PASSWORD_CLIENT,
        AuthParameters: { USERNAME: 'jane@example.com', PASSWORD: 'Wrong-Password-123' },
      }),
    ).rejects.toMatchObject({ code: 'NotAuthorizedException' });
  });

  it('refuses flows the sandbox does not emulate as 501, never with a fake success', async () => {
    const h = idpHarness();
    await expect(
      h.call('InitiateAuth', {
        AuthFlow: 'CUSTOM_AUTH',
        ClientId: PASSWORD_CLIENT,
        AuthParameters: { USERNAME: 'x@example.com' },
      }),
    ).rejects.toMatchObject({ code: 'NotImplemented', status: 501 });
    await expect(h.call('InitiateAuth', { AuthFlow: 'MAGIC', ClientId: WEB_CLIENT })).rejects.toMatchObject({
      code: 'InvalidParameterException',
    });
  });
});

describe('throttling of failed sign-ins', () => {
  // Up to eleven SRP sign-ins per test: on a loaded two-core machine that outlasts the file's 30 s.
  const MANY_SIGN_INS_MS = 120_000;

  it(
    'locks the user out after five failures, even for the right password, with a doubling backoff',
    async () => {
      const h = idpHarness();
      await h.registerUser('jane@example.com');
      for (let i = 0; i < 5; i++) {
        await expect(h.signIn('jane@example.com', `Wrong-Password-${i}`)).rejects.toMatchObject({
          message: 'Incorrect username or password.',
        });
      }
      await expect(h.signIn('jane@example.com')).rejects.toMatchObject({
        code: 'NotAuthorizedException',
        message: 'Password attempts exceeded',
      });
      h.clock.advance(MINUTE + 1000);
      await expect(h.signIn('jane@example.com', 'Wrong-Password-6')).rejects.toMatchObject({
        message: 'Incorrect username or password.',
      });
      // The sixth failure inside the window locks again, now for two minutes.
      h.clock.advance(MINUTE + 1000);
      await expect(h.signIn('jane@example.com')).rejects.toMatchObject({
        message: 'Password attempts exceeded',
      });
      h.clock.advance(MINUTE);
      await expect(h.signIn('jane@example.com')).resolves.toHaveProperty('AccessToken');
      // Success clears the record: one more failure does not lock.
      await expect(h.signIn('jane@example.com', 'Wrong-Password-7')).rejects.toMatchObject({
        message: 'Incorrect username or password.',
      });
      await expect(h.signIn('jane@example.com')).resolves.toHaveProperty('AccessToken');
    },
    MANY_SIGN_INS_MS,
  );

  it(
    'forgets failures older than fifteen minutes',
    async () => {
      const h = idpHarness();
      await h.registerUser('jane@example.com');
      for (let i = 0; i < 4; i++)
        await expect(h.signIn('jane@example.com', `Wrong-Password-${i}`)).rejects.toMatchObject({
          message: 'Incorrect username or password.',
        });
      h.clock.advance(16 * MINUTE);
      await expect(h.signIn('jane@example.com', 'Wrong-Password-9')).rejects.toMatchObject({
        message: 'Incorrect username or password.',
      });
      await expect(h.signIn('jane@example.com')).resolves.toHaveProperty('AccessToken');
    },
    MANY_SIGN_INS_MS,
  );
});
