import { Injectable } from '@nestjs/common';
import type { IdpTokenSet, UserRecord } from '../storage';

/**
 * What token reuse needs from the OpenID provider that opened a login. The OpenID module gives
 * one per provider (the default one and each OPENID_PROVIDERS entry with token reuse on), so this
 * module never reaches into OpenID's discovery, token endpoint or verifiers.
 */
export interface ReuseIdentityProvider {
  /** The provider's route name: `openid` for the default provider, `openid-<name>` otherwise. */
  readonly name: string;
  /** OPENID[_<NAME>]_REUSE_MAX_SESSION_AGE_MS: a stored token younger than this is served without an IdP call. */
  readonly reuseMaxSessionAgeMs: number;
  /** How long one instance may hold a login's refresh (TR-12): the token call, UserInfo and a JWKS fetch. */
  readonly refreshLeaseMs: number;
  /**
   * One refresh grant at the IdP for a stored login, with the new ID token verified (same `iss`
   * and `sub`, CS-14) and role sync / required role applied. Null when the IdP ended the login
   * (invalid_grant, a refused ID token, the required role gone, no usable token).
   * Throws ReuseIdpUnavailableError on an outage (the session is kept, TR-04).
   */
  refreshAtIdp(userId: string, stored: IdpTokenSet): Promise<IdpTokenSet | null>;
  /**
   * An IdP token presented as bearer, verified against this provider's keys. Undefined when it is
   * not an IdP token at all (a Gatehouse HS256 token); throws a 401/503 DomainError when refused.
   */
  verifyBearer(token: string, userId: string): Promise<{ payload: Record<string, unknown>; issuer: string } | undefined>;
  /** The stored OpenID identity the token must match (`sub` and stored issuer form). */
  storedIssuerOf(payload: Record<string, unknown>): string;
  /** OPENID_ROLE_SYNC_API_ENABLED: the role follows a verified bearer token's claims (OR-05). */
  onBearer(user: UserRecord, payload: Record<string, unknown>): Promise<UserRecord>;
}

/** The IdP could not be reached or answered 5xx during a refresh: answer 503 and keep the session. */
export class ReuseIdpUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReuseIdpUnavailableError';
  }
}

/** The providers that have token reuse on, by route name; each OpenID module registers its own at start-up. */
@Injectable()
export class ReuseProviders {
  private readonly providers = new Map<string, ReuseIdentityProvider>();

  register(provider: ReuseIdentityProvider): void {
    if (this.providers.has(provider.name)) throw new Error(`token reuse: provider ${provider.name} registered twice`);
    this.providers.set(provider.name, provider);
  }

  get(name: string): ReuseIdentityProvider | undefined {
    return this.providers.get(name);
  }

  get size(): number {
    return this.providers.size;
  }
}
