import type { IncomingMessage } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Clock } from '../../core/clock';
import type { CredentialStore, SessionCredentials } from '../../core/credentials';
import { AwsError } from '../../core/errors';
import { constantTimeEqual, expectedHeaderSignature, parseAmzDate, Sha256 } from '../../core/sigv4';
import type { ChunkSignatureVerifier } from './aws-chunked';
import { s3Errors } from './errors';

/**
 * SigV4 verification for S3: parse the Authorization header (or the presigned query), look the
 * access key up, then let @smithy/signature-v4 recompute the signature over what the client really
 * signed (the original host, raw path and query) and compare in constant time.
 */

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
export const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
const ALGORITHM = 'AWS4-HMAC-SHA256';

/** The presigned query's own parameters: not part of the canonical query the signature covers. */
const PRESIGN_PARAMS: ReadonlySet<string> = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
]);

export interface SignedRequest {
  readonly method: string;
  /** The host the client signed (the original one when the request was rerouted). */
  readonly host: string;
  readonly rawPath: string;
  /** Decoded query pairs as sent, in order. */
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly headers: IncomingMessage['headers'];
}

export type Authentication =
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'signed';
      readonly credentials: SessionCredentials;
      /** The x-amz-content-sha256 value the signature covers (UNSIGNED-PAYLOAD for presigned URLs). */
      readonly payloadHash: string;
      readonly presigned: boolean;
      /** For STREAMING-AWS4-HMAC-SHA256-PAYLOAD bodies: checks each chunk's signature in turn. */
      chunkVerifier(): ChunkSignatureVerifier;
    };

interface ParsedAuth {
  readonly accessKeyId: string;
  readonly date: string; // yyyymmdd
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  readonly amzDate: string; // yyyymmddThhmmssZ
  readonly sessionToken: string | undefined;
  readonly expiresSeconds?: number;
}

export class SigV4Verifier {
  constructor(
    private readonly credentials: CredentialStore,
    private readonly clock: Clock,
  ) {}

  /** Throws the AwsError S3 would answer with; `expectedRegion` is the addressed bucket's region. */
  async authenticate(request: SignedRequest, expectedRegion: string): Promise<Authentication> {
    const authorization = header(request.headers, 'authorization');
    if (usesSigV2(authorization, request.query)) throw s3Errors.sigV2NotSupported();
    const presigned = request.query.some(
      ([name]) => name === 'X-Amz-Signature' || name === 'X-Amz-Credential',
    );
    if (authorization === undefined && !presigned) return { kind: 'anonymous' };
    if (authorization !== undefined && presigned) {
      throw s3Errors.invalidArgument(
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
        'Authorization',
        authorization,
      );
    }
    const parsed =
      authorization !== undefined
        ? parseHeaderAuth(authorization, request.headers)
        : parsePresignedQuery(request.query);
    const now = this.clock.now();
    const requestTime = parseAmzDate(parsed.amzDate);
    if (!requestTime)
      throw s3Errors.accessDenied('AWS authentication requires a valid Date or x-amz-date header');
    if (parsed.date !== parsed.amzDate.slice(0, 8)) {
      throw malformedCredential(
        parsed,
        `Invalid credential date "${parsed.date}". This date is not the same as X-Amz-Date: "${parsed.amzDate.slice(0, 8)}".`,
      );
    }
    if (parsed.service !== 's3')
      throw malformedCredential(
        parsed,
        `The authorization header is malformed; incorrect service "${parsed.service}". This endpoint belongs to "s3".`,
      );
    if (parsed.region !== expectedRegion) {
      throw malformedCredential(
        parsed,
        `The authorization header is malformed; the region '${parsed.region}' is wrong; expecting '${expectedRegion}'`,
      );
    }

    if (parsed.expiresSeconds !== undefined) {
      if (requestTime.getTime() - now.getTime() > MAX_SKEW_MS)
        throw s3Errors.accessDenied('Request is not valid yet');
      if (now.getTime() > requestTime.getTime() + parsed.expiresSeconds * 1000)
        throw s3Errors.accessDenied('Request has expired');
    } else if (Math.abs(now.getTime() - requestTime.getTime()) > MAX_SKEW_MS) {
      throw s3Errors.requestTimeTooSkewed(parsed.amzDate, now.toISOString());
    }

    const credentials = await this.credentials.get(parsed.accessKeyId);
    if (!credentials) throw s3Errors.invalidAccessKeyId(parsed.accessKeyId);
    if (
      parsed.sessionToken === undefined ||
      !constantTimeEqual(parsed.sessionToken, credentials.sessionToken)
    ) {
      throw s3Errors.invalidToken();
    }
    if (credentials.expiration.getTime() <= now.getTime()) throw s3Errors.expiredToken();

    const payloadHash =
      parsed.expiresSeconds !== undefined
        ? UNSIGNED_PAYLOAD
        : (header(request.headers, 'x-amz-content-sha256') ?? '');
    if (parsed.expiresSeconds === undefined && payloadHash === '') {
      throw s3Errors.invalidRequest('Missing required header for this request: x-amz-content-sha256');
    }
    if (!isKnownPayloadHash(payloadHash)) {
      throw s3Errors.invalidArgument(
        'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD or a valid sha256 value.',
        'x-amz-content-sha256',
        payloadHash,
      );
    }

    // Every x-amz-* header changes what S3 does (x-amz-copy-source turns a PUT into a copy), so one
    // the signature does not cover would let anyone who saw a signed request rewrite it.
    const notSigned = unsignedAmzHeaders(request.headers, parsed);
    if (notSigned.length > 0) throw s3Errors.headersNotSigned(notSigned);

    const signer = new SignatureV4({
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        // Signed by now: in the query of a presigned URL, or a header that passed the check above.
        sessionToken: parsed.sessionToken,
      },
      region: parsed.region,
      service: 's3',
      sha256: Sha256,
      uriEscapePath: false,
      applyChecksum: false,
    });
    const expected = await (parsed.expiresSeconds !== undefined
      ? presignedSignature(signer, request, parsed, requestTime)
      : headerSignature(signer, request, parsed, requestTime, payloadHash));
    if (!constantTimeEqual(expected, parsed.signature)) throw s3Errors.signatureDoesNotMatch();

