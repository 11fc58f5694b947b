/**
 * Identity pool identities: one id per guest device, and one per user (linked to their
 * `cognito-idp.<region>.amazonaws.com/<poolId>` login), stable across sign-ins and restarts.
 */
import { join } from 'node:path';
import { JsonDoc } from '../../core/json-doc';

export interface IdentityRecord {
  readonly identityId: string;
  readonly identityPoolId: string;
  /** Provider name -> the user's `sub` there; empty for a guest identity. */
  logins: Record<string, string>;
  readonly createdAt: number;
  lastModifiedAt: number;
}

export interface IdentityStore {
  identity(identityId: string): IdentityRecord | undefined;
  byLogin(identityPoolId: string, provider: string, sub: string): IdentityRecord | undefined;
  save(record: IdentityRecord): Promise<void>;
}

/** All identities in one document, `<stateDir>/cognito-identity/identities.json`. */
export class FileIdentityStore implements IdentityStore {
  private readonly doc: JsonDoc<{ identities: Record<string, IdentityRecord> }>;

  /** Without a state folder the store lives in memory (unit tests). */
  constructor(stateDir?: string) {
    const empty = () => ({ identities: {} });
    this.doc = stateDir
      ? JsonDoc.load(join(stateDir, 'cognito-identity', 'identities.json'), empty)
      : JsonDoc.inMemory(empty());
  }

  identity(identityId: string): IdentityRecord | undefined {
    const all = this.doc.data.identities;
    return Object.hasOwn(all, identityId) ? all[identityId] : undefined;
  }

  byLogin(identityPoolId: string, provider: string, sub: string): IdentityRecord | undefined {
    return Object.values(this.doc.data.identities).find(
      (r) => r.identityPoolId === identityPoolId && r.logins[provider] === sub,
    );
  }

  save(record: IdentityRecord): Promise<void> {
    this.doc.data.identities[record.identityId] = record;
    return this.doc.save();
  }
}
