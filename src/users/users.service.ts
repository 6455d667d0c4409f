import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors';
import { TokenType, findOneTimeToken } from '../common/tokens';
import { SecurityEvents } from '../common/security-events';
import { MailConfig, RegistrationConfig } from '../config';
import {
  BalanceRepository,
  DuplicateUserError,
  IdpTokenVault,
  OneTimeTokenRepository,
  PasskeyRepository,
  SessionRepository,
  UnitOfWork,
  UserRecord,
  UserRepository,
} from '../storage';
import { isEmailDomainAllowed } from './email-domain';
import { PasswordHasher } from './password/password-hasher';
import { PasswordPolicy } from './password/password-policy';
import { RegistrationNotifier, type PendingCredentials } from './registration-notifier';
import { UsersErrors } from './users.errors';

const UNVERIFIED_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface NewAccount {
  email: string;
  password: string;
  name?: string | null;
  username?: string | null;
}

/** Values only trusted callers (the admin CLI) may set; never taken from a request body. */
export interface TrustedAccountFields {
  emailVerified?: boolean;
  role?: string;
}

export interface RegistrationOptions {
  trusted?: TrustedAccountFields;
  /** The admin CLI creates accounts whatever the public switches say. */
  bypassSwitches?: boolean;
  /** An invite token from `invite-user`: opens registration for the invited address only. */
  invite?: string;
}

export type RegistrationOutcome = { created: true; user: UserRecord } | { created: false };

