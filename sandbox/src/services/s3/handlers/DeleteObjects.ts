import { AwsError } from '../../../core/errors';
import { hasIntegrityHeader, receiveSmallBody } from '../body';
import type { S3RequestContext, S3Result } from '../context';
import { s3Errors } from '../errors';
import { parseXml, type XmlObject } from '../xml';
import { MAX_KEY_BYTES } from './common';

const MAX_KEYS = 1000;
const BODY_LIMIT = 2 * 1024 * 1024;

/** POST /?delete: each key authorised and reported on its own; a denied key does not fail the batch. */
export async function deleteObjects(ctx: S3RequestContext): Promise<S3Result> {
  if (!hasIntegrityHeader(ctx.req)) {
    throw s3Errors.invalidRequest(
      'Missing required header for this request: Content-MD5 (or an x-amz-checksum-* header)',
    );
  }
  const doc = parseXml((await receiveSmallBody(ctx.req, BODY_LIMIT)).toString('utf8'), 'Delete');
  const objects = (doc.Object as Array<Record<string, unknown>> | undefined) ?? [];
  if (objects.length === 0 || objects.length > MAX_KEYS) throw s3Errors.malformedXml();
  const quiet = String(doc.Quiet ?? 'false').toLowerCase() === 'true';

  const deleted: XmlObject[] = [];
  const errors: XmlObject[] = [];
  for (const object of objects) {
    if (typeof object.Key !== 'string') throw s3Errors.malformedXml();
    const key = object.Key;
    const versionId = typeof object.VersionId === 'string' ? object.VersionId : undefined;
    try {
      if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw s3Errors.keyTooLong();
      ctx.authorize('s3:DeleteObject', { key });
      const existing = ctx.store.get(key);
      if (existing && (versionId === undefined || versionId === (existing.versionId ?? 'null')))
        await ctx.store.delete(key);
      if (!quiet) deleted.push(versionId === undefined ? { Key: key } : { Key: key, VersionId: versionId });
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      errors.push({
        Key: key,
        ...(versionId === undefined ? {} : { VersionId: versionId }),
        Code: err.code,
        Message: err.message,
      });
    }
  }
  return { xml: { root: 'DeleteResult', body: { Deleted: deleted, Error: errors } } };
}
