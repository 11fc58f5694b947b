import { parseS3Host } from '@image-share/contracts/s3-reroute';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Clock } from '../../core/clock';
import { AwsError, notImplemented } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { RequestMeta, RestService, S3Target } from '../../core/service';
import type { DeployedModel } from '../../deploy/model';
import type { S3Authorize, S3Caller } from '../../iam/authorizer';
import type { S3RequestContext, S3Result } from './context';
import { BucketCors } from './cors';
import { s3Errors } from './errors';
import { copyObject } from './handlers/CopyObject';
import { deleteObject } from './handlers/DeleteObject';
import { deleteObjects } from './handlers/DeleteObjects';
import { getObject } from './handlers/GetObject';
import { getBucketLocation, headBucket, listObjectsV2 } from './handlers/bucket';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listMultipartUploads,
  listParts,
  uploadPart,
} from './handlers/multipart';
import { putObject } from './handlers/PutObject';
import { header, SigV4Verifier, type Authentication } from './sigv4';
import type { S3Store } from './store';
import { errorXml, toXml } from './xml';

/** Subresources S3 has and the sandbox does not model: answered 501, never a silent 200. */
const BUCKET_SUBRESOURCES = [
  'accelerate',
  'acl',
  'analytics',
  'cors',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'lifecycle',
  'logging',
  'metadataTable',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'session',
  'tagging',
  'versioning',
  'versions',
  'website',
];
const OBJECT_SUBRESOURCES = [
  'acl',
  'attributes',
  'legal-hold',
  'renameObject',
  'restore',
  'retention',
  'select',
  'tagging',
  'torrent',
];
const BUCKET_LEVEL_ACTIONS = new Set([
  's3:ListBucket',
  's3:ListBucketMultipartUploads',
  's3:GetBucketLocation',
]);

export interface S3RouterOptions {
  readonly model: DeployedModel;
  readonly store: S3Store;
  readonly clock: Clock;
  readonly verifier: SigV4Verifier;
  readonly authorize: S3Authorize;
  readonly logger: Logger;
}

export class S3Router implements RestService<S3Target> {
  private readonly cors = new Map<string, BucketCors>();

