/**
 * SigV4 for Lambda's REST API (header auth only, as the SDK signs it): finds the caller's
 * credentials, then lets @smithy/signature-v4 recompute the signature over the request as
 * received and compares in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Clock } from '../../core/clock';
import type { CredentialStore, SessionCredentials } from '../../core/credentials';
import { lambdaErrors } from './errors';

const MAX_SKEW_MS = 5 * 60 * 1000;
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

export interface ReceivedRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export async function verifySignature(
  request: ReceivedRequest,
  store: CredentialStore,
  clock: Clock,
  region: string,
): Promise<SessionCredentials> {
  const authorization = one(request.headers.authorization);
  if (authorization === undefined) throw lambdaErrors.missingAuthentication();
  const auth = AUTHORIZATION.exec(authorization);
  if (!auth)
    throw lambdaErrors.invalidSignature(
      'Authorization header requires Credential, SignedHeaders and Signature.',
    );
  const [, accessKeyId, date, signedRegion, service, signedHeaderList, signature] =
    auth as unknown as string[];
  if (service !== 'lambda' || signedRegion !== region)
    throw lambdaErrors.invalidSignature(
      `Credential should be scoped to a valid region and service: expected ${region}/lambda, got ${signedRegion}/${service}.`,
    );
  const amzDate = one(request.headers['x-amz-date']) ?? '';
  const time = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!time || amzDate.slice(0, 8) !== date)
    throw lambdaErrors.invalidSignature('X-Amz-Date must be yyyyMMddTHHmmssZ and match the credential date.');
  const signingDate = new Date(
    Date.UTC(+time[1]!, +time[2]! - 1, +time[3]!, +time[4]!, +time[5]!, +time[6]!),
  );
  if (Math.abs(clock.now().getTime() - signingDate.getTime()) > MAX_SKEW_MS)
    throw lambdaErrors.invalidSignature(
      'Signature expired: the request time is too far from the server time.',
    );

  const credentials = await store.get(accessKeyId!);
  if (!credentials) throw lambdaErrors.unrecognizedClient();
  const token = one(request.headers['x-amz-security-token']);
  if (token === undefined || !constantTimeEqual(token, credentials.sessionToken))
    throw lambdaErrors.unrecognizedClient();
  if (credentials.expiration.getTime() <= clock.now().getTime()) throw lambdaErrors.expiredToken();

  const signedHeaders = signedHeaderList!.split(';');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = one(request.headers[name]);
    if (value === undefined) throw lambdaErrors.invalidSignature(`Signed header ${name} is missing.`);
    headers[name] = value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(request.rawQuery)) query[name] = value;
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: token,
    },
    region,
    service: 'lambda',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: request.rawPath,
      query,
      headers,
      body: request.body,
    },
    {
      signingDate,
      signableHeaders: new Set(signedHeaders),
      unsignableHeaders: new Set(Object.keys(headers).filter((h) => !signedHeaders.includes(h))),
    },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? '';
  if (!constantTimeEqual(expected, signature!))
    throw lambdaErrors.invalidSignature(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  return credentials;
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
