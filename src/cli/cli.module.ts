import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, type GatehouseConfig } from '../config';
import { StorageModule } from '../storage';
import { CliOutput } from './cli-output';
import { CheckConfigCommand } from './commands/check-config.command';
import { ListUsersCommand } from './commands/list-users.command';

/** The admin CLI runs the same config and storage modules as the server, without HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: GatehouseConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        StorageModule.forConfig(config),
      ],
      providers: [CliOutput, CheckConfigCommand, ListUsersCommand],
    };
  }
}
