import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors';
import { TokenType, consumeOneTimeToken } from '../../common/tokens';
import { SecurityEvents } from '../../common/security-events';
import { MailConfig, RegistrationConfig, ServerConfig } from '../../config';
import { RefreshSessionsService } from '../../sessions';
import { OneTimeTokenRepository, UnitOfWork, UserRecord, UserRepository } from '../../storage';
import { UsersService } from '../../users';
import { clientLink } from '../links';
import { TokenIssuer } from '../token-issuer';
import { MailOutbox } from '../outbox/mail-outbox';
import { describeDuration } from '../templates/mail-renderer';
import { MailErrors } from '../mail.errors';

export const RESET_REQUESTED_MESSAGE = 'If an account with that email exists, a password reset link has been sent to it.';
export const RESET_DONE_MESSAGE = 'Password reset was successful';

const invalidToken = () => new DomainError(MailErrors.INVALID_RESET_TOKEN);

export type ResetRequestAnswer = { message: string } | { link: string };

export interface ResetSubmission {
  userId: string;
  token: string;
  password: string;
  confirmPassword?: string;
}

/** Owner of the decoy reset token of unknown addresses: ObjectId-shaped (LibreChat's tokens schema), never an account's. */
export const DECOY_OWNER_ID = '000000000000000000000000';

/** Password reset by mailed link (docs/mail.md#password-reset; security cases RS-01…RS-08, EN-03 in docs/security.md). */
@Injectable()
export class PasswordResetService {
  private readonly logger = new Logger('PasswordReset');

  constructor(
    private readonly users: UserRepository,
    private readonly usersService: UsersService,
    private readonly tokens: OneTimeTokenRepository,
    private readonly issuer: TokenIssuer,
    private readonly sessions: RefreshSessionsService,
    private readonly outbox: MailOutbox,
    private readonly unitOfWork: UnitOfWork,
    private readonly registration: RegistrationConfig,
    private readonly mail: MailConfig,
    private readonly server: ServerConfig,
    private readonly clock: Clock,
    private readonly events: SecurityEvents,
  ) {}

  /**
   * Always the same answer, whether or not the account exists, whether or not reset is enabled
   * (RS-07, EN-03). For an existing account the token and the queued mail commit together before
   * the answer (RL-12); for an unknown address a decoy token commits instead, so both pay one
   * commit. The mail is queued, never sent inline, so SMTP latency does not show.
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
      await this.unitOfWork.run(async () => {
        const link = await this.issue(user);
        await this.outbox.enqueue({
          template: 'password-reset-request',
          to: user.email,
          vars: { name: user.name, link, expiresIn: describeDuration(this.mail.passwordResetTtlMs) },
        });
      });
      this.logger.log({ event: 'password_reset_requested', userId: user.id }, 'password reset mail queued');
    } else {
      // EN-03: the same committed write as for an account (a reset token, in the same store),
      // owned by an id no account has and never sent anywhere; each one voids the one before.
      // Without it a known address took a commit (an fsync) longer, which `npm run bench` showed.
      await this.unitOfWork.run(() =>
        this.issuer.issue({ type: TokenType.PASSWORD_RESET, owner: { userId: DECOY_OWNER_ID }, ttlMs: this.mail.passwordResetTtlMs }),
      );
    }
    // Unknown addresses are audited too (no account id): a run of them is an enumeration attempt.
    await this.events.emit({ type: 'password_reset.requested', userId: user?.id ?? null });
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
   *    expiry is checked here, not left to a TTL sweep (LibreChat defect D-6, docs/librechat-differences.md);
   * 3. then every session of the user ends and the user is told by mail (RS-05); the new password,
   *    the ended sessions and the notice commit together (RL-12).
   */
  async reset(input: ResetSubmission): Promise<{ message: string }> {
    if (!this.registration.allowPasswordReset) throw new DomainError(MailErrors.PASSWORD_RESET_DISABLED);
    if (input.confirmPassword !== undefined && input.confirmPassword !== input.password) {
      throw new DomainError(MailErrors.PASSWORD_MISMATCH);
    }
    // The whole policy, context words included, before the token is spent (RS-08, PW-03); hashed
    // before the unit of work opens: a transaction must not wait on bcrypt.
    const passwordHash = await this.usersService.hashPassword(input.password, (await this.users.findById(input.userId)) ?? {});
    const now = this.clock.now();
    const record = await consumeOneTimeToken(this.tokens, TokenType.PASSWORD_RESET, { userId: input.userId }, input.token, now);
    if (!record || record.userId !== input.userId || record.expiresAt.getTime() <= now.getTime()) throw invalidToken();
    const user = await this.users.findById(input.userId);
    if (!user) throw invalidToken();

    const ended = await this.unitOfWork.run(async () => {
      await this.usersService.storePasswordHash(user.id, passwordHash);
      const count = await this.sessions.revokeAll(user.id);
      await this.tokens.deleteMany({ type: TokenType.PASSWORD_RESET, userId: user.id });
      if (this.mail.transport !== null) {
        await this.outbox.enqueue({ template: 'password-reset-done', to: user.email, vars: { name: user.name } });
      }
      return count;
    });
    this.logger.log({ event: 'password_reset', userId: user.id, sessionsEnded: ended }, 'password reset');
    await this.events.emit({ type: 'password_reset.completed', userId: user.id, details: { sessionsEnded: ended } });
    return { message: RESET_DONE_MESSAGE };
  }
}
