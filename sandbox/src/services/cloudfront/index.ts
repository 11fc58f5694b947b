/**
 * CloudFront in front of an S3 origin: GET/HEAD only, the path mapped under the origin path, every
 * read authorised against the bucket policy as the CloudFront service principal with the
 * distribution's ARN (Origin Access Control), so an over-broad or missing grant shows up locally.
 * GET responses are kept in the edge cache (cache.ts) for as long as the behaviour's cache policy
 * and the origin's headers allow, and answered from there (`X-Cache`, `Age`) until an invalidation
 * (api.ts) or their TTL removes them.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { systemClock, type Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { RequestMeta, RestService } from '../../core/service';
import type { DeployedModel, DistributionSpec } from '../../deploy/model';
import { CLOUDFRONT_SERVICE_PRINCIPAL, type S3Authorize, type S3Caller } from '../../iam/authorizer';
import { AwsError } from '../../core/errors';
import { errorXml, readConditions, readObject, s3Errors, type ObjectRead, type S3Store } from '../s3';
import { etagMatches } from '../s3/handlers/common';
import { parseRange, type ReadConditions } from '../s3/object-read';
import { header } from '../s3/sigv4';
import { cacheKey, EdgeCache, errorTtlSeconds, ttlSeconds, type CachedResponse } from './cache';

export interface CloudFrontTarget {
  readonly distributionId: string;
  /** The viewer's path, still percent-encoded, e.g. "/abc/photo%201.png". */
  readonly rawPath: string;
  /** The viewer's query string without "?", as sent (only the cache key may use it). */
  readonly rawQuery: string;
}

export interface CloudFrontServiceOptions {
  readonly model: DeployedModel;
  /** The S3 service's object store (read only). */
  readonly s3: S3Store;
  readonly authorize: S3Authorize;
  readonly logger: Logger;
  /** Shared with the CloudFront API, whose invalidations clear it. @default a new EdgeCache */
  readonly cache?: EdgeCache;
  readonly clock?: Clock;
}

class ViewerError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType: string,
  ) {
    super(`CloudFront ${status}`);
  }
}

export function createCloudFrontService(options: CloudFrontServiceOptions): RestService<CloudFrontTarget> {
  const cache = options.cache ?? new EdgeCache();
  const clock = options.clock ?? systemClock;
  return {
    handle: async (req, res, target, meta) => {
      const distribution = options.model.distributions.get(target.distributionId);
      const edgeHeaders = cloudFrontHeaders(meta);
      if (!distribution) {
        send(
          res,
          req,
          404,
          { ...edgeHeaders, 'x-cache': 'Error from cloudfront', 'content-type': 'text/plain' },
          `No distribution ${target.distributionId} in the deployed templates.\n`,
        );
        return;
      }
      const policyHeaders = distribution.defaultBehavior.responseHeaders;
      try {
        await serve(options, cache, clock, distribution, req, res, target, meta, {
          ...policyHeaders,
          ...edgeHeaders,
        });
      } catch (err) {
        if (!(err instanceof ViewerError)) throw err;
        send(
          res,
          req,
          err.status,
          {
            ...policyHeaders,
            ...edgeHeaders,
            'x-cache': 'Error from cloudfront',
            'content-type': err.contentType,
          },
          err.body,
        );
      }
    },
  };
}

