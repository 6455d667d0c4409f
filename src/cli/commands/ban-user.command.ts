import { Command, CommandRunner } from 'nest-commander';
import { formatDuration, parseHumanDuration } from '../../common/human-duration';
import { BansService } from '../../moderation';
import { UserRepository } from '../../storage';
import { CliError } from '../cli-errors';
import { CliOutput } from '../cli-output';

/** Bans an account for a human-readable duration and ends its sessions at once. */
@Command({
  name: 'ban-user',
  arguments: '<email> <duration>',
  description: 'Ban an account for a duration such as 30m, 2h, 1h30m or 7d; its sessions end immediately',
})
export class BanUserCommand extends CommandRunner {
  constructor(
    private readonly users: UserRepository,
    private readonly bans: BansService,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run([email, duration]: string[]): Promise<void> {
    try {
      const ms = parseHumanDuration(duration ?? '');
      if (ms === null) throw new CliError(`"${duration}" is not a duration; expected e.g. 30m, 2h, 1h30m or 7d (at most 365d)`);
      const user = await this.users.findByEmail(email);
      if (!user) throw new CliError(`no user with email ${email.trim()}`);
      const until = await this.bans.ban(
        { userId: user.id },
        { type: 'manual', reason: 'banned by an administrator', violationCount: 0, durationMs: ms, actorId: 'cli' },
      );
      this.out.line(`banned ${user.email} (${user.id}) for ${formatDuration(ms)}, until ${until.toISOString()}; sessions ended`);
    } catch (error) {
      this.out.fail(error);
    }
  }
}
