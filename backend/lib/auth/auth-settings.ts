// The sign-in rules shared by the user pool construct and the Amplify config converter,
// kept free of aws-cdk-lib so the frontend and sandbox can import them.

/** Password rules (docs/security-model.md#cognito). */
export const PASSWORD_POLICY = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
} as const;

/** The user pool group whose members get the admin role; its precedence wins over every other group. */
export const ADMINS_GROUP = { name: 'admins', precedence: 0 } as const;

export const TOKEN_VALIDITY = {
  accessTokenMinutes: 60,
  idTokenMinutes: 60,
  refreshTokenDays: 30,
} as const;
