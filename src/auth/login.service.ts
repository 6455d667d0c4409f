import { Injectable, Logger } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { DomainError, CommonErrors } from '../common/errors';
import type { CookieInstructions } from '../common/http';
import { SecurityEvents } from '../common/security-events';
import { RegistrationConfig } from '../config';
import { AccountLoginDelay, BansService } from '../moderation';
import { RefreshSessionsService, SessionCookies, SignInEvents, type SessionContext } from '../sessions';
import { UserRecord, UserRepository } from '../storage';
import { PasswordHasher, assertAccountEnabled } from '../users';
import { AccessTokenService } from './access-token.service';
import { DirectoryLogin, type DirectoryVerifier } from './federation/directory-login';
import { SecondFactorStep } from './second-factor/second-factor.step';
import { AuthErrors } from './auth.errors';

export interface SignedIn {
  user: UserRecord;
  accessToken: string;
  refreshToken: string;
  refreshExpiresAt: Date;
  /** The session cookies to set (the refresh token and `token_provider`). */
  cookies: CookieInstructions;
}

/** A correct password on an account with a second factor: no session yet, only the temp token. */
export interface SecondFactorPending {
  twoFAPending: true;
  tempToken: string;
}

export type LoginOutcome = SignedIn | SecondFactorPending;

const invalidCredentials = () => new DomainError(AuthErrors.INVALID_CREDENTIALS);

/**
 * Password sign-in. Unknown email, wrong password and password-less (social) accounts fail the
 * same way and spend the same hashing time (EN-01, EN-02); only a correct password can learn
 * that an address is unverified.
 */
