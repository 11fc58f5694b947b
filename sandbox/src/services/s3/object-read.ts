/**
 * Reading one object the way S3 serves it, for GetObject/HeadObject and for CloudFront's S3 origin:
 * the 403/404 choice for a missing key, the archived-object refusal, conditional requests, a single
 * byte range, and the bytes themselves (from memory or a stream). Authorisation stays with the
 * caller, which knows who is asking; errors are thrown as the AwsError S3 would answer with.
 */
import type { Readable } from 'node:stream';
import { etagMatches, objectHeaders, parseHttpDate } from './handlers/common';
import { s3Errors } from './errors';
import { checkReadable } from './storage-class';
import { StaleRecordError, type BucketStore, type ObjectRecord } from './store';

/** Conditional request headers, dates already parsed (an unparseable date is absent, as S3 ignores it). */
export interface ReadConditions {
  readonly ifMatch?: string;
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: number;
  readonly ifUnmodifiedSince?: number;
}

export interface ObjectReadRequest {
  readonly store: BucketStore;
  readonly key: string;
  /** HEAD answers the same status and headers without reading the bytes (and even for archived objects). */
  readonly head: boolean;
  readonly conditions: ReadConditions;
  /** The Range header as sent. */
  readonly range: string | undefined;
  readonly now: Date;
  /** Whether the caller could have listed the key: a missing key is NoSuchKey then, AccessDenied otherwise. */
  mayList(): boolean;
  /** Checks of the caller's own on the found record (a version id, say), before anything is read. */
  check?(record: ObjectRecord): void;
}

export interface ObjectRead {
  readonly record: ObjectRecord;
  readonly status: 200 | 206 | 304;
  readonly headers: Record<string, string | undefined>;
  readonly body?: Buffer;
  readonly stream?: Readable;
}

/** Parses the conditional headers S3 honours on reads; `header` looks a request header up by name. */
export function readConditions(header: (name: string) => string | undefined): ReadConditions {
  return {
    ifMatch: header('if-match'),
    ifNoneMatch: header('if-none-match'),
    ifModifiedSince: parseHttpDate(header('if-modified-since')),
    ifUnmodifiedSince: parseHttpDate(header('if-unmodified-since')),
  };
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

export function readObject(request: ObjectReadRequest): Promise<ObjectRead> {
  return retryWhenStale(() => readOnce(request));
}

async function readOnce(request: ObjectReadRequest): Promise<ObjectRead> {
  const record = request.store.get(request.key);
  if (!record) {
    if (!request.mayList()) throw s3Errors.accessDenied();
    throw s3Errors.noSuchKey(request.key);
  }
  request.check?.(record);
  if (!request.head) checkReadable(record.storageClass);

  const headers = objectHeaders(record);
  if (evaluateConditions(request.conditions, record, request.now)) {
    return {
      record,
      status: 304,
      headers: {
        etag: record.etag,
        'last-modified': headers['last-modified'],
        'x-amz-version-id': record.versionId,
      },
    };
  }

  const range = parseRange(request.range, record.size);
  if (range === 'unsatisfiable') throw s3Errors.invalidRange(record.size);
  if (range) {
    headers['content-range'] = `bytes ${range.start}-${range.end}/${record.size}`;
    headers['content-length'] = String(range.end - range.start + 1);
  } else {
    headers['content-length'] = String(record.size);
  }
  const status = range ? 206 : 200;
  if (request.head || record.size === 0) return { record, status, headers };
  const body = await request.store.readSmall(record, range?.start, range?.end);
  if (body) return { record, status, headers, body };
  const stream = await request.store.openRead(record, range?.start, range?.end);
  return { record, status, headers, stream };
}

/** Returns true for 304; throws 412. S3's order: If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since. */
function evaluateConditions(conditions: ReadConditions, record: ObjectRecord, now: Date): boolean {
  const lastModified = Math.floor(new Date(record.lastModified).getTime() / 1000) * 1000;
  const { ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince } = conditions;
  if (ifMatch !== undefined && !etagMatches(ifMatch, record.etag))
    throw s3Errors.preconditionFailed('If-Match');
  if (ifMatch === undefined && ifUnmodifiedSince !== undefined && lastModified > ifUnmodifiedSince) {
    throw s3Errors.preconditionFailed('If-Unmodified-Since');
  }
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch, record.etag);
  if (ifModifiedSince !== undefined && ifModifiedSince <= now.getTime())
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
