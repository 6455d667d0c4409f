import { Module, type OnModuleInit } from '@nestjs/common';
import { AuthModule, FederatedSessions } from '../auth';
import { FederatedTokenHub, TemplatesModule } from '../templates';
import { IdpBearerAuthenticator } from './idp-bearer.authenticator';
import { IdpTokenStore } from './idp-token.store';
import { OpenIdFederatedTokens } from './openid-federated-tokens';
import { OpenIdRefreshService } from './openid-refresh.service';
import { OpenIdUserCookieCodec } from './openid-user-cookie';
import { ReuseCookies } from './reuse-cookies';
import { ReuseProviders } from './reuse-identity-provider';
import { ReuseSessionHandler } from './reuse-session.handler';

/**
 * OpenID token reuse (OPENID_REUSE_TOKENS): the IdP tokens are the session. Owns LibreChat's
 * cookie contract, the vault of IdP tokens per login, the refresh with single-flight and the
 * cross-instance lease, the IdP-bearer authenticator and the `{{LIBRECHAT_OPENID_*}}` token
 * source. The OpenID providers plug in through `ReuseProviders` (one `ReuseIdentityProvider`
 * each); this module never imports the OpenID module, which depends on it.
 */
@Module({
  imports: [AuthModule, TemplatesModule],
  providers: [
    IdpTokenStore,
    OpenIdUserCookieCodec,
    ReuseCookies,
    ReuseProviders,
    OpenIdRefreshService,
    IdpBearerAuthenticator,
    OpenIdFederatedTokens,
    ReuseSessionHandler,
  ],
  exports: [IdpTokenStore, ReuseCookies, ReuseProviders, OpenIdRefreshService, IdpBearerAuthenticator, OpenIdFederatedTokens],
})
export class TokenReuseModule implements OnModuleInit {
  constructor(
    private readonly providers: ReuseProviders,
    private readonly federated: FederatedSessions,
    private readonly sessions: ReuseSessionHandler,
    private readonly templateTokens: FederatedTokenHub,
    private readonly federatedTokens: OpenIdFederatedTokens,
  ) {}

  /**
   * Joined unconditionally: this module initialises before the OpenID modules that register
   * their providers, and a request whose cookie names no registered provider (or none at all)
   * falls through to the local session path exactly as if token reuse were absent.
   */
  onModuleInit(): void {
    this.federated.register(this.sessions);
    this.templateTokens.use(this.federatedTokens);
  }
}
