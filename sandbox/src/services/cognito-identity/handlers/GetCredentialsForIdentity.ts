import type {
  GetCredentialsForIdentityInput,
  GetCredentialsForIdentityResponse,
} from '@aws-sdk/client-cognito-identity';
import { randomBytes } from 'node:crypto';
import type { SessionCredentials } from '../../../core/credentials';
import type { IdentityPoolSpec } from '../../../deploy/model';
import { authorizeAssumeRole } from '../../../iam/authorizer';
import { optionalString } from '../../cognito-idp/params';
import type { IdentityContext } from '../context';
import { IdentityErrors } from '../errors';
import { createIdentity, loginsOf, requiredId } from '../identities';
import { verifyLogins, type VerifiedLogin } from '../logins';
import { chooseRole } from '../roles';
import type { IdentityRecord } from '../store';

const CREDENTIALS_LIFETIME_MS = 60 * 60 * 1000;

export async function GetCredentialsForIdentity(
  ctx: IdentityContext,
  input: GetCredentialsForIdentityInput,
): Promise<GetCredentialsForIdentityResponse> {
  const requestedId = requiredId(input, 'IdentityId');
  const customRoleArn = optionalString(input, 'CustomRoleArn');
  const requested = ctx.store.identity(requestedId);
  const pool = requested ? ctx.model.identityPools.get(requested.identityPoolId) : undefined;
  if (!requested || !pool) throw IdentityErrors.identityNotFound(requestedId);

  const login = await verifyLogins(ctx, pool, loginsOf(input));
  let identity: IdentityRecord;
  if (!login) {
    // An identity that belongs to a user is only ever handed out against that user's login.
    if (Object.keys(requested.logins).length > 0) throw IdentityErrors.loginsDontMatch();
    if (!pool.allowUnauthenticated) throw IdentityErrors.guestsDisabled();
    identity = requested;
  } else {
    identity = await identityForLogin(ctx, pool, requested, login);
  }

  const roleArn = chooseRole(pool, login, customRoleArn);
  const amr = login
    ? ['authenticated', login.provider, `${login.provider}:CognitoSignIn:${login.sub}`]
    : ['unauthenticated'];
  const trust = authorizeAssumeRole(
    ctx.model,
    roleArn,
    { identityPoolId: pool.id, amr, identityId: identity.identityId },
    ctx.clock,
  );
  if (trust.decision !== 'Allow') {
    ctx.logger.warn(`role trust refused ${roleArn} for ${identity.identityId}`, {
      decision: trust.decision,
      amr,
    });
    throw IdentityErrors.invalidPoolConfiguration();
  }

  const credentials = issueCredentials(ctx, roleArn, identity, amr);
  await ctx.credentials.put(credentials);
  return {
    IdentityId: identity.identityId,
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: credentials.expiration,
    },
  };
}

/**
 * The client sends its cached (guest) identity id with the login. A user already known keeps
 * their first identity id, so their folder stays the same whatever device or guest id they come
 * from; a first login adopts the guest identity; an identity that is someone else's is never
 * handed over, the user gets a new one.
 */
async function identityForLogin(
  ctx: IdentityContext,
  pool: IdentityPoolSpec,
  requested: IdentityRecord,
  login: VerifiedLogin,
): Promise<IdentityRecord> {
  const linked = ctx.store.byLogin(pool.id, login.provider, login.sub);
  if (linked) return linked;
  if (Object.keys(requested.logins).length === 0) {
    requested.logins = { [login.provider]: login.sub };
    requested.lastModifiedAt = ctx.clock.now().getTime();
    await ctx.store.save(requested);
    ctx.logger.info(`linked identity ${requested.identityId} to ${login.provider}:${login.sub}`);
    return requested;
  }
  return createIdentity(ctx, pool, { [login.provider]: login.sub });
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function issueCredentials(
  ctx: IdentityContext,
  roleArn: string,
  identity: IdentityRecord,
  amr: string[],
): SessionCredentials {
  const accessKeyId = `ASIA${[...randomBytes(16)].map((b) => BASE32[b % 32]).join('')}`;
  const roleName = ctx.model.roles.get(roleArn)?.name ?? roleArn.split('/').pop() ?? roleArn;
  return {
    accessKeyId,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(96).toString('base64'),
    expiration: new Date(ctx.clock.now().getTime() + CREDENTIALS_LIFETIME_MS),
    roleArn,
    assumedRoleArn: `arn:aws:sts::${ctx.model.accountId}:assumed-role/${roleName}/CognitoIdentityCredentials`,
    identityId: identity.identityId,
    identityPoolId: identity.identityPoolId,
    amr,
  };
}
