import type { S3RequestContext, S3Result } from '../context';
import { s3Errors } from '../errors';
import { checkReadable } from '../storage-class';
import { StaleRecordError, type ObjectRecord } from '../store';
import { checksumHeaders, etagMatches, objectHeaders, parseHttpDate, requireObject } from './common';

const RESPONSE_OVERRIDES: ReadonlyArray<readonly [string, string]> = [
  ['response-content-type', 'content-type'],
  ['response-content-language', 'content-language'],
  ['response-expires', 'expires'],
  ['response-cache-control', 'cache-control'],
  ['response-content-disposition', 'content-disposition'],
  ['response-content-encoding', 'content-encoding'],
];

/** GetObject and HeadObject: conditions, Range, response-* overrides; HEAD gets the same headers, no body. */
export async function getObject(ctx: S3RequestContext, head: boolean): Promise<S3Result> {
  return retryWhenStale(() => getObjectOnce(ctx, head));
}

/** An object replaced between lookup and read is simply looked up again (the read never mixes versions). */
export async function retryWhenStale<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof StaleRecordError) || attempt === 3) throw err;
    }
  }
}

async function getObjectOnce(ctx: S3RequestContext, head: boolean): Promise<S3Result> {
  if (ctx.query.has('partNumber')) throw s3Errors.notImplemented('GetObject with partNumber');
  const versionId = ctx.query.get('versionId');
  // Reading by version id is its own permission on AWS: a grant of s3:GetObject does not cover it.
  ctx.authorize(versionId === undefined ? 's3:GetObject' : 's3:GetObjectVersion');
  const record = requireObject(ctx);
  if (versionId !== undefined && versionId !== (record.versionId ?? 'null'))
    throw s3Errors.noSuchVersion(ctx.key, versionId);
  // HeadObject still answers for an archived object; only its bytes are offline.
  if (!head) checkReadable(record.storageClass);

  const headers = objectHeaders(record);
  for (const [param, name] of RESPONSE_OVERRIDES) {
    const value = ctx.query.get(param);
    if (value === undefined) continue;
    if (ctx.auth.kind === 'anonymous') {
      throw s3Errors.invalidRequest(
        'Request specific response headers cannot be used for anonymous GET requests.',
      );
    }
    headers[name] = value;
  }

  const notModified = evaluateConditions(ctx, record);
  if (notModified) {
    return {
      status: 304,
      headers: {
        etag: record.etag,
        'last-modified': headers['last-modified'],
        'x-amz-version-id': record.versionId,
      },
    };
  }

  const range = parseRange(ctx.header('range'), record.size);
  if (range === 'unsatisfiable') throw s3Errors.invalidRange(record.size);
  if (range) {
    headers['content-range'] = `bytes ${range.start}-${range.end}/${record.size}`;
    headers['content-length'] = String(range.end - range.start + 1);
  } else {
    headers['content-length'] = String(record.size);
    if (ctx.header('x-amz-checksum-mode')?.toUpperCase() === 'ENABLED' && record.partsCount === undefined) {
      Object.assign(headers, checksumHeaders(record.checksums));
      if (Object.keys(record.checksums).length > 0) headers['x-amz-checksum-type'] = 'FULL_OBJECT';
    }
  }
  if (record.partsCount !== undefined) headers['x-amz-mp-parts-count'] = String(record.partsCount);
  const status = range ? 206 : 200;
  if (head || record.size === 0) return { status, headers };
  const body = await ctx.store.readSmall(record, range?.start, range?.end);
  if (body) return { status, headers, body };
  const stream = await ctx.store.openRead(record, range?.start, range?.end);
  return { status, headers, stream };
}

/** Returns true for 304; throws 412. S3's order: If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since. */
function evaluateConditions(ctx: S3RequestContext, record: ObjectRecord): boolean {
  const lastModified = Math.floor(new Date(record.lastModified).getTime() / 1000) * 1000;
  const ifMatch = ctx.header('if-match');
  const ifNoneMatch = ctx.header('if-none-match');
  const ifModifiedSince = parseHttpDate(ctx.header('if-modified-since'));
  const ifUnmodifiedSince = parseHttpDate(ctx.header('if-unmodified-since'));
  if (ifMatch !== undefined && !etagMatches(ifMatch, record.etag))
    throw s3Errors.preconditionFailed('If-Match');
  if (ifMatch === undefined && ifUnmodifiedSince !== undefined && lastModified > ifUnmodifiedSince) {
    throw s3Errors.preconditionFailed('If-Unmodified-Since');
  }
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch, record.etag);
  if (ifModifiedSince !== undefined && ifModifiedSince <= ctx.now.getTime())
    return lastModified <= ifModifiedSince;
  return false;
}

/** A single `bytes=` range; anything S3 would ignore (syntax it does not parse, several ranges) means the whole object. */
export function parseRange(
  value: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
