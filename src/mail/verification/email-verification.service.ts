import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors';
import { TokenType, consumeOneTimeToken } from '../../common/tokens';
import { SecurityEvents } from '../../common/security-events';
import { MailConfig, ServerConfig } from '../../config';
import { OneTimeTokenRepository, SessionRepository, UnitOfWork, UserRecord, UserRepository, type UserPatch } from '../../storage';
import { RegistrationNotifier, SwitchableRegistrationNotifier, type PendingCredentials } from '../../users';
import { clientLink } from '../links';
import { TokenIssuer } from '../token-issuer';
import { MailOutbox } from '../outbox/mail-outbox';
import { describeDuration } from '../templates/mail-renderer';
import { PendingCredentialsSeal } from './pending-credentials.seal';
import { MailErrors } from '../mail.errors';

export const VERIFY_SENT_MESSAGE = 'Please check your email to verify your email address.';
export const VERIFIED_MESSAGE = 'Email verification was successful';

/** LibreChat answers every failure with this one message (docs/librechat-differences.md#http-api). */
const invalid = () => new DomainError(MailErrors.INVALID_VERIFICATION_TOKEN);

/** Email verification (docs/mail.md#email-verification): the mail after registration, the resend, and the check. */
@Injectable()
export class EmailVerificationService extends RegistrationNotifier implements OnModuleInit {
  private readonly logger = new Logger('EmailVerification');

  constructor(
    private readonly users: UserRepository,
    private readonly tokens: OneTimeTokenRepository,
    private readonly sessions: SessionRepository,
    private readonly seal: PendingCredentialsSeal,
    private readonly issuer: TokenIssuer,
    private readonly outbox: MailOutbox,
    private readonly unitOfWork: UnitOfWork,
    private readonly notifier: SwitchableRegistrationNotifier,
    private readonly mail: MailConfig,
    private readonly server: ServerConfig,
    private readonly clock: Clock,
    private readonly events: SecurityEvents,
  ) {
    super();
  }

  onModuleInit(): void {
    if (this.mail.transport !== null) this.notifier.install(this);
  }

  /**
   * Called by registration inside its unit of work: the token and the queued mail commit with
   * the new account, before the response (RL-12). Both are a few store writes, small next to the
   * password hash both answers pay for (EN-04); SMTP is never waited for.
   */
  async accountNeedsVerification(user: UserRecord, pending: PendingCredentials): Promise<void> {
    await this.issue(user, pending);
  }

  /**
   * Replaces any earlier verification token of the user and queues the mail. The token carries
   * the credentials of the registration it was made for (RS-09): verifying activates those.
   */
  issue(user: UserRecord, pending: PendingCredentials): Promise<void> {
    return this.unitOfWork.run(() => this.issueAndQueue(user, pending));
  }

  private async issueAndQueue(user: UserRecord, pending: PendingCredentials): Promise<void> {
    const metadata = this.seal.toMetadata(user.id, pending);
    const token = await this.issuer.issue({
      type: TokenType.EMAIL_VERIFICATION,
      owner: { userId: user.id },
      email: user.email,
      ttlMs: this.mail.verificationTtlMs,
      metadata,
    });
    const link = clientLink(this.server, '/verify', { token, email: user.email });
    await this.outbox.enqueue({
      template: 'verify-email',
      to: user.email,
      vars: { name: pending.name ?? user.name, link, expiresIn: describeDuration(this.mail.verificationTtlMs) },
    });
  }

  /**
   * Spends the token and marks the address verified. The token is taken with consumeOne, so two
   * parallel submissions cannot both use it; expiry is checked here too, not left to a TTL sweep
   * (LibreChat defect D-6, docs/librechat-differences.md). Whoever holds the link has proven the mailbox, so the credentials the token
   * carries become the account's (RS-09): a password someone else registered for this address
   * earlier dies here, with every session opened under it.
   */
  async verify(rawEmail: string, token: string): Promise<{ message: string; status: 'success' }> {
    const email = decodeEmail(rawEmail);
    if (!email || token === '') throw invalid();
    const now = this.clock.now();
    const record = await consumeOneTimeToken(this.tokens, TokenType.EMAIL_VERIFICATION, { email }, token, now);
    if (!record || record.expiresAt.getTime() <= now.getTime() || !record.userId) throw invalid();
    const user = await this.users.findById(record.userId);
    if (!user || user.email !== record.email) throw invalid();
    const patch: UserPatch = { emailVerified: true, expiresAt: null };
    const pending = user.emailVerified ? null : this.seal.fromMetadata(user.id, record.metadata);
    const replacesPassword = pending !== null && pending.passwordHash !== user.password;
    if (pending) {
      patch.password = pending.passwordHash;
      if (pending.name !== null) patch.name = pending.name;
      if (pending.username !== null) patch.username = pending.username;
    }
    if (!user.emailVerified || user.expiresAt || pending) await this.users.update(user.id, patch);
    // Sessions opened under another registration's password (ALLOW_UNVERIFIED_EMAIL_LOGIN) end.
    const ended = replacesPassword ? await this.sessions.deleteByUser(user.id) : 0;
    this.logger.log({ event: 'email_verified', userId: user.id, passwordReplaced: replacesPassword, sessionsEnded: ended }, 'email verified');
    await this.events.emit({ type: 'email.verified', userId: user.id, details: { passwordReplaced: replacesPassword, sessionsEnded: ended } });
    return { message: VERIFIED_MESSAGE, status: 'success' };
  }

  /**
   * Same answer for unknown, verified and unverified addresses. For an unverified one the token
   * and the mail are committed before the answer (RL-12): a few store writes, which the lookup
   * every case pays for already dominates (EN-04).
   */
  async resend(email: string): Promise<{ message: string }> {
    if (this.mail.transport === null) {
      this.logger.warn('verification mail requested, but mail is not configured');
      return { message: VERIFY_SENT_MESSAGE };
    }
    const user = await this.users.findByEmail(email);
    if (user && !user.emailVerified) await this.issue(user, await this.pendingOf(user));
    return { message: VERIFY_SENT_MESSAGE };
  }

  /**
   * What a resent link activates: the credentials of the latest registration of this address
   * (the one whose token is still live), not whatever the account was first created with; so a
   * person who registered an address someone else had registered before gets their own password
   * from the resent mail (RS-09). Without a live token, the account's current credentials.
   */
  private async pendingOf(user: UserRecord): Promise<PendingCredentials> {
    const live = await this.tokens.find({ type: TokenType.EMAIL_VERIFICATION, userId: user.id }, this.clock.now());
    const latest = live.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
    const pending = latest ? this.seal.fromMetadata(user.id, latest.metadata) : null;
    return pending ?? { passwordHash: user.password, name: user.name, username: user.username };
  }
}

/** The client may send the address URI-encoded, as it appears in the link (docs/librechat-differences.md#http-api). */
function decodeEmail(raw: string): string | null {
  try {
    const email = decodeURIComponent(raw).trim().toLowerCase();
    return email.includes('@') ? email : null;
  } catch {
    return null;
  }
}
