/**
 * A minimal HTTP server around the S3 service alone, for S3 and CloudFront tests: it passes the
 * request's own Host, raw path and raw query as the S3 target (what src/server.ts does for
 * path-style requests), with an in-memory credential store and an injectable authorizer.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, type S3ServiceException } from '@aws-sdk/client-s3';
import { systemClock, type Clock } from '../../src/core/clock';
import type { CredentialStore, SessionCredentials } from '../../src/core/credentials';
import { MemoryLogger } from '../../src/core/logger';
import type { BucketSpec, DeployedModel, DistributionSpec } from '../../src/deploy/model';
import type { S3AuthorizationRequest, S3AuthorizationResult, S3Authorize } from '../../src/iam/authorizer';
import { createS3Service, type S3Service } from '../../src/services/s3';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const BUCKET = 'uploads-bucket';
export const APP_ORIGIN = 'http://localhost:3000';

export class InMemoryCredentialStore implements CredentialStore {
  private readonly byKey = new Map<string, SessionCredentials>();
  async put(credentials: SessionCredentials): Promise<void> {
    this.byKey.set(credentials.accessKeyId, credentials);
  }
  async get(accessKeyId: string): Promise<SessionCredentials | undefined> {
    return this.byKey.get(accessKeyId);
  }
}

export function makeCredentials(overrides: Partial<SessionCredentials> = {}): SessionCredentials {
  const id = `${REGION}:${randomUUID()}`;
  return {
    accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(64).toString('base64'),
    expiration: new Date(Date.now() + 3600_000),
    roleArn: `arn:aws:iam::${ACCOUNT}:role/AuthenticatedRole`,
    assumedRoleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/AuthenticatedRole/CognitoIdentityCredentials`,
    identityId: id,
    identityPoolId: `${REGION}:${randomUUID()}`,
    amr: ['authenticated'],
    ...overrides,
  };
}

export function bucketSpec(overrides: Partial<BucketSpec> = {}): BucketSpec {
  const name = overrides.name ?? BUCKET;
  return {
    name,
    arn: `arn:aws:s3:::${name}`,
    region: REGION,
    versioning: true,
    cors: [
      {
        allowedOrigins: [APP_ORIGIN],
        allowedMethods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
        allowedHeaders: ['*'],
        exposedHeaders: ['ETag', 'x-amz-version-id', 'Content-Length', 'Content-Type', 'Last-Modified'],
        maxAgeSeconds: 3000,
      },
    ],
    ...overrides,
  };
}

export function testModel(
  buckets: BucketSpec[] = [bucketSpec()],
  distributions: DistributionSpec[] = [],
): DeployedModel {
  return {
    accountId: ACCOUNT,
    region: REGION,
    userPools: new Map(),
    identityPools: new Map(),
    roles: new Map(),
    buckets: new Map(buckets.map((b) => [b.name, b])),
    distributions: new Map(distributions.map((d) => [d.id, d])),
    tables: new Map(),
    functions: new Map(),
    secrets: new Map(),
    graphqlApis: new Map(),
    outputs: {},
    unsupported: [],
  };
}

/** The error an SDK call fails with; throws if the call succeeds. */
export async function s3ErrorOf(call: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await call;
  } catch (err) {
    return err as S3ServiceException;
  }
  throw new Error('expected the call to fail');
}

/** Allows every signed request and denies anonymous ones, unless a test replaces `decide`. */
export class FakeAuthorizer {
  readonly calls: S3AuthorizationRequest[] = [];
  decide: (request: S3AuthorizationRequest) => boolean = (request) => request.caller.kind !== 'anonymous';
  readonly authorize: S3Authorize = (request) => {
    this.calls.push(request);
    const allowed = this.decide(request);
    const resource = `arn:aws:s3:::${request.bucket}${request.key === undefined ? '' : `/${request.key}`}`;
    const result: S3AuthorizationResult = {
      decision: allowed ? 'Allow' : 'ImplicitDeny',
      allowed,
      resource,
      matchedStatements: [],
    };
    return result;
  };
}

export interface S3TestServer {
  readonly endpoint: string;
  readonly port: number;
  readonly stateDir: string;
  readonly service: S3Service;
  readonly credentials: InMemoryCredentialStore;
  readonly user: SessionCredentials;
  readonly authorizer: FakeAuthorizer;
  readonly logger: MemoryLogger;
  readonly model: DeployedModel;
  /** An SDK client signed with `creds` (default: the registered user), path-style against this server. */
  client(creds?: SessionCredentials, extra?: Partial<ConstructorParameters<typeof S3Client>[0]>): S3Client;
  close(options?: { keepState?: boolean }): Promise<void>;
}

export interface S3TestServerOptions {
  readonly model?: DeployedModel;
  readonly stateDir?: string;
  readonly clock?: Clock;
  readonly authorize?: S3Authorize;
  /** Whether requests count as TLS (the target's secureTransport). */
  readonly secureTransport?: boolean;
  /** fsync every write before acknowledging it (the store's opt-in durability). */
  readonly durable?: boolean;
}

export async function startS3TestServer(options: S3TestServerOptions = {}): Promise<S3TestServer> {
  const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'sandbox-s3-')));
  const model = options.model ?? testModel();
  const credentials = new InMemoryCredentialStore();
  const user = makeCredentials();
  await credentials.put(user);
  const authorizer = new FakeAuthorizer();
  const logger = new MemoryLogger();
  const service = await createS3Service({
    model,
    stateDir,
    clock: options.clock ?? systemClock,
    credentials,
    authorize: options.authorize ?? authorizer.authorize,
    logger,
    durable: options.durable,
  });
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const target = {
      host: req.headers.host ?? '',
      rawPath: q === -1 ? url : url.slice(0, q),
      rawQuery: q === -1 ? '' : url.slice(q + 1),
      secureTransport: options.secureTransport ?? true,
    };
    service
      .handle(req, res, target, { sourceIp: '127.0.0.1', requestId: randomUUID() })
      .catch((err: unknown) => {
        logger.error('test server: unhandled', { error: String(err) });
        res.destroy();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  return {
    endpoint,
    port,
    stateDir,
    service,
    credentials,
    user,
    authorizer,
    logger,
    model,
    client: (creds = user, extra = {}) => {
      const client = new S3Client({
        region: REGION,
        endpoint,
        forcePathStyle: true,
        credentials: {
          accessKeyId: creds.accessKeyId,
          secretAccessKey: creds.secretAccessKey,
          sessionToken: creds.sessionToken,
        },
        maxAttempts: 1,
        ...extra,
      });
      clients.push(client);
      return client;
    },
    close: async ({ keepState = false } = {}) => {
      for (const c of clients) c.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!keepState && options.stateDir === undefined) await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/**
 * One S3 test server for a test file: started before its tests and closed after them. Returns a
 * getter, because the server exists only once `beforeAll` has run.
 */
export function s3TestServerPerFile(options: S3TestServerOptions = {}): () => S3TestServer {
  let server: S3TestServer | undefined;
  beforeAll(async () => {
    server = await startS3TestServer(options);
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('The S3 test server is used before beforeAll started it');
    return server;
  };
}
