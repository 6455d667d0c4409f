import { Command, CommandRunner, Option } from 'nest-commander';
import { RegistrationConfig } from '../../config';
import { UserRepository } from '../../storage';
import { PasswordPolicy, UsersService, isEmailDomainAllowed } from '../../users';
import { generatePassword, requireEmail, requireName, requireUsername } from '../account-input';
import { CliError } from '../cli-errors';
import { CliInput } from '../cli-input';
import { CliOutput } from '../cli-output';

const ROLES = ['ADMIN', 'USER'] as const;
const GENERATED_LENGTH = 20;
const LIST_PAGE = 1000;

interface CreateUserOptions {
  password?: string;
  emailVerified?: boolean;
  unverified?: boolean;
  role?: (typeof ROLES)[number];
}

/**
 * Creates a local account as a trusted caller: the registration switches do not apply, the email
 * domain allow-list and the password policy do, and the first account of the store becomes ADMIN.
 */
@Command({
  name: 'create-user',
  arguments: '<email> <name> <username>',
  description: 'Create a local account (password from --password, a prompt, or the first line of stdin; empty: generated and printed)',
})
export class CreateUserCommand extends CommandRunner {
  constructor(
    private readonly usersService: UsersService,
    private readonly users: UserRepository,
    private readonly policy: PasswordPolicy,
    private readonly registration: RegistrationConfig,
    private readonly input: CliInput,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run([rawEmail, rawName, rawUsername]: string[], options: CreateUserOptions): Promise<void> {
    try {
      await this.create(rawEmail, rawName, rawUsername, options);
    } catch (error) {
      this.out.fail(error);
    }
  }

  private async create(rawEmail: string, rawName: string, rawUsername: string, options: CreateUserOptions): Promise<void> {
    if (options.unverified && options.emailVerified === true) throw new CliError('--unverified and --email-verified contradict each other');
    const email = requireEmail(rawEmail);
    const name = requireName(rawName);
    const username = requireUsername(rawUsername);
    // Checked before asking for a password, so the operator is not prompted for nothing.
    if (!isEmailDomainAllowed(email, this.registration.allowedDomains)) {
      throw new CliError(`the domain of ${email} is not in REGISTRATION_ALLOWED_DOMAINS (${this.registration.allowedDomains.join(', ')})`);
    }
    const existing = await this.users.findByEmail(email);
    if (existing) throw new CliError(`user with email ${existing.email} already exists`);
    if (await this.usernameTaken(username)) throw new CliError(`user with username ${username} already exists`);

    let password = options.password ?? (await this.input.newPassword((p) => this.policy.check(p), ' (empty: generate one)'));
    let generated = false;
    if (options.password === undefined && password === '') {
      password = generatePassword(Math.max(GENERATED_LENGTH, this.policy.minLength));
      generated = true;
    }

    const emailVerified = options.unverified ? false : (options.emailVerified ?? true);
    const outcome = await this.usersService.register(
      { email, name, username, password },
      { bypassSwitches: true, trusted: { emailVerified, role: options.role } },
    );
    // Lost a race with another registration of the same email.
    if (!outcome.created) throw new CliError(`user with email ${email} already exists`);

    const { user } = outcome;
    this.out.line(`created user ${user.id}`);
    this.out.line(`  email:    ${user.email}`);
    this.out.line(`  username: ${user.username ?? '-'}`);
    this.out.line(`  role:     ${user.role}`);
    this.out.line(`  verified: ${user.emailVerified ? 'yes' : 'no'}`);
    if (generated) this.out.line(`generated password (shown only this once): ${password}`);
    if (options.role && options.role !== user.role) {
      this.out.error(`note: the first account of a store is always ${user.role}; --role ${options.role} was not applied`);
    }
    if (user.expiresAt) {
      this.out.error(`note: the account is removed at ${user.expiresAt.toISOString()} unless its email is verified first`);
    }
  }

  /** Usernames are not unique in the store; scan it (case-insensitively) like LibreChat's script refuses a taken one. */
  private async usernameTaken(username: string): Promise<boolean> {
    const wanted = username.toLowerCase();
    for (let offset = 0; ; offset += LIST_PAGE) {
      const page = await this.users.list({ limit: LIST_PAGE, offset });
      if (page.some((u) => u.username?.toLowerCase() === wanted)) return true;
      if (page.length < LIST_PAGE) return false;
    }
  }

  @Option({ flags: '--password <password>', description: 'the password (else: prompt on a terminal, or the first line of stdin; empty: generated)' })
  parsePassword(value: string): string {
    return value;
  }

  @Option({ flags: '--email-verified [true|false]', description: 'mark the email as verified (the default for accounts created here)' })
  parseEmailVerified(value: string): boolean {
    const v = value.trim().toLowerCase();
    if (['true', 'yes', '1'].includes(v)) return true;
    if (['false', 'no', '0'].includes(v)) return false;
    throw new Error(`--email-verified: "${value}" is not true or false (write --email-verified=false, or put the flag after the arguments)`);
  }

  @Option({ flags: '--unverified', description: 'leave the email unverified (same as --email-verified=false)' })
  parseUnverified(): boolean {
    return true;
  }

  @Option({ flags: '--role <role>', description: 'ADMIN or USER (default USER; the first account is always ADMIN)' })
  parseRole(value: string): (typeof ROLES)[number] {
    const role = value.trim().toUpperCase();
    const known = ROLES.find((r) => r === role);
    if (!known) throw new Error(`--role: "${value}" is not one of ${ROLES.join(', ')}`);
    return known;
  }
}
