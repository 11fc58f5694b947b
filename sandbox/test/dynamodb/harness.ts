/**
 * The whole sandbox on a random port, deployed from the DynamoDB fixture assembly (two tables, a
 * GSI, and roles allowed on one table, on none of it, on their own partition only, and on
 * everything), with sessions for those roles written to its credential store before it starts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Sha256 } from '../../src/core/sigv4';
import { SignatureV4 } from '@smithy/signature-v4';
import { startSandbox, type RunningSandbox } from '../../src/app';
import type { SessionCredentials } from '../../src/core/credentials';
import { MemoryLogger, silentLogger } from '../../src/core/logger';
import { SANDBOX_ACCOUNT_ID } from '../../src/deploy';
import { FileCredentialStore } from '../../src/services/cognito-identity/credential-store';

export const FIXTURE = join(__dirname, '..', 'fixtures', 'cdk-out-dynamodb');
export const REGION = 'us-east-1';
export const OWNER_ID = 'us-east-1:aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa';
export const OTHER_ID = 'us-east-1:bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb';

export type RoleName = 'RecordsAppRole' | 'RecordsOtherRole' | 'RecordsOwnerRole' | 'RecordsAdminRole';

export function session(role: RoleName, identityId = OWNER_ID): SessionCredentials {
  return {
    accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(64).toString('base64'),
    expiration: new Date(Date.now() + 3600_000),
    roleArn: `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/${role}`,
    assumedRoleArn: `arn:aws:sts::${SANDBOX_ACCOUNT_ID}:assumed-role/${role}/CognitoIdentityCredentials`,
    identityId,
    identityPoolId: `${REGION}:00000000-0000-4000-8000-000000000000`,
    amr: ['authenticated'],
  };
}

export interface DynamoDbHarness {
  readonly stateDir: string;
  readonly sessions: Readonly<Record<RoleName, SessionCredentials>>;
  readonly logger: MemoryLogger;
  sandbox: RunningSandbox;
  /** The items table's and the global table's physical names, from the stack outputs. */
  readonly itemsTable: string;
  readonly eventsTable: string;
  client(credentials: SessionCredentials): DynamoDBClient;
  documentClient(credentials: SessionCredentials): DynamoDBDocumentClient;
  /** A raw signed POST (for bodies the SDK would never send). */
  signedPost(target: string, body: string, credentials: SessionCredentials): Promise<Response>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startDynamoDbHarness(): Promise<DynamoDbHarness> {
  const stateDir = await mkdtemp(join(tmpdir(), 'sandbox-ddb-'));
  const sessions = {
    RecordsAppRole: session('RecordsAppRole'),
    RecordsOtherRole: session('RecordsOtherRole'),
    RecordsOwnerRole: session('RecordsOwnerRole', OWNER_ID),
    RecordsAdminRole: session('RecordsAdminRole'),
  };
  const store = await FileCredentialStore.open(join(stateDir, 'credentials'));
  for (const credentials of Object.values(sessions)) await store.put(credentials);
  const logger = new MemoryLogger();
  const start = () => startSandbox({ port: 0, stateDir, cdkOutDir: FIXTURE, region: REGION, logger });
  let sandbox = await start();
  const clients: DynamoDBClient[] = [];
  const client = (credentials: SessionCredentials) => {
    const c = new DynamoDBClient({
      region: REGION,
      endpoint: sandbox.endpoint,
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
      },
      maxAttempts: 1,
    });
    clients.push(c);
    return c;
  };
  const outputs = sandbox.outputs.Records!;
  const harness: DynamoDbHarness = {
    stateDir,
    sessions,
    logger,
    sandbox,
    itemsTable: outputs.ItemsTableName!,
    eventsTable: outputs.EventsTableName!,
    client,
    documentClient: (credentials) => DynamoDBDocumentClient.from(client(credentials)),
    async signedPost(target, body, credentials) {
      const url = new URL(sandbox.endpoint);
      const signer = new SignatureV4({
        credentials: {
          accessKeyId: credentials.accessKeyId,
          secretAccessKey: credentials.secretAccessKey,
          sessionToken: credentials.sessionToken,
        },
        region: REGION,
        service: 'dynamodb',
        sha256: Sha256,
      });
      const signed = await signer.sign({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        headers: {
          host: url.host,
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': target,
        },
        body,
      });
      return fetch(sandbox.endpoint, { method: 'POST', headers: signed.headers, body });
    },
    async restart() {
      for (const c of clients.splice(0)) c.destroy();
      await sandbox.close();
      sandbox = await start();
      harness.sandbox = sandbox;
    },
    async close() {
      for (const c of clients.splice(0)) c.destroy();
      await sandbox.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * The whole sandbox on the fixture and a given state folder, with a stored session for the app
 * role and a DynamoDB client signed with it: the fault test's writer and its checker both start so.
 */
export async function startFixtureSandboxAsApp(
  stateDir: string,
): Promise<{ sandbox: RunningSandbox; db: DynamoDBClient }> {
  const credentials = session('RecordsAppRole');
  await (await FileCredentialStore.open(join(stateDir, 'credentials'))).put(credentials);
  const sandbox = await startSandbox({
    port: 0,
    stateDir,
    cdkOutDir: FIXTURE,
    region: REGION,
    logger: silentLogger,
  });
  const db = new DynamoDBClient({ region: REGION, endpoint: sandbox.endpoint, credentials, maxAttempts: 1 });
  return { sandbox, db };
}
