/**
 * User pool state: users (with SRP verifiers, never passwords), one-time codes, sign-in
 * failures, and sign-in sessions (one per refresh token family, keyed by `origin_jti`).
 * Handlers mutate the records they get and call `save*` so the change is persisted before they answer.
 */
import { join } from 'node:path';
import { JsonDoc } from '../../core/json-doc';

export type CodePurpose = 'signUp' | 'resetPassword' | 'verifyEmail';

export interface CodeRecord {
  readonly code: string;
  readonly expiresAt: number; // epoch ms
  failedAttempts: number;
}

export interface UserRecord {
  readonly poolId: string;
  /** The internal username: with email as the username attribute, Cognito's username is the sub. */
  readonly sub: string;
  /** Every attribute as a string, the way GetUser reports them (`email_verified: "true"`). */
  attributes: Record<string, string>;
  /** Hex salt and verifier of the SRP password; the password itself is never kept. */
  salt: string;
  verifier: string;
  status: 'UNCONFIRMED' | 'CONFIRMED';
  enabled: boolean;
  groups: string[];
  createdAt: number;
  updatedAt: number;
  codes: Partial<Record<CodePurpose, CodeRecord>>;
  /**
   * A new email waiting for its verifyEmail code, in a pool that keeps the original until then:
   * `attributes.email` (the one that signs in) changes only when the code comes back.
   */
  pendingEmail?: string;
  /** When codes were sent (epoch ms), to rate-limit resends. */
  codeSends: number[];
  /** Failed password checks inside the throttling window (epoch ms). */
  signInFailures: number[];
  lockedUntil?: number;
  /** Consecutive lockouts; each one doubles the next lockout. */
  lockouts: number;
}

export interface SignInSession {
  readonly poolId: string;
  /** `origin_jti` of every token of this sign-in; revoking the session revokes them all. */
  readonly originJti: string;
  readonly clientId: string;
  readonly sub: string;
  /** SHA-256 (hex) of the opaque refresh token. */
  readonly refreshTokenHash: string;
  readonly authTime: number; // epoch seconds
  readonly expiresAt: number; // epoch ms, when the refresh token expires
  revokedAt?: number;
}

export interface IdpStore {
  user(poolId: string, sub: string): UserRecord | undefined;
  /** Case-insensitive, as Cognito matches email usernames. */
  userByEmail(poolId: string, email: string): UserRecord | undefined;
  saveUser(user: UserRecord): Promise<void>;
  /** Deletes the user and every sign-in session of theirs. */
  deleteUser(poolId: string, sub: string): Promise<void>;

  session(poolId: string, originJti: string): SignInSession | undefined;
  sessionByRefreshTokenHash(poolId: string, hash: string): SignInSession | undefined;
  sessionsOf(poolId: string, sub: string): SignInSession[];
  /** Saves the session and drops sessions whose refresh tokens expired before `now`. */
  saveSession(session: SignInSession, now: number): Promise<void>;
  /** Persists changes made to sessions already stored (e.g. revocation). */
  saveSessions(poolId: string): Promise<void>;
}

interface PoolDocument {
  users: Record<string, UserRecord>;
  sessions: Record<string, SignInSession>;
}

/** One JSON document per user pool under `<stateDir>/cognito-idp/pools/`. */
export class FileIdpStore implements IdpStore {
  private readonly docs = new Map<string, JsonDoc<PoolDocument>>();

  /** Without a state folder the store lives in memory (unit tests). */
  constructor(private readonly stateDir?: string) {}

  private doc(poolId: string): JsonDoc<PoolDocument> {
    let doc = this.docs.get(poolId);
    if (!doc) {
      const empty = (): PoolDocument => ({ users: {}, sessions: {} });
      doc = this.stateDir
        ? JsonDoc.load(join(this.stateDir, 'cognito-idp', 'pools', `${poolId}.json`), empty)
        : JsonDoc.inMemory(empty());
      this.docs.set(poolId, doc);
    }
    return doc;
  }

  user(poolId: string, sub: string): UserRecord | undefined {
    return Object.hasOwn(this.doc(poolId).data.users, sub) ? this.doc(poolId).data.users[sub] : undefined;
  }

  userByEmail(poolId: string, email: string): UserRecord | undefined {
    const wanted = email.toLowerCase();
    return Object.values(this.doc(poolId).data.users).find(
      (u) => u.attributes.email?.toLowerCase() === wanted,
    );
  }

  saveUser(user: UserRecord): Promise<void> {
    const doc = this.doc(user.poolId);
    doc.data.users[user.sub] = user;
    return doc.save();
  }

  deleteUser(poolId: string, sub: string): Promise<void> {
    const doc = this.doc(poolId);
    delete doc.data.users[sub];
    for (const [jti, session] of Object.entries(doc.data.sessions)) {
      if (session.sub === sub) delete doc.data.sessions[jti];
    }
    return doc.save();
  }

  session(poolId: string, originJti: string): SignInSession | undefined {
    const sessions = this.doc(poolId).data.sessions;
    return Object.hasOwn(sessions, originJti) ? sessions[originJti] : undefined;
  }

  sessionByRefreshTokenHash(poolId: string, hash: string): SignInSession | undefined {
    return Object.values(this.doc(poolId).data.sessions).find((s) => s.refreshTokenHash === hash);
  }

  sessionsOf(poolId: string, sub: string): SignInSession[] {
    return Object.values(this.doc(poolId).data.sessions).filter((s) => s.sub === sub);
  }

  saveSession(session: SignInSession, now: number): Promise<void> {
    const doc = this.doc(session.poolId);
    for (const [jti, existing] of Object.entries(doc.data.sessions)) {
      if (existing.expiresAt < now) delete doc.data.sessions[jti];
    }
    doc.data.sessions[session.originJti] = session;
    return doc.save();
  }

  saveSessions(poolId: string): Promise<void> {
    return this.doc(poolId).save();
  }
}
