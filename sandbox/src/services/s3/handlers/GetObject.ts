import type { S3RequestContext, S3Result } from '../context';
import { s3Errors } from '../errors';
import { readConditions, readObject } from '../object-read';
import { checksumHeaders } from './common';

const RESPONSE_OVERRIDES: ReadonlyArray<readonly [string, string]> = [
  ['response-content-type', 'content-type'],
  ['response-content-language', 'content-language'],
  ['response-expires', 'expires'],
  ['response-cache-control', 'cache-control'],
  ['response-content-disposition', 'content-disposition'],
  ['response-content-encoding', 'content-encoding'],
];

/** GetObject and HeadObject: the shared object read plus what only S3 adds (version ids, response-* overrides, checksums). */
export async function getObject(ctx: S3RequestContext, head: boolean): Promise<S3Result> {
  if (ctx.query.has('partNumber')) throw s3Errors.notImplemented('GetObject with partNumber');
  const versionId = ctx.query.get('versionId');
  // Reading by version id is its own permission on AWS: a grant of s3:GetObject does not cover it.
  ctx.authorize(versionId === undefined ? 's3:GetObject' : 's3:GetObjectVersion');
  const overrides = RESPONSE_OVERRIDES.flatMap(([param, name]) => {
    const value = ctx.query.get(param);
    return value === undefined ? [] : [[name, value] as const];
  });

  const read = await readObject({
    store: ctx.store,
    key: ctx.key,
    head,
    conditions: readConditions(ctx.header),
    range: ctx.header('range'),
    now: ctx.now,
    mayList: () => ctx.mayList(ctx.key),
    check: (record) => {
      if (versionId !== undefined && versionId !== (record.versionId ?? 'null'))
        throw s3Errors.noSuchVersion(ctx.key, versionId);
      if (overrides.length > 0 && ctx.auth.kind === 'anonymous') {
        throw s3Errors.invalidRequest(
          'Request specific response headers cannot be used for anonymous GET requests.',
        );
      }
    },
  });
  if (read.status === 304) return read;

  const { record, headers } = read;
  for (const [name, value] of overrides) headers[name] = value;
  if (
    read.status === 200 &&
    ctx.header('x-amz-checksum-mode')?.toUpperCase() === 'ENABLED' &&
    record.partsCount === undefined
  ) {
    Object.assign(headers, checksumHeaders(record.checksums));
    if (Object.keys(record.checksums).length > 0) headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  if (record.partsCount !== undefined) headers['x-amz-mp-parts-count'] = String(record.partsCount);
  return read;
}
