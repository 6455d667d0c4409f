import type { IdentitySlot } from '../users';

/** Where an account keeps a provider's user id (see `IdentitySlot` in the users module). */
export type IdentityKey = IdentitySlot;

/** What a provider tells us about the person who just signed in, already mapped from its profile shape. */
export interface SocialProfile {
  /** The provider's stable user id (never the email). */
  id: string;
  email: string | null;
  /** True only when the provider itself asserts the address is verified. */
  emailVerified: boolean;
  name: string | null;
  username: string | null;
  avatar: string | null;
}

export interface SocialIdentity extends SocialProfile {
  /** Registry name, e.g. `google`; stored as the account's `provider` when it creates the account. */
  provider: string;
  key: IdentityKey;
}

/**
 * A refused or failed social sign-in. The message is logged for the operator; the browser only
 * sees the generic failure redirect (plus `reason=provider_unavailable` for outages, which says
 * nothing about any account).
 */
export type SocialFailureReason =
  | 'access_denied'
  | 'state_invalid'
  | 'provider_unavailable'
  | 'provider_error'
  | 'no_email'
  | 'domain_not_allowed'
  | 'registration_disabled'
  | 'link_refused'
  | 'banned'
  | 'disabled';

export class SocialLoginFailure extends Error {
  constructor(
    readonly reason: SocialFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'SocialLoginFailure';
  }
}
