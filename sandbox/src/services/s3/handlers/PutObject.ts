import { receiveBody } from '../body';
import type { S3RequestContext, S3Result } from '../context';
import { s3Errors } from '../errors';
import type { ObjectRecord } from '../store';
import {
  attributesFromHeaders,
  checkKeyLength,
  checksumHeaders,
  etagMatches,
  newVersionId,
  writeConditions,
} from './common';

export async function putObject(ctx: S3RequestContext): Promise<S3Result> {
  checkKeyLength(ctx.key);
  ctx.authorize('s3:PutObject', { context: writeConditions(ctx) });
  const attributes = attributesFromHeaders(ctx);
  // Checked before the body too, so that a refused write does not upload it first.
  checkWritePreconditions(ctx, ctx.store.get(ctx.key));
  const body = await receiveBody(ctx.req, ctx.auth, ctx.store);
  const record = await ctx.store.commit(
    ctx.key,
    body.staged,
    {
      ...attributes,
      etag: `"${body.md5Hex}"`,
      lastModified: ctx.now.toISOString(),
      versionId: newVersionId(ctx),
      checksums: body.checksums,
    },
    (current) => checkWritePreconditions(ctx, current),
    ctx.change('ObjectCreated:Put'),
  );
  return {
    headers: {
      etag: record.etag,
      'x-amz-version-id': record.versionId,
      ...checksumHeaders(record.checksums),
    },
  };
}

/**
 * Conditional writes: If-None-Match: * (create only) and If-Match: <etag> (replace only that version),
 * against `existing`, the key's current record.
 */
export function checkWritePreconditions(ctx: S3RequestContext, existing: ObjectRecord | undefined): void {
  const ifNoneMatch = ctx.header('if-none-match');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') throw s3Errors.notImplemented('If-None-Match with an ETag on writes');
    if (existing) throw s3Errors.preconditionFailed('If-None-Match');
  }
  const ifMatch = ctx.header('if-match');
  if (ifMatch !== undefined) {
    if (!existing) throw s3Errors.noSuchKey(ctx.key);
    if (!etagMatches(ifMatch, existing.etag)) throw s3Errors.preconditionFailed('If-Match');
  }
}