/** Account rules shared by the HTTP API and the CLI. */
@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly tokens: OneTimeTokenRepository,
    private readonly vault: IdpTokenVault,
    private readonly passkeys: PasskeyRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly registration: RegistrationConfig,
    private readonly mail: MailConfig,
    private readonly notifier: RegistrationNotifier,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
    private readonly balances: BalanceRepository,
    private readonly events: SecurityEvents,
  ) {}

  /**
   * Creates a local account. The first account the store ever holds becomes ADMIN (decided
   * atomically by the store, never again once it has had an account: PW-12). An existing email yields `{ created: false }` after the same hashing work, so the
   * public endpoint can answer exactly as for a new account (EN-04).
   */
  async register(input: NewAccount, options: RegistrationOptions = {}): Promise<RegistrationOutcome> {
    const inviteHash = options.invite === undefined ? null : await this.checkInvite(options.invite, input.email);
    if (!options.bypassSwitches && inviteHash === null && !this.registration.allowRegistration) {
      throw new DomainError(UsersErrors.REGISTRATION_DISABLED);
    }
    if (!isEmailDomainAllowed(input.email, this.registration.allowedDomains)) {
      throw new DomainError(UsersErrors.EMAIL_DOMAIN_NOT_ALLOWED);
    }
    await this.policy.assertAcceptable(input.password, { email: input.email, name: input.name, username: input.username });
    const password = await this.hasher.hash(input.password);
    const pending: PendingCredentials = { passwordHash: password, name: input.name ?? null, username: input.username ?? null };
    const mailConfigured = this.mail.transport !== null;
    const existing = await this.users.findByEmail(input.email);
    if (existing) {
      // Same answer as for a new address (EN-04). An address nobody has proven yet may be
      // registered again: the new registration gets its own verification mail, and only the link
      // in it activates the credentials chosen here (RS-09). A proven address is left alone.
      if (!existing.emailVerified && mailConfigured && inviteHash === null && !options.trusted) {
        this.logger.log(
          { event: 'registration_repeated', userId: existing.id },
          'registration of an address that awaits verification; a new verification mail carries its credentials',
        );
        await this.notifier.accountNeedsVerification(existing, pending);
      }
      return { created: false };
    }

    // The invite reached this mailbox, which proves the address as well as a verification mail would.
    const emailVerified = options.trusted?.emailVerified ?? (inviteHash !== null || !mailConfigured);
    const now = this.clock.now();
    try {
      // The account, the spent invite and the verification mail commit together (RL-12).
      const user = await this.unitOfWork.run(() => this.createAccount(input, password, pending, emailVerified, inviteHash, options, now));
      await this.events.emit({
        type: 'account.created',
        userId: user.id,
        provider: 'local',
        method: 'password',
        details: { role: user.role, invited: inviteHash !== null, verified: emailVerified },
      });
      return { created: true, user };
    } catch (error) {
      // A concurrent registration of the same email won the unique index (PW-10).
      if (error instanceof DuplicateUserError && error.field === 'email') return { created: false };
      throw error;
    }
  }

  private async createAccount(
    input: NewAccount,
    password: string,
    pending: PendingCredentials,
    emailVerified: boolean,
    inviteHash: string | null,
    options: RegistrationOptions,
    now: Date,
  ): Promise<UserRecord> {
    const user = await this.users.create(
      {
        email: input.email,
        name: input.name ?? null,
        username: input.username ?? null,
        password,
        emailVerified,
        provider: 'local',
        role: options.trusted?.role,
        // Unverified accounts are removed at this moment unless verified first (LibreChat defect D-16 fixed, docs/librechat-differences.md).
        expiresAt: emailVerified || this.registration.allowUnverifiedEmailLogin ? null : new Date(now.getTime() + UNVERIFIED_TTL_MS),
      },
      { firstUserRole: 'ADMIN' },
    );
    this.logger.log({ userId: user.id, role: user.role, invited: inviteHash !== null }, 'account created');
    // Spent only by a registration that succeeded (LibreChat spends it before validating: defect D-29, docs/librechat-differences.md).
    // The exact stored hash of the checked invite: it also spends LibreChat's untyped invites (MB-24).
    if (inviteHash !== null) await this.tokens.consumeOne({ tokenHash: inviteHash, email: user.email }, this.clock.now());
    if (!emailVerified) await this.notifier.accountNeedsVerification(user, pending);
    return user;
  }

  /** The invite must be live and issued for this very address; returns its hash. */
  private async checkInvite(invite: string, email: string): Promise<string> {
    const found = await findOneTimeToken(this.tokens, TokenType.INVITE, { email }, invite, this.clock.now());
    if (!found || found.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw new DomainError(UsersErrors.INVALID_INVITE_TOKEN);
    }
    return found.tokenHash;
  }

  async setPassword(userId: string, newPassword: string): Promise<UserRecord> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError(UsersErrors.USER_NOT_FOUND);
    return this.storePasswordHash(userId, await this.hashPassword(newPassword, user));
  }

  /**
   * The whole password policy (context words of `owner` included) and the hash, for callers that
   * store the hash inside a unit of work (no bcrypt inside a transaction).
   */
  async hashPassword(newPassword: string, owner: Parameters<PasswordPolicy['assertAcceptable']>[1]): Promise<string> {
    await this.policy.assertAcceptable(newPassword, owner);
    return this.hasher.hash(newPassword);
  }

  async storePasswordHash(userId: string, passwordHash: string): Promise<UserRecord> {
    const updated = await this.users.update(userId, { password: passwordHash });
    if (!updated) throw new DomainError(UsersErrors.USER_NOT_FOUND);
    return updated;
  }

  /** Removes the account and everything that could still sign in as it. */
  async deleteAccount(userId: string, actorId: string | null = null): Promise<boolean> {
    await this.sessions.deleteByUser(userId);
    await this.tokens.deleteMany({ userId });
    await this.vault.delete(userId);
    await this.balances.deleteFor(userId);
    // A passkey of a deleted account must not sign in to an account created later (MongoDB keeps them apart from users).
    await this.passkeys.removeAllOf(userId);
    const deleted = await this.users.delete(userId);
    if (deleted) await this.events.emit({ type: 'account.deleted', userId, actorId });
    return deleted;
  }
}