async function serve(
  options: CloudFrontServiceOptions,
  cache: EdgeCache,
  clock: Clock,
  distribution: DistributionSpec,
  req: IncomingMessage,
  res: ServerResponse,
  target: CloudFrontTarget,
  meta: RequestMeta,
  headers: Record<string, string>,
): Promise<void> {
  const method = req.method ?? 'GET';
  const allowed = distribution.defaultBehavior.allowedMethods.map((m) => m.toUpperCase());
  if (!allowed.includes(method) || (method !== 'GET' && method !== 'HEAD')) {
    throw new ViewerError(403, methodNotAllowedPage(), 'text/html');
  }
  const origin = distribution.origins.get(distribution.defaultBehavior.targetOriginId);
  if (!origin)
    throw new ViewerError(
      502,
      'The origin of this distribution is not in the deployed templates.\n',
      'text/plain',
    );

  const viewerPath =
    target.rawPath === '/' && distribution.defaultRootObject
      ? `/${distribution.defaultRootObject}`
      : target.rawPath;
  let decodedPath: string;
  try {
    decodedPath = decodeURIComponent(viewerPath);
  } catch {
    throw originError(s3Errors.invalidUri(), meta);
  }
  const key = `${origin.originPath}${decodedPath}`.slice(1);
  const policy = distribution.defaultBehavior.cachePolicy;
  const { key: cacheId, invalidationName } = cacheKey(policy, decodedPath, target.rawQuery, req.headers);

  // Without OAC, CloudFront reaches the origin unsigned: the bucket sees an anonymous caller.
  const caller: S3Caller = origin.originAccessControl
    ? { kind: 'service', service: CLOUDFRONT_SERVICE_PRINCIPAL, sourceArn: distribution.arn }
    : { kind: 'anonymous' };
  const decide = (action: string, objectKey: string | undefined, context?: Record<string, string>) =>
    options.authorize({
      caller,
      action,
      bucket: origin.bucketName,
      key: objectKey,
      secureTransport: true,
      sourceIp: meta.sourceIp,
      context,
    });
  const fromOrigin = async (
    head: boolean,
    conditions: ReadConditions,
    range: string | undefined,
  ): Promise<ObjectRead> => {
    const grant = decide('s3:GetObject', key);
    if (!grant.allowed) {
      options.logger.warn('AccessDenied', {
        action: 's3:GetObject',
        resource: grant.resource,
        principal: caller.kind === 'service' ? `${caller.service} (${caller.sourceArn})` : 'anonymous',
        decision: grant.decision,
        via: `cloudfront ${distribution.id}`,
        requestId: meta.requestId,
      });
      throw s3Errors.accessDenied();
    }
    const bucket = options.s3.bucket(origin.bucketName);
    if (!bucket) throw s3Errors.accessDenied();
    return readObject({
      store: bucket,
      key,
      head,
      conditions,
      range,
      now: clock.now(),
      // S3 tells a missing key apart only to callers that may list; an OAC grant normally cannot.
      mayList: () => decide('s3:ListBucket', undefined, { 's3:prefix': key }).allowed,
    });
  };
  const answer = (entry: CachedResponse, xCache: string) =>
    answerFromEntry(req, res, entry, xCache, headers, clock.now().getTime(), meta);

  const now = clock.now().getTime();
  const cached = cache.get(distribution.id, cacheId);
  if (cached && cached.expiresAt > now) {
    answer(cached, cached.status === 200 ? 'Hit from cloudfront' : 'Error from cloudfront');
    return;
  }
  const generation = cache.currentGeneration;
  const store = (entry: CachedResponse, ttl: number) => {
    if (ttl > 0) cache.put(distribution.id, cacheId, entry, generation);
  };
  const errorEntry = (error: AwsError): CachedResponse => {
    const body = Buffer.from(errorXml(error, meta.requestId, randomBytes(12).toString('base64')));
    const ttl = errorTtlSeconds(policy, error.status);
    const entry = {
      status: error.status,
      headers: { 'content-type': 'application/xml' },
      body,
      storedAt: now,
      expiresAt: now + ttl * 1000,
      invalidationName,
    };
    store(entry, ttl);
    return entry;
  };
  const viewerConditions = readConditions((name) => header(req.headers, name));
  // CloudFront answers these two itself; it does not pass If-Match / If-Unmodified-Since on.
  const conditions = {
    ifNoneMatch: viewerConditions.ifNoneMatch,
    ifModifiedSince: viewerConditions.ifModifiedSince,
  };

  // Streamed from the origin with the viewer's own conditions and range, and not cached.
  const passThrough = async (head: boolean) => {
    let read: ObjectRead;
    try {
      read = await fromOrigin(head, conditions, header(req.headers, 'range'));
    } catch (err) {
      if (err instanceof AwsError) return answer(errorEntry(err), 'Error from cloudfront');
      throw err;
    }
    const out: Record<string, string> = {
      ...originHeaders(read.headers),
      ...headers,
      'x-cache': 'Miss from cloudfront',
    };
    if (read.status === 304) return send(res, req, 304, out);
    for (const name of ['content-length', 'content-range']) {
      const value = read.headers[name];
      if (value !== undefined) out[name] = value;
    }
    res.writeHead(read.status, out);
    if (read.stream) await pipeline(read.stream, res).catch(() => read.stream?.destroy());
    else res.end(read.body);
  };

  // A HEAD is answered by the origin and not cached: only a GET brings the bytes to keep.
  if (method === 'HEAD' && !cached) return passThrough(true);

  let read: ObjectRead;
  try {
    // A stale copy is revalidated with its ETag: a 304 from the origin renews it (RefreshHit).
    read = await fromOrigin(
      false,
      cached?.status === 200 && cached.headers.etag ? { ifNoneMatch: cached.headers.etag } : {},
      undefined,
    );
  } catch (err) {
    if (err instanceof AwsError) return answer(errorEntry(err), 'Error from cloudfront');
    throw err;
  }
  if (read.status === 304 && cached) {
    const ttl = ttlSeconds(policy, cached.headers, now);
    cached.storedAt = now;
    cached.expiresAt = now + ttl * 1000;
    answer(cached, 'RefreshHit from cloudfront');
    return;
  }
  if (read.record.size <= cache.limits.maxObjectBytes) {
    const body = read.body ?? (read.stream ? await buffer(read.stream) : Buffer.alloc(0));
    const kept = originHeaders(read.headers);
    const ttl = ttlSeconds(policy, kept, now);
    const entry = {
      status: 200,
      headers: kept,
      body,
      storedAt: now,
      expiresAt: now + ttl * 1000,
      invalidationName,
    };
    store(entry, ttl);
    answer(entry, 'Miss from cloudfront');
    return;
  }

  // Too large to keep in memory.
  read.stream?.destroy();
  await passThrough(false);
}

