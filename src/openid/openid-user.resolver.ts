import { Injectable, Logger } from '@nestjs/common';
import { OpenIdConfig, RegistrationConfig } from '../config';
import { DuplicateUserError, UserRecord, UserRepository, type UserPatch } from '../storage';
import { isEmailDomainAllowed } from '../users';
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
 * Finds or creates the account of an OpenID identity (spec §5.4 step 7, with LibreChat's
 * defects fixed):
 * 1. by (openidId = sub, issuer); then a legacy account with that sub and no issuer, only when
 *    the token comes from the configured issuer (it then gets the issuer);
 * 2. by email — an existing account is linked only when the provider asserts
 *    `email_verified: true` and the account has no other OpenID identity (TR-06); otherwise
 *    the login fails rather than letting an IdP claim someone else's address;
 * 3. a new account only with ALLOW_SOCIAL_REGISTRATION (spec §11.27) and an email-shaped
 *    identifier (spec §11.26), within the registration domain allow-list.
 */
@Injectable()
export class OpenIdUserResolver {
  private readonly logger = new Logger('OpenIdUsers');

  constructor(
    private readonly users: UserRepository,
    private readonly config: OpenIdConfig,
    private readonly registration: RegistrationConfig,
  ) {}

  /** Lookup only (bearer and refresh paths): by sub and issuer, with the legacy fallback. */
  async find(sub: string, issuer: string): Promise<UserRecord | null> {
    const stored = storedIssuerForm(issuer);
    const found = await this.users.findByProviderId('openidId', sub, stored);
    if (found) return found;
    if (this.isConfiguredIssuer(issuer)) return this.users.findByProviderId('openidId', sub, null);
    return null;
  }

  async resolve(identity: OpenIdIdentity, role: (current: string | null) => string | null): Promise<UserRecord> {
    const issuer = storedIssuerForm(identity.issuer);
    const names = this.config.claims;
    const email = emailOf(identity.claims, names);
    const profile = claimedProfile(identity.claims, names);
    const verified = identity.claims.email_verified === true || identity.claims.email_verified === 'true';
    // Spec §5.4 step 7: the domain allow-list applies to every OpenID login, not only to new accounts.
    if (isEmailLike(email) && !isEmailDomainAllowed(email, this.registration.allowedDomains)) throw new OpenIdFailure('rejected', 'Email domain not allowed');

    const existing = await this.find(identity.sub, identity.issuer);
    if (existing) {
      const patch: UserPatch = { ...profile, provider: 'openid', openidIssuer: issuer };
      if (isEmailLike(email) && email.toLowerCase() !== existing.email) {
        patch.email = email;
        patch.emailVerified = verified;
      }
      return this.save(existing, patch, role);
    }

    if (isEmailLike(email)) {
      const byEmail = await this.users.findByEmail(email);
      if (byEmail) {
        if (byEmail.openidId && (byEmail.openidId !== identity.sub || (byEmail.openidIssuer ?? issuer) !== issuer)) {
          throw new OpenIdFailure('rejected', 'the email belongs to an account linked to another OpenID identity');
        }
        if (!verified) throw new OpenIdFailure('rejected', 'an account with this email exists and the provider does not assert email_verified; not linking');
        this.logger.log({ userId: byEmail.id }, 'linking an existing account to its OpenID identity (verified email)');
        return this.save(byEmail, { ...profile, provider: 'openid', openidId: identity.sub, openidIssuer: issuer, emailVerified: true }, role);
      }
    }

    if (!this.registration.allowSocialRegistration) throw new OpenIdFailure('rejected', 'no account for this identity and ALLOW_SOCIAL_REGISTRATION is false');
    if (!isEmailLike(email)) {
      throw new OpenIdFailure('configuration', 'the provider released no email address for this user; request the email scope or set OPENID_EMAIL_CLAIM');
    }
    try {
      const created = await this.users.create({
        email,
        ...newAccountProfile(identity.claims, names),
        emailVerified: verified,
        provider: 'openid',
        openidId: identity.sub,
        openidIssuer: issuer,
        role: role(null) ?? 'USER',
      });
      this.logger.log({ userId: created.id }, 'account created from OpenID login');
      return created;
    } catch (error) {
      if (error instanceof DuplicateUserError) throw new OpenIdFailure('rejected', `a concurrent login created the same account (${error.field})`);
      throw error;
    }
  }

  private async save(user: UserRecord, patch: UserPatch, role: (current: string | null) => string | null): Promise<UserRecord> {
    const nextRole = role(user.role);
    if (nextRole) patch.role = nextRole;
    try {
      return (await this.users.update(user.id, patch)) ?? user;
    } catch (error) {
      if (error instanceof DuplicateUserError && patch.email) {
        // The new address belongs to another account: keep the old one rather than fail the login.
        delete patch.email;
        delete patch.emailVerified;
        return (await this.users.update(user.id, patch)) ?? user;
      }
      throw error;
    }
  }

  private isConfiguredIssuer(issuer: string): boolean {
    return locateIssuer(this.config.issuer ?? '').acceptedIssuers.some((i) => storedIssuerForm(i) === storedIssuerForm(issuer));
  }
}
