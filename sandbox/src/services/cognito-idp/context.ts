import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { DeployedModel } from '../../deploy/model';
import type { Mailbox } from '../mailbox/mailbox';
import type { RequestQuotas } from './quotas';
import type { ServerEphemeral } from './srp';
import type { IdpStore } from './store';
import type { PoolKeys } from './tokens';

/** Everything a user pool handler may use; handlers get it instead of reaching for globals. */
export interface IdpContext {
  readonly model: DeployedModel;
  readonly store: IdpStore;
  readonly keys: PoolKeys;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly mailbox: Mailbox;
  readonly challenges: ChallengeSessions;
  readonly quotas: RequestQuotas;
}

/** A PASSWORD_VERIFIER challenge in flight, between InitiateAuth and RespondToAuthChallenge. */
export interface SrpChallenge {
  readonly poolId: string;
  readonly clientId: string;
  /** Undefined for a decoy challenge answered for an unknown user (no user existence leak). */
  readonly sub: string | undefined;
  readonly userIdForSrp: string;
  readonly session: string;
  readonly A: string;
  readonly ephemeral: ServerEphemeral;
  readonly verifier: string;
  readonly expiresAt: number;
}

export const CHALLENGE_LIFETIME_MS = 3 * 60 * 1000;

/**
 * SRP challenges live in memory only: they last three minutes and a restart simply makes the
 * client start the sign-in again. Keyed by SECRET_BLOCK, which the client echoes back.
 */
export class ChallengeSessions {
  private readonly bySecretBlock = new Map<string, SrpChallenge>();

  put(secretBlock: string, challenge: SrpChallenge, now: number): void {
    for (const [key, c] of this.bySecretBlock) if (c.expiresAt <= now) this.bySecretBlock.delete(key);
    this.bySecretBlock.set(secretBlock, challenge);
  }

  /** Single use: a challenge is gone once answered, right or wrong. */
  take(secretBlock: string): SrpChallenge | undefined {
    const challenge = this.bySecretBlock.get(secretBlock);
    this.bySecretBlock.delete(secretBlock);
    return challenge;
  }
}