/**
 * What CloudFront keeps of the S3 response: the object's headers minus the S3-internal version id
 * and the framing (length and range belong to each answer, not to the object).
 */
function originHeaders(headers: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !DROPPED_ORIGIN_HEADERS.has(name)) out[name] = value;
  }
  return out;
}
const DROPPED_ORIGIN_HEADERS = new Set(['x-amz-version-id', 'content-length', 'content-range']);

/**
 * Answers from a cached (or just fetched) response: its own conditional requests and byte range,
 * under the response headers policy, which wins over the origin's headers.
 */
function answerFromEntry(
  req: IncomingMessage,
  res: ServerResponse,
  entry: CachedResponse,
  xCache: string,
  policyHeaders: Record<string, string>,
  now: number,
  meta: RequestMeta,
): void {
  const out: Record<string, string> = { ...entry.headers, ...policyHeaders, 'x-cache': xCache };
  if (!xCache.startsWith('Miss')) out.age = String(Math.max(0, Math.floor((now - entry.storedAt) / 1000)));
  if (entry.status !== 200) {
    send(res, req, entry.status, out, entry.body);
    return;
  }
  const { ifNoneMatch, ifModifiedSince } = readConditions((name) => header(req.headers, name));
  const etag = entry.headers.etag ?? '';
  const lastModified = Date.parse(entry.headers['last-modified'] ?? '');
  const notModified =
    ifNoneMatch !== undefined
      ? etagMatches(ifNoneMatch, etag)
      : ifModifiedSince !== undefined && ifModifiedSince <= now && lastModified <= ifModifiedSince;
  if (notModified) {
    const kept: Record<string, string> = {};
    for (const name of ['etag', 'last-modified', 'cache-control', 'expires']) {
      if (entry.headers[name] !== undefined) kept[name] = entry.headers[name];
    }
    send(res, req, 304, {
      ...kept,
      ...policyHeaders,
      'x-cache': xCache,
      ...(out.age ? { age: out.age } : {}),
    });
    return;
  }
  const range = parseRange(header(req.headers, 'range'), entry.body.length);
  if (range === 'unsatisfiable') {
    const error = s3Errors.invalidRange(entry.body.length);
    send(
      res,
      req,
      416,
      {
        ...policyHeaders,
        'x-cache': xCache,
        'content-type': 'application/xml',
        'content-range': `bytes */${entry.body.length}`,
      },
      Buffer.from(errorXml(error, meta.requestId, randomBytes(12).toString('base64'))),
    );
    return;
  }
  if (range) {
    out['content-range'] = `bytes ${range.start}-${range.end}/${entry.body.length}`;
    send(res, req, 206, out, entry.body.subarray(range.start, range.end + 1));
    return;
  }
  send(res, req, 200, out, entry.body);
}

async function buffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The origin's error as the viewer sees it: S3's XML error document. */
function originError(error: AwsError, meta: RequestMeta): ViewerError {
  return new ViewerError(
    error.status,
    errorXml(error, meta.requestId, randomBytes(12).toString('base64')),
    'application/xml',
  );
}

function cloudFrontHeaders(meta: RequestMeta): Record<string, string> {
  const edge = randomBytes(16).toString('hex');
  return {
    via: `1.1 ${edge}.cloudfront.net (CloudFront)`,
    'x-amz-cf-pop': 'LOCAL1-SANDBOX',
    'x-amz-cf-id': Buffer.from(meta.requestId).toString('base64url'),
  };
}

function methodNotAllowedPage(): string {
  return (
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">\n' +
    '<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1"><TITLE>ERROR: The request could not be satisfied</TITLE></HEAD>' +
    '<BODY><H1>403 ERROR</H1><H2>The request could not be satisfied.</H2><HR noshade size="1px">' +
    'This distribution is not configured to allow the HTTP request method that was used for this request. ' +
    'The distribution supports only cachable requests.</BODY></HTML>\n'
  );
}

function send(
  res: ServerResponse,
  req: IncomingMessage,
  status: number,
  headers: Record<string, string>,
  body?: string | Buffer,
): void {
  const payload =
    body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  res.writeHead(status, { ...headers, 'content-length': String(payload.length) });
  res.end(req.method === 'HEAD' ? undefined : payload);
}
