import { defineErrors } from '../common/errors';

/** The public error codes of the passkeys module (docs/api.md#errors, docs/passkeys.md). */
export const PasskeysErrors = defineErrors('passkeys', {
  /** Missing, foreign, expired or already spent challenge (PK-01, PK-02, PK-03). */
  PASSKEY_CHALLENGE_INVALID: { status: 400, code: 'PASSKEY_CHALLENGE_INVALID', message: 'The passkey request expired or was already used; start again.' },
  /** Any assertion or attestation that does not verify; the reason is logged, not told. */
  PASSKEY_REJECTED: { status: 401, code: 'PASSKEY_REJECTED', message: 'This passkey was not accepted.' },
  PASSKEY_REGISTRATION_REJECTED: { status: 400, code: 'PASSKEY_REGISTRATION_REJECTED', message: 'The passkey could not be registered.' },
  PASSKEY_ALREADY_REGISTERED: { status: 409, code: 'PASSKEY_ALREADY_REGISTERED', message: 'This passkey is already registered.' },
  PASSKEY_NOT_FOUND: { status: 404, code: 'PASSKEY_NOT_FOUND', message: 'No such passkey.' },
  LAST_SIGN_IN_METHOD: {
    status: 409,
    code: 'LAST_SIGN_IN_METHOD',
    message: 'This passkey is the only way to sign in to this account; add another before removing it.',
  },
  NO_PASSKEY: { status: 400, code: 'NO_PASSKEY', message: 'This account has no passkey.' },
  PASSKEYS_UNAVAILABLE: { status: 503, code: 'PASSKEYS_UNAVAILABLE', message: 'Passkeys are not configured on this server.' },
});
