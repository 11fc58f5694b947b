/**
 * SigV4 in the Authorization header for the REST APIs the SDK signs with a body hash of its own
 * (Lambda's Invoke, CloudFront's API): finds the caller's credentials, then lets
 * @smithy/signature-v4 recompute the signature over the request as received and compares in
 * constant time. Each service names its own errors.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Clock } from './clock';
import type { CredentialStore, SessionCredentials } from './credentials';
import type { AwsError } from './errors';
import { constantTimeEqual, parseAmzDate, Sha256 } from './sigv4';

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

export interface SignatureErrors {
  missingAuthentication(): AwsError;
  unrecognizedClient(): AwsError;
  expiredToken(): AwsError;
  /** Malformed, wrongly scoped, too old or simply wrong. */
  invalidSignature(message: string): AwsError;
}

export interface SignatureScope {
  readonly service: string;
  /** The regions a credential scope may name (CloudFront, a global service, is signed in us-east-1). */
  readonly regions: readonly string[];
}

export async function verifyRestSignature(
  request: ReceivedRequest,
  store: CredentialStore,
  clock: Clock,
  scope: SignatureScope,
  errors: SignatureErrors,
): Promise<SessionCredentials> {
  const authorization = one(request.headers.authorization);
  if (authorization === undefined) throw errors.missingAuthentication();
  const auth = AUTHORIZATION.exec(authorization);
  if (!auth)
    throw errors.invalidSignature('Authorization header requires Credential, SignedHeaders and Signature.');
  const [, accessKeyId, date, signedRegion, service, signedHeaderList, signature] =
    auth as unknown as string[];
  if (service !== scope.service || !scope.regions.includes(signedRegion!))
    throw errors.invalidSignature(
      `Credential should be scoped to a valid region and service: expected ${scope.regions[0]}/${scope.service}, got ${signedRegion}/${service}.`,
    );
  const amzDate = one(request.headers['x-amz-date']) ?? '';
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate || amzDate.slice(0, 8) !== date)
    throw errors.invalidSignature('X-Amz-Date must be yyyyMMddTHHmmssZ and match the credential date.');
  if (Math.abs(clock.now().getTime() - signingDate.getTime()) > MAX_SKEW_MS)
    throw errors.invalidSignature('Signature expired: the request time is too far from the server time.');

  const credentials = await store.get(accessKeyId!);
  if (!credentials) throw errors.unrecognizedClient();
  const token = one(request.headers['x-amz-security-token']);
  if (token === undefined || !constantTimeEqual(token, credentials.sessionToken))
    throw errors.unrecognizedClient();
  if (credentials.expiration.getTime() <= clock.now().getTime()) throw errors.expiredToken();

  const signedHeaders = signedHeaderList!.split(';');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = one(request.headers[name]);
    if (value === undefined) throw errors.invalidSignature(`Signed header ${name} is missing.`);
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
    region: signedRegion!,
    service: scope.service,
    sha256: Sha256,
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
    throw errors.invalidSignature(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  return credentials;
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
