// Pagination cursors: DynamoDB's LastEvaluatedKey, bound to the query and the caller it was
// issued for, and signed, so a client can neither read meaning into one nor forge or reuse it.
import { createHmac, timingSafeEqual } from 'node:crypto';

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursor';
}

export class Cursors {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('The cursor signing key must be at least 32 bytes');
  }

  /** `scope` names the query and caller, e.g. `myImages:<identityId>`. */
  encode(scope: string, lastKey: Record<string, unknown> | undefined): string | null {
    if (!lastKey) return null;
    const payload = Buffer.from(JSON.stringify(lastKey)).toString('base64url');
    return `${payload}.${this.sign(scope, payload)}`;
  }

  decode(scope: string, token: string | null | undefined): Record<string, unknown> | undefined {
    if (token === null || token === undefined) return undefined;
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined)
      throw new InvalidCursorError('The nextToken is malformed.');
    const expected = Buffer.from(this.sign(scope, payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new InvalidCursorError('The nextToken was not issued for this query.');
    }
    const key: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (key === null || typeof key !== 'object' || Array.isArray(key)) {
      throw new InvalidCursorError('The nextToken is malformed.');
    }
    return key as Record<string, unknown>;
  }

  private sign(scope: string, payload: string): string {
    return createHmac('sha256', this.key).update(`${scope}\n${payload}`).digest('base64url');
  }
}
