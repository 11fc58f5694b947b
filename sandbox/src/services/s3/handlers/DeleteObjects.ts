import { AwsError } from '../../../core/errors';
import { hasIntegrityHeader, receiveSmallBody } from '../body';
import type { S3RequestContext, S3Result } from '../context';
import { s3Errors } from '../errors';
import { parseXml, type XmlObject } from '../xml';
import { checkKeyLength } from './common';
import { deleteAction, deleteIfCurrent, removal } from './DeleteObject';

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

  // The whole document is checked before anything is deleted: a malformed entry fails the batch untouched.
  const entries = objects.map((object) => {
    if (typeof object.Key !== 'string') throw s3Errors.malformedXml();
    return {
      key: object.Key,
      versionId: typeof object.VersionId === 'string' ? object.VersionId : undefined,
    };
  });

  const deleted: XmlObject[] = [];
  const errors: XmlObject[] = [];
  for (const { key, versionId } of entries) {
    try {
      checkKeyLength(key);
      ctx.authorize(deleteAction(versionId), { key });
      await deleteIfCurrent(ctx.store, key, versionId, removal(ctx, versionId));
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
