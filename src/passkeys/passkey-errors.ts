import { DomainError } from '../common/errors';
import { PasskeysErrors as E } from './passkeys.errors';

/** The throw sites' shorthands; the codes, statuses and messages live in passkeys.errors.ts. */
export const passkeyErrors = {
  challenge: () => new DomainError(E.PASSKEY_CHALLENGE_INVALID),
  rejected: () => new DomainError(E.PASSKEY_REJECTED),
  registrationRejected: () => new DomainError(E.PASSKEY_REGISTRATION_REJECTED),
  duplicate: () => new DomainError(E.PASSKEY_ALREADY_REGISTERED),
  notFound: () => new DomainError(E.PASSKEY_NOT_FOUND),
  lastMethod: () => new DomainError(E.LAST_SIGN_IN_METHOD),
  noPasskey: () => new DomainError(E.NO_PASSKEY),
  unavailable: () => new DomainError(E.PASSKEYS_UNAVAILABLE),
};
