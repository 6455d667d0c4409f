import { Command, CommandRunner } from 'nest-commander';
import { InviteService, OutboxWorker } from '../../mail';
import { OutboxRepository } from '../../storage';
import { requireEmail } from '../account-input';
import { CliOutput } from '../cli-output';

/**
 * Invites an address (docs/mail.md#invites): a 7-day token and a mail with the registration link. Without
 * mail configured the link is printed for the operator to pass on (LibreChat's script exits
 * instead: LibreChat defect D-20, docs/librechat-differences.md). With mail, the link is not printed: it travels only to the mailbox.
 */
@Command({
  name: 'invite-user',
  arguments: '<email>',
  description: 'Invite an address: mail it a registration link valid for 7 days (works while ALLOW_REGISTRATION=false)',
})
export class InviteUserCommand extends CommandRunner {
  constructor(
    private readonly invites: InviteService,
    private readonly worker: OutboxWorker,
    private readonly outbox: OutboxRepository,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run([email]: string[]): Promise<void> {
    try {
      const invite = await this.invites.invite(requireEmail(email));
      const until = invite.expiresAt.toISOString();
      if (invite.outboxId === null) {
        this.out.line(`invite for ${invite.email} created (valid until ${until}); mail is not configured, so pass on this link yourself:`);
        this.out.line(invite.link);
        return;
      }
      // Try to deliver now; if SMTP is unreachable the running server's outbox retries it.
      await this.worker.flush();
      const sent = (await this.outbox.findById(invite.outboxId))?.status === 'sent';
      this.out.line(
        sent
          ? `invite for ${invite.email} sent (valid until ${until})`
          : `invite for ${invite.email} queued (valid until ${until}); sending failed for now (${this.worker.status.lastError ?? 'unknown error'}), the server retries it`,
      );
    } catch (error) {
      this.out.fail(error);
    }
  }
}
