/**
 * The whole sandbox, as `pnpm start` runs it, on a random loopback port with a fresh state folder,
 * deployed from the REAL CDK app's synthesized templates. Principals are made the way the web app
 * makes them: SignUp, the code from the mailbox, SRP sign-in (Amplify's client math), then identity
 * pool credentials. S3 clients are the real AWS SDK v3 pointed at the sandbox.
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
import { S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOutputs } from '@image-share/contracts/outputs';
import { startSandbox, type RunningSandbox } from '../../src/app';
import { ADMIN_TOKEN_HEADER, adminTokenFromOutputs } from '../../src/core/admin-token';
import { MemoryLogger } from '../../src/core/logger';
import { synthesizeRealApp } from '../deploy/real-app';
import { startSrp } from '../helpers/amplify-srp';

export const PASSWORD = 'Correct-Horse-42-battery';
const UNUSED = { accessKeyId: 'AKIDUNUSEDUNUSED0000', secretAccessKey: 'unused' };

export interface Principal {
  readonly name: string;
  readonly identityId: string;
  readonly s3: S3Client;
  readonly idToken?: string;
}

export interface LiveSandbox {
  readonly sandbox: RunningSandbox;
  readonly logger: MemoryLogger;
  readonly stateDir: string;
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly identityPoolId: string;
  readonly bucket: string;
  readonly publicBaseUrl: string;
  readonly idp: CognitoIdentityProviderClient;
  readonly identity: CognitoIdentityClient;
  guest(): Promise<Principal>;
  /** Signs up (code from the mailbox), confirms, signs in with SRP, returns the user's credentials. */
  user(name: string, options?: { groups?: string[] }): Promise<Principal>;
  /** Signs an existing user in with SRP and returns fresh credentials. */
  signIn(name: string): Promise<Principal>;
  close(): Promise<void>;
}

export async function startLiveSandbox(options: { stateDir?: string } = {}): Promise<LiveSandbox> {
  const cdkOutDir = await synthesizeRealApp();
  const ownState = options.stateDir === undefined;
  const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'sandbox-live-')));
  const logger = new MemoryLogger();
  const sandbox = await startSandbox({ port: 0, stateDir, cdkOutDir, logger, synth: false });
  const o = findOutputs(sandbox.outputs);
  const region = o.region;
  const endpoint = sandbox.endpoint;
  const adminToken = adminTokenFromOutputs(sandbox.outputs);
  const idp = new CognitoIdentityProviderClient({ region, endpoint, credentials: UNUSED, maxAttempts: 1 });
  const identity = new CognitoIdentityClient({ region, endpoint, credentials: UNUSED, maxAttempts: 1 });
  const s3For = (c: { AccessKeyId?: string; SecretKey?: string; SessionToken?: string }) =>
    new S3Client({
      region,
      endpoint,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretKey!,
        sessionToken: c.SessionToken!,
      },
    });
  const clients: S3Client[] = [];

  const live: LiveSandbox = {
    sandbox,
    logger,
    stateDir,
    region,
    userPoolId: o.userPoolId,
    clientId: o.userPoolClientId,
    identityPoolId: o.identityPoolId,
    bucket: o.bucketName,
    publicBaseUrl: o.publicBaseUrl,
    idp,
    identity,
    async guest() {
      const { IdentityId } = await identity.send(
        new GetIdCommand({ IdentityPoolId: o.identityPoolId, Logins: {} }),
      );
      const { Credentials } = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId }));
      const s3 = s3For(Credentials!);
      clients.push(s3);
      return { name: 'guest', identityId: IdentityId!, s3 };
    },
    async user(name, options = {}) {
      const email = `${name}@example.com`;
      await idp.send(
        new SignUpCommand({
          ClientId: o.userPoolClientId,
          Username: email,
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: email }],
        }),
      );
      const code = (await sandbox.mailbox.list(email)).at(-1)?.code;
      if (!code) throw new Error(`no confirmation code for ${email}`);
      await idp.send(
        new ConfirmSignUpCommand({ ClientId: o.userPoolClientId, Username: email, ConfirmationCode: code }),
      );
      for (const group of options.groups ?? []) {
        const res = await fetch(`${endpoint}/_sandbox/admin/add-user-to-group`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [ADMIN_TOKEN_HEADER]: adminToken },
          body: JSON.stringify({ email, group }),
        });
        if (!res.ok) throw new Error(`add-to-group failed: ${await res.text()}`);
      }
      return live.signIn(name);
    },
    async signIn(name) {
      const email = `${name}@example.com`;
      const srp = await startSrp(o.userPoolId);
      const challenge = await idp.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_SRP_AUTH',
          ClientId: o.userPoolClientId,
          AuthParameters: { USERNAME: email, SRP_A: srp.srpA },
        }),
      );
      const responses = await srp.respond(challenge.ChallengeParameters!, PASSWORD);
      const auth = await idp.send(
        new RespondToAuthChallengeCommand({
          ChallengeName: 'PASSWORD_VERIFIER',
          ClientId: o.userPoolClientId,
          Session: challenge.Session,
          ChallengeResponses: responses,
        }),
      );
      const idToken = auth.AuthenticationResult!.IdToken!;
      const logins = { [`cognito-idp.${region}.amazonaws.com/${o.userPoolId}`]: idToken };
      const { IdentityId } = await identity.send(
        new GetIdCommand({ IdentityPoolId: o.identityPoolId, Logins: logins }),
      );
      const { Credentials } = await identity.send(
        new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }),
      );
      const s3 = s3For(Credentials!);
      clients.push(s3);
      return { name, identityId: IdentityId!, s3, idToken };
    },
    async close() {
      for (const c of clients) c.destroy();
      idp.destroy();
      identity.destroy();
      await sandbox.close();
      if (ownState) await rm(stateDir, { recursive: true, force: true });
    },
  };
  return live;
}
