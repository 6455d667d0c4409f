import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
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
import {
  ldapConfig,
  mailConfig,
  moderationConfig,
  namespaceFactories,
  operationsConfig,
  openidConfig,
  registrationConfig,
  samlConfig,
  secretsConfig,
  serverConfig,
  sessionConfig,
  socialConfig,
  storageConfig,
  templatesConfig,
} from './namespaces';

/** A class token that resolves to the same object as a @nestjs/config namespace (docs/configuration.md#how-it-works). */
function facade(token: abstract new () => unknown, namespace: { KEY: string | symbol }): Provider {
  return { provide: token, useFactory: (value: unknown) => value, inject: [namespace.KEY] };
}

/**
 * Makes the validated configuration injectable everywhere. @nestjs/config (global) holds one
 * registerAs namespace per area, injectable as `ConfigType<typeof sessionConfig>` or through
 * ConfigService; the abstract classes (SessionConfig...) are thin typed facades over those
 * namespaces, so a service can keep writing `constructor(private readonly session: SessionConfig)`.
 * The environment itself is not read here: it was parsed and checked by loadConfig() before Nest
 * started, so the env file and process.env loaders of @nestjs/config are off.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: GatehouseConfig): DynamicModule {
    const nestConfig = NestConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      ignoreEnvVars: true,
      skipProcessEnv: true,
      load: namespaceFactories(config),
    });
    const providers: Provider[] = [
      { provide: GatehouseConfig, useValue: config },
      facade(ServerConfig, serverConfig),
      facade(SecretsConfig, secretsConfig),
      facade(SessionConfig, sessionConfig),
      facade(RegistrationConfig, registrationConfig),
      facade(MailConfig, mailConfig),
      facade(OpenIdConfig, openidConfig),
      facade(SocialConfig, socialConfig),
      facade(SamlConfig, samlConfig),
      facade(LdapConfig, ldapConfig),
      facade(ModerationConfig, moderationConfig),
      facade(StorageConfig, storageConfig),
      facade(TemplatesConfig, templatesConfig),
      facade(OperationsConfig, operationsConfig),
    ];
    return { module: ConfigModule, imports: [nestConfig], providers, exports: [...providers] };
  }
}
