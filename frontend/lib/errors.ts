// AWS and Amplify errors, said the way a person can act on them: the one translator for every
// page, signed-in or public.
import { ApiError } from './api/operations';
import { SANDBOX_COMMAND } from './setup-commands';

const SESSION_ERRORS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'InvalidToken',
  'NotAuthorizedException',
  'NoCredentials',
  'UserUnAuthenticatedException',
  'TokenRefreshException',
]);

// Some callbacks (FileUploader's onUploadError) pass only the message, so a few well-known
// messages stand in for the error name.
const MESSAGE_NAMES: [RegExp, string][] = [
  [/access denied/i, 'AccessDenied'],
  [/token.*expired|expired.*token|session.*expired/i, 'ExpiredToken'],
  [/network error|failed to fetch|fetch failed|ECONNREFUSED/i, 'NetworkError'],
];

// The data API's refusals (the api function's errorType, or AppSync's when IAM denies).
const API_REFUSALS = new Set(['Unauthorized', 'UnauthorizedException']);

function errorName(error: unknown): string {
  if (error instanceof ApiError) return API_REFUSALS.has(error.type) ? 'AccessDenied' : error.type;
  if (error && typeof error === 'object') {
    const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
    if (typeof name === 'string' && name !== 'Error' && name !== 'StorageError' && name !== 'Unknown')
      return name;
    if (typeof code === 'string') return code;
    if (typeof message === 'string') {
      const known = MESSAGE_NAMES.find(([pattern]) => pattern.test(message));
      if (known) return known[1];
    }
    if (typeof name === 'string') return name;
  }
  return 'Unknown';
}

function errorStatus(error: unknown): number | undefined {
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata;
  return typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

/**
 * Who reads the message. `user`: someone signed in, acting on their own images. `guest`: a
 * visitor of the public pages, who cannot fix AWS problems; the words point whoever runs the
 * site at the cause.
 */
export type Reader = 'user' | 'guest';

/** `doing` completes "could not ...", e.g. 'delete “a.png”'. */
export function describeError(error: unknown, doing: string, reader: Reader = 'user'): string {
  const name = errorName(error);
  if (reader === 'guest') return describeForGuest(error, name, doing);
  if (SESSION_ERRORS.has(name)) {
    return `Your session has expired, so we could not ${doing}. Sign in again and retry.`;
  }
  if (name === 'AccessDenied' || name === 'Forbidden' || errorStatus(error) === 403) {
    return `You are not allowed to ${doing}. Only the owner of an image (or an administrator, for public images) can change it. If this is your image, sign out and sign in again.`;
  }
  if (name === 'NotFound' || name === 'NoSuchKey' || errorStatus(error) === 404) {
    return `We could not ${doing}: the image is no longer there. It may have been moved or deleted; refresh to see the current list.`;
  }
  if (name === 'BadRequest' || name === 'Conflict' || name === 'NotConfigured') {
    // The api function's own words say which limit or state the request broke.
    return `We could not ${doing}: ${(error as Error).message}`;
  }
  if (name === 'PreconditionFailed') {
    return `The image changed while we tried to ${doing}. Refresh and try again.`;
  }
  if (name === 'NetworkError') {
    return `We could not reach the storage service to ${doing}. Check your connection and try again.`;
  }
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  return `Something went wrong while trying to ${doing}${detail}. Please try again.`;
}

function describeForGuest(error: unknown, name: string, doing: string): string {
  if (name === 'NotConfigured') return (error as Error).message;
  if (name === 'NetworkError') {
    return `The image store did not answer. If you run the app locally, check that the sandbox is running (${SANDBOX_COMMAND}), then try again.`;
  }
  if (
    SESSION_ERRORS.has(name) ||
    name === 'AccessDenied' ||
    name === 'Forbidden' ||
    errorStatus(error) === 403
  ) {
    return `The image store refused to ${doing} for guests. The deployed access rules may be out of date: redeploy the stacks, then try again.`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `Something went wrong while trying to ${doing} (${name}: ${message}). Try again in a moment.`;
}
