/**
 * A signed-in user of the sandbox, made the way the web app makes one: SignUp, the code from the
 * sandbox mailbox, ConfirmSignUp, SRP sign-in (Amplify's own client math), then identity pool
 * credentials. The benchmark's S3 requests are signed with these temporary credentials, so the
 * sandbox verifies every signature and evaluates the authenticated role's policies on each one.
 */
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { findOutputs } from '@image-share/contracts/outputs';
import { readCdkOutputs } from '@image-share/contracts/outputs-file';
import { ADMIN_TOKEN_HEADER, adminTokenFromOutputs } from '../src/core/admin-token';
import { startSrp } from '../test/helpers/amplify-srp';

// The Cognito APIs used here are unauthenticated; the SDK still wants some credentials to exist.
const UNUSED = { accessKeyId: 'AKIDUNUSEDUNUSED0000', secretAccessKey: 'unused' };
const PASSWORD = 'Bench-Mark-42-horse-battery';

export interface SignedInUser {
  readonly region: string;
  readonly bucket: string;
  readonly identityId: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

/** `outputsFile` is the one the sandbox wrote: the app's outputs and the token its mailbox wants. */
export async function signUpAndSignIn(
  endpoint: string,
  outputsFile: string,
  email: string,
): Promise<SignedInUser> {
  const cdkOutputs = readCdkOutputs(outputsFile);
  const outputs = findOutputs(cdkOutputs);
  const token = adminTokenFromOutputs(cdkOutputs);
  const { region, userPoolId, userPoolClientId: clientId, identityPoolId, bucketName: bucket } = outputs;
  const idp = new CognitoIdentityProviderClient({ region, endpoint, credentials: UNUSED, maxAttempts: 1 });
  const identity = new CognitoIdentityClient({ region, endpoint, credentials: UNUSED, maxAttempts: 1 });
  try {
    await idp.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    const mailbox = (await getJson(
      `${endpoint}/_sandbox/mailbox?to=${encodeURIComponent(email)}`,
      token,
    )) as {
      messages: Array<{ code?: string }>;
    };
    const code = mailbox.messages.at(-1)?.code;
    if (!code) throw new Error(`The sandbox mailbox holds no confirmation code for ${email}.`);
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }));

    const srp = await startSrp(userPoolId);
    const challenge = await idp.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_SRP_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: email, SRP_A: srp.srpA },
      }),
    );
    const auth = await idp.send(
      new RespondToAuthChallengeCommand({
        ChallengeName: 'PASSWORD_VERIFIER',
        ClientId: clientId,
        Session: challenge.Session,
        ChallengeResponses: await srp.respond(challenge.ChallengeParameters ?? {}, PASSWORD),
      }),
    );
    const idToken = auth.AuthenticationResult?.IdToken;
    if (!idToken) throw new Error('SRP sign-in returned no ID token.');
    const logins = { [`cognito-idp.${region}.amazonaws.com/${userPoolId}`]: idToken };
    const { IdentityId } = await identity.send(
      new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins }),
    );
    const { Credentials: c } = await identity.send(
      new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }),
    );
    if (!IdentityId || !c?.AccessKeyId || !c.SecretKey || !c.SessionToken)
      throw new Error('The identity pool returned no credentials.');
    return {
      region,
      bucket,
      identityId: IdentityId,
      credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken },
    };
  } finally {
    idp.destroy();
    identity.destroy();
  }
}

async function getJson(url: string, token: string): Promise<unknown> {
  const res = await fetch(url, { headers: { [ADMIN_TOKEN_HEADER]: token } });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}
