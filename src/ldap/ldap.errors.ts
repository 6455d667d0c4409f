import { defineErrors } from '../common/errors';

/** The public error codes of the ldap module (docs/api.md#errors). */
export const LdapErrors = defineErrors('ldap', {
  ACCOUNT_LINK_REFUSED: {
    status: 409,
    code: 'ACCOUNT_LINK_REFUSED',
    message: 'An account with this email already exists and cannot be linked to the directory account.',
  },
});
