import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sessionContextOf } from '../auth/request-context';
import { RegistrationConfig } from '../config';
import { RefreshSessionsService, SessionCookies } from '../sessions';
import { DuplicateUserError, UserRecord, UserRepository, type UserPatch } from '../storage';
import { isEmailDomainAllowed } from '../users/email-domain';
import { LoginGate } from './login-gate';
import { SocialLoginFailure, type IdentityKey, type SocialIdentity } from './social-identity';

/**
 * The sign-in rules every OAuth provider shares (docs/providers.md#account-rules-shared-by-every-oauth-provider):
 * 1. the registration domain allow-list applies to every login that carries an email;
 * 2. the identity is keyed by (provider, provider user id) — never by email alone;
 * 3. an existing account with the same email is linked only when the provider asserts the
 *    address is verified AND the account's own address is verified (SO-01); anything else is
 *    refused and logged, never a silent takeover;
 * 4. new accounts only with ALLOW_SOCIAL_REGISTRATION, and only with an email (SO-03);
 * 5. a manually chosen avatar (`?manual=true`) is never replaced.
 */
/**
 * How a sign-in source may create accounts. OAuth providers follow ALLOW_SOCIAL_REGISTRATION;
 * a directory (LDAP) is itself the registration authority, so its first sign-in creates the
 * account, and like LibreChat's LDAP strategy the very first account becomes ADMIN.
 */
export interface ResolvePolicy {
  createWithoutSocialRegistration?: boolean;
  firstUserRole?: string;
}

@Injectable()
export class SocialLoginService {
  private readonly logger = new Logger('SocialLogin');

  constructor(
    private readonly users: UserRepository,
    private readonly registration: RegistrationConfig,
    private readonly sessions: RefreshSessionsService,
    private readonly cookies: SessionCookies,
    private readonly gate: LoginGate,
  ) {}

  async resolve(identity: SocialIdentity, policy: ResolvePolicy = {}): Promise<UserRecord> {
    const email = normalizeEmail(identity.email);
    if (email && !isEmailDomainAllowed(email, this.registration.allowedDomains)) {
      throw new SocialLoginFailure('domain_not_allowed', `${identity.provider}: email domain not allowed`);
    }

    const known = await this.findByIdentity(identity.key, identity.id);
    if (known) return this.refresh(known, identity, email);

    if (!email) {
      throw new SocialLoginFailure('no_email', `${identity.provider} released no email address for this user; the account cannot be created or matched (check the requested scopes and the user's privacy settings at the provider)`);
    }

    const byEmail = await this.users.findByEmail(email);
    if (byEmail) return this.link(byEmail, identity);

    if (!this.registration.allowSocialRegistration && !policy.createWithoutSocialRegistration) {
      throw new SocialLoginFailure('registration_disabled', `${identity.provider}: no account for this identity and ALLOW_SOCIAL_REGISTRATION is false`);
    }
    try {
      const created = await this.users.create({
        email,
        name: identity.name,
        username: identity.username,
        avatar: identity.avatar,
        emailVerified: identity.emailVerified,
        provider: identity.provider,
        ...keyPatch(identity.key, identity.id),
        role: 'USER',
      }, policy.firstUserRole ? { firstUserRole: policy.firstUserRole } : undefined);
      this.logger.log({ event: 'social_account_created', provider: identity.provider, userId: created.id }, 'account created from social login');
      return created;
    } catch (error) {
      // A concurrent first login of the same person, or the email was taken meanwhile.
      if (error instanceof DuplicateUserError) throw new SocialLoginFailure('link_refused', `${identity.provider}: account creation raced another (${error.field})`);
      throw error;
    }
  }

  /** Opens the same refresh session as a password login (docs/librechat-differences.md#openid-sign-in-and-token-reuse) after the gate allows it. */
  async signIn(req: Request, res: Response, user: UserRecord, provider: string): Promise<void> {
    const refusal = await this.gate.refusal(user, req);
    if (refusal) throw new SocialLoginFailure('banned', `${provider}: ${refusal}`);
    const { token, session } = await this.sessions.issue(user.id, sessionContextOf(req, provider));
    this.cookies.write(res, token, session.expiresAt);
  }

  private findByIdentity(key: IdentityKey, id: string): Promise<UserRecord | null> {
    return key.field === 'openidId' ? this.users.findByProviderId('openidId', id, key.issuer) : this.users.findByProviderId(key.field, id);
  }

  /** A returning user: profile changes from the provider are taken over, a manual avatar is not. */
  private async refresh(user: UserRecord, identity: SocialIdentity, email: string | null): Promise<UserRecord> {
    const patch: UserPatch = {};
    if (identity.avatar && identity.avatar !== user.avatar && !isManualAvatar(user.avatar)) patch.avatar = identity.avatar;
    // Only a verified address replaces the stored one: an unverified one could be anyone's.
    if (email && identity.emailVerified && email !== user.email) {
      patch.email = email;
      patch.emailVerified = true;
    }
    if (Object.keys(patch).length === 0) return user;
    try {
      return (await this.users.update(user.id, patch)) ?? user;
    } catch (error) {
      if (!(error instanceof DuplicateUserError)) throw error;
      // The new address belongs to another account: keep the old one rather than fail the login.
      delete patch.email;
      delete patch.emailVerified;
      return Object.keys(patch).length ? ((await this.users.update(user.id, patch)) ?? user) : user;
    }
  }

  private async link(user: UserRecord, identity: SocialIdentity): Promise<UserRecord> {
    const refuse = (why: string) => {
      this.logger.warn({ event: 'social_link_refused', provider: identity.provider, userId: user.id }, `${identity.provider}: not linking to the account with this email: ${why}`);
      return new SocialLoginFailure('link_refused', `${identity.provider}: ${why}`);
    };
    if (hasIdentity(user, identity.key)) throw refuse('the account already holds another identity in this slot (same provider, or another provider sharing the issuer-bound slot)');
    if (!identity.emailVerified) throw refuse('the provider does not assert that the email is verified');
    if (!user.emailVerified) throw refuse("the account's own email is not verified");
    const patch: UserPatch = { ...keyPatch(identity.key, identity.id) };
    if (!user.avatar && identity.avatar) patch.avatar = identity.avatar;
    if (!user.name && identity.name) patch.name = identity.name;
    try {
      const linked = (await this.users.update(user.id, patch)) ?? user;
      this.logger.log({ event: 'social_linked', provider: identity.provider, userId: user.id }, `${identity.provider}: linked to the existing account (both emails verified)`);
      return linked;
    } catch (error) {
      if (error instanceof DuplicateUserError) throw refuse(`the identity is already linked elsewhere (${error.field})`);
      throw error;
    }
  }
}

function normalizeEmail(email: string | null): string | null {
  const trimmed = email?.trim().toLowerCase() ?? '';
  return /^[^\s@]+@[^\s@]+$/.test(trimmed) ? trimmed : null;
}

function keyPatch(key: IdentityKey, id: string): UserPatch {
  return key.field === 'openidId' ? { openidId: id, openidIssuer: key.issuer } : { [key.field]: id };
}

function hasIdentity(user: UserRecord, key: IdentityKey): boolean {
  return user[key.field] !== null && user[key.field] !== undefined && user[key.field] !== '';
}

/** LibreChat marks an avatar the user uploaded with `?manual=true`. */
function isManualAvatar(avatar: string | null): boolean {
  return !!avatar && /[?&]manual=true\b/.test(avatar);
}
