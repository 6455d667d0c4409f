import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors';
import { TokenType, consumeOneTimeToken } from '../../common/tokens';
import { MailConfig, RegistrationConfig, ServerConfig } from '../../config';
import { RefreshSessionsService } from '../../sessions';
import { OneTimeTokenRepository, UserRecord, UserRepository } from '../../storage';
import { PasswordPolicy, UsersService } from '../../users';
import { clientLink } from '../links';
import { TokenIssuer } from '../token-issuer';
import { BackgroundTasks } from '../outbox/background-tasks';
import { MailOutbox } from '../outbox/mail-outbox';
import { describeDuration } from '../templates/mail-renderer';

export const RESET_REQUESTED_MESSAGE = 'If an account with that email exists, a password reset link has been sent to it.';
export const RESET_DONE_MESSAGE = 'Password reset was successful';

const invalidToken = () => new DomainError(400, 'INVALID_RESET_TOKEN', 'Invalid or expired password reset token');

export type ResetRequestAnswer = { message: string } | { link: string };

export interface ResetSubmission {
  userId: string;
  token: string;
  password: string;
  confirmPassword?: string;
}

/** Password reset by mailed link (spec §7.3, security cases RS-01…RS-08, EN-03). */
@Injectable()
export class PasswordResetService {
  private readonly logger = new Logger('PasswordReset');

  constructor(
    private readonly users: UserRepository,
    private readonly usersService: UsersService,
    private readonly policy: PasswordPolicy,
    private readonly tokens: OneTimeTokenRepository,
    private readonly issuer: TokenIssuer,
    private readonly sessions: RefreshSessionsService,
    private readonly outbox: MailOutbox,
    private readonly background: BackgroundTasks,
    private readonly registration: RegistrationConfig,
    private readonly mail: MailConfig,
    private readonly server: ServerConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Always the same answer, whether or not the account exists, whether or not reset is enabled
   * (RS-07, EN-03). The only work on the request path is the lookup, which both cases do; the
   * token and the mail for an existing account are made after the response, and the mail is
   * queued, never sent inline, so SMTP latency does not show either.
   */
  async request(email: string): Promise<ResetRequestAnswer> {
    const generic = { message: RESET_REQUESTED_MESSAGE };
    if (!this.registration.allowPasswordReset) {
      this.logger.warn('password reset requested, but ALLOW_PASSWORD_RESET is off');
      return generic;
    }
    const user = await this.users.findByEmail(email);
    if (this.mail.transport === null) {
      if (this.registration.allowInsecurePasswordReset && user) {
        // LibreChat's unsecured reset, only by explicit opt-in (ALLOW_INSECURE_PASSWORD_RESET).
        this.logger.warn({ event: 'insecure_password_reset', userId: user.id }, 'reset link returned in the response (ALLOW_INSECURE_PASSWORD_RESET)');
        return { link: await this.issue(user) };
      }
      this.logger.warn('password reset requested, but mail is not configured; an administrator can run `npm run cli -- reset-password <email>`');
      return generic;
    }
    if (user) {
      this.background.run('queue password reset mail', async () => {
        const link = await this.issue(user);
        await this.outbox.enqueue({ template: 'password-reset-request', to: user.email, vars: { name: user.name, link, expiresIn: describeDuration(this.mail.passwordResetTtlMs) } });
        this.logger.log({ event: 'password_reset_requested', userId: user.id }, 'password reset mail queued');
      });
    }
    return generic;
  }

  /** A new token voids every earlier one of the user (RS-02). Returns the link. */
  private async issue(user: UserRecord): Promise<string> {
    const token = await this.issuer.issue({ type: TokenType.PASSWORD_RESET, owner: { userId: user.id }, ttlMs: this.mail.passwordResetTtlMs });
    return clientLink(this.server, '/reset-password', { token, userId: user.id });
  }

  /**
   * Sets the new password. Order matters:
   * 1. the policy first, so a weak password leaves the token unspent (RS-08);
   * 2. the token is spent atomically and must belong to the given userId (RS-02, RS-03), and its
   *    expiry is checked here, not left to a TTL sweep (spec §11.6);
   * 3. then every session of the user ends and the user is told by mail (RS-05).
   */
  async reset(input: ResetSubmission): Promise<{ message: string }> {
    if (!this.registration.allowPasswordReset) throw new DomainError(403, 'PASSWORD_RESET_DISABLED', 'Password reset is not allowed.');
    if (input.confirmPassword !== undefined && input.confirmPassword !== input.password) {
      throw new DomainError(400, 'PASSWORD_MISMATCH', 'The passwords do not match.');
    }
    this.policy.check(input.password);
    const now = this.clock.now();
    const record = await consumeOneTimeToken(this.tokens, TokenType.PASSWORD_RESET, { userId: input.userId }, input.token, now);
    if (!record || record.userId !== input.userId || record.expiresAt.getTime() <= now.getTime()) throw invalidToken();
    const user = await this.users.findById(input.userId);
    if (!user) throw invalidToken();

    await this.usersService.setPassword(user.id, input.password);
    const ended = await this.sessions.revokeAll(user.id);
    await this.tokens.deleteMany({ type: TokenType.PASSWORD_RESET, userId: user.id });
    this.logger.log({ event: 'password_reset', userId: user.id, sessionsEnded: ended }, 'password reset');
    if (this.mail.transport !== null) {
      await this.outbox.enqueue({ template: 'password-reset-done', to: user.email, vars: { name: user.name } });
    }
    return { message: RESET_DONE_MESSAGE };
  }
}
