// The sign-in rules the user pool is built with and the web app's Amplify config announces:
// the backend construct and the outputs converter both read them here.

/** People sign up and sign in with their email address. */
export const SIGN_IN_ATTRIBUTE = 'email';

/** Password rules (docs/security-model.md#cognito). */
export const PASSWORD_POLICY = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
} as const;

/** MFA is optional, with an authenticator app (TOTP) only: SMS costs money per message. */
export const MFA = { configuration: 'OPTIONAL', methods: ['TOTP'] } as const;

/** The user pool group whose members get the admin role; its precedence wins over every other group. */
export const ADMINS_GROUP = { name: 'admins', precedence: 0 } as const;

export const TOKEN_VALIDITY = {
  accessTokenMinutes: 60,
  idTokenMinutes: 60,
  refreshTokenDays: 30,
} as const;
