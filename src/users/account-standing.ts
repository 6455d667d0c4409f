import { DomainError } from '../common/errors';
import { UsersErrors } from './users.errors';
import type { UserRecord } from '../storage';

export const ACCOUNT_DISABLED_MESSAGE = UsersErrors.ACCOUNT_DISABLED.message;

export function accountDisabledError(): DomainError {
  return new DomainError(UsersErrors.ACCOUNT_DISABLED);
}

/**
 * The one rule for a disabled account (AD-01): every entrance that signs someone in, refreshes a
 * session or accepts a bearer token calls this with the account it is about to serve, next to
 * the ban check, so no path can forget it. Answers 403 ACCOUNT_DISABLED.
 */
export function assertAccountEnabled(user: Pick<UserRecord, 'disabled'>): void {
  if (user.disabled) throw accountDisabledError();
}
