import { DynamicModule, Module, type Type } from '@nestjs/common';
import { AdminModule } from './admin';
import { AuditModule } from './audit';
import { AuthModule } from './auth';
import { BalancesModule } from './balances';
import { ClockModule } from './common/clock';
import { OutboundCallsModule } from './common/outbound-calls';
import { SecurityEventsModule } from './common/security-events';
import { JwtKeysModule } from './common/jwt';
import { ConfigModule, type GatehouseConfig } from './config';
import { HealthModule } from './health';
import { LoggingModule } from './logging/logging.module';
import { MailApiModule } from './mail';
import { MetricsModule } from './metrics';
import { NamedOpenIdModule, OpenIdModule } from './openid';
import { PasskeysModule } from './passkeys';
import { SamlModule } from './saml';
import { SocialModule } from './social';
import { BUILTIN_SOCIAL_PROVIDER_MODULES } from './social/builtin-providers';
import { StorageModule } from './storage';
import { TemplatesModule } from './templates';
import { TwoFactorModule } from './two-factor';
import { WebModule } from './web';

/** A sign-in provider module added to the built-in ones (docs/providers.md). */
export type ProviderModule = Type | DynamicModule;

/** The composition root: the validated config decides which adapters and modules are wired in. */
@Module({})
export class AppModule {
  /** `providerModules`: extra sign-in provider modules (docs/providers.md), after the built-in ones. */
  static forRoot(config: GatehouseConfig, providerModules: ProviderModule[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config.server),
        StorageModule.forConfig(config),
        ClockModule,
        SecurityEventsModule,
        OutboundCallsModule,
        JwtKeysModule,
        HealthModule,
        AuditModule,
        MetricsModule.forRoot(config.operations.metricsEnabled),
        AuthModule,
        BalancesModule,
        // Required only when enabled, so ldapts is not loaded by deployments without LDAP.
        ...(config.ldap.enabled ? [(require('./ldap') as typeof import('./ldap')).LdapModule] : []),
        TwoFactorModule,
        AdminModule,
        PasskeysModule,
        MailApiModule,
        SocialModule,
        OpenIdModule,
        ...config.openidProviders.map((provider) => NamedOpenIdModule.forProvider(provider)),
        ...BUILTIN_SOCIAL_PROVIDER_MODULES,
        SamlModule,
        ...providerModules,
        TemplatesModule,
        WebModule,
      ],
    };
  }
}
