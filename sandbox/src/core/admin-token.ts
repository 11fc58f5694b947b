/**
 * The sandbox's side doors under `/_sandbox/` (mailbox, admin) listen on loopback, which every web
 * page in the developer's browser can reach too. A random token made at each start, known only to
 * whoever can read the outputs file, is what keeps those pages out: they cannot learn it, and
 * without it every `/_sandbox/` request is refused.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The request header that carries the token. A custom header also makes a browser preflight. */
export const ADMIN_TOKEN_HEADER = 'x-sandbox-admin-token';

/** Its key in the sandbox's entry of the outputs file, next to Endpoint and MailboxUrl. */
export const ADMIN_TOKEN_OUTPUT_KEY = 'AdminToken';

export function newAdminToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant time in the content, and in the length too: both sides are hashed to 32 bytes first. */
export function adminTokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}

/** The token from an outputs file's contents (any stack whose entry has one). */
export function adminTokenFromOutputs(outputs: Record<string, Record<string, string>>): string {
  for (const entry of Object.values(outputs)) {
    const token = entry[ADMIN_TOKEN_OUTPUT_KEY];
    if (token) return token;
  }
  throw new Error(`The outputs have no ${ADMIN_TOKEN_OUTPUT_KEY}: were they written by a running sandbox?`);
}
