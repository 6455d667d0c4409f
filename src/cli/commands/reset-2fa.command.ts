import { Command, CommandRunner } from 'nest-commander';
import { SessionRepository, TwoFactorRepository, UserRepository } from '../../storage';
import { CliError } from '../cli-errors';
import { CliOutput } from '../cli-output';

/**
 * For a user locked out of their second factor (lost phone and backup codes): removes the TOTP
 * secret, backup codes and any pending enrolment, turns 2FA off and ends every session, so the
 * account signs in with its password again and can enrol anew.
 */
@Command({
  name: 'reset-2fa',
  arguments: '<email>',
  description: "Turn off a user's two-factor authentication (secret, backup codes, pending enrolment) and end all of their sessions",
})
export class ResetTwoFactorCommand extends CommandRunner {
  constructor(
    private readonly users: UserRepository,
    private readonly twoFactor: TwoFactorRepository,
    private readonly sessions: SessionRepository,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run([email]: string[]): Promise<void> {
    try {
      const user = await this.users.findByEmail(email);
      if (!user) throw new CliError(`no user with email ${email.trim()}`);
      const state = await this.twoFactor.find(user.id);
      await this.twoFactor.clear(user.id);
      const ended = await this.sessions.deleteByUser(user.id);
      const was = state?.enabled ? 'two-factor authentication turned off' : 'two-factor authentication was not on; any pending enrolment removed';
      this.out.line(`${user.email} (${user.id}): ${was}; ended ${ended} session${ended === 1 ? '' : 's'}`);
    } catch (error) {
      this.out.fail(error);
    }
  }
}
