/**
 * How services plug into the one HTTP server (src/server.ts).
 *
 * - JSON 1.1 services (cognito-idp, cognito-identity) are dispatched on `X-Amz-Target`
 *   ("AWSCognitoIdentityProviderService.SignUp"): the server parses the body, calls
 *   `JsonService.call(operation, input, meta)`, and serializes the result or the thrown AwsError
 *   (src/core/errors.ts) as `{"__type": code, "message": ...}`.
 * - S3 and CloudFront speak REST over raw requests; they get the Node request/response and write
 *   the answer themselves (XML for S3), because bodies must stream.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestMeta {
  readonly sourceIp: string;
  readonly requestId: string;
}

export interface JsonService {
  /** The X-Amz-Target prefix this service answers, e.g. "AWSCognitoIdentityProviderService". */
  readonly targetPrefix: string;
  /** Throws AwsError for AWS-shaped failures; anything else becomes 500 InternalError. */
  call(operation: string, input: unknown, meta: RequestMeta): Promise<unknown>;
}

/** Where an S3 request was really addressed, before the dispatcher/service worker rerouted it. */
export interface S3Target {
  /** The Host the client signed, e.g. "bucket.s3.us-east-1.amazonaws.com" or "127.0.0.1:4510". */
  readonly host: string;
  /** The raw path as the client signed it (still percent-encoded), e.g. "/public/a%20b.png" or "/bucket/key". */
  readonly rawPath: string;
  /** The raw query string without "?", as sent. */
  readonly rawQuery: string;
  /** Whether the original request was https (always true for rerouted *.amazonaws.com traffic). */
  readonly secureTransport: boolean;
}

export interface RestService<Target> {
  handle(req: IncomingMessage, res: ServerResponse, target: Target, meta: RequestMeta): Promise<void>;
}
