/**
 * Cognito user pools, served as a JSON 1.1 service (`AWSCognitoIdentityProviderService.<Op>`),
 * plus what the rest of the sandbox needs from it: each pool's JWKS, id token verification for
 * the identity pools, and group administration for the CLI.
 */
import type { AdminGetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { JWTPayload } from 'jose';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { JsonService, RequestMeta } from '../../core/service';
import type { DeployedModel } from '../../deploy/model';
import type { Mailbox } from '../mailbox/mailbox';
import { addUserToGroup, adminGetUser, removeUserFromGroup } from './admin';
import { ChallengeSessions, type IdpContext } from './context';
import { IdpErrors } from './errors';
import { liveSession, verifyPoolToken } from './lookup';
import { RequestQuotas } from './quotas';
import { route } from './router';
import { FileIdpStore } from './store';
import { PoolKeys, type Jwks } from './tokens';

const COGNITO_IDP_TARGET_PREFIX = 'AWSCognitoIdentityProviderService';

export interface CognitoIdpOptions {
  readonly model: DeployedModel;
  /** State folder; users, sessions and signing keys persist under `<stateDir>/cognito-idp/`. Omit for in-memory. */
  readonly stateDir?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly mailbox: Mailbox;
}

export type IdTokenCheck =
  | {
      readonly ok: true;
      readonly userPoolId: string;
      readonly claims: JWTPayload & { sub: string; aud: string };
    }
  | {
      readonly ok: false;
      readonly reason:
        'malformed' | 'unknown-issuer' | 'bad-signature' | 'expired' | 'not-an-id-token' | 'revoked';
    };

export interface CognitoIdpService extends JsonService {
  /** The public keys of a pool, served at `<issuer>/.well-known/jwks.json`; undefined for an unknown pool. */
  jwks(userPoolId: string): Promise<Jwks | undefined>;
  /**
   * Verifies an id token: signature, issuer (a pool of this model), expiry, token_use. The audience
   * is the caller's to check. With `checkRevocation` (an identity pool's ServerSideTokenCheck) a
   * token from a revoked or deleted sign-in is refused too.
   */
  verifyIdToken(token: string, options?: { checkRevocation?: boolean }): Promise<IdTokenCheck>;
  /** Adds a user (by email or sub) to a group; with two arguments, in the model's only user pool. */
  addUserToGroup(userPoolId: string, email: string, group: string): Promise<void>;
  addUserToGroup(email: string, group: string): Promise<void>;
  removeUserFromGroup(userPoolId: string, email: string, group: string): Promise<void>;
  removeUserFromGroup(email: string, group: string): Promise<void>;
  adminGetUser(userPoolId: string, username: string): AdminGetUserResponse & { Groups: string[] };
}

export function createCognitoIdpService(options: CognitoIdpOptions): CognitoIdpService {
  const ctx: IdpContext = {
    model: options.model,
    store: new FileIdpStore(options.stateDir),
    keys: new PoolKeys(options.stateDir),
    clock: options.clock,
    logger: options.logger,
    mailbox: options.mailbox,
    challenges: new ChallengeSessions(),
    quotas: new RequestQuotas(options.clock),
  };
  return {
    targetPrefix: COGNITO_IDP_TARGET_PREFIX,
    call: (operation: string, input: unknown, _meta: RequestMeta) => route(ctx, operation, input),
    jwks: async (userPoolId) => (ctx.model.userPools.has(userPoolId) ? ctx.keys.jwks(userPoolId) : undefined),
    verifyIdToken: (token, opts) => verifyIdToken(ctx, token, opts?.checkRevocation ?? false),
    addUserToGroup: async (...args: string[]) => addUserToGroup(ctx, ...poolUserGroup(ctx, args)),
    removeUserFromGroup: async (...args: string[]) => removeUserFromGroup(ctx, ...poolUserGroup(ctx, args)),
    adminGetUser: (poolId, username) => adminGetUser(ctx, poolId, username),
  };
}

function poolUserGroup(ctx: IdpContext, args: string[]): [string, string, string] {
  if (args.length === 3) return args as [string, string, string];
  const pools = [...ctx.model.userPools.keys()];
  if (pools.length !== 1 || args.length !== 2) {
    throw IdpErrors.invalidParameter(
      `Name the user pool: the sandbox has ${pools.length} (${pools.join(', ')}).`,
    );
  }
  return [pools[0] as string, args[0] as string, args[1] as string];
}

async function verifyIdToken(
  ctx: IdpContext,
  token: string,
  checkRevocation: boolean,
): Promise<IdTokenCheck> {
  const verified = await verifyPoolToken(ctx, token);
  if (!verified.ok)
    return { ok: false, reason: verified.reason === 'invalid' ? 'bad-signature' : verified.reason };
  const { pool, claims } = verified;
  if (claims.token_use !== 'id' || typeof claims.sub !== 'string' || typeof claims.aud !== 'string') {
    return { ok: false, reason: 'not-an-id-token' };
  }
  if (checkRevocation && (!liveSession(ctx, pool.id, claims) || !ctx.store.user(pool.id, claims.sub))) {
    return { ok: false, reason: 'revoked' };
  }
  return { ok: true, userPoolId: pool.id, claims: claims as JWTPayload & { sub: string; aud: string } };
}
