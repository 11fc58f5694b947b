/**
 * A signed-in user of the sandbox, made the way the web app makes one: SignUp, the code from the
 * sandbox mailbox, ConfirmSignUp, SRP sign-in (Amplify's own client math), then identity pool
 * credentials. The benchmark's S3 requests are signed with these temporary credentials, so the
 * sandbox verifies every signature and evaluates the authenticated role's policies on each one.
 */
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { findOutputs } from '@image-share/contracts/outputs';
import { readCdkOutputs } from '@image-share/contracts/outputs-file';
import { ADMIN_TOKEN_HEADER, adminTokenFromOutputs } from '../src/core/admin-token';
import { signIn, signUp } from '../test/helpers/sign-in';

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
  const { region, bucketName: bucket } = outputs;
  const idp = new CognitoIdentityProviderClient({ region, endpoint, credentials: UNUSED, maxAttempts: 1 });
  const identity = new CognitoIdentityClient({ region, endpoint, credentials: UNUSED, maxAttempts: 1 });
  try {
    await signUp(idp, outputs, email, PASSWORD, async (to) => {
      const mailbox = (await getJson(`${endpoint}/_sandbox/mailbox?to=${encodeURIComponent(to)}`, token)) as {
        messages: Array<{ code?: string }>;
      };
      return mailbox.messages.at(-1)?.code;
    });
    const { identityId, credentials } = await signIn(idp, identity, outputs, email, PASSWORD);
    return { region, bucket, identityId, credentials };
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
