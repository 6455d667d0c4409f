import { DomainError } from '../common/errors';
import type { UserRecord } from '../storage';

export const ACCOUNT_DISABLED_MESSAGE = 'This account has been disabled. Contact your administrator.';

export function accountDisabledError(): DomainError {
  return new DomainError(403, 'ACCOUNT_DISABLED', ACCOUNT_DISABLED_MESSAGE);
}

/**
 * The one rule for a disabled account (AD-01): every entrance that signs someone in, refreshes a
 * session or accepts a bearer token calls this with the account it is about to serve, next to
 * the ban check, so no path can forget it. Answers 403 ACCOUNT_DISABLED.
 */
export function assertAccountEnabled(user: Pick<UserRecord, 'disabled'>): void {
  if (user.disabled) throw accountDisabledError();
}
