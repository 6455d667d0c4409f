import { defineErrors, type ErrorEntry } from '../common/errors';
import { UsersErrors } from '../users';

/** What the password policy (users/) can refuse, for every operation that sets a password. */
export const PASSWORD_POLICY_ERRORS: ErrorEntry[] = [
  UsersErrors.PASSWORD_BLANK,
  UsersErrors.PASSWORD_TOO_SHORT,
  UsersErrors.PASSWORD_TOO_LONG,
  UsersErrors.PASSWORD_TOO_COMMON,
];

/**
 * Answers of the seams other modules fill (auth/ does not import them): a directory sign-in
 * (ldap/) and the OpenID provider's refresh and bearer tokens (openid/). Declared here with the
 * same status and code as in those modules' catalogues, so the document lists them on auth's routes.
 */
const SeamErrors = defineErrors('auth-seams', {
  ACCOUNT_LINK_REFUSED: {
    status: 409,
    code: 'ACCOUNT_LINK_REFUSED',
    message: 'An account with this email already exists and cannot be linked to the directory account.',
  },
  IDP_UNAVAILABLE: { status: 503, code: 'IDP_UNAVAILABLE', message: 'The identity provider is unavailable. Please try again shortly.' },
});
export const DIRECTORY_LOGIN_ERRORS: ErrorEntry[] = [SeamErrors.ACCOUNT_LINK_REFUSED, UsersErrors.EMAIL_DOMAIN_NOT_ALLOWED];
export const OPENID_IDP_UNAVAILABLE: ErrorEntry = SeamErrors.IDP_UNAVAILABLE;
