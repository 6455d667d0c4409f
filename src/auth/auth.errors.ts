import { defineErrors } from '../common/errors';

/** The public error codes of the auth module (docs/api.md#errors). */
export const AuthErrors = defineErrors('auth', {
  CROSS_SITE_REQUEST: { status: 403, code: 'CROSS_SITE_REQUEST', message: 'Cross-site requests are not allowed here.' },
  SECOND_FACTOR_UNAVAILABLE: { status: 503, code: 'SECOND_FACTOR_UNAVAILABLE', message: 'Two-factor verification is not available right now.' },
  ACCOUNT_DELETION_DISABLED: { status: 403, code: 'ACCOUNT_DELETION_DISABLED', message: 'You do not have permission to delete this account' },
  TOKEN_EXPIRED: { status: 401, code: 'TOKEN_EXPIRED', message: 'The access token has expired.' },
  TOKEN_INVALID: { status: 401, code: 'TOKEN_INVALID', message: 'The access token is invalid.' },
  TOKEN_MISSING: { status: 401, code: 'TOKEN_MISSING', message: 'No auth token.' },
  INVALID_CREDENTIALS: { status: 401, code: 'INVALID_CREDENTIALS', message: 'Invalid email or password.' },
  EMAIL_LOGIN_DISABLED: { status: 403, code: 'EMAIL_LOGIN_DISABLED', message: 'Email login is not allowed.' },
  EMAIL_NOT_VERIFIED: { status: 403, code: 'EMAIL_NOT_VERIFIED', message: 'Email not verified.' },
  PASSWORD_MISMATCH: { status: 400, code: 'PASSWORD_MISMATCH', message: 'The passwords do not match.' },
  // The second-factor seam's answers (two-factor/ fills it): no proof given, or a wrong one.
  SECOND_FACTOR_REQUIRED: { status: 400, code: 'SECOND_FACTOR_REQUIRED', message: 'A 2FA code or backup code is required.' },
  INVALID_SECOND_FACTOR: { status: 401, code: 'INVALID_SECOND_FACTOR', message: 'Invalid 2FA code or backup code' },
  SESSION_NOT_FOUND: { status: 404, code: 'SESSION_NOT_FOUND', message: 'Session not found.' },
});
