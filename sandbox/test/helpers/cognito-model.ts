/**
 * A hand-built DeployedModel shaped like the CDK app's Auth and Identity stacks (see
 * test/fixtures/cdk-out): an SRP-only web client, an `admins` group with its own role, an
 * identity pool with guest access, token-based role mapping and aud + amr role trust.
 */
import { PASSWORD_POLICY } from '@image-share/contracts/auth';
import type {
  DeployedModel,
  IdentityPoolSpec,
  RoleSpec,
  UserPoolClientSpec,
  UserPoolSpec,
} from '../../src/deploy/model';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
export const POOL_ID = 'us-east-1_TestPool1';
export const OTHER_POOL_ID = 'us-east-1_OtherPool9';
export const WEB_CLIENT = 'webclient0000000000000001';
export const PASSWORD_CLIENT = 'pwdclient0000000000000002';
export const OTHER_POOL_CLIENT = 'otherclient00000000000003';
/** A client of the main pool that the identity pool does not list as a provider. */
export const UNLISTED_CLIENT = 'unlisted00000000000000004';
export const IDENTITY_POOL_ID = 'us-east-1:11111111-2222-3333-4444-555555555555';
export const GUESTLESS_IDENTITY_POOL_ID = 'us-east-1:99999999-2222-3333-4444-555555555555';
export const PROVIDER = `cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`;
export const AUTH_ROLE = `arn:aws:iam::${ACCOUNT}:role/ImageShare-Identity-AuthenticatedRole`;
export const GUEST_ROLE = `arn:aws:iam::${ACCOUNT}:role/ImageShare-Identity-UnauthenticatedRole`;
export const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/ImageShare-Identity-AdminsRole`;
/** A role whose trust names another identity pool: assuming it must fail. */
export const MISTRUSTING_ROLE = `arn:aws:iam::${ACCOUNT}:role/ImageShare-Identity-OtherPoolRole`;
export const STRONG_PASSWORD = 'Correct-Horse-9-Battery';

function client(clientId: string, userPoolId: string, explicitAuthFlows: string[]): UserPoolClientSpec {
  return {
    clientId,
    userPoolId,
    hasSecret: false,
    explicitAuthFlows,
    preventUserExistenceErrors: true,
    enableTokenRevocation: true,
    accessTokenValiditySeconds: 3600,
    idTokenValiditySeconds: 3600,
    refreshTokenValiditySeconds: 30 * 24 * 3600,
    readAttributes: ['email', 'email_verified'],
    writeAttributes: ['email'],
  };
}

function userPool(
  id: string,
  clients: UserPoolClientSpec[],
  keepOriginalUntilVerified: readonly string[] = ['email'],
): UserPoolSpec {
  return {
    id,
    arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${id}`,
    region: REGION,
    // The app's own rules, as the deployed model names them.
    passwordPolicy: {
      minimumLength: PASSWORD_POLICY.minLength,
      requireLowercase: PASSWORD_POLICY.requireLowercase,
      requireUppercase: PASSWORD_POLICY.requireUppercase,
      requireNumbers: PASSWORD_POLICY.requireDigits,
      requireSymbols: PASSWORD_POLICY.requireSymbols,
      temporaryPasswordValidityDays: 3,
    },
    usernameAttributes: ['email'],
    autoVerifiedAttributes: ['email'],
    keepOriginalUntilVerified,
    selfSignUpEnabled: true,
    mfaConfiguration: 'OPTIONAL',
    deletionProtection: false,
    groups: new Map([
      ['admins', { name: 'admins', roleArn: ADMIN_ROLE, precedence: 0, description: 'admins' }],
    ]),
    clients: new Map(clients.map((c) => [c.clientId, c])),
  };
}

function trust(identityPoolId: string, amr: 'authenticated' | 'unauthenticated') {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow' as const,
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': identityPoolId },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': amr },
        },
      },
    ],
  };
}

function role(arn: string, assumeRolePolicy: RoleSpec['assumeRolePolicy']): RoleSpec {
  return { arn, name: arn.split('/').pop() as string, assumeRolePolicy, policies: [] };
}

export interface ModelOptions {
  /** Point the authenticated role at a role that does not trust this pool. */
  readonly authenticatedRole?: string;
  /** The identity pool provider's ServerSideTokenCheck (revoked sign-ins are refused). */
  readonly serverSideTokenCheck?: boolean;
  /** The pool's AttributesRequireVerificationBeforeUpdate; the app's pool keeps the original email. */
  readonly keepOriginalUntilVerified?: readonly string[];
}

export function cognitoModel(options: ModelOptions = {}): DeployedModel {
  const main = userPool(
    POOL_ID,
    [
      client(WEB_CLIENT, POOL_ID, ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
      client(PASSWORD_CLIENT, POOL_ID, [
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ]),
      client(UNLISTED_CLIENT, POOL_ID, ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    ],
    options.keepOriginalUntilVerified,
  );
  const other = userPool(OTHER_POOL_ID, [
    client(OTHER_POOL_CLIENT, OTHER_POOL_ID, ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
  ]);
  const identityPool: IdentityPoolSpec = {
    id: IDENTITY_POOL_ID,
    allowUnauthenticated: true,
    allowClassicFlow: false,
    providers: [
      {
        providerName: PROVIDER,
        clientId: WEB_CLIENT,
        serverSideTokenCheck: options.serverSideTokenCheck ?? false,
      },
    ],
    roles: { authenticated: options.authenticatedRole ?? AUTH_ROLE, unauthenticated: GUEST_ROLE },
    roleMappings: new Map([
      [
        `${PROVIDER}:${WEB_CLIENT}`,
        { type: 'Token' as const, ambiguousRoleResolution: 'AuthenticatedRole' as const },
      ],
    ]),
  };
  const guestless: IdentityPoolSpec = {
    ...identityPool,
    id: GUESTLESS_IDENTITY_POOL_ID,
    allowUnauthenticated: false,
    roleMappings: new Map(),
  };
  return {
    accountId: ACCOUNT,
    region: REGION,
    userPools: new Map([
      [main.id, main],
      [other.id, other],
    ]),
    identityPools: new Map([
      [identityPool.id, identityPool],
      [guestless.id, guestless],
    ]),
    roles: new Map([
      [AUTH_ROLE, role(AUTH_ROLE, trust(IDENTITY_POOL_ID, 'authenticated'))],
      [GUEST_ROLE, role(GUEST_ROLE, trust(IDENTITY_POOL_ID, 'unauthenticated'))],
      [ADMIN_ROLE, role(ADMIN_ROLE, trust(IDENTITY_POOL_ID, 'authenticated'))],
      [
        MISTRUSTING_ROLE,
        role(MISTRUSTING_ROLE, trust('us-east-1:00000000-0000-0000-0000-000000000000', 'authenticated')),
      ],
    ]),
    buckets: new Map(),
    distributions: new Map(),
    tables: new Map(),
    functions: new Map(),
    secrets: new Map(),
    graphqlApis: new Map(),
    outputs: {},
    unsupported: [],
  };
}
