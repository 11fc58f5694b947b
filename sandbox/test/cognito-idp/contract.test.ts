/** The real AWS SDK v3 user pool client against the sandbox's HTTP server on a random port. */
import {
  ConfirmSignUpCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  UserNotConfirmedException,
  UsernameExistsException,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startSrp } from '../helpers/amplify-srp';
import { POOL_ID, STRONG_PASSWORD, WEB_CLIENT } from '../helpers/cognito-model';
import { cognitoTestServerPerFile } from '../helpers/cognito-server';

// Each sign-in runs Amplify's pure-JS SRP client math (about half a second on a busy machine).
jest.setTimeout(30_000);

const cognito = cognitoTestServerPerFile();
const client = () => cognito().userPool;
const server = () => cognito().server;

const register = (email: string) => cognito().register(email);

async function srpSignIn(email: string, password = STRONG_PASSWORD): Promise<AuthenticationResultType> {
  const srp = await startSrp(POOL_ID);
  const challenge = await client().send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: WEB_CLIENT,
      AuthParameters: { USERNAME: email, SRP_A: srp.srpA },
    }),
  );
  expect(challenge.ChallengeName).toBe('PASSWORD_VERIFIER');
  const result = await client().send(
    new RespondToAuthChallengeCommand({
      ChallengeName: 'PASSWORD_VERIFIER',
      ClientId: WEB_CLIENT,
      Session: challenge.Session,
      ChallengeResponses: await srp.respond(challenge.ChallengeParameters ?? {}, password),
    }),
  );
  return result.AuthenticationResult as AuthenticationResultType;
}

it('sign-up, the code from the mailbox, SRP sign-in, GetUser, refresh and global sign-out', async () => {
  const signUp = await client().send(
    new SignUpCommand({
      ClientId: WEB_CLIENT,
      Username: 'ann@example.com',
      Password: STRONG_PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'ann@example.com' }],
    }),
  );
  expect(signUp).toMatchObject({
    UserConfirmed: false,
    CodeDeliveryDetails: { DeliveryMedium: 'EMAIL', Destination: 'a***@e***' },
  });
  await expect(srpSignIn('ann@example.com')).rejects.toBeInstanceOf(UserNotConfirmedException);
  await client().send(
    new ConfirmSignUpCommand({
      ClientId: WEB_CLIENT,
      Username: 'ann@example.com',
      ConfirmationCode: await server().code('ann@example.com'),
    }),
  );

  const tokens = await srpSignIn('ann@example.com');
  const user = await client().send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
  expect(user.Username).toBe(signUp.UserSub);
  expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });

  const jwks = createRemoteJWKSet(new URL(`${server().endpoint}/${POOL_ID}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(tokens.IdToken as string, jwks, {
    issuer: `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}`,
    audience: WEB_CLIENT,
  });
  expect(payload).toMatchObject({
    token_use: 'id',
    'cognito:username': signUp.UserSub,
    email_verified: true,
  });

  const refreshed = await client().send(
    new GetTokensFromRefreshTokenCommand({ ClientId: WEB_CLIENT, RefreshToken: tokens.RefreshToken }),
  );
  expect(refreshed.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  const viaInitiate = await client().send(
    new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: WEB_CLIENT,
      AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken as string },
    }),
  );
  expect(viaInitiate.AuthenticationResult?.IdToken).toEqual(expect.any(String));

  await client().send(new GlobalSignOutCommand({ AccessToken: refreshed.AuthenticationResult?.AccessToken }));
  const revoked = client().send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
  await expect(revoked).rejects.toBeInstanceOf(NotAuthorizedException);
  await expect(revoked).rejects.toMatchObject({ message: 'Access Token has been revoked' });
});

it('maps errors to the SDK exception classes', async () => {
  await register('bob@example.com');
  await expect(
    client().send(
      new SignUpCommand({ ClientId: WEB_CLIENT, Username: 'bob@example.com', Password: STRONG_PASSWORD }),
    ),
  ).rejects.toBeInstanceOf(UsernameExistsException);
  await expect(
    client().send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: WEB_CLIENT,
        AuthParameters: { USERNAME: 'bob@example.com', PASSWORD: STRONG_PASSWORD },
      }),
    ),
  ).rejects.toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
  await expect(
    client().send(new RevokeTokenCommand({ ClientId: WEB_CLIENT, Token: 'unknown' })),
  ).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
});

it('throttles repeated failed sign-ins over the wire', async () => {
  await register('carl@example.com');
  for (let i = 0; i < 5; i++) {
    await expect(srpSignIn('carl@example.com', `Wrong-Password-${i}`)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  }
  await expect(srpSignIn('carl@example.com')).rejects.toMatchObject({
    name: 'NotAuthorizedException',
    message: 'Password attempts exceeded',
  });
});