@Injectable()
export class LoginService {
  private readonly logger = new Logger('Login');

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: RefreshSessionsService,
    private readonly tokens: AccessTokenService,
    private readonly registration: RegistrationConfig,
    private readonly delay: AccountLoginDelay,
    private readonly bans: BansService,
    private readonly directory: DirectoryLogin,
    private readonly secondFactor: SecondFactorStep,
    private readonly events: SignInEvents,
    private readonly cookies: SessionCookies,
    private readonly securityEvents: SecurityEvents,
  ) {}

  /** A refused password sign-in on the bus (audit, metrics): reason is a stable short word. */
  private failed(reason: string, userId: string | null, method: string, provider: string): Promise<void> {
    return this.securityEvents.emit({ type: 'sign_in.failed', userId, method, provider, reason });
  }

  /** The user's ban after a correct password, reported as a failed sign-in before it refuses. */
  private async assertNotBanned(user: UserRecord, context: SessionContext, method: string, provider: string): Promise<void> {
    try {
      await this.bans.assertNotBanned({ userId: user.id, ip: context.addressKey ?? context.ip });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'BANNED') await this.failed('banned', user.id, method, provider);
      throw error;
    }
  }

  async login(email: string, password: string, context: SessionContext): Promise<LoginOutcome> {
    if (!this.registration.allowEmailLogin && !this.registration.allowEmailLoginOverride) {
      throw new DomainError(AuthErrors.EMAIL_LOGIN_DISABLED);
    }
    const directory = this.directory.active;
    if (directory) return this.loginWithDirectory(directory, email, password, context);
    // Checked here, not in the DTO: with a directory the same field may carry a username.
    if (!isEmail(email)) throw new DomainError(CommonErrors.VALIDATION_FAILED, { message: 'email must be a valid email address' });
    const recentFailures = await this.delay.beforeAttempt(email);
    const user = await this.users.findByEmail(email);
    if (!user || !user.password) {
      await this.hasher.verifyDummy(password);
      this.logger.log({ event: 'login_failed', ip: context.ip }, 'login failed');
      await this.failed(user ? 'no_password' : 'unknown_user', user?.id ?? null, 'password', 'local');
      await this.delay.failed(email);
      throw invalidCredentials();
    }
    if (!(await this.hasher.verify(password, user.password))) {
      this.logger.log({ event: 'login_failed', userId: user.id, ip: context.ip }, 'login failed');
      await this.failed('wrong_credentials', user.id, 'password', 'local');
      await this.delay.failed(email);
      throw invalidCredentials();
    }
    await this.delay.succeeded(email, recentFailures);
    // Checked only after the password: a ban must not tell strangers that an account exists.
    await this.admit(user, context, 'password', 'local');
    const current = await this.upgradeHash(user, password);
    // After every check a password sign-in makes, so the second step is only offered to someone
    // who would otherwise be signed in now.
    const pending = await this.secondFactor.challenge(current);
    if (pending) {
      this.logger.log({ event: 'login_second_factor_pending', userId: user.id, ip: context.ip }, 'password accepted, second factor pending');
      await this.securityEvents.emit({ type: 'sign_in.second_factor_pending', userId: user.id, method: 'password', provider: 'local' });
      return { twoFAPending: true, tempToken: pending.tempToken };
    }
    const signedIn = await this.signIn(current, context);
    this.logger.log({ event: 'login', userId: user.id, ip: context.ip }, 'login succeeded');
    return signedIn;
  }

  /**
   * The same sign-in against a directory (LDAP): the login limit and address ban already ran in
   * the controller's guard; the per-login slow-down, the user ban after a correct password and
   * the second factor and the session are this method's, exactly as for local passwords. No email-verification gate:
   * the directory vouches for its accounts (as in LibreChat).
   */
  private async loginWithDirectory(directory: DirectoryVerifier, login: string, password: string, context: SessionContext): Promise<LoginOutcome> {
    const key = login.trim().toLowerCase();
    const recentFailures = await this.delay.beforeAttempt(key);
    const user = await directory.verify(login.trim(), password, context);
    if (!user) {
      this.logger.log({ event: 'login_failed', provider: directory.name, ip: context.ip }, 'login failed');
      await this.failed('wrong_credentials', null, 'ldap', directory.name);
      await this.delay.failed(key);
      throw invalidCredentials();
    }
    await this.delay.succeeded(key, recentFailures);
    await this.assertNotBanned(user, context, 'ldap', directory.name);
    await this.assertEnabled(user, 'ldap', directory.name);
    // As in LibreChat, a directory sign-in asks for the second factor too (D-5).
    const pending = await this.secondFactor.challenge(user);
    if (pending) {
      this.logger.log(
        { event: 'login_second_factor_pending', provider: directory.name, userId: user.id, ip: context.ip },
        'password accepted, second factor pending',
      );
      await this.securityEvents.emit({ type: 'sign_in.second_factor_pending', userId: user.id, method: 'ldap', provider: directory.name });
      return { twoFAPending: true, tempToken: pending.tempToken };
    }
    const signedIn = await this.signIn(user, { ...context, provider: directory.name });
    this.logger.log({ event: 'login', provider: directory.name, userId: user.id, ip: context.ip }, 'login succeeded');
    return signedIn;
  }

  /**
   * The account checks every first-factor sign-in makes once the credential was right (password,
   * passkey): the user's and the address's ban, then email verification.
   */
  async admit(user: UserRecord, context: SessionContext, method = 'passkey', provider = 'passkey'): Promise<void> {
    await this.assertNotBanned(user, context, method, provider);
    await this.assertEnabled(user, method, provider);
    if (!user.emailVerified && !this.registration.allowUnverifiedEmailLogin) {
      await this.failed('unverified', user.id, method, provider);
      throw new DomainError(AuthErrors.EMAIL_NOT_VERIFIED);
    }
  }

  /** A disabled account (AD-01), reported as a failed sign-in before it refuses. */
  private async assertEnabled(user: UserRecord, method: string, provider: string): Promise<void> {
    if (!user.disabled) return;
    await this.failed('disabled', user.id, method, provider);
    assertAccountEnabled(user);
  }

  /** Opens a new refresh session and mints its first access token (also used after registration flows). */
  async signIn(user: UserRecord, context: SessionContext): Promise<SignedIn> {
    // Again here for callers that reach this with an account they loaded earlier (the 2FA step,
    // passkeys): the account may have been disabled in between.
    assertAccountEnabled((await this.users.findById(user.id)) ?? user);
    const { token: refreshToken, session } = await this.sessions.issue(user.id, context);
    const { token: accessToken } = this.tokens.sign(user, session.id);
    await this.events.signedIn({ user, provider: context.provider ?? 'local', context }, () => this.sessions.revoke(session.id));
    return { user, accessToken, refreshToken, refreshExpiresAt: session.expiresAt, cookies: this.cookies.toSet(refreshToken, session.expiresAt) };
  }

  /** Re-hashes with the configured cost (or pre-hash form) after a successful verify (PW-06). */
  private async upgradeHash(user: UserRecord, password: string): Promise<UserRecord> {
    if (!user.password || !this.hasher.needsRehash(user.password, password)) return user;
    try {
      return (await this.users.update(user.id, { password: await this.hasher.hash(password) })) ?? user;
    } catch (error) {
      this.logger.warn({ userId: user.id }, `password re-hash failed: ${String(error)}`);
      return user;
    }
  }
}
