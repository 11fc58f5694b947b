/**
 * Which role an identity gets: the pool's role attachment, refined by a role mapping for the
 * login's provider (Token: the id token's cognito:preferred_role / cognito:roles; Rules: claim
 * rules), with AmbiguousRoleResolution deciding when the mapping does not pick one.
 */
import type { IdentityPoolSpec, RoleMappingSpec } from '../../deploy/model';
import { IdentityErrors } from './errors';
import type { VerifiedLogin } from './logins';

export function chooseRole(
  pool: IdentityPoolSpec,
  login: VerifiedLogin | undefined,
  customRoleArn?: string,
): string {
  if (!login) return pool.roles.unauthenticated ?? failConfiguration();
  const mapping = pool.roleMappings.get(`${login.provider}:${login.clientId}`);
  if (!mapping) return pool.roles.authenticated ?? failConfiguration();
  const mapped = mapping.type === 'Token' ? fromToken(login, customRoleArn) : fromRules(mapping, login);
  if (mapped) return mapped;
  if (mapping.ambiguousRoleResolution === 'AuthenticatedRole')
    return pool.roles.authenticated ?? failConfiguration();
  throw IdentityErrors.roleDenied(
    'The role mapping found no role for this user and the identity pool denies ambiguous roles.',
  );
}

function failConfiguration(): never {
  throw IdentityErrors.invalidPoolConfiguration();
}

function fromToken(login: VerifiedLogin, customRoleArn: string | undefined): string | undefined {
  const roles = Array.isArray(login.claims['cognito:roles'])
    ? (login.claims['cognito:roles'] as unknown[]).filter((r): r is string => typeof r === 'string')
    : [];
  if (customRoleArn !== undefined) {
    if (!roles.includes(customRoleArn)) {
      throw IdentityErrors.roleDenied(
        'The CustomRoleArn is not one of the roles in the token (cognito:roles).',
      );
    }
    return customRoleArn;
  }
  const preferred = login.claims['cognito:preferred_role'];
  return typeof preferred === 'string' ? preferred : undefined;
}

function fromRules(mapping: RoleMappingSpec, login: VerifiedLogin): string | undefined {
  for (const rule of mapping.rules ?? []) {
    const raw = login.claims[rule.claim];
    const values = Array.isArray(raw) ? raw.map(String) : raw === undefined ? [] : [String(raw)];
    const matches = (v: string) => {
      switch (rule.matchType) {
        case 'Equals':
          return v === rule.value;
        case 'Contains':
          return v.includes(rule.value);
        case 'StartsWith':
          return v.startsWith(rule.value);
        case 'NotEqual':
          return v !== rule.value;
        default:
          return false;
      }
    };
    const hit =
      rule.matchType === 'NotEqual' ? values.length > 0 && values.every(matches) : values.some(matches);
    if (hit) return rule.roleArn;
  }
  return undefined;
}
