/**
 * A user of the sandbox made the way the web app makes one: SignUp, the code the sandbox mailed,
 * ConfirmSignUp, SRP sign-in (Amplify's own client math), then identity pool credentials. Shared
 * by the live tests and the benchmark.
 */
import {
  type CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import {
  type CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startSrp } from './amplify-srp';

/** The pools a user signs in to, as the outputs name them. */
export interface Pools {
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly identityPoolId: string;
}

export interface SignedIn {
  readonly identityId: string;
  readonly idToken: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

/** Signs `email` up and confirms it with the code `codeFor` finds in the sandbox mailbox. */
export async function signUp(
  idp: CognitoIdentityProviderClient,
  pools: Pools,
  email: string,
  password: string,
  codeFor: (email: string) => Promise<string | undefined>,
): Promise<void> {
  const ClientId = pools.userPoolClientId;
  await idp.send(
    new SignUpCommand({
      ClientId,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  const code = await codeFor(email);
  if (!code) throw new Error(`The sandbox mailbox holds no confirmation code for ${email}.`);
  await idp.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: code }));
}

/** Signs a confirmed user in with SRP and returns the identity pool's credentials for them. */
export async function signIn(
  idp: CognitoIdentityProviderClient,
  identity: CognitoIdentityClient,
  pools: Pools,
  email: string,
  password: string,
): Promise<SignedIn> {
  const srp = await startSrp(pools.userPoolId);
  const challenge = await idp.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: pools.userPoolClientId,
      AuthParameters: { USERNAME: email, SRP_A: srp.srpA },
    }),
  );
  const auth = await idp.send(
    new RespondToAuthChallengeCommand({
      ChallengeName: 'PASSWORD_VERIFIER',
      ClientId: pools.userPoolClientId,
      Session: challenge.Session,
      ChallengeResponses: await srp.respond(challenge.ChallengeParameters ?? {}, password),
    }),
  );
  const idToken = auth.AuthenticationResult?.IdToken;
  if (!idToken) throw new Error('SRP sign-in returned no ID token.');
  const logins = { [`cognito-idp.${pools.region}.amazonaws.com/${pools.userPoolId}`]: idToken };
  const { IdentityId } = await identity.send(
    new GetIdCommand({ IdentityPoolId: pools.identityPoolId, Logins: logins }),
  );
  const { Credentials: c } = await identity.send(
    new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }),
  );
  if (!IdentityId || !c?.AccessKeyId || !c.SecretKey || !c.SessionToken)
    throw new Error('The identity pool returned no credentials.');
  return {
    identityId: IdentityId,
    idToken,
    credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken },
  };
}
