import { cognitoModel, STRONG_PASSWORD, WEB_CLIENT } from '../helpers/cognito-model';
import { idpHarness } from '../helpers/cognito-harness';

// Each sign-in runs Amplify's pure-JS SRP client math (about half a second on a busy machine).
jest.setTimeout(30_000);

const HOUR = 60 * 60 * 1000;
const NEW_PASSWORD = 'Another-Long-Pass-42';

describe('ForgotPassword / ConfirmForgotPassword', () => {
  it('resets the password with the mailed code; the old password stops working', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    await expect(
      h.call('ForgotPassword', { ClientId: WEB_CLIENT, Username: 'jane@example.com' }),
    ).resolves.toEqual({
      CodeDeliveryDetails: { Destination: 'j***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    });
    const mail = h.mailbox.latest('jane@example.com');
    expect(mail?.subject).toBe('Your password reset code');
    await expect(
      h.call('ConfirmForgotPassword', {
        ClientId: WEB_CLIENT,
        Username: 'jane@example.com',
        ConfirmationCode: mail?.code,
        Password: 'weak',
      }),
    ).rejects.toMatchObject({ code: 'InvalidPasswordException' });
    await expect(
      h.call('ConfirmForgotPassword', {
        ClientId: WEB_CLIENT,
        Username: 'jane@example.com',
        ConfirmationCode: mail?.code,
        Password: NEW_PASSWORD,
      }),
    ).resolves.toEqual({});
    await expect(h.signIn('jane@example.com')).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    await expect(h.signIn('jane@example.com', NEW_PASSWORD)).resolves.toHaveProperty('AccessToken');
  });

  it('expires reset codes after one hour', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    await h.call('ForgotPassword', { ClientId: WEB_CLIENT, Username: 'jane@example.com' });
    h.clock.advance(HOUR);
    await expect(
      h.call('ConfirmForgotPassword', {
        ClientId: WEB_CLIENT,
        Username: 'jane@example.com',
        ConfirmationCode: h.latestCode('jane@example.com'),
        Password: NEW_PASSWORD,
      }),
    ).rejects.toMatchObject({ code: 'ExpiredCodeException' });
  });

  it('does not reveal unknown users, and refuses users without a verified email', async () => {
    const h = idpHarness();
    await expect(
      h.call('ForgotPassword', { ClientId: WEB_CLIENT, Username: 'ghost@example.com' }),
    ).resolves.toEqual({
      CodeDeliveryDetails: { Destination: 'g***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    });
    expect(h.mailbox.list()).toHaveLength(0);
    await h.call('SignUp', {
      ClientId: WEB_CLIENT,
      Username: 'new@example.com',
      Password: STRONG_PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'new@example.com' }],
    });
    await expect(
      h.call('ForgotPassword', { ClientId: WEB_CLIENT, Username: 'new@example.com' }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
    });
  });
});

describe('ChangePassword', () => {
  it('needs the previous password and the pool policy for the new one', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    const { AccessToken } = await h.signIn('jane@example.com');
    await expect(
      h.call('ChangePassword', {
        AccessToken,
        PreviousPassword: 'Wrong-Password-1',
        ProposedPassword: NEW_PASSWORD,
      }),
    ).rejects.toMatchObject({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    await expect(
      h.call('ChangePassword', { AccessToken, PreviousPassword: STRONG_PASSWORD, ProposedPassword: 'short' }),
    ).rejects.toMatchObject({ code: 'InvalidPasswordException' });
    await expect(
      h.call('ChangePassword', {
        AccessToken,
        PreviousPassword: STRONG_PASSWORD,
        ProposedPassword: NEW_PASSWORD,
      }),
    ).resolves.toEqual({});
    await expect(h.signIn('jane@example.com', NEW_PASSWORD)).resolves.toHaveProperty('AccessToken');
  });
});

describe('UpdateUserAttributes / VerifyUserAttribute', () => {
  it('in a pool that does not keep the original, a new email applies at once, unverified, with a code', async () => {
    const h = idpHarness({ model: cognitoModel({ keepOriginalUntilVerified: [] }) });
    await h.registerUser('jane@example.com');
    const { AccessToken } = await h.signIn('jane@example.com');
    await expect(
      h.call('UpdateUserAttributes', {
        AccessToken,
        UserAttributes: [{ Name: 'email', Value: 'jane@new.example.org' }],
      }),
    ).resolves.toEqual({
      CodeDeliveryDetailsList: [
        { Destination: 'j***@n***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
      ],
    });
    const attrs = (
      await h.call<{ UserAttributes: Array<{ Name: string; Value: string }> }>('GetUser', { AccessToken })
    ).UserAttributes;
    expect(attrs).toContainEqual({ Name: 'email', Value: 'jane@new.example.org' });
    expect(attrs).toContainEqual({ Name: 'email_verified', Value: 'false' });

    await expect(
      h.call('VerifyUserAttribute', { AccessToken, AttributeName: 'email', Code: '999999x' }),
    ).rejects.toMatchObject({ code: 'CodeMismatchException' });
    await h.call('VerifyUserAttribute', {
      AccessToken,
      AttributeName: 'email',
      Code: h.latestCode('jane@new.example.org'),
    });
    expect(
      (await h.call<{ UserAttributes: unknown[] }>('GetUser', { AccessToken })).UserAttributes,
    ).toContainEqual({
      Name: 'email_verified',
      Value: 'true',
    });
    await expect(h.signIn('jane@new.example.org')).resolves.toHaveProperty('AccessToken');
  });

  it('respects the client writeAttributes and refuses an email another account holds', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    await h.registerUser('john@example.com');
    const { AccessToken } = await h.signIn('jane@example.com');
    await expect(
      h.call('UpdateUserAttributes', { AccessToken, UserAttributes: [{ Name: 'name', Value: 'Jane' }] }),
    ).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    });
    await expect(
      h.call('UpdateUserAttributes', {
        AccessToken,
        UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
      }),
    ).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    await expect(
      h.call('UpdateUserAttributes', { AccessToken, UserAttributes: [{ Name: 'sub', Value: 'mine' }] }),
    ).rejects.toMatchObject({ code: 'InvalidParameterException' });
    await expect(
      h.call('UpdateUserAttributes', {
        AccessToken,
        UserAttributes: [{ Name: 'email', Value: 'JOHN@example.com' }],
      }),
    ).rejects.toMatchObject({ code: 'AliasExistsException' });
  });
});

describe('DeleteUser', () => {
  it('deletes the account: its tokens stop working and the email can sign up again', async () => {
    const h = idpHarness();
    await h.registerUser('jane@example.com');
    const tokens = await h.signIn('jane@example.com');
    await expect(h.call('DeleteUser', { AccessToken: tokens.AccessToken })).resolves.toEqual({});
    await expect(h.call('GetUser', { AccessToken: tokens.AccessToken })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
    await expect(
      h.call('GetTokensFromRefreshToken', { ClientId: WEB_CLIENT, RefreshToken: tokens.RefreshToken }),
    ).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    await expect(h.signIn('jane@example.com')).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    await expect(h.registerUser('jane@example.com')).resolves.toEqual(expect.any(String));
  });
});
