import { randomUUID } from 'node:crypto';
import type { IdentityPoolSpec } from '../../deploy/model';
import { stringMap, requiredString } from '../cognito-idp/params';
import type { IdentityContext } from './context';
import { IdentityErrors } from './errors';
import type { IdentityRecord } from './store';

const POOL_ID = /^[\w-]+:[0-9a-f-]+$/;

export function resolveIdentityPool(
  ctx: IdentityContext,
  input: object,
  member = 'IdentityPoolId',
): IdentityPoolSpec {
  const id = requiredString(input, member);
  if (!POOL_ID.test(id)) {
    throw IdentityErrors.validation(
      'identityPoolId',
      'Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+',
      id,
    );
  }
  const pool = ctx.model.identityPools.get(id);
  if (!pool) throw IdentityErrors.poolNotFound(id);
  return pool;
}

export function loginsOf(input: object): Record<string, string> {
  return stringMap(input, 'Logins');
}

/** A new identity id, `<region>:<uuid>` with the pool's region. */
export async function createIdentity(
  ctx: IdentityContext,
  pool: IdentityPoolSpec,
  logins: Record<string, string>,
): Promise<IdentityRecord> {
  const region = pool.id.split(':')[0] as string;
  const now = ctx.clock.now().getTime();
  const record: IdentityRecord = {
    identityId: `${region}:${randomUUID()}`,
    identityPoolId: pool.id,
    logins,
    createdAt: now,
    lastModifiedAt: now,
  };
  await ctx.store.save(record);
  return record;
}
