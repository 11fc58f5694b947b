import { PASSWORD_CLIENT, POOL_ID, STRONG_PASSWORD, WEB_CLIENT } from '../helpers/cognito-model';
import { idpHarness, type IdpHarness } from '../helpers/cognito-harness';

const HOUR = 60 * 60 * 1000;

function signUpInput(email: string, password = STRONG_PASSWORD) {
  return {
    ClientId: WEB_CLIENT,
    Username: email,
    Password: password,
    UserAttributes: [{ Name: 'email', Value: email }],
  };
}

function confirm(h: IdpHarness, code: string, username = 'jane@example.com', clientId = WEB_CLIENT) {
  return h.call('ConfirmSignUp', { ClientId: clientId, Username: username, ConfirmationCode: code });
}

function resend(h: IdpHarness) {
  return h.call('ResendConfirmationCode', { ClientId: WEB_CLIENT, Username: 'jane@example.com' });
}

describe('SignUp', () => {
  it('creates an unconfirmed user whose internal username is a uuid sub and mails a 6-digit code', async () => {
    const h = idpHarness();
    const out = await h.call<Record<string, unknown>>('SignUp', signUpInput('jane@example.com'));
    expect(out).toEqual({
      UserConfirmed: false,
      UserSub: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      CodeDeliveryDetails: { Destination: 'j***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    });
    const mail = h.mailbox.latest('JANE@example.com');
    expect(mail).toMatchObject({ to: 'jane@example.com', code: expect.stringMatching(/^\d{6}$/) });
    expect(mail?.body).toContain(mail?.code);
    expect(h.idp.adminGetUser(POOL_ID, 'jane@example.com')).toMatchObject({
      Username: out.UserSub,
      UserStatus: 'UNCONFIRMED',
    });
  });

  it.each([
    ['Sh0rt-pass', 'Password did not conform with policy: Password not long enough'],
    ['alllowercase-9-long', 'Password did not conform with policy: Password must have uppercase characters'],
    ['ALLUPPERCASE-9-LONG', 'Password did not conform with policy: Password must have lowercase characters'],
    ['No-Numbers-Anywhere', 'Password did not conform with policy: Password must have numeric characters'],
    ['NoSymbolsAtAll99', 'Password did not conform with policy: Password must have symbol characters'],
  ])('enforces the pool password policy: %s', async (password, message) => {
    const h = idpHarness();
    await expect(h.call('SignUp', signUpInput('a@example.com', password))).rejects.toMatchObject({
      code: 'InvalidPasswordException',
      message,
    });
    expect(h.mailbox.list()).toHaveLength(0);
  });

  it('refuses leading or trailing whitespace as Cognito request validation does', async () => {
    await expect(
      idpHarness().call('SignUp', signUpInput('a@example.com', ` ${STRONG_PASSWORD}`)),
    ).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message: expect.stringContaining("at 'password' failed to satisfy constraint"),
    });
  });

  it('refuses a second account with the same email, whatever the case', async () => {
    const h = idpHarness();
    await h.call('SignUp', signUpInput('jane@example.com'));
    await expect(h.call('SignUp', signUpInput('Jane@Example.com'))).rejects.toMatchObject({
      code: 'UsernameExistsException',
      message: 'An account with the given email already exists.',
    });
  });

  it('requires an email username, the client id, and known attributes the client may write', async () => {
    const h = idpHarness();
    await expect(h.call('SignUp', signUpInput('not-an-email'))).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message: 'Username should be an email.',
    });
    await expect(
      h.call('SignUp', { Username: 'a@example.com', Password: STRONG_PASSWORD }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message:
        "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null",
    });
    await expect(
      h.call('SignUp', { ...signUpInput('a@example.com'), ClientId: 'nope' }),
    ).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
    });
    await expect(
      h.call('SignUp', {
        ...signUpInput('a@example.com'),
        UserAttributes: [{ Name: 'name', Value: 'Jane' }],
      }),
    ).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: expect.stringContaining('unauthorized attribute'),
    });
    await expect(
      h.call('SignUp', {
        ...signUpInput('a@example.com'),
        UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
      }),
    ).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    await expect(
      h.call('SignUp', {
        ...signUpInput('a@example.com'),
        UserAttributes: [{ Name: 'shoe_size', Value: '9' }],
      }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message: expect.stringContaining('schema'),
    });
  });
});

