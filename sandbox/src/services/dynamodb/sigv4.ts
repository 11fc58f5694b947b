import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Clock } from '../../core/clock';
import type { CredentialStore, SessionCredentials } from '../../core/credentials';
import { constantTimeEqual, expectedHeaderSignature, parseAmzDate, Sha256 } from '../../core/sigv4';
import { dynamoDbErrors } from './errors';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60 * 1000;

export interface DynamoDbSignedRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * SigV4 as DynamoDB checks it (Authorization header only, the payload hash computed from the body,
 * never taken from the client), in DynamoDB's order, with its error codes and messages. Secrets
 * Manager, another service on the same framework, checks the same way under its own name.
 */
export class DynamoDbSigV4Verifier {
  constructor(
    private readonly credentials: CredentialStore,
    private readonly clock: Clock,
    private readonly region: string,
    private readonly service = 'dynamodb',
  ) {}

  async authenticate(request: DynamoDbSignedRequest): Promise<SessionCredentials> {
    const authorization = header(request.headers, 'authorization');
    if (authorization === undefined || !authorization.startsWith('AWS4-'))
      throw dynamoDbErrors.missingAuthenticationToken();
    const space = authorization.indexOf(' ');
    const algorithm = space === -1 ? authorization : authorization.slice(0, space);
    if (algorithm !== ALGORITHM) {
      throw dynamoDbErrors.incompleteSignature(
        `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `,
      );
    }
    const fields = new Map<string, string>();
    for (const part of authorization.slice(space + 1).split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const amzDate = header(request.headers, 'x-amz-date');
    const missing = ['Credential', 'Signature', 'SignedHeaders']
      .filter((name) => !fields.get(name))
      .map((name) => `Authorization header requires '${name}' parameter. `);
    if (amzDate === undefined)
      missing.push(`Authorization header requires existence of a 'X-Amz-Date' header. `);
    if (missing.length > 0)
      throw dynamoDbErrors.incompleteSignature(`${missing.join('')}Authorization=${authorization}`);
    const credential = fields.get('Credential')!;
    const signedHeaders = fields.get('SignedHeaders')!.split(';');
    const signature = fields.get('Signature')!;

    const requestTime = parseAmzDate(amzDate!);
    if (!requestTime) {
      throw dynamoDbErrors.incompleteSignature(
        `Date must be in ISO-8601 'basic format'. Got '${amzDate!}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      );
    }
    const now = this.clock.now();
    if (now.getTime() - requestTime.getTime() > MAX_SKEW_MS) {
      throw dynamoDbErrors.invalidSignature(
        `Signature expired: ${amzDate!} is now earlier than ${basic(new Date(now.getTime() - MAX_SKEW_MS))} (${basic(now)} - 15 min.)`,
      );
    }
    if (requestTime.getTime() - now.getTime() > MAX_SKEW_MS) {
      throw dynamoDbErrors.invalidSignature(
        `Signature not yet current: ${amzDate!} is still later than ${basic(new Date(now.getTime() + MAX_SKEW_MS))} (${basic(now)} + 15 min.)`,
      );
    }
    if (!signedHeaders.includes('host'))
      throw dynamoDbErrors.invalidSignature(`'Host' must be a 'SignedHeader' in the AWS Authorization.`);

    const scope = credential.split('/');
    if (scope.length !== 5) {
      throw dynamoDbErrors.incompleteSignature(
        `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
      );
    }
    const [accessKeyId, date, region, service, terminator] = scope as [
      string,
      string,
      string,
      string,
      string,
    ];
    const scopeProblems = [
      region === this.region ? '' : `Credential should be scoped to a valid region, not '${region}'. `,
      service === this.service ? '' : `Credential should be scoped to correct service: '${this.service}'. `,
      terminator === 'aws4_request'
        ? ''
        : `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `,
      date === amzDate!.slice(0, 8)
        ? ''
        : `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate!.slice(0, 8)}', from '${amzDate!}'.`,
    ].join('');
    if (scopeProblems !== '') throw dynamoDbErrors.invalidSignature(scopeProblems.trim());

    const session = await this.credentials.get(accessKeyId);
    if (!session) throw dynamoDbErrors.unrecognizedClient();

    const headers: Record<string, string> = {};
    for (const name of signedHeaders) {
      const value = header(request.headers, name);
      if (value === undefined) throw dynamoDbErrors.signatureDoesNotMatch();
      headers[name] = value;
    }
    // The signature covers the body's hash; a hash the client claims in a header is never trusted.
    headers['x-amz-content-sha256'] = createHash('sha256').update(request.body).digest('hex');
    const sessionToken = header(request.headers, 'x-amz-security-token');
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: session.accessKeyId,
        secretAccessKey: session.secretAccessKey,
        // The signer adds (and signs) whatever token it is given: only one the client signed.
        sessionToken: signedHeaders.includes('x-amz-security-token') ? sessionToken : undefined,
      },
      region,
      service: this.service,
      sha256: Sha256,
      applyChecksum: false,
    });
    const expected = await expectedHeaderSignature(signer, {
      method: request.method,
      host: headers.host ?? '',
      rawPath: request.rawPath,
      query: Object.fromEntries(new URLSearchParams(request.rawQuery)),
      headers,
      signedHeaders,
      signingDate: requestTime,
    });
    if (!constantTimeEqual(expected, signature)) throw dynamoDbErrors.signatureDoesNotMatch();

    if (sessionToken === undefined || !constantTimeEqual(sessionToken, session.sessionToken))
      throw dynamoDbErrors.unrecognizedClient();
    if (session.expiration.getTime() <= now.getTime()) throw dynamoDbErrors.expiredToken();
    return session;
  }
}

function basic(date: Date): string {
  return date.toISOString().replace(/[-:]|\.\d{3}/g, '');
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