  constructor(private readonly options: S3RouterOptions) {
    for (const bucket of options.model.buckets.values()) this.cors.set(bucket.name, new BucketCors(bucket));
  }

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    target: S3Target,
    meta: RequestMeta,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    // The response's x-amz-id-2, which an event about this request repeats.
    const hostId = randomBytes(12).toString('base64');
    let corsHeaders: Record<string, string> = {};
    try {
      const { bucketName, key } = parseAddress(target);
      const pairs = parseQuery(target.rawQuery);
      const query = new Map<string, string>();
      for (const [name, value] of pairs) if (!query.has(name)) query.set(name, value);

      const bucket = bucketName === undefined ? undefined : this.options.model.buckets.get(bucketName);
      const cors = bucket ? this.cors.get(bucket.name) : undefined;
      const origin = header(req.headers, 'origin');
      if (cors && method !== 'OPTIONS') corsHeaders = cors.actual(origin, method);

      if (method === 'OPTIONS') {
        if (!bucket || !cors)
          throw bucketName === undefined ? s3Errors.corsNotEnabled() : s3Errors.noSuchBucket(bucketName);
        const requestMethod = header(req.headers, 'access-control-request-method');
        if (origin === undefined || requestMethod === undefined) {
          throw s3Errors.invalidRequest('Insufficient information. Origin request header needed.');
        }
        const requestHeaders = (header(req.headers, 'access-control-request-headers') ?? '')
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter((h) => h !== '');
        corsHeaders = cors.preflight({ origin, method: requestMethod, requestHeaders });
        send(res, 200, { ...corsHeaders, ...baseHeaders(meta, hostId), 'content-length': '0' });
        return;
      }

      const auth = await this.options.verifier.authenticate(
        { method, host: target.host, rawPath: target.rawPath, query: pairs, headers: req.headers },
        bucket?.region ?? this.options.model.region,
      );
      if (bucketName === undefined) throw notImplemented('ListBuckets');
      if (!bucket) throw s3Errors.noSuchBucket(bucketName);
      const store = this.options.store.bucket(bucket.name);
      if (!store) throw s3Errors.noSuchBucket(bucketName);

      const ctx = this.context(req, target, { ...meta, hostId }, bucket, store, key, query, auth);
      const result = await this.route(ctx, method, key !== undefined);
      await writeResult(res, method, result, { ...corsHeaders, ...baseHeaders(meta, hostId) });
    } catch (err) {
      this.writeError(res, method, err, { ...corsHeaders, ...baseHeaders(meta, hostId) });
    }
  }

  private route(ctx: S3RequestContext, method: string, hasKey: boolean): Promise<S3Result> {
    const q = ctx.query;
    const subresource = (names: readonly string[]) => names.find((n) => q.has(n));
    if (!hasKey) {
      switch (method) {
        case 'GET':
          if (q.get('list-type') === '2') return listObjectsV2(ctx);
          if (q.has('uploads')) return listMultipartUploads(ctx);
          if (q.has('location')) return getBucketLocation(ctx);
          if (subresource(BUCKET_SUBRESOURCES))
            throw notImplemented(`GET bucket ?${subresource(BUCKET_SUBRESOURCES)}`);
          throw notImplemented('ListObjects (version 1); use ListObjectsV2');
        case 'HEAD':
          return headBucket(ctx);
        case 'POST':
          if (q.has('delete')) return deleteObjects(ctx);
          throw notImplemented('POST on a bucket (browser form uploads)');
        case 'PUT':
          throw notImplemented(
            subresource(BUCKET_SUBRESOURCES)
              ? `PUT bucket ?${subresource(BUCKET_SUBRESOURCES)}`
              : 'CreateBucket (buckets come from the templates)',
          );
        case 'DELETE':
          throw notImplemented(
            subresource(BUCKET_SUBRESOURCES)
              ? `DELETE bucket ?${subresource(BUCKET_SUBRESOURCES)}`
              : 'DeleteBucket (buckets come from the templates)',
          );
        default:
          throw s3Errors.methodNotAllowed(method);
      }
    }
    const unsupported = subresource(OBJECT_SUBRESOURCES);
    if (unsupported && method !== 'HEAD') throw notImplemented(`${method} object ?${unsupported}`);
    switch (method) {
      case 'GET':
        return q.has('uploadId') ? listParts(ctx) : getObject(ctx, false);
      case 'HEAD':
        return getObject(ctx, true);
      case 'PUT':
        if (q.has('partNumber') || q.has('uploadId')) return uploadPart(ctx);
        if (ctx.header('x-amz-copy-source') !== undefined) {
          return copyObject(ctx, (name) =>
            this.options.model.buckets.has(name) ? this.options.store.bucket(name) : undefined,
          );
        }
        return putObject(ctx);
      case 'POST':
        if (q.has('uploads')) return createMultipartUpload(ctx);
        if (q.has('uploadId')) return completeMultipartUpload(ctx);
        throw notImplemented('POST on an object');
      case 'DELETE':
        return q.has('uploadId') ? abortMultipartUpload(ctx) : deleteObject(ctx);
      default:
        throw s3Errors.methodNotAllowed(method);
    }
  }

  private context(
    req: IncomingMessage,
    target: S3Target,
    meta: RequestMeta & { readonly hostId: string },
    bucket: S3RequestContext['bucket'],
    store: S3RequestContext['store'],
    key: string | undefined,
    query: ReadonlyMap<string, string>,
    auth: Authentication,
  ): S3RequestContext {
    const caller: S3Caller =
      auth.kind === 'signed' ? { kind: 'role', credentials: auth.credentials } : { kind: 'anonymous' };
    const { authorize, logger } = this.options;
    const now = this.options.clock.now();
    const decide = (
      action: string,
      bucketName: string,
      objectKey: string | undefined,
      context?: Record<string, string | readonly string[] | undefined>,
    ) =>
      authorize({
        caller,
        action,
        bucket: bucketName,
        key: BUCKET_LEVEL_ACTIONS.has(action) ? undefined : objectKey,
        secureTransport: target.secureTransport,
        sourceIp: meta.sourceIp,
        context,
      });
    return {
      req,
      bucket,
      store,
      key: key ?? '',
      query,
      auth,
      now,
      header: (name) => header(req.headers, name),
      authorize: (action, scope = {}) => {
        const result = decide(action, scope.bucket ?? bucket.name, scope.key ?? key, scope.context);
        if (result.allowed) return;
        logger.warn('AccessDenied', {
          action,
          resource: result.resource,
          principal: principalLabel(caller),
          decision: result.decision,
          requestId: meta.requestId,
        });
        throw s3Errors.accessDenied();
      },
      mayList: (objectKey, bucketName = bucket.name) =>
        decide('s3:ListBucket', bucketName, undefined, { 's3:prefix': objectKey }).allowed,
      change: (eventName, versionId) => ({
        eventName,
        eventTime: now,
        principalId: eventPrincipal(this.options.model, caller),
        sourceIp: meta.sourceIp,
        requestId: meta.requestId,
        hostId: meta.hostId,
        versionId,
      }),
    };
  }

  private writeError(
    res: ServerResponse,
    method: string,
    err: unknown,
    headers: Record<string, string>,
  ): void {
    const error =
      err instanceof AwsError
        ? err
        : new AwsError('InternalError', 'We encountered an internal error. Please try again.', 500);
    if (!(err instanceof AwsError))
      this.options.logger.error('s3 internal error', {
        error: err instanceof Error ? err.stack : String(err),
      });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const requestId = headers['x-amz-request-id'] ?? '';
    if (method === 'HEAD') {
      send(res, error.status, headers);
      return;
    }
    const body = errorXml(error, requestId, headers['x-amz-id-2'] ?? '');
    send(res, error.status, { ...headers, 'content-type': 'application/xml' }, body);
  }
}

