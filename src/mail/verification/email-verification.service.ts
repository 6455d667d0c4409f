import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors';
import { TokenType, consumeOneTimeToken } from '../../common/tokens';
import { MailConfig, ServerConfig } from '../../config';
import { OneTimeTokenRepository, UserRecord, UserRepository } from '../../storage';
import { RegistrationNotifier, SwitchableRegistrationNotifier } from '../../users';
import { clientLink } from '../links';
import { TokenIssuer } from '../token-issuer';
import { BackgroundTasks } from '../outbox/background-tasks';
import { MailOutbox } from '../outbox/mail-outbox';
import { describeDuration } from '../templates/mail-renderer';

export const VERIFY_SENT_MESSAGE = 'Please check your email to verify your email address.';
export const VERIFIED_MESSAGE = 'Email verification was successful';

/** LibreChat answers every failure with this one message (spec §1.3). */
const invalid = () => new DomainError(400, 'INVALID_VERIFICATION_TOKEN', 'Invalid or expired email verification token');

/** Email verification (spec §7.2): the mail after registration, the resend, and the check. */
@Injectable()
export class EmailVerificationService extends RegistrationNotifier implements OnModuleInit {
  private readonly logger = new Logger('EmailVerification');

  constructor(
    private readonly users: UserRepository,
    private readonly tokens: OneTimeTokenRepository,
    private readonly issuer: TokenIssuer,
    private readonly outbox: MailOutbox,
    private readonly background: BackgroundTasks,
    private readonly notifier: SwitchableRegistrationNotifier,
    private readonly mail: MailConfig,
    private readonly server: ServerConfig,
    private readonly clock: Clock,
  ) {
    super();
  }

  onModuleInit(): void {
    if (this.mail.transport !== null) this.notifier.install(this);
  }

  /**
   * Called by registration. The token and the queued mail are made after the response, so a new
   * account answers as fast as an existing address does (EN-04); SMTP is never waited for.
   */
  async accountNeedsVerification(user: UserRecord): Promise<void> {
    this.background.run('queue verification mail', () => this.issue(user));
  }

  /** Replaces any earlier verification token of the user and queues the mail. */
  async issue(user: UserRecord): Promise<void> {
    const token = await this.issuer.issue({ type: TokenType.EMAIL_VERIFICATION, owner: { userId: user.id }, email: user.email, ttlMs: this.mail.verificationTtlMs });
    const link = clientLink(this.server, '/verify', { token, email: user.email });
    await this.outbox.enqueue({ template: 'verify-email', to: user.email, vars: { name: user.name, link, expiresIn: describeDuration(this.mail.verificationTtlMs) } });
  }

  /**
   * Spends the token and marks the address verified. The token is taken with consumeOne, so two
   * parallel submissions cannot both use it; expiry is checked here too, not left to a TTL sweep
   * (spec §11.6).
   */
  async verify(rawEmail: string, token: string): Promise<{ message: string; status: 'success' }> {
    const email = decodeEmail(rawEmail);
    if (!email || token === '') throw invalid();
    const now = this.clock.now();
    const record = await consumeOneTimeToken(this.tokens, TokenType.EMAIL_VERIFICATION, { email }, token, now);
    if (!record || record.expiresAt.getTime() <= now.getTime() || !record.userId) throw invalid();
    const user = await this.users.findById(record.userId);
    if (!user || user.email !== record.email) throw invalid();
    if (!user.emailVerified || user.expiresAt) await this.users.update(user.id, { emailVerified: true, expiresAt: null });
    this.logger.log({ event: 'email_verified', userId: user.id }, 'email verified');
    return { message: VERIFIED_MESSAGE, status: 'success' };
  }

  /**
   * Same answer for unknown, verified and unverified addresses; the work happens after the
   * response so its timing does not tell them apart either.
   */
  async resend(email: string): Promise<{ message: string }> {
    if (this.mail.transport === null) {
      this.logger.warn('verification mail requested, but mail is not configured');
      return { message: VERIFY_SENT_MESSAGE };
    }
    const user = await this.users.findByEmail(email);
    if (user && !user.emailVerified) this.background.run('resend verification mail', () => this.issue(user));
    return { message: VERIFY_SENT_MESSAGE };
  }
}

/** The client may send the address URI-encoded, as it appears in the link (spec §1.3). */
function decodeEmail(raw: string): string | null {
  try {
    const email = decodeURIComponent(raw).trim().toLowerCase();
    return email.includes('@') ? email : null;
  } catch {
    return null;
  }
}
