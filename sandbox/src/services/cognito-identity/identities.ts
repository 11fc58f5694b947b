import { randomUUID } from 'node:crypto';
import type { IdentityPoolSpec } from '../../deploy/model';
import { stringMap, requiredString } from '../cognito-idp/params';
import type { IdentityContext } from './context';
import { IdentityErrors } from './errors';
import type { IdentityRecord } from './store';

/** AWS's pattern for both identity pool ids and identity ids (`<region>:<uuid>`). */
const ID = /^[\w-]+:[0-9a-f-]+$/;

export function requiredId(input: object, name: 'IdentityPoolId' | 'IdentityId'): string {
  const id = requiredString(input, name);
  if (!ID.test(id)) {
    throw IdentityErrors.validation(
      name.charAt(0).toLowerCase() + name.slice(1),
      'Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+',
      id,
    );
  }
  return id;
}

export function resolveIdentityPool(ctx: IdentityContext, input: object): IdentityPoolSpec {
  const id = requiredId(input, 'IdentityPoolId');
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