function baseHeaders(meta: RequestMeta, hostId: string): Record<string, string> {
  return { 'x-amz-request-id': meta.requestId, 'x-amz-id-2': hostId, server: 'AmazonS3' };
}

/** userIdentity.principalId of an event: "AWS:<role id>:<session>" for a role session, as S3 writes it. */
function eventPrincipal(model: DeployedModel, caller: S3Caller): string {
  if (caller.kind !== 'role') return 'Anonymous';
  const { credentials } = caller;
  const session = credentials.assumedRoleArn.split('/').pop() ?? '';
  return `AWS:${model.roles.get(credentials.roleArn)?.roleId ?? credentials.roleArn}:${session}`;
}

async function writeResult(
  res: ServerResponse,
  method: string,
  result: S3Result,
  base: Record<string, string>,
): Promise<void> {
  const headers: Record<string, string> = { ...base };
  for (const [name, value] of Object.entries(result.headers ?? {}))
    if (value !== undefined) headers[name] = value;
  const status = result.status ?? 200;
  if (result.xml) {
    send(
      res,
      status,
      { ...headers, 'content-type': 'application/xml' },
      toXml(result.xml.root, result.xml.body),
    );
  } else if (result.body && method !== 'HEAD') {
    res.writeHead(status, headers);
    res.end(result.body);
  } else if (result.stream && method !== 'HEAD') {
    res.writeHead(status, headers);
    await pipeline(result.stream, res).catch(() => {
      // The client went away mid-download: nothing to answer any more.
      result.stream?.destroy();
    });
  } else {
    result.stream?.destroy();
    if (headers['content-length'] === undefined) headers['content-length'] = '0';
    res.writeHead(status, headers);
    res.end();
  }
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: string): void {
  const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
  res.writeHead(status, { ...headers, 'content-length': String(payload?.length ?? 0) });
  res.end(payload);
}

/** Virtual-hosted (`<bucket>.s3.<region>.amazonaws.com/<key>`) or path-style (`<host>/<bucket>/<key>`). */
function parseAddress(target: S3Target): { bucketName?: string; key?: string } {
  const virtualBucket = parseS3Host(target.host.replace(/:\d+$/, ''))?.bucket;
  let bucketName: string | undefined;
  let rawKey: string | undefined;
  if (virtualBucket !== undefined) {
    bucketName = virtualBucket;
    rawKey = target.rawPath.length > 1 ? target.rawPath.slice(1) : undefined;
  } else {
    const path = target.rawPath.slice(1);
    if (path === '') return {};
    const slash = path.indexOf('/');
    bucketName = decode(slash === -1 ? path : path.slice(0, slash));
    rawKey = slash === -1 || slash === path.length - 1 ? undefined : path.slice(slash + 1);
  }
  return { bucketName, key: rawKey === undefined ? undefined : decode(rawKey) };
}

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw s3Errors.invalidUri();
  }
}

function parseQuery(rawQuery: string): Array<[string, string]> {
  if (rawQuery === '') return [];
  return rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? [decode(pair), ''] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
    });
}

function principalLabel(caller: S3Caller): string {
  switch (caller.kind) {
    case 'role':
      return caller.credentials.assumedRoleArn;
    case 'service':
      return `${caller.service} (${caller.sourceArn})`;
    case 'anonymous':
      return 'anonymous';
  }
}
