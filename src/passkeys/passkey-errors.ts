import { DomainError } from '../common/errors';

export const passkeyErrors = {
  /** Missing, foreign, expired or already spent challenge (PK-01, PK-02, PK-03). */
  challenge: () => new DomainError(400, 'PASSKEY_CHALLENGE_INVALID', 'The passkey request expired or was already used; start again.'),
  /** Any assertion or attestation that does not verify; the reason is logged, not told. */
  rejected: () => new DomainError(401, 'PASSKEY_REJECTED', 'This passkey was not accepted.'),
  registrationRejected: () => new DomainError(400, 'PASSKEY_REGISTRATION_REJECTED', 'The passkey could not be registered.'),
  duplicate: () => new DomainError(409, 'PASSKEY_ALREADY_REGISTERED', 'This passkey is already registered.'),
  notFound: () => new DomainError(404, 'PASSKEY_NOT_FOUND', 'No such passkey.'),
  lastMethod: () => new DomainError(409, 'LAST_SIGN_IN_METHOD', 'This passkey is the only way to sign in to this account; add another before removing it.'),
  noPasskey: () => new DomainError(400, 'NO_PASSKEY', 'This account has no passkey.'),
  unavailable: () => new DomainError(503, 'PASSKEYS_UNAVAILABLE', 'Passkeys are not configured on this server.'),
};
