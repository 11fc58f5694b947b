/**
 * The sandbox's one HTTP server. It only routes: JSON services by `X-Amz-Target`, S3 by the
 * reroute prefix (or path-style on our own host), CloudFront by distribution id (its API by its
 * version path, like Lambda's), and a few
 * sandbox endpoints under `/_sandbox/` for people and tests.
 */
import { S3_REROUTE_PREFIX } from '@image-share/contracts/s3-reroute';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_TOKEN_HEADER, ADMIN_TOKEN_OUTPUT_KEY, adminTokenMatches } from './core/admin-token';
import { AwsError } from './core/errors';
import type { Logger } from './core/logger';
import type { JsonService, RequestMeta, RestService, S3Target } from './core/service';
import type { CloudFrontTarget } from './services/cloudfront';
import type { CloudFrontApiTarget } from './services/cloudfront/api';
import type { LambdaTarget } from './services/lambda/router';

export const DEFAULT_PORT = 4510;
const JSON_BODY_LIMIT = 1024 * 1024;

export interface SandboxHttpServices {
  readonly json: readonly JsonService[];
  readonly s3: RestService<S3Target>;
  readonly cloudfront: RestService<CloudFrontTarget>;
  /** CloudFront's own API (`/2020-05-31/...`): invalidations. */
  readonly cloudfrontApi: RestService<CloudFrontApiTarget>;
  /** DynamoDB (and its Streams API), which verifies signatures over the raw body itself. */
  readonly dynamodb: {
    readonly targetPrefixes: readonly string[];
    handle(req: IncomingMessage, res: ServerResponse, meta: RequestMeta): Promise<void>;
  };
  readonly lambda: RestService<LambdaTarget>;
  /** AppSync's GraphQL endpoint per API: `/_appsync/<apiId>/graphql`. */
  readonly appsync?: RestService<{ apiId: string }>;
  /** Secrets Manager, which like DynamoDB verifies signatures over the raw body itself. */
  readonly secretsManager?: {
    readonly targetPrefix: string;
    handle(req: IncomingMessage, res: ServerResponse, meta: RequestMeta): Promise<void>;
  };
  /** Public JWKS per user pool id, or undefined for an unknown pool. */
  jwks(userPoolId: string): Promise<object | undefined>;
  /** What every `/_sandbox/` request must carry in ADMIN_TOKEN_HEADER (see core/admin-token.ts). */
  readonly adminToken: string;
  /**
   * Sandbox-only endpoints (mailbox, admin helpers); answers or returns false when the path is
   * unknown. Called only for requests that passed sandboxGate: token checked, body (if any) JSON.
   */
  sandboxApi(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
  ): Promise<boolean>;
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function listen(
  services: SandboxHttpServices,
  logger: Logger,
  options: { port?: number; host?: string } = {},
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    handle(services, logger, req, res).catch((err: unknown) => {
      logger.error('unhandled error', { error: String(err) });
      if (!res.headersSent) sendJson(res, 500, { __type: 'InternalError', message: 'Internal error' });
      else res.destroy();
    });
  });
  // Keep-alive connections from SDK clients otherwise hold close() open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    endpoint: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(
  services: SandboxHttpServices,
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const rawQuery = q === -1 ? '' : rawUrl.slice(q + 1);
  const meta: RequestMeta = { sourceIp: req.socket.remoteAddress ?? '127.0.0.1', requestId: randomUUID() };

  const target = header(req, 'x-amz-target');
  const preflightHeaders = header(req, 'access-control-request-headers') ?? '';
  const isJsonPreflight = req.method === 'OPTIONS' && /\bx-amz-target\b/i.test(preflightHeaders);
  const targetPrefix = target?.slice(0, Math.max(0, target.indexOf('.')));
  if (targetPrefix !== undefined && services.dynamodb.targetPrefixes.includes(targetPrefix)) {
    await services.dynamodb.handle(req, res, meta);
    return;
  }
  if (targetPrefix !== undefined && targetPrefix === services.secretsManager?.targetPrefix) {
    await services.secretsManager.handle(req, res, meta);
    return;
  }
  if (target !== undefined || isJsonPreflight) {
    await handleJson(services.json, logger, req, res, target, meta);
    return;
  }

  if (rawPath.startsWith(S3_REROUTE_PREFIX)) {
    const rest = rawPath.slice(S3_REROUTE_PREFIX.length);
    const slash = rest.indexOf('/');
    const originalHost = slash === -1 ? rest : rest.slice(0, slash);
    const originalPath = slash === -1 ? '/' : rest.slice(slash);
    // Rerouted traffic left the client as https to AWS; the hop to us is loopback.
    await services.s3.handle(
      req,
      res,
      { host: originalHost, rawPath: originalPath, rawQuery, secureTransport: true },
      meta,
    );
    return;
  }

  const cf = /^\/_cloudfront\/([A-Z0-9]+)(\/.*)?$/.exec(rawPath);
  if (cf) {
    await services.cloudfront.handle(
      req,
      res,
      { distributionId: cf[1]!, rawPath: cf[2] ?? '/', rawQuery },
      meta,
    );
    return;
  }

  const appsync = /^\/_appsync\/([a-z0-9]+)\/graphql$/.exec(rawPath);
  if (appsync && services.appsync) {
    await services.appsync.handle(req, res, { apiId: appsync[1]! }, meta);
    return;
  }

  if (rawPath.startsWith('/_sandbox/')) {
    if (!sandboxGate(req, res, services.adminToken)) return;
    const handled = await services.sandboxApi(req, res, rawPath, new URLSearchParams(rawQuery));
    if (!handled) sendJson(res, 404, { error: 'NotFound', message: `No sandbox endpoint ${rawPath}` });
    return;
  }

  // CloudFront's API path. A bucket named "2020-05-31" would be shadowed; the templates have none.
  const cloudfrontApiPrefix = '/2020-05-31/';
  if (rawPath.startsWith(cloudfrontApiPrefix)) {
    await services.cloudfrontApi.handle(
      req,
      res,
      { rawPath: rawPath.slice(cloudfrontApiPrefix.length - 1), rawQuery, signedPath: rawPath },
      meta,
    );
    return;
  }

  // Lambda's REST path. A bucket named "2015-03-31" would be shadowed; the templates have none.
  const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(rawPath);
  if (invoke) {
    let functionName: string;
    try {
      functionName = decodeURIComponent(invoke[1]!);
    } catch {
      sendJson(res, 400, { __type: 'InvalidParameterValueException', message: 'Malformed function name' });
      return;
    }
    await services.lambda.handle(req, res, { functionName, rawPath, rawQuery }, meta);
    return;
  }

  const jwks = /^\/([\w-]+_[0-9A-Za-z]+)\/\.well-known\/jwks\.json$/.exec(rawPath);
  if (jwks && req.method === 'GET') {
    const keys = await services.jwks(jwks[1]!);
    if (keys === undefined) sendJson(res, 404, { message: 'User pool not found' });
    else
      sendJson(res, 200, keys, {
        'access-control-allow-origin': '*',
        'cache-control': 'public, max-age=3600',
      });
    return;
  }

  // Anything else is path-style S3 addressed to the sandbox itself (SDK clients with `endpoint`).
  // Loopback plain HTTP counts as secure transport: nothing leaves the machine.
  await services.s3.handle(
    req,
    res,
    { host: header(req, 'host') ?? '', rawPath, rawQuery, secureTransport: true },
    meta,
  );
}

