import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import {
  GatehouseConfig,
  LdapConfig,
  MailConfig,
  ModerationConfig,
  OpenIdConfig,
  OperationsConfig,
  RegistrationConfig,
  SamlConfig,
  SecretsConfig,
  ServerConfig,
  SessionConfig,
  SocialConfig,
  StorageConfig,
  TemplatesConfig,
} from './config.types';

/** Makes the typed, already-validated configuration injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: GatehouseConfig): DynamicModule {
    const providers: Provider[] = [
      { provide: GatehouseConfig, useValue: config },
      { provide: ServerConfig, useValue: config.server },
      { provide: SecretsConfig, useValue: config.secrets },
      { provide: SessionConfig, useValue: config.session },
      { provide: RegistrationConfig, useValue: config.registration },
      { provide: MailConfig, useValue: config.mail },
      { provide: OpenIdConfig, useValue: config.openid },
      { provide: SocialConfig, useValue: config.social },
      { provide: SamlConfig, useValue: config.saml },
      { provide: LdapConfig, useValue: config.ldap },
      { provide: ModerationConfig, useValue: config.moderation },
      { provide: StorageConfig, useValue: config.storage },
      { provide: TemplatesConfig, useValue: config.templates },
      { provide: OperationsConfig, useValue: config.operations },
    ];
    return { module: ConfigModule, providers, exports: providers };
  }
}
