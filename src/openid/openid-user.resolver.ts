import { Injectable } from '@nestjs/common';
import { OpenIdConfig } from '../config';
import { UserRecord, UserRepository } from '../storage';
import { FederatedAccountRefusal, FederatedAccounts } from '../users';
import { claimedProfile, newAccountProfile } from './claimed-profile';
import { emailOf, isEmailLike } from './claims';
import { locateIssuer, storedIssuerForm } from './issuer-url';
import { OpenIdFailure } from './openid-errors';

export interface OpenIdIdentity {
  sub: string;
  /** The token's `iss`. */
  issuer: string;
  /** ID token claims merged with userinfo. */
  claims: Record<string, unknown>;
}

/**
 * Finds or creates the account of an OpenID identity. The account rule itself (identity first,
 * verified-only linking, unverified local accounts stripped of their credentials before a link,
 * the registration switch, the domain allow-list) is the one every browser sign-in shares,
 * `FederatedAccounts` (SO-05); this class adds only what is OpenID's own:
 * - the lookup by (openidId = sub, issuer), then a legacy account with that sub and no issuer,
 *   only when the token comes from the configured issuer (it then gets the issuer);
 * - the claim mapping (OPENID_*_CLAIM) and the admin role policy;
 * - a missing email is a configuration problem of the provider (the email scope or claim).
 */
@Injectable()
export class OpenIdUserResolver {
  constructor(
    private readonly users: UserRepository,
    private readonly accounts: FederatedAccounts,
    private readonly config: OpenIdConfig,
  ) {}

  /** Lookup only (bearer and refresh paths): by sub and issuer, with the legacy fallback. */
  async find(sub: string, issuer: string): Promise<UserRecord | null> {
    const stored = storedIssuerForm(issuer);
    const found = await this.users.findByProviderId('openidId', sub, stored);
    if (found) return found;
    if (this.isConfiguredIssuer(issuer)) return this.users.findByProviderId('openidId', sub, null);
    return null;
  }

  /** `avatar`: the imported `picture` (AvatarImporter), or null to leave the avatar alone. */
  async resolve(identity: OpenIdIdentity, role: (current: string | null) => string | null, avatar: string | null = null): Promise<UserRecord> {
    const issuer = storedIssuerForm(identity.issuer);
    const names = this.config.claims;
    const email = emailOf(identity.claims, names);
    // A new account gets every fallback; an existing one only what the provider released (MB-21).
    const created = newAccountProfile(identity.claims, names);
    const claimed = claimedProfile(identity.claims, names);
    try {
      return await this.accounts.resolve({
        provider: 'openid',
        slot: { field: 'openidId', issuer },
        id: identity.sub,
        email: isEmailLike(email) ? email : null,
        emailVerified: identity.claims.email_verified === true || identity.claims.email_verified === 'true',
        profile: { username: created.username ?? null, name: created.name ?? null, idOnTheSource: created.idOnTheSource ?? null, avatar },
        linkPatch: () => ({ ...claimed, provider: 'openid' }),
        // A manually chosen avatar (LibreChat's `?manual=true`) is never replaced.
        refreshPatch: (user) => ({
          ...claimed,
          provider: 'openid',
          openidIssuer: issuer,
          ...(avatar && avatar !== user.avatar && !/[?&]manual=true\b/.test(user.avatar ?? '') ? { avatar } : {}),
        }),
        role,
        find: () => this.find(identity.sub, identity.issuer),
      });
    } catch (error) {
      if (!(error instanceof FederatedAccountRefusal)) throw error;
      if (error.reason === 'no_email') {
        throw new OpenIdFailure('configuration', 'the provider released no email address for this user; request the email scope or set OPENID_EMAIL_CLAIM');
      }
      throw new OpenIdFailure('rejected', error.message);
    }
  }

  private isConfiguredIssuer(issuer: string): boolean {
    return locateIssuer(this.config.issuer ?? '').acceptedIssuers.some((i) => storedIssuerForm(i) === storedIssuerForm(issuer));
  }
}
