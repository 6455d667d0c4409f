import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ClockModule } from '../common/clock';
import { SecurityEventsModule } from '../common/security-events';
import { JwtKeysModule } from '../common/jwt';
import { ConfigModule, type GatehouseConfig } from '../config';
import { MailModule } from '../mail';
import { ModerationModule } from '../moderation';
import { StorageModule } from '../storage';
import { UsersModule } from '../users';
import { CliInput } from './cli-input';
import { CliOutput } from './cli-output';
import { BanUserCommand } from './commands/ban-user.command';
import { CheckConfigCommand } from './commands/check-config.command';
import { CreateUserCommand } from './commands/create-user.command';
import { DeleteUserCommand } from './commands/delete-user.command';
import { ListBansCommand } from './commands/list-bans.command';
import { InviteUserCommand } from './commands/invite-user.command';
import { ListUsersCommand } from './commands/list-users.command';
import { ResetPasswordCommand } from './commands/reset-password.command';
import { ResetTwoFactorCommand } from './commands/reset-2fa.command';
import { UnbanCommand } from './commands/unban.command';

/** The admin CLI runs the same config, storage and account rules as the server, without HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: GatehouseConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        StorageModule.forConfig(config),
        ClockModule,
        // Account and ban changes made here reach the audit trail like the server's.
        SecurityEventsModule,
        AuditModule,
        JwtKeysModule,
        UsersModule,
        ModerationModule,
        MailModule,
      ],
      providers: [
        CliInput,
        CliOutput,
        CheckConfigCommand,
        ListUsersCommand,
        CreateUserCommand,
        DeleteUserCommand,
        ResetPasswordCommand,
        ResetTwoFactorCommand,
        InviteUserCommand,
        BanUserCommand,
        UnbanCommand,
        ListBansCommand,
      ],
    };
  }
}
