import { defineErrors } from '../common/errors';

/** The public error codes of the two-factor module (docs/api.md#errors). */
export const TwoFactorErrors = defineErrors('two-factor', {
  MISSING_TEMP_TOKEN: { status: 400, code: 'MISSING_TEMP_TOKEN', message: 'Missing temporary token' },
  TWO_FACTOR_NOT_ENABLED: { status: 400, code: 'TWO_FACTOR_NOT_ENABLED', message: '2FA is not enabled for this user' },
  TWO_FACTOR_NOT_INITIATED: { status: 400, code: 'TWO_FACTOR_NOT_INITIATED', message: '2FA not initiated' },
  TWO_FACTOR_NOT_SET_UP: { status: 400, code: 'TWO_FACTOR_NOT_SET_UP', message: '2FA is not setup for this user' },
  TWO_FACTOR_SECRET_CORRUPTED: { status: 400, code: 'TWO_FACTOR_SECRET_CORRUPTED', message: '2FA secret is missing or corrupted' },
  INVALID_SECOND_FACTOR_IN_SETUP: { status: 400, code: 'INVALID_SECOND_FACTOR', message: 'Invalid 2FA code or backup code' },
  INVALID_TEMP_TOKEN: { status: 401, code: 'INVALID_TEMP_TOKEN', message: 'Invalid or expired temporary token' },
});