    return {
      kind: 'signed',
      credentials,
      payloadHash,
      presigned: parsed.expiresSeconds !== undefined,
      chunkVerifier: () => new ChunkVerifier(signer, parsed, requestTime),
    };
  }
}

/**
 * Headers a presigned URL may carry unsigned, as S3 allows: the payload hash (a presigned request's
 * body is never signed) and the SDK's user agent. Header-signed requests get no such exemption.
 */
const PRESIGNED_UNSIGNED_ALLOWED: ReadonlySet<string> = new Set(['x-amz-content-sha256', 'x-amz-user-agent']);

/** The request's x-amz-* headers that the signature does not cover (Node lower-cases header names). */
function unsignedAmzHeaders(headers: IncomingMessage['headers'], parsed: ParsedAuth): string[] {
  const signed = new Set(parsed.signedHeaders.map((name) => name.toLowerCase()));
  const presigned = parsed.expiresSeconds !== undefined;
  return Object.keys(headers).filter(
    (name) =>
      name.startsWith('x-amz-') && !signed.has(name) && !(presigned && PRESIGNED_UNSIGNED_ALLOWED.has(name)),
  );
}

/**
 * Signature Version 2 (`Authorization: AWS <key>:<signature>`, or the `AWSAccessKeyId`/`Signature`/
 * `Expires` query of boto3's default presigned URLs). S3 refuses it in every region opened since 2014
 * and for new buckets; the sandbox speaks SigV4 only and says so instead of treating it as anonymous.
 */
function usesSigV2(authorization: string | undefined, query: SignedRequest['query']): boolean {
  if (authorization !== undefined) return authorization.startsWith('AWS ');
  return query.some(([name]) => name === 'AWSAccessKeyId' || name === 'Signature');
}

/** The values of the headers the client named as signed (`host` is the one it addressed). */
function signedHeaderValues(request: SignedRequest, parsed: ParsedAuth): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const value = name === 'host' ? request.host : header(request.headers, name);
    if (value === undefined)
      throw s3Errors.accessDenied(
        `There were headers present in the request which were not signed (missing ${name})`,
      );
    headers[name] = value;
  }
  return headers;
}

async function headerSignature(
  signer: SignatureV4,
  request: SignedRequest,
  parsed: ParsedAuth,
  signingDate: Date,
  payloadHash: string,
): Promise<string> {
  const headers = signedHeaderValues(request, parsed);
  headers['x-amz-content-sha256'] ??= payloadHash;
  return expectedHeaderSignature(signer, {
    method: request.method,
    host: request.host,
    rawPath: request.rawPath,
    query: queryRecord(request.query),
    headers,
    signedHeaders: parsed.signedHeaders,
    signingDate,
  });
}

async function presignedSignature(
  signer: SignatureV4,
  request: SignedRequest,
  parsed: ParsedAuth,
  signingDate: Date,
): Promise<string> {
  const headers = signedHeaderValues(request, parsed);
  // Read by the signer as the payload hash; not a signed header, not hoisted into the query.
  headers['x-amz-content-sha256'] = UNSIGNED_PAYLOAD;
  const signedOnly = new Set(parsed.signedHeaders);
  const presigned = await signer.presign(
    {
      method: request.method,
      protocol: 'https:',
      hostname: request.host,
      path: request.rawPath,
      query: queryRecord(request.query.filter(([name]) => !PRESIGN_PARAMS.has(name))),
      headers,
    },
    {
      signingDate,
      expiresIn: parsed.expiresSeconds,
      signableHeaders: signedOnly,
      unsignableHeaders: unsignedOthers(headers, parsed.signedHeaders),
      unhoistableHeaders: new Set(Object.keys(headers)),
    },
  );
  return String(presigned.query?.['X-Amz-Signature'] ?? '');
}

