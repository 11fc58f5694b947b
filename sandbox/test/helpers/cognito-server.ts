/**
 * The sandbox's real HTTP server (src/server.ts) serving only the Cognito services, the pool
 * JWKS and the mailbox, on a random loopback port: enough for contract tests with the real AWS
 * SDK and Amplify clients before (or without) the whole sandbox. S3 and CloudFront answer 501.
 */
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ADMIN_TOKEN_HEADER, newAdminToken } from '../../src/core/admin-token';
import { AwsError, notImplemented } from '../../src/core/errors';
import { systemClock, type Clock } from '../../src/core/clock';
import { MemoryLogger } from '../../src/core/logger';
import type { DeployedModel } from '../../src/deploy/model';
import { listen, sendJson } from '../../src/server';
import { createCognitoIdentityService } from '../../src/services/cognito-identity';
import { FileCredentialStore } from '../../src/services/cognito-identity/credential-store';
import { createCognitoIdpService, type CognitoIdpService } from '../../src/services/cognito-idp';
import { Mailbox } from '../../src/services/mailbox';
import { STRONG_PASSWORD, WEB_CLIENT, cognitoModel } from './cognito-model';

export interface CognitoServer {
  readonly endpoint: string;
  readonly idp: CognitoIdpService;
  readonly credentials: FileCredentialStore;
  readonly mailbox: Mailbox;
  readonly logger: MemoryLogger;
  /** The latest code mailed to `to`, read over HTTP as a person or the web app would. */
  code(to: string): Promise<string>;
  close(): Promise<void>;
}

export async function startCognitoServer(
  options: { model?: DeployedModel; clock?: Clock } = {},
): Promise<CognitoServer> {
  const model = options.model ?? cognitoModel();
  const clock = options.clock ?? systemClock;
  const logger = new MemoryLogger();
  const mailbox = new Mailbox(undefined, logger, clock);
  const credentials = FileCredentialStore.inMemory(clock);
  const idp = createCognitoIdpService({ model, clock, logger, mailbox });
  const identity = createCognitoIdentityService({ model, clock, logger, idp, credentials });
  const unsupported = {
    handle: async (_req: unknown, res: import('node:http').ServerResponse) => {
      const err: AwsError = notImplemented('S3, CloudFront and Lambda in the Cognito test server');
      sendJson(res, err.status, { message: err.message });
    },
  };
  const adminToken = newAdminToken();
  const running = await listen(
    {
      json: [idp, identity],
      adminToken,
      s3: unsupported,
      cloudfront: unsupported,
      cloudfrontApi: unsupported,
      dynamodb: { targetPrefixes: [], handle: (_req, res) => unsupported.handle(undefined, res) },
      lambda: unsupported,
      jwks: (poolId) => idp.jwks(poolId),
      sandboxApi: async (req, res, path, query) => {
        if (path !== '/_sandbox/mailbox' || req.method !== 'GET') return false;
        sendJson(res, 200, { messages: mailbox.list(query.get('to') ?? undefined) });
        return true;
      },
    },
    logger,
    { port: 0 },
  );
  return {
    endpoint: running.endpoint,
    idp,
    credentials,
    mailbox,
    logger,
    async code(to) {
      const res = await fetch(`${running.endpoint}/_sandbox/mailbox?to=${encodeURIComponent(to)}`, {
        headers: { [ADMIN_TOKEN_HEADER]: adminToken },
      });
      const { messages } = (await res.json()) as { messages: Array<{ code?: string }> };
      const code = messages.at(-1)?.code;
      if (!code) throw new Error(`no code mailed to ${to}`);
      return code;
    },
    close: () => running.close(),
  };
}

export interface CognitoTestClients {
  readonly server: CognitoServer;
  readonly userPool: CognitoIdentityProviderClient;
  readonly identity: CognitoIdentityClient;
  /** SignUp, the code from the mailbox, ConfirmSignUp, through the SDK; returns the user's sub. */
  register(email: string, clientId?: string): Promise<string>;
}

/**
 * One Cognito test server per test file (started in beforeAll, closed in afterAll) with the real
 * AWS SDK clients pointed at it; call the returned function inside tests.
 */
export function cognitoTestServerPerFile(
  options: { model?: DeployedModel; clock?: Clock } = {},
): () => CognitoTestClients {
  let clients: CognitoTestClients | undefined;
  beforeAll(async () => {
    const server = await startCognitoServer(options);
    const settings = {
      region: 'us-east-1',
      endpoint: server.endpoint,
      // The user pool operations used here are unsigned; the SDK still wants credentials configured.
      credentials: { accessKeyId: 'AKIDUNUSED', secretAccessKey: 'unused' },
      maxAttempts: 1,
    };
    const userPool = new CognitoIdentityProviderClient(settings);
    clients = {
      server,
      userPool,
      identity: new CognitoIdentityClient(settings),
      async register(email, clientId = WEB_CLIENT) {
        const signUp = await userPool.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: email,
            Password: STRONG_PASSWORD,
            UserAttributes: [{ Name: 'email', Value: email }],
          }),
        );
        await userPool.send(
          new ConfirmSignUpCommand({
            ClientId: clientId,
            Username: email,
            ConfirmationCode: await server.code(email),
          }),
        );
        return signUp.UserSub!;
      },
    };
  });
  afterAll(async () => {
    clients?.userPool.destroy();
    clients?.identity.destroy();
    await clients?.server.close();
  });
  return () => {
    if (!clients) throw new Error('The Cognito test server is used before beforeAll started it');
    return clients;
  };
}
