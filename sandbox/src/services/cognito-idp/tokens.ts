/**
 * RS256 signing for the user pools: one key pair per pool, generated once and kept in the state
 * folder so tokens survive restarts, published as the pool's JWKS.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  SignJWT,
  calculateJwkThumbprint,
  decodeJwt,
  errors as joseErrors,
  jwtVerify,
  type JWK,
  type JWTPayload,
} from 'jose';
import type { Clock } from '../../core/clock';
import { writeFileAtomic } from '../../core/atomic-file';

interface PoolKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicJwk: JWK;
  /** Stable but unguessable, derived from the private key (decoy SRP salts). */
  readonly secret: Buffer;
}

export interface Jwks {
  keys: JWK[];
}

export type VerifyFailure = 'invalid' | 'expired';

export class PoolKeys {
  private readonly keys = new Map<string, Promise<PoolKey>>();

  /** Without a state folder keys live in memory only (unit tests). */
  constructor(private readonly stateDir?: string) {}

  /** Loads or creates the pool's key; the file write completes before the first token is signed. */
  key(poolId: string): Promise<PoolKey> {
    let key = this.keys.get(poolId);
    if (!key) {
      // The promise is cached, so concurrent first calls share one key instead of racing two.
      key = this.loadOrCreate(poolId);
      this.keys.set(poolId, key);
    }
    return key;
  }

  private async loadOrCreate(poolId: string): Promise<PoolKey> {
    const path = this.stateDir ? join(this.stateDir, 'cognito-idp', 'keys', `${poolId}.json`) : undefined;
    let privateJwk = path ? readJwk(path) : undefined;
    if (!privateJwk) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      privateJwk = privateKey.export({ format: 'jwk' }) as JWK;
      if (path) await writeFileAtomic(path, JSON.stringify(privateJwk));
    }
    const privateKey = createPrivateKey({
      key: privateJwk as import('node:crypto').JsonWebKey,
      format: 'jwk',
    });
    const publicKey = createPublicKey(privateKey);
    const publicJwkRaw = publicKey.export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint(publicJwkRaw);
    const secret = createHash('sha256')
      .update(`decoy:${poolId}:${privateJwk.d ?? ''}`)
      .digest();
    return {
      kid,
      privateKey,
      publicKey,
      publicJwk: { ...publicJwkRaw, kid, alg: 'RS256', use: 'sig' },
      secret,
    };
  }

  async jwks(poolId: string): Promise<Jwks> {
    return { keys: [(await this.key(poolId)).publicJwk] };
  }

  /** A per-pool secret for values that must be stable but unguessable (decoy SRP salts). */
  async secret(poolId: string): Promise<Buffer> {
    return (await this.key(poolId)).secret;
  }

  async sign(poolId: string, claims: JWTPayload): Promise<string> {
    const key = await this.key(poolId);
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);
  }

  /** Verifies signature, issuer and expiry against `clock`; the caller checks token_use and audience. */
  async verify(
    poolId: string,
    issuer: string,
    token: string,
    clock: Clock,
  ): Promise<{ ok: true; claims: JWTPayload } | { ok: false; reason: VerifyFailure }> {
    const key = await this.key(poolId);
    try {
      const { payload } = await jwtVerify(token, key.publicKey, {
        algorithms: ['RS256'],
        issuer,
        currentDate: clock.now(),
      });
      return { ok: true, claims: payload };
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' };
      return { ok: false, reason: 'invalid' };
    }
  }
}

function readJwk(path: string): JWK | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as JWK;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Claims without checking anything, to find the pool a token claims to come from; undefined if not a JWT. */
export function unverifiedClaims(token: string): JWTPayload | undefined {
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}
