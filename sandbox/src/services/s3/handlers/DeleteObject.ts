import type { S3RequestContext, S3Result } from '../context';
import type { BucketStore, ChangeRequest } from '../store';
import { checkKeyLength, newVersionId } from './common';

/** 204 whether or not the key existed (S3's DeleteObject is idempotent). */
export async function deleteObject(ctx: S3RequestContext): Promise<S3Result> {
  checkKeyLength(ctx.key);
  const versionId = ctx.query.get('versionId');
  ctx.authorize(deleteAction(versionId));
  await deleteIfCurrent(ctx.store, ctx.key, versionId, removal(ctx, versionId));
  return { status: 204, headers: versionId !== undefined ? { 'x-amz-version-id': versionId } : {} };
}

/** Deleting by version id removes that version for good, so AWS asks for s3:DeleteObjectVersion. */
export function deleteAction(versionId: string | undefined): string {
  return versionId === undefined ? 's3:DeleteObject' : 's3:DeleteObjectVersion';
}

/**
 * The event a delete causes: in a versioned bucket, a delete without a version id is a new delete
 * marker on AWS (the sandbox keeps only the latest version, so the object is gone either way).
 */
export function removal(ctx: S3RequestContext, versionId: string | undefined): ChangeRequest {
  return ctx.bucket.versioning && versionId === undefined
    ? ctx.change('ObjectRemoved:DeleteMarkerCreated', newVersionId(ctx))
    : ctx.change('ObjectRemoved:Delete', versionId);
}

/** Only the latest version is kept: deleting another version id finds nothing to delete. */
export async function deleteIfCurrent(
  store: BucketStore,
  key: string,
  versionId: string | undefined,
  request: ChangeRequest,
): Promise<void> {
  const existing = store.get(key);
  if (existing && (versionId === undefined || versionId === (existing.versionId ?? 'null'))) {
    await store.delete(key, request);
  }
}
