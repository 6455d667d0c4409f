import { Command, CommandRunner, Option } from 'nest-commander';
import { SessionRepository, UserRepository } from '../../storage';
import { PasswordPolicy, UsersService } from '../../users';
import { CliError } from '../cli-errors';
import { CliInput } from '../cli-input';
import { CliOutput } from '../cli-output';

interface ResetPasswordOptions {
  password?: string;
}

/**
 * Sets a new password and ends every session of the account (LibreChat's script kept them alive
 * and matched the email case-sensitively: LibreChat defect D-20 in docs/librechat-differences.md, both fixed here).
 */
@Command({
  name: 'reset-password',
  arguments: '<email>',
  description: 'Set a new password (from --password, a prompt, or the first line of stdin) and end all sessions of the account',
})
export class ResetPasswordCommand extends CommandRunner {
  constructor(
    private readonly usersService: UsersService,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly policy: PasswordPolicy,
    private readonly input: CliInput,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run([email]: string[], options: ResetPasswordOptions): Promise<void> {
    try {
      await this.reset(email, options);
    } catch (error) {
      this.out.fail(error);
    }
  }

  private async reset(email: string, options: ResetPasswordOptions): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user) throw new CliError(`no user with email ${email.trim()}`);
    const password = options.password ?? (await this.input.newPassword((p) => this.policy.check(p)));
    if (options.password === undefined && password === '') {
      throw new CliError('no password given (use --password, answer the prompt, or pipe it on stdin); nothing was changed');
    }
    await this.usersService.setPassword(user.id, password);
    const ended = await this.sessions.deleteByUser(user.id);
    this.out.line(`password of ${user.email} (${user.id}) changed; ended ${ended} session${ended === 1 ? '' : 's'}`);
    if (user.provider !== 'local') this.out.error(`note: this account signs in through ${user.provider}`);
  }

  @Option({ flags: '--password <password>', description: 'the new password (else: prompt on a terminal, or the first line of stdin)' })
  parsePassword(value: string): string {
    return value;
  }
}
