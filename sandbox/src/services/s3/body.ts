import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { notImplemented } from '../../core/errors';
import { AwsChunkedDecoder } from './aws-chunked';
import {
  CHECKSUM_HEADERS,
  checksumAlgorithmOfHeader,
  createChecksum,
  type ChecksumAlgorithm,
} from './checksums';
import { s3Errors } from './errors';
import {
  header,
  STREAMING_SIGNED,
  STREAMING_SIGNED_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
  type Authentication,
} from './sigv4';
import { BodySession, type WorkerAlgorithm } from './body-workers';
import type { BucketStore, StagedData } from './store';

/** The largest body one PUT (object or part) may carry. */
export const MAX_PUT_SIZE = 5 * 1024 * 1024 * 1024;
const OFFLOAD_MIN_BYTES = 1024 * 1024;

export interface ReceivedBody {
  readonly staged: StagedData;
  readonly md5Hex: string;
  /** Checksums the client sent (header or trailer) or asked for, all verified. */
  readonly checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

/**
 * Streams a request body to a staged file while hashing it, then checks every digest the client
 * declared: x-amz-content-sha256, Content-MD5, x-amz-checksum-* (as a header or an aws-chunked
 * trailer). A staged body that fails a check is deleted before the error is thrown.
 */
export async function receiveBody(
  req: IncomingMessage,
  auth: Authentication,
  store: BucketStore,
  options: { uploadId?: string; checksumAlgorithm?: ChecksumAlgorithm } = {},
): Promise<ReceivedBody> {
  const payloadHash =
    auth.kind === 'signed'
      ? auth.payloadHash
      : (header(req.headers, 'x-amz-content-sha256') ?? 'UNSIGNED-PAYLOAD');
  if (payloadHash === STREAMING_SIGNED_TRAILER)
    throw notImplemented('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER bodies');
  if (
    header(req.headers, 'x-amz-checksum-crc64nvme') !== undefined ||
    /crc64nvme/i.test(header(req.headers, 'x-amz-trailer') ?? '')
  ) {
    throw notImplemented('The CRC64NVME checksum');
  }
  const chunked =
    payloadHash === STREAMING_UNSIGNED_TRAILER ||
    payloadHash === STREAMING_SIGNED ||
    /aws-chunked/i.test(header(req.headers, 'content-encoding') ?? '');
  const declaredText = chunked
    ? header(req.headers, 'x-amz-decoded-content-length')
    : header(req.headers, 'content-length');
  if (declaredText === undefined && (chunked || header(req.headers, 'transfer-encoding') === undefined))
    throw s3Errors.missingContentLength();
  const declared = declaredText === undefined ? undefined : Number(declaredText);
  if (declared !== undefined && (!Number.isSafeInteger(declared) || declared < 0))
    throw s3Errors.missingContentLength();
  if (declared !== undefined && declared > MAX_PUT_SIZE) throw s3Errors.entityTooLarge();

  const contentMd5 = header(req.headers, 'content-md5');
  if (contentMd5 !== undefined && !isBase64Md5(contentMd5)) throw s3Errors.invalidDigest();

  const expected = expectedChecksum(req, options.checksumAlgorithm);
  const verifySha256 = /^[0-9a-f]{64}$/.test(payloadHash);
  const decoder = chunked
    ? new AwsChunkedDecoder(
        payloadHash === STREAMING_SIGNED && auth.kind === 'signed' ? auth.chunkVerifier() : undefined,
      )
    : undefined;
  const source: AsyncIterable<Buffer> = decoder ? decoder.decode(req) : req;
  let size = 0;
  const counted = (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_PUT_SIZE) throw s3Errors.entityTooLarge();
  };

  let staged: StagedData;
  let md5Hex: string;
  let sha256Hex: string | undefined;
  let checksumValue: (() => string) | undefined;
  if (declared !== undefined && declared >= OFFLOAD_MIN_BYTES) {
    // Large bodies: hashed and written by a worker thread (body-workers.ts).
    const plan = workerPlan(verifySha256, expected?.algorithm);
    // CRC32C has no native implementation a worker could run: it stays on this thread.
    const here = expected && plan.checksum === undefined ? createChecksum(expected.algorithm) : undefined;
    let digests: string[] = [];
    staged = await store.stageFile(options.uploadId, async (fd) => {
      const session = new BodySession(plan.algorithms, fd);
      try {
        for await (const chunk of source) {
          counted(chunk);
          here?.update(chunk);
          const behind = session.write(chunk);
          if (behind) await behind;
        }
      } catch (err) {
        await session.abort();
        throw err;
      }
      digests = await session.finish();
      return size;
    });
    md5Hex = digests[0]!;
    sha256Hex = plan.sha256 === undefined ? undefined : digests[plan.sha256];
    const workerChecksum = plan.checksum === undefined ? undefined : digests[plan.checksum];
    if (here) checksumValue = () => here.digestBase64();
    else if (workerChecksum !== undefined)
      checksumValue = () => Buffer.from(workerChecksum, 'hex').toString('base64');
  } else {
    // Small bodies are cheaper to hash here than to hand over.
    const md5 = createHash('md5');
    const sha256 = verifySha256 ? createHash('sha256') : undefined;
    const checksum = expected ? createChecksum(expected.algorithm) : undefined;
    async function* hashing(): AsyncGenerator<Buffer> {
      for await (const chunk of source) {
        counted(chunk);
        md5.update(chunk);
        sha256?.update(chunk);
        checksum?.update(chunk);
        yield chunk;
      }
    }
    staged = await store.stage(hashing(), options.uploadId);
    md5Hex = md5.digest('hex');
    sha256Hex = sha256?.digest('hex');
    checksumValue = checksum && (() => checksum.digestBase64());
  }
  try {
    if (declared !== undefined && size !== declared) throw s3Errors.incompleteBody();
    if (verifySha256 && sha256Hex !== payloadHash)
      throw s3Errors.sha256Mismatch(payloadHash, sha256Hex ?? '');
    if (contentMd5 !== undefined && Buffer.from(md5Hex, 'hex').toString('base64') !== contentMd5)
      throw s3Errors.badDigest();
    const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
    if (expected && checksumValue) {
      const computed = checksumValue();
      const claimed = expected.fromTrailer
        ? decoder?.trailers.get(CHECKSUM_HEADERS[expected.algorithm])
        : expected.value;
      if (expected.fromTrailer && claimed === undefined) {
        throw s3Errors.invalidRequest(
          `The trailer ${CHECKSUM_HEADERS[expected.algorithm]} was declared but not sent.`,
        );
      }
      if (claimed !== undefined && claimed !== computed) throw s3Errors.checksumMismatch(expected.algorithm);
      checksums[expected.algorithm] = computed;
    }
    return { staged, md5Hex, checksums };
  } catch (err) {
    await store.discard(staged);
    throw err;
  }
}

