import type { PasswordPolicySpec } from '../../deploy/model';
import { IdpErrors } from './errors';

/** The special characters Cognito counts as symbols (its documented set, space included). */
const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- '.split(''));

/** Throws Cognito's InvalidPasswordException / InvalidParameterException for a password the pool refuses. */
export function assertPasswordAllowed(
  password: string,
  policy: PasswordPolicySpec,
  memberName = 'password',
): void {
  // Cognito's request constraint, checked before the policy: no leading or trailing whitespace.
  if (password.length > 256 || !/^[\S]+.*[\S]+$/su.test(password)) {
    throw IdpErrors.validation(
      memberName,
      'Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$',
      '(redacted)',
    );
  }
  if ([...password].length < policy.minimumLength)
    throw IdpErrors.invalidPassword('Password not long enough');
  if (policy.requireLowercase && !/[a-z]/.test(password)) {
    throw IdpErrors.invalidPassword('Password must have lowercase characters');
  }
  if (policy.requireUppercase && !/[A-Z]/.test(password)) {
    throw IdpErrors.invalidPassword('Password must have uppercase characters');
  }
  if (policy.requireNumbers && !/[0-9]/.test(password)) {
    throw IdpErrors.invalidPassword('Password must have numeric characters');
  }
  if (policy.requireSymbols && ![...password].some((c) => SYMBOLS.has(c))) {
    throw IdpErrors.invalidPassword('Password must have symbol characters');
  }
}
