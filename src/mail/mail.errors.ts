import { defineErrors } from '../common/errors';

/** The public error codes of the mail module (docs/api.md#errors). */
export const MailErrors = defineErrors('mail', {
  INVALID_VERIFICATION_TOKEN: { status: 400, code: 'INVALID_VERIFICATION_TOKEN', message: 'Invalid or expired email verification token' },
  USER_EXISTS: { status: 409, code: 'USER_EXISTS', message: 'A user with this email already exists.' },
  INVALID_RESET_TOKEN: { status: 400, code: 'INVALID_RESET_TOKEN', message: 'Invalid or expired password reset token' },
  PASSWORD_RESET_DISABLED: { status: 403, code: 'PASSWORD_RESET_DISABLED', message: 'Password reset is not allowed.' },
  PASSWORD_MISMATCH: { status: 400, code: 'PASSWORD_MISMATCH', message: 'The passwords do not match.' },
});