function unsignedOthers(headers: Record<string, string>, signed: readonly string[]): Set<string> {
  return new Set(Object.keys(headers).filter((h) => !signed.includes(h)));
}

/** Verifies STREAMING-AWS4-HMAC-SHA256-PAYLOAD chunk signatures, each chained to the previous one. */
class ChunkVerifier implements ChunkSignatureVerifier {
  private previous: string;
  private hash = new Sha256();
  private readonly scope: string;

  constructor(
    private readonly signer: SignatureV4,
    private readonly parsed: ParsedAuth,
    private readonly signingDate: Date,
  ) {
    this.previous = parsed.signature;
    this.scope = `${parsed.date}/${parsed.region}/s3/aws4_request`;
  }

  update(data: Buffer): void {
    this.hash.update(data);
  }

  async end(signature: string | undefined): Promise<void> {
    const chunkHash = Buffer.from(await this.hash.digest()).toString('hex');
    this.hash = new Sha256();
    const stringToSign = [
      'AWS4-HMAC-SHA256-PAYLOAD',
      this.parsed.amzDate,
      this.scope,
      this.previous,
      EMPTY_SHA256,
      chunkHash,
    ].join('\n');
    const expected = await this.signer.sign(stringToSign, {
      signingDate: this.signingDate,
      signingRegion: this.parsed.region,
      signingService: 's3',
    });
    if (signature === undefined || !constantTimeEqual(expected, signature))
      throw s3Errors.signatureDoesNotMatch();
    this.previous = signature;
  }
}

function parseHeaderAuth(authorization: string, headers: IncomingMessage['headers']): ParsedAuth {
  if (!authorization.startsWith(`${ALGORITHM} `)) {
    throw s3Errors.invalidArgument('Unsupported Authorization Type', 'Authorization', authorization);
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    throw s3Errors.authorizationHeaderMalformed(
      'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.',
    );
  }
  const amzDate = header(headers, 'x-amz-date');
  if (amzDate === undefined)
    throw s3Errors.accessDenied('AWS authentication requires a valid Date or x-amz-date header');
  return {
    ...parseCredential(credential, (m) => s3Errors.authorizationHeaderMalformed(m)),
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate,
    sessionToken: header(headers, 'x-amz-security-token'),
  };
}

function parsePresignedQuery(query: SignedRequest['query']): ParsedAuth {
  const get = (name: string) => query.find(([n]) => n === name)?.[1];
  const fail = (m: string) => s3Errors.authorizationQueryParametersError(m);
  if (get('X-Amz-Algorithm') !== ALGORITHM) throw fail('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const credential = get('X-Amz-Credential');
  const amzDate = get('X-Amz-Date');
  const expires = get('X-Amz-Expires');
  const signedHeaders = get('X-Amz-SignedHeaders');
  const signature = get('X-Amz-Signature');
  if (!credential || !amzDate || !expires || !signedHeaders || !signature) {
    throw fail(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (!/^\d+$/.test(expires)) throw fail('X-Amz-Expires should be a number');
  const expiresSeconds = Number(expires);
  if (expiresSeconds > MAX_PRESIGN_SECONDS)
    throw fail('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  return {
    ...parseCredential(credential, fail),
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate,
    sessionToken: get('X-Amz-Security-Token'),
    expiresSeconds,
  };
}

function parseCredential(
  credential: string,
  fail: (message: string) => AwsError,
): Pick<ParsedAuth, 'accessKeyId' | 'date' | 'region' | 'service'> {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') {
    throw fail(
      `Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
    );
  }
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  return { accessKeyId, date, region, service };
}

function malformedCredential(parsed: ParsedAuth, message: string): AwsError {
  return parsed.expiresSeconds !== undefined
    ? s3Errors.authorizationQueryParametersError(message)
    : s3Errors.authorizationHeaderMalformed(message);
}

function isKnownPayloadHash(value: string): boolean {
  return (
    value === UNSIGNED_PAYLOAD ||
    value === STREAMING_UNSIGNED_TRAILER ||
    value === STREAMING_SIGNED ||
    value === STREAMING_SIGNED_TRAILER ||
    /^[0-9a-f]{64}$/.test(value)
  );
}

/** The signer wants the query as a record; repeated names become arrays, as it canonicalises them. */
function queryRecord(pairs: ReadonlyArray<readonly [string, string]>): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const existing = record[name];
    if (existing === undefined) record[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else record[name] = [existing, value];
  }
  return record;
}

export function header(headers: IncomingMessage['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
