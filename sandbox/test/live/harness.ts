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
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOutputs } from '@image-share/contracts/outputs';
import { startSandbox, type RunningSandbox } from '../../src/app';
import { ADMIN_TOKEN_HEADER, adminTokenFromOutputs } from '../../src/core/admin-token';
import type { SessionCredentials } from '../../src/core/credentials';
import { MemoryLogger } from '../../src/core/logger';
import { synthesizeRealApp } from '../deploy/real-app';
import { signIn, signUp } from '../helpers/sign-in';

export const PASSWORD = 'Correct-Horse-42-battery';
const UNUSED = { accessKeyId: 'AKIDUNUSEDUNUSED0000', secretAccessKey: 'unused' };

export interface Principal {
  readonly name: string;
  readonly identityId: string;
  /** The identity pool's credentials, for clients other than S3 (signed GraphQL requests). */
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
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
  /** Fresh credentials for the execution role of the deployed function whose name contains `namePart`. */
  functionCredentials(namePart: string): Promise<SessionCredentials>;
  /** S3 as that function (its execution role's credentials). */
  functionS3(namePart: string): Promise<S3Client>;
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
  // A connection per request: a slow step between two requests (the first sign-in loads Amplify's
  // SRP code, which can block the event loop past the server's keep-alive timeout) must not meet a
  // socket the server has already closed.
  const requestHandler = { httpAgent: new Agent({ keepAlive: false }) };
  const idp = new CognitoIdentityProviderClient({
    region,
    endpoint,
    credentials: UNUSED,
    maxAttempts: 1,
    requestHandler,
  });
  const identity = new CognitoIdentityClient({
    region,
    endpoint,
    credentials: UNUSED,
    maxAttempts: 1,
    requestHandler,
  });
  const s3For = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }) =>
    new S3Client({ region, endpoint, forcePathStyle: true, maxAttempts: 1, requestHandler, credentials });
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
      const { Credentials: c } = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId }));
      const credentials = {
        accessKeyId: c!.AccessKeyId!,
        secretAccessKey: c!.SecretKey!,
        sessionToken: c!.SessionToken!,
      };
      const s3 = s3For(credentials);
      clients.push(s3);
      return { name: 'guest', identityId: IdentityId!, credentials, s3 };
    },
    async user(name, options = {}) {
      const email = `${name}@example.com`;
      await signUp(idp, o, email, PASSWORD, async (to) => (await sandbox.mailbox.list(to)).at(-1)?.code);
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
      const { identityId, idToken, credentials } = await signIn(
        idp,
        identity,
        o,
        `${name}@example.com`,
        PASSWORD,
      );
      const s3 = s3For(credentials);
      clients.push(s3);
      return { name, identityId, credentials, s3, idToken };
    },
    async functionCredentials(namePart) {
      const names = [...sandbox.model.functions.keys()].filter((name) => name.includes(namePart));
      if (names.length !== 1)
        throw new Error(`${names.length} functions match ${namePart}: ${names.join(', ')}`);
      return sandbox.functions.roleCredentials(names[0]!);
    },
    async functionS3(namePart) {
      const s3 = s3For(await live.functionCredentials(namePart));
      clients.push(s3);
      return s3;
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
