/**
 * Sign-in throttling per user: five failed password checks inside fifteen minutes lock the user
 * out, first for one minute, doubling on each further lockout up to fifteen minutes. During a
 * lockout even the right password gets "Password attempts exceeded".
 */
import { IdpErrors } from './errors';
import type { UserRecord } from './store';

const FAILURE_WINDOW_MS = 15 * 60 * 1000;
const FAILURES_BEFORE_LOCKOUT = 5;
const FIRST_LOCKOUT_MS = 60 * 1000;
const MAX_LOCKOUT_MS = 15 * 60 * 1000;

export function assertNotLockedOut(user: UserRecord, now: number): void {
  if (user.lockedUntil !== undefined && now < user.lockedUntil) throw IdpErrors.passwordAttemptsExceeded();
}

export function recordFailedSignIn(user: UserRecord, now: number): void {
  user.signInFailures = user.signInFailures.filter((t) => t > now - FAILURE_WINDOW_MS);
  if (user.signInFailures.length === 0) user.lockouts = 0;
  user.signInFailures.push(now);
  if (user.signInFailures.length >= FAILURES_BEFORE_LOCKOUT) {
    user.lockedUntil = now + Math.min(MAX_LOCKOUT_MS, FIRST_LOCKOUT_MS * 2 ** user.lockouts);
    user.lockouts += 1;
  }
}

export function recordSuccessfulSignIn(user: UserRecord): void {
  user.signInFailures = [];
  user.lockouts = 0;
  delete user.lockedUntil;
}
