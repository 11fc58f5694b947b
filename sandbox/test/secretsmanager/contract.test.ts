/**
 * Secrets Manager through the real SDK client: GetSecretValue for a role its policy allows, refused
 * for one it does not, unknown secrets, other operations (501), hostile bodies, and generated values
 * that follow GenerateSecretString and survive a restart.
 */
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock';
import type { SessionCredentials } from '../../src/core/credentials';
import { MemoryLogger } from '../../src/core/logger';
import type { DeployedModel, GenerateSecretSpec, RoleSpec, SecretSpec } from '../../src/deploy/model';
import { FileCredentialStore } from '../../src/services/cognito-identity/credential-store';
import { createSecretsManagerService } from '../../src/services/secretsmanager';
import { generateSecretString } from '../../src/services/secretsmanager/generate';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const arnOf = (name: string, suffix: string) =>
  `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-${suffix}`;
const KEY_ARN = arnOf('CursorKey-AbCdEfGhIjKl', 'Xy12Zq');
const FIXED_ARN = arnOf('fixed', 'Aa11Bb');

const GENERATE: GenerateSecretSpec = {
  passwordLength: 64,
  excludeCharacters: '',
  excludeLowercase: false,
  excludeUppercase: false,
  excludeNumbers: false,
  excludePunctuation: true,
  includeSpace: false,
  requireEachIncludedType: true,
};

function role(name: string, resource: string): RoleSpec {
  return {
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    name,
    assumeRolePolicy: { Version: '2012-10-17', Statement: [] },
    policies: [
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: resource }],
      },
    ],
  };
}

const roles = [role('Reader', KEY_ARN), role('Other', FIXED_ARN), role('Wide', '*')];
const secrets: SecretSpec[] = [
  { arn: KEY_ARN, name: 'CursorKey-AbCdEfGhIjKl', value: { kind: 'generate', generate: GENERATE } },
  { arn: FIXED_ARN, name: 'fixed', value: { kind: 'string', secretString: 'from-the-template' } },
];
const model: DeployedModel = {
  accountId: ACCOUNT,
  region: REGION,
  userPools: new Map(),
  identityPools: new Map(),
  roles: new Map(roles.map((r) => [r.arn, r])),
  buckets: new Map(),
  distributions: new Map(),
  tables: new Map(),
  functions: new Map(),
  secrets: new Map(secrets.map((s) => [s.arn, s])),
  graphqlApis: new Map(),
  outputs: {},
  unsupported: [],
};

const clock = new ManualClock(new Date());
const credentials = FileCredentialStore.inMemory(clock);
const sessions = new Map<string, SessionCredentials>();
let stateDir: string;
let server: Server;
let endpoint: string;
const logger = new MemoryLogger();

