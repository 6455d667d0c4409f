import { Command, CommandRunner, Option } from 'nest-commander';
import { Clock } from '../../common/clock';
import { SessionRepository, UserRepository } from '../../storage';
import { UsersService } from '../../users';
import { CliError } from '../cli-errors';
import { CliInput } from '../cli-input';
import { CliOutput } from '../cli-output';

interface DeleteUserOptions {
  yes?: boolean;
}

/** Removes an account with everything that could still sign in as it (sessions, one-time and IdP tokens). */
@Command({
  name: 'delete-user',
  arguments: '<email>',
  description: 'Delete an account with its sessions, one-time tokens and stored IdP tokens (asks first; --yes when not on a terminal)',
})
export class DeleteUserCommand extends CommandRunner {
  constructor(
    private readonly usersService: UsersService,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
    private readonly input: CliInput,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run([email]: string[], options: DeleteUserOptions): Promise<void> {
    try {
      await this.delete(email, options);
    } catch (error) {
      this.out.fail(error);
    }
  }

  private async delete(email: string, options: DeleteUserOptions): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user) throw new CliError(`no user with email ${email.trim()}`);
    if (!options.yes) {
      if (!this.input.interactive) throw new CliError(`not deleting ${user.email} without confirmation: stdin is not a terminal, pass --yes`);
      const sure = await this.input.confirm(`Delete ${user.email} (${user.id}, ${user.role}) with its sessions and tokens?`);
      if (!sure) throw new CliError('cancelled; nothing was deleted');
    }
    const active = (await this.sessions.listByUser(user.id, this.clock.now())).length;
    const deleted = await this.usersService.deleteAccount(user.id);
    if (!deleted) throw new CliError(`no user with email ${user.email} (it was deleted meanwhile)`);
    this.out.line(`deleted user ${user.id} (${user.email}); ended ${active} active session${active === 1 ? '' : 's'}`);
  }

  @Option({ flags: '-y, --yes', description: 'do not ask for confirmation (required when stdin is not a terminal)' })
  parseYes(): boolean {
    return true;
  }
}
