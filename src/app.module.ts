import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth';
import { ClockModule } from './common/clock';
import { ConfigModule, type GatehouseConfig } from './config';
import { HealthModule } from './health';
import { LoggingModule } from './logging/logging.module';
import { MailApiModule } from './mail';
import { OpenIdModule } from './openid';
import { SocialModule } from './social';
import { StorageModule } from './storage';
import { TemplatesModule } from './templates';
import { WebModule } from './web';

/** The composition root: the validated config decides which adapters and modules are wired in. */
@Module({})
export class AppModule {
  static forRoot(config: GatehouseConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config.server),
        StorageModule.forConfig(config),
        ClockModule,
        HealthModule,
        AuthModule,
        MailApiModule,
        SocialModule,
        OpenIdModule,
        TemplatesModule,
        WebModule,
      ],
    };
  }
}
