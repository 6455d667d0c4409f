import { Command, CommandRunner } from 'nest-commander';
import { BansService, describeBan } from '../../moderation';
import { CliOutput } from '../cli-output';

@Command({ name: 'list-bans', description: 'List active bans: key, type, expiry, reason' })
export class ListBansCommand extends CommandRunner {
  constructor(
    private readonly bans: BansService,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    try {
      const bans = (await this.bans.list()).map(describeBan);
      if (bans.length === 0) {
        this.out.line('no active bans');
        return;
      }
      for (const ban of bans) this.out.line(`${ban.key}\t${ban.type}\tuntil ${ban.expiresAt}\t${ban.reason ?? ''}`);
      this.out.line(`${bans.length} active ban${bans.length === 1 ? '' : 's'}`);
    } catch (error) {
      this.out.fail(error);
    }
  }
}
