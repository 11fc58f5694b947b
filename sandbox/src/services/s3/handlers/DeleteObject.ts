import type { S3RequestContext, S3Result } from '../context';
import { checkKeyLength } from './common';

/** 204 whether or not the key existed (S3's DeleteObject is idempotent). */
export async function deleteObject(ctx: S3RequestContext): Promise<S3Result> {
  checkKeyLength(ctx.key);
  ctx.authorize('s3:DeleteObject');
  const versionId = ctx.query.get('versionId');
  const existing = ctx.store.get(ctx.key);
  // Only the latest version is kept: deleting another version id finds nothing to delete.
  if (existing && (versionId === undefined || versionId === (existing.versionId ?? 'null'))) {
    await ctx.store.delete(ctx.key);
  }
  return { status: 204, headers: versionId !== undefined ? { 'x-amz-version-id': versionId } : {} };
}
