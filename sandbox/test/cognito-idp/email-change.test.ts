/**
 * An email change in a pool that keeps the original value until the new one is verified (the app's
 * pool: AttributesRequireVerificationBeforeUpdate = ["email"]), through the real AWS SDK v3 client.
 * Before, the new address took effect at once, so an account could squat an address it cannot read.
 */
import {
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { PASSWORD_CLIENT, STRONG_PASSWORD } from '../helpers/cognito-model';
import { cognitoTestServerPerFile } from '../helpers/cognito-server';

const cognito = cognitoTestServerPerFile();
const client = () => cognito().userPool;
const server = () => cognito().server;

const register = (email: string) => cognito().register(email, PASSWORD_CLIENT);

async function signIn(email: string): Promise<{ accessToken: string; idToken: string }> {
  const { AuthenticationResult: r } = await client().send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: PASSWORD_CLIENT,
      AuthParameters: { USERNAME: email, PASSWORD: STRONG_PASSWORD },
    }),
  );
  return { accessToken: r!.AccessToken!, idToken: r!.IdToken! };
}

async function emailOf(accessToken: string): Promise<Record<string, string | undefined>> {
  const { UserAttributes = [] } = await client().send(new GetUserCommand({ AccessToken: accessToken }));
  const get = (name: string) => UserAttributes.find((a) => a.Name === name)?.Value;
  return { email: get('email'), email_verified: get('email_verified') };
}

test('an email change waits for its code: the original still signs in, and the new address is not squatted', async () => {
  await register('mallory@example.com');
  const { accessToken } = await signIn('mallory@example.com');
  const update = await client().send(
    new UpdateUserAttributesCommand({
      AccessToken: accessToken,
      UserAttributes: [{ Name: 'email', Value: 'victim@example.com' }],
    }),
  );
  expect(update.CodeDeliveryDetailsList).toEqual([
    { Destination: 'v***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
  ]);
  const codeForVictim = await server().code('victim@example.com');

  expect(await emailOf(accessToken)).toEqual({ email: 'mallory@example.com', email_verified: 'true' });
  await expect(signIn('mallory@example.com')).resolves.toHaveProperty('accessToken');
  await expect(signIn('victim@example.com')).rejects.toMatchObject({ name: 'NotAuthorizedException' });

  // The address's owner can still sign up with it, and then the pending change can never complete.
  await register('victim@example.com');
  await expect(
    client().send(
      new VerifyUserAttributeCommand({
        AccessToken: accessToken,
        AttributeName: 'email',
        Code: codeForVictim,
      }),
    ),
  ).rejects.toMatchObject({ name: 'AliasExistsException' });
  expect(await emailOf(accessToken)).toEqual({ email: 'mallory@example.com', email_verified: 'true' });
});

test('the new email takes over (verified, and for sign-in) only once its code comes back', async () => {
  await register('jane@example.com');
  const { accessToken } = await signIn('jane@example.com');
  await client().send(
    new UpdateUserAttributesCommand({
      AccessToken: accessToken,
      UserAttributes: [{ Name: 'email', Value: 'jane@new.example.org' }],
    }),
  );
  // A resend goes to the address being proven, not to the one in effect.
  const resent = await client().send(
    new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'email' }),
  );
  expect(resent.CodeDeliveryDetails?.Destination).toBe('j***@n***');
  await expect(
    client().send(
      new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: '000000x' }),
    ),
  ).rejects.toMatchObject({ name: 'CodeMismatchException' });
  expect(await emailOf(accessToken)).toEqual({ email: 'jane@example.com', email_verified: 'true' });

  await client().send(
    new VerifyUserAttributeCommand({
      AccessToken: accessToken,
      AttributeName: 'email',
      Code: await server().code('jane@new.example.org'),
    }),
  );
  expect(await emailOf(accessToken)).toEqual({ email: 'jane@new.example.org', email_verified: 'true' });
  const { idToken } = await signIn('jane@new.example.org');
  expect(decodeJwt(idToken)).toMatchObject({ email: 'jane@new.example.org', email_verified: true });
  await expect(signIn('jane@example.com')).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  // The old address is free again.
  await expect(register('jane@example.com')).resolves.toEqual(expect.any(String));
});
