import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors';
import { TokenType } from '../../common/tokens';
import { MailConfig, ServerConfig } from '../../config';
import { UnitOfWork, UserRepository } from '../../storage';
import { clientLink } from '../links';
import { TokenIssuer } from '../token-issuer';
import { MailOutbox } from '../outbox/mail-outbox';
import { describeDuration } from '../templates/mail-renderer';
import { MailErrors } from '../mail.errors';

/** LibreChat's invite lifetime (docs/mail.md#invites). */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface CreatedInvite {
  email: string;
  link: string;
  expiresAt: Date;
  /** Outbox id of the invite mail; null when mail is not configured. */
  outboxId: string | null;
}

/** Invites (docs/mail.md#invites): registration for one address, open even while ALLOW_REGISTRATION=false. */
@Injectable()
export class InviteService {
  private readonly logger = new Logger('Invites');

  constructor(
    private readonly users: UserRepository,
    private readonly issuer: TokenIssuer,
    private readonly outbox: MailOutbox,
    private readonly mail: MailConfig,
    private readonly server: ServerConfig,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** A new invite for an address replaces the earlier ones. */
  async invite(rawEmail: string): Promise<CreatedInvite> {
    const email = rawEmail.trim().toLowerCase();
    if (await this.users.findByEmail(email)) throw new DomainError(MailErrors.USER_EXISTS, { message: `a user with email ${email} already exists` });
    const expiresAt = new Date(this.clock.now().getTime() + INVITE_TTL_MS);
    // The invite token and its mail commit together (RL-12).
    const { link, outboxId } = await this.unitOfWork.run(async () => {
      const token = await this.issuer.issue({ type: TokenType.INVITE, owner: { email }, email, ttlMs: INVITE_TTL_MS });
      const url = clientLink(this.server, '/register', { token });
      const queued =
        this.mail.transport === null
          ? null
          : await this.outbox.enqueue({ template: 'invite', to: email, vars: { link: url, expiresIn: describeDuration(INVITE_TTL_MS) } });
      return { link: url, outboxId: queued };
    });
    this.logger.log({ event: 'invite_created', queued: outboxId !== null }, 'invite created');
    return { email, link, expiresAt, outboxId };
  }
}
