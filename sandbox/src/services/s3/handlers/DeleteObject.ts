import type { S3RequestContext, S3Result } from '../context';
import type { BucketStore } from '../store';
import { checkKeyLength } from './common';

/** 204 whether or not the key existed (S3's DeleteObject is idempotent). */
export async function deleteObject(ctx: S3RequestContext): Promise<S3Result> {
  checkKeyLength(ctx.key);
  const versionId = ctx.query.get('versionId');
  ctx.authorize(deleteAction(versionId));
  await deleteIfCurrent(ctx.store, ctx.key, versionId);
  return { status: 204, headers: versionId !== undefined ? { 'x-amz-version-id': versionId } : {} };
}

/** Deleting by version id removes that version for good, so AWS asks for s3:DeleteObjectVersion. */
export function deleteAction(versionId: string | undefined): string {
  return versionId === undefined ? 's3:DeleteObject' : 's3:DeleteObjectVersion';
}

/** Only the latest version is kept: deleting another version id finds nothing to delete. */
export async function deleteIfCurrent(
  store: BucketStore,
  key: string,
  versionId: string | undefined,
): Promise<void> {
  const existing = store.get(key);
  if (existing && (versionId === undefined || versionId === (existing.versionId ?? 'null'))) {
    await store.delete(key);
  }
}
