/**
 * Cognito's request-rate quotas (per account and second, by operation category, at their
 * documented defaults), so a client that hammers the user pool meets TooManyRequestsException
 * locally as it would in AWS, and SRP's big-number work cannot be requested without bound.
 */
import type { Clock } from '../../core/clock';
import { AwsError } from '../../core/errors';

const QUOTA_CATEGORIES: Readonly<
  Record<string, { readonly operations: readonly string[]; readonly perSecond: number }>
> = {
  UserAuthentication: { operations: ['InitiateAuth', 'RespondToAuthChallenge'], perSecond: 120 },
  UserCreation: { operations: ['SignUp', 'ConfirmSignUp', 'ResendConfirmationCode'], perSecond: 50 },
  UserAccountRecovery: { operations: ['ForgotPassword', 'ConfirmForgotPassword'], perSecond: 30 },
  UserRead: { operations: ['GetUser'], perSecond: 120 },
  UserUpdate: {
    operations: [
      'UpdateUserAttributes',
      'VerifyUserAttribute',
      'GetUserAttributeVerificationCode',
      'ChangePassword',
      'DeleteUser',
    ],
    perSecond: 25,
  },
  UserToken: { operations: ['GetTokensFromRefreshToken', 'RevokeToken', 'GlobalSignOut'], perSecond: 120 },
};

/** A token bucket per category: a second's worth of burst, refilled continuously. */
export class RequestQuotas {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly categoryOf = new Map<string, string>();

  constructor(private readonly clock: Clock) {
    for (const [category, { operations }] of Object.entries(QUOTA_CATEGORIES)) {
      for (const op of operations) this.categoryOf.set(op, category);
    }
  }

  take(operation: string): void {
    const category = this.categoryOf.get(operation);
    if (!category) return;
    const rate = QUOTA_CATEGORIES[category]?.perSecond ?? 0;
    const now = this.clock.now().getTime();
    const bucket = this.buckets.get(category) ?? { tokens: rate, at: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    this.buckets.set(category, bucket);
    if (bucket.tokens < 1) throw new AwsError('TooManyRequestsException', 'Rate exceeded', 400);
    bucket.tokens -= 1;
  }
}
