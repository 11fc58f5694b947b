import type { S3RequestContext, S3Result } from '../context';
import { s3Errors } from '../errors';
import { checkReadable, requestedStorageClass } from '../storage-class';
import type { ObjectAttributes, ObjectRecord } from '../store';
import {
  attributesFromHeaders,
  checkKeyLength,
  etagMatches,
  newVersionId,
  parseHttpDate,
  writeConditions,
  xmlDate,
} from './common';
import { retryWhenStale } from '../object-read';
import { checkWritePreconditions } from './PutObject';
import { createHash } from 'node:crypto';
import { MAX_PUT_SIZE } from '../body';

/** `x-amz-copy-source: [/]bucket/key[?versionId=...]`, percent-encoded or not (clients differ). */
function parseCopySource(value: string): { bucket: string; key: string; versionId?: string } {
  let source = value.startsWith('/') ? value.slice(1) : value;
  let versionId: string | undefined;
  const q = source.lastIndexOf('?versionId=');
  if (q !== -1) {
    versionId = source.slice(q + '?versionId='.length);
    source = source.slice(0, q);
  }
  let decoded = source;
  try {
    decoded = decodeURIComponent(source);
  } catch {
    // Not valid percent-encoding: the client sent the key raw (e.g. a literal "%").
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw s3Errors.invalidArgument('Invalid copy source object key', 'x-amz-copy-source', value);
  }
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), versionId };
}

export async function copyObject(
  ctx: S3RequestContext,
  sourceStore: (bucket: string) => S3RequestContext['store'] | undefined,
): Promise<S3Result> {
  return retryWhenStale(() => copyObjectOnce(ctx, sourceStore));
}

async function copyObjectOnce(
  ctx: S3RequestContext,
  sourceStore: (bucket: string) => S3RequestContext['store'] | undefined,
): Promise<S3Result> {
  checkKeyLength(ctx.key);
  const source = parseCopySource(ctx.header('x-amz-copy-source')!);
  const store = sourceStore(source.bucket);
  if (!store) throw s3Errors.noSuchBucket(source.bucket);
  ctx.authorize(source.versionId === undefined ? 's3:GetObject' : 's3:GetObjectVersion', {
    bucket: source.bucket,
    key: source.key,
  });
  ctx.authorize('s3:PutObject', { context: writeConditions(ctx) });

  const record = store.get(source.key);
  if (!record) {
    if (!ctx.mayList(source.key, source.bucket)) throw s3Errors.accessDenied();
    throw s3Errors.noSuchKey(source.key);
  }
  if (source.versionId !== undefined && source.versionId !== (record.versionId ?? 'null')) {
    throw s3Errors.noSuchVersion(source.key, source.versionId);
  }
  checkReadable(record.storageClass);
  checkCopySourceConditions(ctx, record);
  if (record.size > MAX_PUT_SIZE) {
    throw s3Errors.invalidRequest(
      'The specified copy source is larger than the maximum allowable size for a copy source: 5368709120',
    );
  }

  const directive = (ctx.header('x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw s3Errors.invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  }
  const tagging = (ctx.header('x-amz-tagging-directive') ?? 'COPY').toUpperCase();
  if (tagging !== 'COPY') throw s3Errors.notImplemented('x-amz-tagging-directive REPLACE');
  // The copy takes the class the request names, STANDARD when it names none (never the source's).
  const storageClass = requestedStorageClass(ctx.req.headers);
  if (
    directive === 'COPY' &&
    store === ctx.store &&
    source.key === ctx.key &&
    (ctx.header('x-amz-storage-class') === undefined || storageClass === record.storageClass)
  ) {
    throw s3Errors.invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const attributes =
    directive === 'REPLACE' ? attributesFromHeaders(ctx) : { ...pickAttributes(record), storageClass };
  checkWritePreconditions(ctx, ctx.store.get(ctx.key));

  const md5 = createHash('md5');
  async function* hashing(readable: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of readable) {
      md5.update(chunk);
      yield chunk;
    }
  }
  const staged = await ctx.store.stage(hashing(await store.openRead(record)));
  const copy = await ctx.store.commit(
    ctx.key,
    staged,
    {
      ...attributes,
      etag: `"${md5.digest('hex')}"`,
      lastModified: ctx.now.toISOString(),
      versionId: newVersionId(ctx),
      checksums: record.partsCount === undefined ? record.checksums : {},
    },
    (current) => checkWritePreconditions(ctx, current),
    ctx.change('ObjectCreated:Copy'),
  );
  return {
    headers: { 'x-amz-version-id': copy.versionId, 'x-amz-copy-source-version-id': record.versionId },
    xml: { root: 'CopyObjectResult', body: { LastModified: xmlDate(copy.lastModified), ETag: copy.etag } },
  };
}

function pickAttributes(record: ObjectRecord): ObjectAttributes {
  return {
    contentType: record.contentType,
    cacheControl: record.cacheControl,
    contentDisposition: record.contentDisposition,
    contentEncoding: record.contentEncoding,
    contentLanguage: record.contentLanguage,
    expires: record.expires,
    userMetadata: record.userMetadata,
  };
}

function checkCopySourceConditions(ctx: S3RequestContext, record: ObjectRecord): void {
  const lastModified = Math.floor(new Date(record.lastModified).getTime() / 1000) * 1000;
  const ifMatch = ctx.header('x-amz-copy-source-if-match');
  const ifNoneMatch = ctx.header('x-amz-copy-source-if-none-match');
  const ifModifiedSince = parseHttpDate(ctx.header('x-amz-copy-source-if-modified-since'));
  const ifUnmodifiedSince = parseHttpDate(ctx.header('x-amz-copy-source-if-unmodified-since'));
  if (ifMatch !== undefined && !etagMatches(ifMatch, record.etag))
    throw s3Errors.preconditionFailed('x-amz-copy-source-If-Match');
  if (ifMatch === undefined && ifUnmodifiedSince !== undefined && lastModified > ifUnmodifiedSince) {
    throw s3Errors.preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  }
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, record.etag)) {
    throw s3Errors.preconditionFailed('x-amz-copy-source-If-None-Match');
  }
  if (ifNoneMatch === undefined && ifModifiedSince !== undefined && lastModified <= ifModifiedSince) {
    throw s3Errors.preconditionFailed('x-amz-copy-source-If-Modified-Since');
  }
}
