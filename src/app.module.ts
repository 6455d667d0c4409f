import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, type GatehouseConfig } from './config';
import { HealthModule } from './health';
import { LoggingModule } from './logging/logging.module';
import { StorageModule } from './storage';

/** The composition root: the validated config decides which adapters and modules are wired in. */
@Module({})
export class AppModule {
  static forRoot(config: GatehouseConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config.server),
        StorageModule.forRoot({
          kind: config.storage.kind,
          dataDir: config.storage.dataDir,
          mongoUri: config.storage.mongoUri,
          mongoServerSelectionTimeoutMs: config.storage.mongoServerSelectionTimeoutMs,
          credsKey: config.secrets.credsKey,
        }),
        HealthModule,
      ],
    };
  }
}