/**
 * `/_sandbox/` is for the developer's own tools, never for web pages, which reach loopback too. So:
 * no CORS answer at all (a preflight is refused, so a page cannot send the token header), a body
 * only as application/json (a page's no-cors POST can only send the three "simple" types), and the
 * per-start token on every request, which also covers GETs a page makes with <img> or <script>.
 * `nosniff` and CORP keep a page from pulling even an error body into its own document.
 */
function sandboxGate(req: IncomingMessage, res: ServerResponse, adminToken: string): boolean {
  const headers = { 'x-content-type-options': 'nosniff', 'cross-origin-resource-policy': 'same-origin' };
  if (req.method === 'OPTIONS') {
    sendJson(
      res,
      403,
      { error: 'Forbidden', message: 'The sandbox endpoints answer no cross-origin requests.' },
      headers,
    );
    return false;
  }
  if (!adminTokenMatches(adminToken, header(req, ADMIN_TOKEN_HEADER))) {
    sendJson(
      res,
      401,
      {
        error: 'Unauthorized',
        message: `Send the ${ADMIN_TOKEN_OUTPUT_KEY} of the sandbox's outputs file in the ${ADMIN_TOKEN_HEADER} header.`,
      },
      headers,
    );
    return false;
  }
  const hasBody =
    req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  const mediaType = (header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if ((hasBody || (req.method !== 'GET' && req.method !== 'HEAD')) && mediaType !== 'application/json') {
    sendJson(
      res,
      415,
      { error: 'UnsupportedMediaType', message: 'Send the body as application/json.' },
      headers,
    );
    return false;
  }
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  return true;
}

async function handleJson(
  services: readonly JsonService[],
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  target: string | undefined,
  meta: RequestMeta,
): Promise<void> {
  const cors = {
    'access-control-allow-origin': header(req, 'origin') ?? '*',
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': header(req, 'access-control-request-headers') ?? '*',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors);
    res.end();
    return;
  }
  const dot = (target ?? '').lastIndexOf('.');
  const prefix = (target ?? '').slice(0, dot);
  const operation = (target ?? '').slice(dot + 1);
  const service = services.find((s) => s.targetPrefix === prefix);
  const headers = { ...cors, 'x-amzn-requestid': meta.requestId };
  if (req.method !== 'POST' || service === undefined || operation === '') {
    sendAwsJsonError(
      res,
      headers,
      new AwsError('UnknownOperationException', `Unknown operation ${target ?? ''}`),
    );
    return;
  }
  let input: unknown;
  try {
    const body = await readBody(req, JSON_BODY_LIMIT);
    input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch (err) {
    sendAwsJsonError(
      res,
      headers,
      err instanceof AwsError
        ? err
        : new AwsError('SerializationException', 'The request body is not valid JSON.'),
    );
    return;
  }
  try {
    const output = await service.call(operation, input, meta);
    sendJson(res, 200, output ?? {}, { ...headers, 'content-type': 'application/x-amz-json-1.1' });
  } catch (err) {
    if (err instanceof AwsError) {
      logger.info(`${prefix}.${operation} -> ${err.code}`, { message: err.message });
      sendAwsJsonError(res, headers, err);
    } else {
      logger.error(`${prefix}.${operation} failed`, {
        error: err instanceof Error ? err.stack : String(err),
      });
      sendAwsJsonError(res, headers, new AwsError('InternalErrorException', 'Internal error', 500));
    }
  }
}

function sendAwsJsonError(res: ServerResponse, headers: Record<string, string>, err: AwsError): void {
  sendJson(
    res,
    err.status,
    { __type: err.code, message: err.message },
    { ...headers, 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': err.code },
  );
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(data.length),
    ...headers,
  });
  res.end(data);
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit)
      throw new AwsError('RequestEntityTooLargeException', 'The request body is too large.', 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
