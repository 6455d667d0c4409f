import { defineErrors } from '../common/errors';

/** The public error codes of the users module (docs/api.md#errors). */
export const UsersErrors = defineErrors('users', {
  REGISTRATION_DISABLED: { status: 403, code: 'REGISTRATION_DISABLED', message: 'Registration is not allowed.' },
  EMAIL_DOMAIN_NOT_ALLOWED: {
    status: 403,
    code: 'EMAIL_DOMAIN_NOT_ALLOWED',
    message: 'The email address provided cannot be used. Please use a different email address.',
  },
  INVALID_INVITE_TOKEN: { status: 400, code: 'INVALID_INVITE_TOKEN', message: 'Invalid invite token' },
  ACCOUNT_DISABLED: { status: 403, code: 'ACCOUNT_DISABLED', message: 'This account has been disabled. Contact your administrator.' },
  USER_NOT_FOUND: { status: 404, code: 'USER_NOT_FOUND', message: 'User not found.' },
  PASSWORD_BLANK: { status: 400, code: 'PASSWORD_BLANK', message: 'The password must not be blank.' },
  PASSWORD_TOO_SHORT: { status: 400, code: 'PASSWORD_TOO_SHORT', message: 'The password is too short.' },
  PASSWORD_TOO_LONG: { status: 400, code: 'PASSWORD_TOO_LONG', message: 'The password is too long.' },
  PASSWORD_TOO_COMMON: {
    status: 400,
    code: 'PASSWORD_TOO_COMMON',
    message: 'This password is on a list of common or breached passwords. Please choose another one; a few unrelated words make a strong password.',
  },
});
