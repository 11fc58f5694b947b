import { createHash } from 'node:crypto';
import { receiveBody, receiveSmallBody } from '../body';
import { CHECKSUM_HEADERS, createChecksum, type ChecksumAlgorithm } from '../checksums';
import type { S3RequestContext, S3Result } from '../context';
import { s3Errors } from '../errors';
import { MIN_PART_SIZE, compareKeys, type PartRecord, type UploadRecord } from '../store';
import { parseXml, type XmlObject } from '../xml';
import {
  attributesFromHeaders,
  checkKeyLength,
  checksumHeaders,
  newVersionId,
  writeConditions,
  xmlDate,
} from './common';
import { checkWritePreconditions } from './PutObject';

const MAX_PART_NUMBER = 10_000;
const COMPLETE_BODY_LIMIT = 4 * 1024 * 1024;
const CHECKSUM_XML: Readonly<Record<ChecksumAlgorithm, string>> = {
  CRC32: 'ChecksumCRC32',
  CRC32C: 'ChecksumCRC32C',
  SHA1: 'ChecksumSHA1',
  SHA256: 'ChecksumSHA256',
};

/** Checksums as the XML elements ListParts and CompleteMultipartUpload answer with. */
function checksumElements(checksums: Partial<Record<ChecksumAlgorithm, string>>): XmlObject {
  const elements: XmlObject = {};
  for (const [algorithm, value] of Object.entries(checksums))
    elements[CHECKSUM_XML[algorithm as ChecksumAlgorithm]] = value;
  return elements;
}

export async function createMultipartUpload(ctx: S3RequestContext): Promise<S3Result> {
  checkKeyLength(ctx.key);
  ctx.authorize('s3:PutObject', { context: writeConditions(ctx) });
  const attributes = attributesFromHeaders(ctx);
  const algorithm = ctx.header('x-amz-checksum-algorithm')?.toUpperCase();
  if (algorithm !== undefined && !(algorithm in CHECKSUM_HEADERS)) {
    if (algorithm === 'CRC64NVME') throw s3Errors.notImplemented('The CRC64NVME checksum');
    throw s3Errors.invalidRequest(`Checksum algorithm ${algorithm} is not supported.`);
  }
  const upload = await ctx.store.createUpload(
    ctx.key,
    attributes,
    ctx.now,
    algorithm as ChecksumAlgorithm | undefined,
  );
  return {
    headers: algorithm ? { 'x-amz-checksum-algorithm': algorithm, 'x-amz-checksum-type': 'COMPOSITE' } : {},
    xml: {
      root: 'InitiateMultipartUploadResult',
      body: { Bucket: ctx.bucket.name, Key: ctx.key, UploadId: upload.uploadId },
    },
  };
}

export async function uploadPart(ctx: S3RequestContext): Promise<S3Result> {
  if (ctx.header('x-amz-copy-source') !== undefined) throw s3Errors.notImplemented('UploadPartCopy');
  const partNumber = parsePartNumber(ctx.query.get('partNumber'));
  ctx.authorize('s3:PutObject');
  const upload = ctx.store.getUpload(ctx.query.get('uploadId') ?? '', ctx.key);
  const body = await receiveBody(ctx.req, ctx.auth, ctx.store, {
    uploadId: upload.uploadId,
    checksumAlgorithm: upload.checksumAlgorithm,
  });
  const part = await ctx.store.commitPart(upload, body.staged, {
    partNumber,
    etag: `"${body.md5Hex}"`,
    lastModified: ctx.now.toISOString(),
    checksums: body.checksums,
  });
  return { headers: { etag: part.etag, ...checksumHeaders(part.checksums) } };
}

