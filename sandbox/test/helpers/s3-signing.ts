/**
 * Hand-built signed requests for cases the SDK will not produce (bad digests, broken XML, custom
 * aws-chunked framing): signs with the same @smithy/signature-v4 the SDK uses, then sends with fetch.
 */
import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SessionCredentials } from '../../src/core/credentials';
import { REGION } from './s3-test-server';

export interface RawRequest {
  readonly method: string;
  /** Path-style, already encoded, e.g. "/bucket/key". */
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
  /** The x-amz-content-sha256 to sign; default the body's real hash. */
  readonly payloadHash?: string;
  readonly signingDate?: Date;
}

export function signerFor(creds: SessionCredentials): SignatureV4 {
  return new SignatureV4({
    credentials: {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
    },
    region: REGION,
    service: 's3',
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false,
  });
}

export async function signedFetch(
  endpoint: string,
  creds: SessionCredentials,
  request: RawRequest,
): Promise<Response> {
  const { url, init } = await signRequest(endpoint, creds, request);
  return fetch(url, init);
}

/** The URL and fetch options of a signed request, for tests that tamper with it before sending. */
export async function signRequest(
  endpoint: string,
  creds: SessionCredentials,
  request: RawRequest,
): Promise<{ url: string; init: RequestInit & { headers: Record<string, string> } }> {
  const url = new URL(endpoint);
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const headers: Record<string, string> = {
    host: url.host,
    'x-amz-content-sha256':
      request.payloadHash ??
      createHash('sha256')
        .update(body ?? Buffer.alloc(0))
        .digest('hex'),
    ...(request.headers ?? {}),
  };
  const signed = await signerFor(creds).sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: request.path,
      query: request.query ?? {},
      headers,
    },
    { signingDate: request.signingDate ?? new Date() },
  );
  const search = new URLSearchParams(request.query ?? {}).toString().replace(/\+/g, '%20');
  const sendHeaders = { ...signed.headers };
  delete sendHeaders.host;
  return {
    url: `${endpoint}${request.path}${search ? `?${search}` : ''}`,
    init: { method: request.method, headers: sendHeaders, body, duplex: 'half' },
  };
}

/** The <Code> of an S3 XML error body. */
export async function errorCode(res: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1];
}
