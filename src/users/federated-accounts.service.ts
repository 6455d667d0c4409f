import { Injectable, Logger } from '@nestjs/common';
import { SecurityEvents } from '../common/security-events';
import { RegistrationConfig } from '../config';
import {
  DuplicateUserError,
  OneTimeTokenRepository,
  SessionRepository,
  UserRecord,
  UserRepository,
  type NewUser,
  type ProviderIdField,
  type UserPatch,
} from '../storage';
import { isEmailDomainAllowed } from './email-domain';

/**
 * Where an account keeps a provider's user id. The four LibreChat providers have their own
 * column; any other provider (OpenID, a named OpenID provider, an extension) uses the
 * issuer-bound `openidId` slot with its own issuer string, so identities never cross providers.
 */
export type IdentitySlot = { field: Exclude<ProviderIdField, 'openidId'> } | { field: 'openidId'; issuer: string };

/** A person a browser sign-in has just proven, as the provider module mapped it. */
export interface FederatedIdentity {
  /** Registry name (`openid`, `google`, `openid-corp`, an extension): logs, and `provider` of a new account. */
  provider: string;
  slot: IdentitySlot;
  /** The provider's stable user id (never the email). */
  id: string;
  /** As released by the provider; canonicalised here. */
  email: string | null;
  /** True only when the provider itself asserts the address is verified. */
  emailVerified: boolean;
  /** Profile fields of a new account. */
  profile: Pick<NewUser, 'name' | 'username' | 'avatar' | 'idOnTheSource'>;
  /** What a link adds besides the identity (OpenID marks the account `provider: openid`). */
  linkPatch?: (user: UserRecord) => UserPatch;
  /** Profile changes taken over on every sign-in of a returning user. */
  refreshPatch?: (user: UserRecord) => UserPatch;
  /** OpenID role policy: the role to store given the current one, or null to keep it. */
  role?: (current: string | null) => string | null;
  /** Lookup by identity when the slot alone is not enough (OpenID's legacy accounts without issuer). */
  find?: () => Promise<UserRecord | null>;
  /** New accounts even with ALLOW_SOCIAL_REGISTRATION off (LDAP: the directory decides who may sign in). */
  createWithoutSocialRegistration?: boolean;
  /** Role of the first account the store ever holds (LDAP, as in LibreChat: ADMIN). */
  firstUserRole?: string;
}

export type FederatedRefusalReason = 'domain_not_allowed' | 'no_email' | 'registration_disabled' | 'link_refused';

/** The sign-in is refused; `message` is for the operator's log, never for the browser. */
export class FederatedAccountRefusal extends Error {
  constructor(
    readonly reason: FederatedRefusalReason,
    message: string,
  ) {
    super(message);
    this.name = 'FederatedAccountRefusal';
  }
}

/**
 * THE rule for turning a federated identity into an account, used by every browser sign-in
 * (default and named OpenID providers, Google, GitHub, Discord, Facebook, extension providers):
 * 1. the registration domain allow-list applies to every sign-in that carries an email;
 * 2. an identity is found by (slot, provider user id), never by email alone;
 * 3. an account with the same email is linked only when the provider asserts the address is
 *    verified; an account holding another identity in the same slot is never re-linked;
 * 4. when that account's own address is NOT verified, nobody has proven it belongs to the person
 *    who chose its password (SO-05, pre-account takeover): its credentials die first — password
 *    removed, refresh sessions and one-time tokens (pending verification included) revoked,
 *    expiry cleared, the event logged — and only then is the identity linked and the address
 *    marked verified. The old password is never alive on a linked account;
 * 5. a new account only with ALLOW_SOCIAL_REGISTRATION and an email address;
 * 6. a returning user's address changes only to one the provider asserts as verified.
 */
