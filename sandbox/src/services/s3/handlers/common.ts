import { randomBytes } from 'node:crypto';
import type { S3RequestContext } from '../context';
import { s3Errors } from '../errors';
import type { ObjectAttributes, ObjectRecord } from '../store';
import { CHECKSUM_HEADERS } from '../checksums';
import { requestedStorageClass } from '../storage-class';

const MAX_KEY_BYTES = 1024;

export function checkKeyLength(key: string): void {
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw s3Errors.keyTooLong();
}

/** A version id per write when the bucket is versioned (only the latest version is kept and readable). */
export function newVersionId(ctx: S3RequestContext): string | undefined {
  return ctx.bucket.versioning ? randomBytes(24).toString('base64url') : undefined;
}

/** The object headers S3 stores from a PUT / CreateMultipartUpload / CopyObject with REPLACE. */
export function attributesFromHeaders(ctx: S3RequestContext): ObjectAttributes {
  const userMetadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.req.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) {
      userMetadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
    }
  }
  if (Buffer.byteLength(JSON.stringify(userMetadata)) > 2048 + 64) {
    throw s3Errors.invalidArgument('Your metadata headers exceed the maximum allowed metadata size');
  }
  rejectUnsupportedWriteHeaders(ctx);
  return {
    contentType: ctx.header('content-type') ?? 'application/octet-stream',
    cacheControl: ctx.header('cache-control'),
    contentDisposition: ctx.header('content-disposition'),
    contentEncoding: stripAwsChunked(ctx.header('content-encoding')),
    contentLanguage: ctx.header('content-language'),
    expires: ctx.header('expires'),
    storageClass: requestedStorageClass(ctx.req.headers),
    userMetadata,
  };
}

/** Headers that would change what S3 stores but that the sandbox does not model: refuse rather than ignore. */
function rejectUnsupportedWriteHeaders(ctx: S3RequestContext): void {
  const acl = ctx.header('x-amz-acl');
  if (acl !== undefined && acl !== 'private' && acl !== 'bucket-owner-full-control') {
    throw s3Errors.accessControlListNotSupported();
  }
  for (const name of [
    'x-amz-grant-read',
    'x-amz-grant-write-acp',
    'x-amz-grant-full-control',
    'x-amz-grant-read-acp',
  ]) {
    if (ctx.header(name) !== undefined) throw s3Errors.accessControlListNotSupported();
  }
  if (ctx.header('x-amz-tagging') !== undefined) throw notImplementedHeader('x-amz-tagging');
  if (ctx.header('x-amz-object-lock-mode') !== undefined)
    throw notImplementedHeader('x-amz-object-lock-mode');
  if (ctx.header('x-amz-website-redirect-location') !== undefined)
    throw notImplementedHeader('x-amz-website-redirect-location');
  const sse = ctx.header('x-amz-server-side-encryption');
  if (sse !== undefined && sse !== 'AES256')
    throw notImplementedHeader(`x-amz-server-side-encryption: ${sse}`);
}

function notImplementedHeader(name: string) {
  return s3Errors.notImplemented(`The ${name} header`);
}

function stripAwsChunked(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const rest = value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '' && v.toLowerCase() !== 'aws-chunked');
  return rest.length > 0 ? rest.join(', ') : undefined;
}

/** The headers of GET/HEAD (and of PUT's checksum echo). */
export function objectHeaders(record: ObjectRecord): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {
    etag: record.etag,
    'last-modified': new Date(record.lastModified).toUTCString(),
    'content-type': record.contentType,
    'cache-control': record.cacheControl,
    'content-disposition': record.contentDisposition,
    'content-encoding': record.contentEncoding,
    'content-language': record.contentLanguage,
    expires: record.expires,
    'accept-ranges': 'bytes',
    'x-amz-version-id': record.versionId,
    // S3 names the class on GET/HEAD only when it is not STANDARD.
    'x-amz-storage-class': record.storageClass,
  };
  for (const [name, value] of Object.entries(record.userMetadata)) headers[`x-amz-meta-${name}`] = value;
  return headers;
}

export function checksumHeaders(checksums: ObjectRecord['checksums']): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [algorithm, value] of Object.entries(checksums)) {
    headers[CHECKSUM_HEADERS[algorithm as keyof typeof CHECKSUM_HEADERS]] = value;
  }
  return headers;
}

/**
 * The condition keys of a write (s3:PutObject), present when their header is, as on AWS:
 * `s3:x-amz-storage-class`, so a policy can hold uploads to STANDARD, and
 * `s3:RequestObjectTagKeys` (the tag keys of `x-amz-tagging`), so a policy can refuse tags.
 */
export function writeConditions(ctx: S3RequestContext): Record<string, string | string[] | undefined> {
  const tagging = ctx.header('x-amz-tagging');
  return {
    's3:x-amz-storage-class': ctx.header('x-amz-storage-class'),
    's3:RequestObjectTagKeys': tagging === undefined ? undefined : [...new URLSearchParams(tagging).keys()],
  };
}

/** RFC 7232 entity-tag comparison as S3 applies it: quotes optional, `*` matches anything. */
export function etagMatches(condition: string, etag: string): boolean {
  const bare = etag.replace(/"/g, '');
  return condition.split(',').some((c) => {
    const candidate = c.trim().replace(/^W\//, '').replace(/"/g, '');
    return candidate === '*' || candidate === bare;
  });
}

/** A conditional request's date header; S3 ignores one it cannot parse. */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/** The ISO-8601 date S3 writes in XML, with milliseconds. */
export function xmlDate(iso: string): string {
  return new Date(iso).toISOString();
}