describe('ConfirmSignUp', () => {
  it('confirms with the mailed code and marks the email verified', async () => {
    const h = idpHarness();
    await h.call('SignUp', signUpInput('jane@example.com'));
    await expect(confirm(h, h.latestCode('jane@example.com'))).resolves.toEqual({});
    const user = h.idp.adminGetUser(POOL_ID, 'jane@example.com');
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
    await expect(confirm(h, '000000')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'User cannot be confirmed. Current status is CONFIRMED',
    });
  });

  it('answers CodeMismatchException for a wrong code, and for an unknown user (no existence leak)', async () => {
    const h = idpHarness();
    await h.call('SignUp', signUpInput('jane@example.com'));
    const wrong = h.latestCode('jane@example.com') === '123456' ? '654321' : '123456';
    await expect(confirm(h, wrong)).rejects.toMatchObject({
      code: 'CodeMismatchException',
      message: 'Invalid verification code provided, please try again.',
    });
    await expect(confirm(h, wrong, 'nobody@example.com')).rejects.toMatchObject({
      code: 'CodeMismatchException',
    });
  });

  it('expires the code after 24 hours', async () => {
    const h = idpHarness();
    await h.call('SignUp', signUpInput('jane@example.com'));
    const code = h.latestCode('jane@example.com');
    h.clock.advance(24 * HOUR);
    await expect(confirm(h, code)).rejects.toMatchObject({
      code: 'ExpiredCodeException',
      message: 'Invalid code provided, please request a code again.',
    });
  });

  it('kills a code after five wrong guesses (LimitExceededException), until a new one is sent', async () => {
    const h = idpHarness();
    await h.call('SignUp', signUpInput('jane@example.com'));
    const code = h.latestCode('jane@example.com');
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) {
      await expect(confirm(h, wrong)).rejects.toMatchObject({ code: 'CodeMismatchException' });
    }
    await expect(confirm(h, code)).rejects.toMatchObject({ code: 'LimitExceededException' });
    await resend(h);
    await expect(confirm(h, h.latestCode('jane@example.com'))).resolves.toEqual({});
  });
});

describe('ResendConfirmationCode', () => {
  it('sends a fresh code that replaces the old one', async () => {
    const h = idpHarness();
    await h.call('SignUp', signUpInput('jane@example.com'));
    const first = h.mailbox.latest('jane@example.com');
    const out = await resend(h);
    expect(out).toEqual({
      CodeDeliveryDetails: { Destination: 'j***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    });
    expect(h.mailbox.list('jane@example.com')).toHaveLength(2);
    const second = h.mailbox.latest('jane@example.com');
    expect(second?.id).not.toBe(first?.id);
  });

  it('limits sends per hour and refuses confirmed users', async () => {
    const h = idpHarness();
    await h.call('SignUp', signUpInput('jane@example.com'));
    for (let i = 0; i < 4; i++) await resend(h);
    await expect(resend(h)).rejects.toMatchObject({
      code: 'LimitExceededException',
    });
    h.clock.advance(HOUR + 1);
    await resend(h);
    await confirm(h, h.latestCode('jane@example.com'), 'jane@example.com', PASSWORD_CLIENT);
    await expect(resend(h)).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message: 'User is already confirmed.',
    });
  });

  it('answers an unknown user like a known one (preventUserExistenceErrors) without sending mail', async () => {
    const h = idpHarness();
    await expect(
      h.call('ResendConfirmationCode', { ClientId: WEB_CLIENT, Username: 'ghost@example.com' }),
    ).resolves.toEqual({
      CodeDeliveryDetails: { Destination: 'g***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    });
    expect(h.mailbox.list()).toHaveLength(0);
  });
});