/**
 * What a body worker computes: MD5 always (the ETag), SHA-256 to verify x-amz-content-sha256, and
 * the x-amz-checksum-* algorithm when it has a native implementation. One SHA-256 serves both.
 */
function workerPlan(
  verifySha256: boolean,
  checksum: ChecksumAlgorithm | undefined,
): { algorithms: WorkerAlgorithm[]; sha256?: number; checksum?: number } {
  const algorithms: WorkerAlgorithm[] = ['md5'];
  const sha256 = verifySha256 ? algorithms.push('sha256') - 1 : undefined;
  let index: number | undefined;
  if (checksum === 'SHA256') index = sha256 ?? algorithms.push('sha256') - 1;
  else if (checksum === 'SHA1') index = algorithms.push('sha1') - 1;
  else if (checksum === 'CRC32') index = algorithms.push('crc32') - 1;
  return { algorithms, sha256, checksum: index };
}

/** Reads a small XML body (CompleteMultipartUpload, Delete), verifying Content-MD5 / x-amz-checksum-*. */
export async function receiveSmallBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw s3Errors.malformedXml();
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  const contentMd5 = header(req.headers, 'content-md5');
  if (contentMd5 !== undefined) {
    if (!isBase64Md5(contentMd5)) throw s3Errors.invalidDigest();
    if (createHash('md5').update(body).digest('base64') !== contentMd5) throw s3Errors.badDigest();
  }
  const expected = expectedChecksum(req, undefined);
  if (expected && !expected.fromTrailer) {
    const checksum = createChecksum(expected.algorithm);
    checksum.update(body);
    if (checksum.digestBase64() !== expected.value) throw s3Errors.checksumMismatch(expected.algorithm);
  }
  return body;
}

export function hasIntegrityHeader(req: IncomingMessage): boolean {
  return (
    header(req.headers, 'content-md5') !== undefined ||
    Object.values(CHECKSUM_HEADERS).some((h) => req.headers[h] !== undefined)
  );
}

function isBase64Md5(value: string): boolean {
  return /^[A-Za-z0-9+/]{22}==$/.test(value);
}

type ExpectedChecksum =
  | { algorithm: ChecksumAlgorithm; fromTrailer: false; value: string | undefined }
  | { algorithm: ChecksumAlgorithm; fromTrailer: true };

/** Which checksum to compute: one sent as a header, one announced in x-amz-trailer, or one only named. */
function expectedChecksum(
  req: IncomingMessage,
  uploadAlgorithm: ChecksumAlgorithm | undefined,
): ExpectedChecksum | undefined {
  const sent = Object.entries(CHECKSUM_HEADERS).filter(([, name]) => req.headers[name] !== undefined);
  if (sent.length > 1)
    throw s3Errors.invalidRequest(
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  if (sent.length === 1) {
    const [algorithm, name] = sent[0]! as [ChecksumAlgorithm, string];
    return { algorithm, fromTrailer: false, value: header(req.headers, name) };
  }
  const trailer = header(req.headers, 'x-amz-trailer');
  if (trailer !== undefined) {
    const algorithm = checksumAlgorithmOfHeader(trailer.trim());
    if (!algorithm) throw s3Errors.invalidRequest(`Unsupported trailer ${trailer}.`);
    return { algorithm, fromTrailer: true };
  }
  const named = (header(req.headers, 'x-amz-sdk-checksum-algorithm') ?? uploadAlgorithm)?.toUpperCase();
  if (named === undefined) return undefined;
  if (!(named in CHECKSUM_HEADERS)) {
    throw s3Errors.invalidRequest(
      `Checksum algorithm ${named} is not supported; use CRC32, CRC32C, SHA1 or SHA256.`,
    );
  }
  return { algorithm: named as ChecksumAlgorithm, fromTrailer: false, value: undefined };
}