export async function completeMultipartUpload(ctx: S3RequestContext): Promise<S3Result> {
  ctx.authorize('s3:PutObject');
  const upload = ctx.store.getUpload(ctx.query.get('uploadId') ?? '', ctx.key);
  const doc = parseXml(
    (await receiveSmallBody(ctx.req, COMPLETE_BODY_LIMIT)).toString('utf8'),
    'CompleteMultipartUpload',
  );
  const requested = (doc.Part as Array<Record<string, unknown>> | undefined) ?? [];
  if (requested.length === 0 || requested.length > MAX_PART_NUMBER) throw s3Errors.malformedXml();

  const parts: PartRecord[] = [];
  let previous = 0;
  for (const entry of requested) {
    if (
      typeof entry.PartNumber !== 'string' ||
      !/^\d+$/.test(entry.PartNumber) ||
      typeof entry.ETag !== 'string'
    ) {
      throw s3Errors.malformedXml();
    }
    const partNumber = Number(entry.PartNumber);
    if (partNumber <= previous) throw s3Errors.invalidPartOrder();
    previous = partNumber;
    const part = upload.parts.get(partNumber);
    if (!part || part.etag.replace(/"/g, '') !== entry.ETag.replace(/"/g, '').trim())
      throw s3Errors.invalidPart();
    parts.push(part);
  }
  parts.forEach((part, i) => {
    if (i < parts.length - 1 && part.size < MIN_PART_SIZE) throw s3Errors.entityTooSmall();
  });
  checkWritePreconditions(ctx, ctx.store.get(ctx.key));

  const md5 = createHash('md5');
  for (const part of parts) md5.update(Buffer.from(part.etag.replace(/"/g, ''), 'hex'));
  const etag = `"${md5.digest('hex')}-${parts.length}"`;
  const checksums = compositeChecksum(upload, parts);
  const record = await ctx.store.completeUpload(
    upload,
    parts,
    {
      etag,
      lastModified: ctx.now.toISOString(),
      versionId: newVersionId(ctx),
      checksums,
      partsCount: parts.length,
    },
    (current) => checkWritePreconditions(ctx, current),
    ctx.change('ObjectCreated:CompleteMultipartUpload'),
  );
  return {
    headers: { 'x-amz-version-id': record.versionId },
    xml: {
      root: 'CompleteMultipartUploadResult',
      body: {
        Location: `https://${ctx.bucket.name}.s3.${ctx.bucket.region}.amazonaws.com/${encodeURIComponent(ctx.key).replace(/%2F/g, '/')}`,
        Bucket: ctx.bucket.name,
        Key: ctx.key,
        ETag: etag,
        ...checksumElements(checksums),
      },
    },
  };
}

/** S3's multipart checksum: the algorithm over the concatenated part checksums, suffixed with the part count. */
function compositeChecksum(
  upload: UploadRecord,
  parts: readonly PartRecord[],
): Partial<Record<ChecksumAlgorithm, string>> {
  const algorithm = upload.checksumAlgorithm;
  if (!algorithm || parts.some((p) => p.checksums[algorithm] === undefined)) return {};
  const checksum = createChecksum(algorithm);
  for (const part of parts) checksum.update(Buffer.from(part.checksums[algorithm]!, 'base64'));
  return { [algorithm]: `${checksum.digestBase64()}-${parts.length}` };
}

export async function abortMultipartUpload(ctx: S3RequestContext): Promise<S3Result> {
  ctx.authorize('s3:AbortMultipartUpload');
  const upload = ctx.store.getUpload(ctx.query.get('uploadId') ?? '', ctx.key);
  await ctx.store.abortUpload(upload);
  return { status: 204 };
}

export async function listParts(ctx: S3RequestContext): Promise<S3Result> {
  ctx.authorize('s3:ListMultipartUploadParts');
  const upload = ctx.store.getUpload(ctx.query.get('uploadId') ?? '', ctx.key);
  const maxParts = parseLimit(ctx.query.get('max-parts'), 'max-parts');
  const marker = Number(ctx.query.get('part-number-marker') ?? '0');
  if (!Number.isInteger(marker) || marker < 0) {
    throw s3Errors.invalidArgument(
      'Provided part-number-marker not an integer or within integer range',
      'part-number-marker',
    );
  }
  const all = [...upload.parts.values()]
    .filter((p) => p.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  const page = all.slice(0, maxParts);
  const truncated = all.length > page.length;
  return {
    xml: {
      root: 'ListPartsResult',
      body: {
        Bucket: ctx.bucket.name,
        Key: upload.key,
        UploadId: upload.uploadId,
        PartNumberMarker: marker,
        NextPartNumberMarker: page.length > 0 ? page[page.length - 1]!.partNumber : marker,
        MaxParts: maxParts,
        IsTruncated: truncated,
        ...(upload.checksumAlgorithm ? { ChecksumAlgorithm: upload.checksumAlgorithm } : {}),
        Part: page.map((p) => ({
          PartNumber: p.partNumber,
          LastModified: xmlDate(p.lastModified),
          ETag: p.etag,
          Size: p.size,
          ...checksumElements(p.checksums),
        })),
        StorageClass: upload.attributes.storageClass ?? 'STANDARD',
      },
    },
  };
}

export async function listMultipartUploads(ctx: S3RequestContext): Promise<S3Result> {
  ctx.authorize('s3:ListBucketMultipartUploads', { context: { 's3:prefix': ctx.query.get('prefix') } });
  const prefix = ctx.query.get('prefix') ?? '';
  const maxUploads = parseLimit(ctx.query.get('max-uploads'), 'max-uploads');
  const keyMarker = ctx.query.get('key-marker');
  const uploadIdMarker = ctx.query.get('upload-id-marker');
  const all = ctx.store.listUploads().filter((u) => {
    if (!u.key.startsWith(prefix)) return false;
    if (keyMarker === undefined) return true;
    const order = compareKeys(u.key, keyMarker);
    if (order !== 0) return order > 0;
    return uploadIdMarker !== undefined && u.uploadId > uploadIdMarker;
  });
  const page = all.slice(0, maxUploads);
  const last = page[page.length - 1];
  const truncated = all.length > page.length;
  return {
    xml: {
      root: 'ListMultipartUploadsResult',
      body: {
        Bucket: ctx.bucket.name,
        KeyMarker: keyMarker ?? '',
        UploadIdMarker: uploadIdMarker ?? '',
        ...(truncated && last ? { NextKeyMarker: last.key, NextUploadIdMarker: last.uploadId } : {}),
        Prefix: prefix,
        MaxUploads: maxUploads,
        IsTruncated: truncated,
        Upload: page.map((u) => ({
          Key: u.key,
          UploadId: u.uploadId,
          Initiated: xmlDate(u.initiated),
          StorageClass: u.attributes.storageClass ?? 'STANDARD',
        })),
      },
    },
  };
}

function parsePartNumber(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n < 1 || n > MAX_PART_NUMBER) {
    throw s3Errors.invalidArgument(
      'Part number must be an integer between 1 and 10000, inclusive',
      'partNumber',
      value ?? '',
    );
  }
  return n;
}

function parseLimit(value: string | undefined, name: string): number {
  if (value === undefined) return 1000;
  if (!/^\d+$/.test(value))
    throw s3Errors.invalidArgument(`Provided ${name} not an integer or within integer range`, name, value);
  return Math.min(Number(value), 1000);
}