@Injectable()
export class FederatedAccounts {
  private readonly logger = new Logger('FederatedAccounts');

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly tokens: OneTimeTokenRepository,
    private readonly registration: RegistrationConfig,
    private readonly events: SecurityEvents,
  ) {}

  async resolve(identity: FederatedIdentity): Promise<UserRecord> {
    const email = canonicalEmail(identity.email);
    if (email && !isEmailDomainAllowed(email, this.registration.allowedDomains)) {
      throw new FederatedAccountRefusal('domain_not_allowed', `${identity.provider}: email domain not allowed`);
    }

    const known = await (identity.find ? identity.find() : this.findByIdentity(identity.slot, identity.id));
    if (known) return this.returning(known, identity, email);

    if (!email) {
      throw new FederatedAccountRefusal('no_email', `${identity.provider} released no email address for this user; the account cannot be created or matched`);
    }
    const byEmail = await this.users.findByEmail(email);
    if (byEmail) return this.link(byEmail, identity);

    if (!this.registration.allowSocialRegistration && !identity.createWithoutSocialRegistration) {
      throw new FederatedAccountRefusal('registration_disabled', `${identity.provider}: no account for this identity and ALLOW_SOCIAL_REGISTRATION is false`);
    }
    try {
      const created = await this.users.create(
        {
          email,
          ...identity.profile,
          emailVerified: identity.emailVerified,
          provider: identity.provider,
          ...slotPatch(identity.slot, identity.id),
          role: identity.role?.(null) ?? 'USER',
        },
        identity.firstUserRole ? { firstUserRole: identity.firstUserRole } : undefined,
      );
      this.logger.log({ event: 'federated_account_created', provider: identity.provider, userId: created.id }, `${identity.provider}: account created`);
      await this.events.emit({
        type: 'account.created',
        userId: created.id,
        provider: identity.provider,
        method: 'federated',
        details: { role: created.role },
      });
      return created;
    } catch (error) {
      // A concurrent first sign-in of the same person, or the email was taken meanwhile.
      if (error instanceof DuplicateUserError)
        throw new FederatedAccountRefusal('link_refused', `${identity.provider}: account creation raced another (${error.field})`);
      throw error;
    }
  }

  private findByIdentity(slot: IdentitySlot, id: string): Promise<UserRecord | null> {
    return slot.field === 'openidId' ? this.users.findByProviderId('openidId', id, slot.issuer) : this.users.findByProviderId(slot.field, id);
  }

  private async returning(user: UserRecord, identity: FederatedIdentity, email: string | null): Promise<UserRecord> {
    const patch: UserPatch = { ...(identity.refreshPatch?.(user) ?? {}) };
    // Only a verified address replaces the stored one: an unverified one could be anyone's.
    if (email && identity.emailVerified && email !== user.email) {
      patch.email = email;
      patch.emailVerified = true;
    }
    const role = identity.role?.(user.role);
    if (role && role !== user.role) patch.role = role;
    if (Object.keys(patch).length === 0) return user;
    try {
      const updated = (await this.users.update(user.id, patch)) ?? user;
      if (patch.role) await this.roleChanged(user, patch.role, identity.provider);
      return updated;
    } catch (error) {
      if (!(error instanceof DuplicateUserError) || patch.email === undefined) throw error;
      // The new address belongs to another account: keep the old one rather than fail the sign-in.
      delete patch.email;
      delete patch.emailVerified;
      return Object.keys(patch).length ? ((await this.users.update(user.id, patch)) ?? user) : user;
    }
  }

  /** The IdP's role rule changed a stored role at sign-in: the actor is the identity provider. */
  private roleChanged(user: UserRecord, to: string, provider: string): Promise<void> {
    return this.events.emit({
      type: 'role.changed',
      userId: user.id,
      actorId: null,
      provider,
      reason: 'idp_role_sync',
      details: { from: user.role, to, entrance: 'sign_in' },
    });
  }

  private async link(user: UserRecord, identity: FederatedIdentity): Promise<UserRecord> {
    const refuse = (why: string) => {
      this.logger.warn(
        { event: 'federated_link_refused', provider: identity.provider, userId: user.id },
        `${identity.provider}: not linking to the account with this email: ${why}`,
      );
      return new FederatedAccountRefusal('link_refused', `${identity.provider}: ${why}`);
    };
    if (hasSlot(user, identity.slot))
      throw refuse('the account already holds another identity in this slot (same provider, or another provider sharing the issuer-bound slot)');
    if (!identity.emailVerified) throw refuse('the provider does not assert that the email is verified');

    const patch: UserPatch = { ...(identity.linkPatch?.(user) ?? {}), ...slotPatch(identity.slot, identity.id) };
    if (!user.avatar && identity.profile.avatar) patch.avatar = identity.profile.avatar;
    if (!user.name && identity.profile.name) patch.name = identity.profile.name;
    const role = identity.role?.(user.role);
    if (role) patch.role = role;
    if (!user.emailVerified) {
      await this.revokeUnprovenCredentials(user, identity.provider);
      // Whoever registered the address never proved it; the provider just did.
      Object.assign(patch, {
        password: null,
        emailVerified: true,
        expiresAt: null,
        name: identity.profile.name ?? null,
        username: identity.profile.username ?? null,
      });
    }
    try {
      const linked = (await this.users.update(user.id, patch)) ?? user;
      this.logger.log(
        { event: 'federated_linked', provider: identity.provider, userId: user.id },
        `${identity.provider}: linked to the existing account (verified email)`,
      );
      await this.events.emit({ type: 'account.linked', userId: user.id, provider: identity.provider, method: 'federated' });
      return linked;
    } catch (error) {
      if (error instanceof DuplicateUserError) throw refuse(`the identity is already linked elsewhere (${error.field})`);
      throw error;
    }
  }

  /**
   * The unverified account's password is removed before anything else happens, so no later
   * failure can leave a linked account whose old password still signs in; then every session and
   * one-time token (pending verification, reset) of it is revoked.
   */
  private async revokeUnprovenCredentials(user: UserRecord, provider: string): Promise<void> {
    await this.users.update(user.id, { password: null, expiresAt: null });
    const sessions = await this.sessions.deleteByUser(user.id);
    const tokens = await this.tokens.deleteMany({ userId: user.id });
    this.logger.warn(
      { event: 'unverified_account_claimed', provider, userId: user.id, hadPassword: user.password !== null, sessionsRevoked: sessions, tokensRevoked: tokens },
      `${provider}: a verified identity claimed an account whose email was never verified; its password, sessions and pending tokens were revoked before linking (SO-05)`,
    );
  }
}

function canonicalEmail(email: string | null): string | null {
  const trimmed = email?.trim().toLowerCase() ?? '';
  return /^[^\s@]+@[^\s@]+$/.test(trimmed) ? trimmed : null;
}

function slotPatch(slot: IdentitySlot, id: string): UserPatch {
  return slot.field === 'openidId' ? { openidId: id, openidIssuer: slot.issuer } : { [slot.field]: id };
}

function hasSlot(user: UserRecord, slot: IdentitySlot): boolean {
  const value = user[slot.field];
  return value !== null && value !== undefined && value !== '';
}
