import { Command, CommandRunner, Option } from 'nest-commander';
import { UserRepository } from '../../storage';
import { CliOutput } from '../cli-output';

interface ListUsersOptions {
  limit?: number;
  json?: boolean;
}

@Command({ name: 'list-users', description: 'List accounts: id, email, username, name, provider, role, created' })
export class ListUsersCommand extends CommandRunner {
  constructor(
    private readonly users: UserRepository,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run(_args: string[], options: ListUsersOptions): Promise<void> {
    const users = await this.users.list({ limit: options.limit ?? 1000 });
    if (options.json) {
      this.out.line(
        JSON.stringify(
          users.map(({ password: _password, ...user }) => user),
          null,
          2,
        ),
      );
      return;
    }
    if (users.length === 0) {
      this.out.line('no users');
      return;
    }
    for (const u of users) {
      this.out.line([u.id, u.email, u.username ?? '-', u.name ?? '-', u.provider, u.role, u.createdAt.toISOString()].join('\t'));
    }
    this.out.line(`${users.length} user${users.length === 1 ? '' : 's'}`);
  }

  @Option({ flags: '--limit <n>', description: 'at most this many users (default 1000)' })
  parseLimit(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--limit: "${value}" is not a positive whole number`);
    return n;
  }

  @Option({ flags: '--json', description: 'print JSON (without password hashes)' })
  parseJson(): boolean {
    return true;
  }
}
