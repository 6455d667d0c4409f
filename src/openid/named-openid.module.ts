import { Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { AuthModule, FederatedSessions } from '../auth';
import { OpenIdConfig, RegistrationConfig, type NamedOpenIdProvider } from '../config';
import { LoginProviderRegistry } from '../social';
import { ReuseProviders, TokenReuseModule } from '../token-reuse';
import { OpenIdLoginProvider } from './openid-login.provider';
import { OPENID_PROVIDER_DOMAINS, OPENID_PROVIDER_NAME } from './openid-login.service';
import { OpenIdReuseIdp } from './openid-reuse.idp';
import { OpenIdSessionHandler } from './openid-session.handler';
import { OPENID_SERVICES } from './openid.module';
import { OAuthStateModule } from '../oauth-state';

/**
 * One entry of OPENID_PROVIDERS: the whole OpenID service graph again, with this provider's
 * settings in place of the global OpenIdConfig (Nest resolves a module's own providers first),
 * so discovery, keys, state and user resolution are its own. Identities are bound to its issuer
 * (`openidId` + `openidIssuer`), so a `sub` from one provider never resolves to a user of another.
 * It registers `/oauth/openid-<name>` (also `/oauth/openid/<name>`) and opens Gatehouse
 * sessions, with its own end-session logout, back-channel logout, required role, admin mapping
 * and role sync, and with OPENID_<NAME>_REUSE_TOKENS its own token reuse (cookies naming it,
 * vault entries keyed by it, refresh and bearer verification at its own endpoints).
 */
@Module({})
export class NamedOpenIdModule implements OnModuleInit {
  static forProvider(provider: NamedOpenIdProvider): DynamicModule {
    return {
      module: NamedOpenIdModule,
      imports: [AuthModule, TokenReuseModule, OAuthStateModule],
      providers: [
        ...OPENID_SERVICES,
        { provide: OpenIdConfig, useValue: provider.settings },
        { provide: OPENID_PROVIDER_NAME, useValue: provider.routeName },
        { provide: OPENID_PROVIDER_DOMAINS, useValue: provider.domains },
      ],
    };
  }

  constructor(
    private readonly registration: RegistrationConfig,
    private readonly registry: LoginProviderRegistry,
    private readonly provider: OpenIdLoginProvider,
    private readonly federated: FederatedSessions,
    private readonly sessions: OpenIdSessionHandler,
    private readonly config: OpenIdConfig,
    private readonly reuse: ReuseProviders,
    private readonly reuseIdp: OpenIdReuseIdp,
  ) {}

  onModuleInit(): void {
    if (!this.registration.allowSocialLogin) return;
    this.registry.register(this.provider);
    // Logout (vault entry, end-session URL of this provider) for the logins it opened.
    this.federated.register(this.sessions);
    // OPENID_<NAME>_REUSE_TOKENS: refresh, IdP bearer and template tokens of the logins it opened.
    if (this.config.reuseTokens) this.reuse.register(this.reuseIdp);
  }
}
