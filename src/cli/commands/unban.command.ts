import { isIP } from 'node:net';
import { Command, CommandRunner } from 'nest-commander';
import { addressKey, normaliseIp } from '../../common/client-ip';
import { ServerConfig } from '../../config';
import { BansService, ipSubject, userSubject } from '../../moderation';
import { UserRepository } from '../../storage';
import { CliError } from '../cli-errors';
import { CliOutput } from '../cli-output';

/** Lifts the ban of an account (and the address bans recorded with it) or of one IP address. */
@Command({ name: 'unban', arguments: '<email|ip>', description: 'Lift the ban of an account (by email) or of an IP address; effective immediately' })
export class UnbanCommand extends CommandRunner {
  constructor(
    private readonly users: UserRepository,
    private readonly bans: BansService,
    private readonly out: CliOutput,
    private readonly server: ServerConfig,
  ) {
    super();
  }

  async run([target]: string[]): Promise<void> {
    try {
      const value = (target ?? '').trim();
      let subject: string;
      const ip = normaliseIp(value.replace(/\/\d{1,3}$/, ''));
      if (isIP(ip)) {
        // Bans are keyed like the requests that caused them: an IPv6 address by its network (MB-15).
        subject = ipSubject(addressKey(ip, this.server.ipv6SubnetPrefix));
      } else {
        const user = await this.users.findByEmail(value);
        if (!user) throw new CliError(`"${value}" is neither an IP address nor the email of a user`);
        subject = userSubject(user.id);
      }
      if (!(await this.bans.lift(subject, 'cli'))) throw new CliError(`${value} is not banned`);
      this.out.line(`lifted the ban of ${value} (${subject})`);
    } catch (error) {
      this.out.fail(error);
    }
  }
}
