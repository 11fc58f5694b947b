import type { S3RequestContext, S3Result } from '../context';
import { s3Errors } from '../errors';
import { xmlDate } from './common';

export async function listObjectsV2(ctx: S3RequestContext): Promise<S3Result> {
  const q = ctx.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') || undefined;
  const encodingType = q.get('encoding-type');
  if (encodingType !== undefined && encodingType !== 'url') {
    throw s3Errors.invalidArgument(
      'Invalid Encoding Method specified in Request',
      'encoding-type',
      encodingType,
    );
  }
  const maxKeysText = q.get('max-keys');
  if (maxKeysText !== undefined && !/^\d+$/.test(maxKeysText)) {
    throw s3Errors.invalidArgument(
      'Provided max-keys not an integer or within integer range',
      'max-keys',
      maxKeysText,
    );
  }
  const maxKeys = Math.min(maxKeysText === undefined ? 1000 : Number(maxKeysText), 1000);
  ctx.authorize('s3:ListBucket', {
    context: { 's3:prefix': q.get('prefix'), 's3:delimiter': q.get('delimiter'), 's3:max-keys': maxKeysText },
  });
  // Objects have no owner but the account in the sandbox; answering with a made-up canonical id would mislead.
  if (q.get('fetch-owner') === 'true') throw s3Errors.notImplemented('ListObjectsV2 with fetch-owner=true');
  const token = q.get('continuation-token');
  const startAfter = q.get('start-after');
  const result = ctx.store.list({
    prefix,
    delimiter,
    startAfter: startAfter || undefined,
    continueFrom: token === undefined ? undefined : decodeContinuationToken(token),
    maxKeys,
  });
  const encode = encodingType === 'url' ? urlEncode : (s: string) => s;
  return {
    xml: {
      root: 'ListBucketResult',
      body: {
        Name: ctx.bucket.name,
        Prefix: encode(prefix),
        ...(delimiter !== undefined ? { Delimiter: encode(delimiter) } : {}),
        MaxKeys: maxKeys,
        KeyCount: result.contents.length + result.commonPrefixes.length,
        IsTruncated: result.isTruncated,
        ...(encodingType ? { EncodingType: encodingType } : {}),
        ...(token !== undefined ? { ContinuationToken: token } : {}),
        ...(result.continueFrom !== undefined
          ? { NextContinuationToken: encodeContinuationToken(result.continueFrom) }
          : {}),
        ...(startAfter ? { StartAfter: encode(startAfter) } : {}),
        Contents: result.contents.map((r) => ({
          Key: encode(r.key),
          LastModified: xmlDate(r.lastModified),
          ETag: r.etag,
          ...Object.fromEntries(Object.keys(r.checksums).map((a) => ['ChecksumAlgorithm', a])),
          Size: r.size,
          StorageClass: r.storageClass ?? 'STANDARD',
        })),
        CommonPrefixes: result.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
      },
    },
  };
}

/** The form-urlencoded flavour S3 uses for encoding-type=url (space as "+"); clients decode it that way. */
function urlEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

const TOKEN_PREFIX = 'sbx1:';

function encodeContinuationToken(key: string): string {
  return Buffer.from(TOKEN_PREFIX + key, 'utf8').toString('base64');
}

function decodeContinuationToken(token: string): string {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith(TOKEN_PREFIX)) {
    throw s3Errors.invalidArgument(
      'The continuation token provided is incorrect',
      'continuation-token',
      token,
    );
  }
  return text.slice(TOKEN_PREFIX.length);
}

export async function headBucket(ctx: S3RequestContext): Promise<S3Result> {
  ctx.authorize('s3:ListBucket');
  return { headers: { 'x-amz-bucket-region': ctx.bucket.region, 'x-amz-access-point-alias': 'false' } };
}

export async function getBucketLocation(ctx: S3RequestContext): Promise<S3Result> {
  ctx.authorize('s3:GetBucketLocation');
  // us-east-1 is the empty LocationConstraint, as S3 answers.
  return {
    xml: {
      root: 'LocationConstraint',
      body: { '#text': ctx.bucket.region === 'us-east-1' ? '' : ctx.bucket.region },
    },
  };
}