async function start(): Promise<void> {
  const service = await createSecretsManagerService({ model, stateDir, clock, credentials, logger });
  server = createServer(
    (req, res) => void service.handle(req, res, { sourceIp: '127.0.0.1', requestId: randomUUID() }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function client(roleName: string): SecretsManagerClient {
  const session = sessions.get(roleName)!;
  return new SecretsManagerClient({ region: REGION, endpoint, credentials: session, maxAttempts: 1 });
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-secrets-'));
  for (const r of roles) {
    const session: SessionCredentials = {
      accessKeyId: `ASIA${r.name.toUpperCase().padEnd(16, 'X')}`,
      secretAccessKey: `secret-${r.name}`,
      sessionToken: `token-${r.name}`,
      expiration: new Date(clock.now().getTime() + 3600_000),
      roleArn: r.arn,
      assumedRoleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${r.name}/fn`,
    };
    sessions.set(r.name, session);
    await credentials.put(session);
  }
  await start();
});

afterAll(async () => {
  await stop();
  await rm(stateDir, { recursive: true, force: true });
});

async function failure(call: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await call;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

test('the allowed role reads the generated value by ARN, by name and by ARN without its suffix', async () => {
  const byArn = await client('Reader').send(new GetSecretValueCommand({ SecretId: KEY_ARN }));
  expect(byArn).toMatchObject({
    ARN: KEY_ARN,
    Name: 'CursorKey-AbCdEfGhIjKl',
    VersionStages: ['AWSCURRENT'],
  });
  expect(byArn.CreatedDate).toBeInstanceOf(Date);
  expect(byArn.SecretString).toMatch(/^[A-Za-z0-9]{64}$/);
  for (const SecretId of ['CursorKey-AbCdEfGhIjKl', KEY_ARN.slice(0, -7)]) {
    const other = await client('Reader').send(new GetSecretValueCommand({ SecretId }));
    expect(other.SecretString).toBe(byArn.SecretString);
  }
  // Never in the logs.
  expect(JSON.stringify(logger.lines)).not.toContain(byArn.SecretString);
});

test('a template SecretString is served as written', async () => {
  const out = await client('Other').send(new GetSecretValueCommand({ SecretId: FIXED_ARN }));
  expect(out.SecretString).toBe('from-the-template');
});

test("a role whose policy does not name the secret is refused with IAM's message", async () => {
  const error = await failure(client('Other').send(new GetSecretValueCommand({ SecretId: KEY_ARN })));
  expect(error).toMatchObject({ name: 'AccessDeniedException', status: 400 });
  expect(error.message).toContain(
    `not authorized to perform: secretsmanager:GetSecretValue on resource: ${KEY_ARN}`,
  );
});

test('an unknown secret: refused without a grant, ResourceNotFoundException with one', async () => {
  const unknown = arnOf('nope', 'Zz99Zz');
  expect(
    await failure(client('Reader').send(new GetSecretValueCommand({ SecretId: unknown }))),
  ).toMatchObject({
    name: 'AccessDeniedException',
  });
  expect(await failure(client('Wide').send(new GetSecretValueCommand({ SecretId: unknown })))).toMatchObject({
    name: 'ResourceNotFoundException',
    status: 400,
  });
  expect(
    await failure(
      client('Wide').send(new GetSecretValueCommand({ SecretId: KEY_ARN, VersionStage: 'AWSPREVIOUS' })),
    ),
  ).toMatchObject({ name: 'ResourceNotFoundException' });
});

test('other operations answer 501, not a pretend success', async () => {
  const error = await failure(client('Wide').send(new CreateSecretCommand({ Name: 'x', SecretString: 'y' })));
  expect(error.status).toBe(501);
  expect(error.message).toContain('not implemented by the sandbox');
});

test('unsigned, wrongly signed, oversized and malformed requests are refused before anything is read', async () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(endpoint, {
      method: 'POST',
      headers: {
        'x-amz-target': 'secretsmanager.GetSecretValue',
        'content-type': 'application/x-amz-json-1.1',
        ...headers,
      },
      body,
    });
  const unsigned = await post(JSON.stringify({ SecretId: KEY_ARN }));
  expect(unsigned.status).toBe(400);
  expect(await unsigned.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  const huge = await post('x'.repeat(65 * 1024));
  expect(huge.status).toBe(413);

  const wrong = new SecretsManagerClient({
    region: REGION,
    endpoint,
    credentials: { ...sessions.get('Wide')!, secretAccessKey: 'not-the-secret' },
    maxAttempts: 1,
  });
  expect(await failure(wrong.send(new GetSecretValueCommand({ SecretId: KEY_ARN })))).toMatchObject({
    name: 'InvalidSignatureException',
  });
  expect(
    await failure(client('Wide').send(new GetSecretValueCommand({ SecretId: 'x'.repeat(3000) }))),
  ).toMatchObject({ name: 'InvalidParameterException' });
});

test('the generated value survives a restart, in an owner-only file', async () => {
  const before = await client('Reader').send(new GetSecretValueCommand({ SecretId: KEY_ARN }));
  await stop();
  await start();
  const after = await client('Reader').send(new GetSecretValueCommand({ SecretId: KEY_ARN }));
  expect(after.SecretString).toBe(before.SecretString);
  expect(after.VersionId).toBe(before.VersionId);
  const file = join(stateDir, 'secretsmanager', 'secrets.json');
  expect((await stat(file)).mode & 0o077).toBe(0);
  expect(await readFile(file, 'utf8')).toContain(before.SecretString!);
});

describe('GenerateSecretString', () => {
  test('honours length, exclusions and one character of each included type', () => {
    for (let i = 0; i < 200; i++) {
      const value = generateSecretString({
        ...GENERATE,
        passwordLength: 4,
        excludePunctuation: false,
        excludeCharacters: 'aA0!',
      });
      expect(value).toHaveLength(4);
      expect(value).not.toMatch(/[aA0!]/);
      expect(value).toMatch(/[a-z]/);
      expect(value).toMatch(/[A-Z]/);
      expect(value).toMatch(/[0-9]/);
      expect(value).toMatch(/[^A-Za-z0-9]/);
    }
    expect(generateSecretString({ ...GENERATE, excludeLowercase: true, excludeUppercase: true })).toMatch(
      /^[0-9]{64}$/,
    );
    expect(generateSecretString({ ...GENERATE, passwordLength: 3000, includeSpace: true })).toContain(' ');
  });

  test('places the value under its key of the template', () => {
    const value = JSON.parse(
      generateSecretString({
        ...GENERATE,
        secretStringTemplate: '{"user":"app"}',
        generateStringKey: 'password',
      }),
    ) as Record<string, string>;
    expect(value.user).toBe('app');
    expect(value.password).toMatch(/^[A-Za-z0-9]{64}$/);
  });

  test('refuses what cannot be generated', () => {
    expect(() =>
      generateSecretString({
        ...GENERATE,
        excludeLowercase: true,
        excludeUppercase: true,
        excludeNumbers: true,
      }),
    ).toThrow('excludes every character');
    expect(() => generateSecretString({ ...GENERATE, passwordLength: 2 })).toThrow('cannot include each');
  });
});
