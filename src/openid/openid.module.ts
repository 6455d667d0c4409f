import { Module, OnModuleInit } from '@nestjs/common';
import { AuthModule, FederatedSessions } from '../auth';
import { OpenIdConfig, RegistrationConfig } from '../config';
import { OAuthStateModule } from '../oauth-state';
import { LoginProviderRegistry } from '../social';
import { FederatedTokenHub, TemplatesModule } from '../templates';
import { ReuseProviders, TokenReuseModule } from '../token-reuse';
import { DiscoveryService } from './discovery.service';
import { IdTokenVerifier } from './id-token.verifier';
import { IdpJwtVerifier } from './idp-jwt.verifier';
import { JwksKeysService } from './jwks-keys.service';
import { AvatarImporter } from './avatar-importer';
import { GroupOverageResolver } from './group-overage.resolver';
import { OnBehalfOfService } from './on-behalf-of.service';
import { OpenIdHttp } from './openid-http';
import { OpenIdLoginProvider } from './openid-login.provider';
import { OPENID_PROVIDER, OPENID_PROVIDER_DOMAINS, OPENID_PROVIDER_NAME, OpenIdLoginService } from './openid-login.service';
import { OpenIdLogoutService } from './openid-logout.service';
import { OpenIdSessionHandler } from './openid-session.handler';
import { OpenIdUserResolver } from './openid-user.resolver';
import { RolePolicy } from './role-policy';
import { RoleSync } from './role-sync';
import { IdpRoleUpdater } from './idp-role-updater';
import { BackchannelLogins } from './backchannel/backchannel-logins';
import { BackchannelLogoutController } from './backchannel/backchannel-logout.controller';
import { BackchannelLogoutService } from './backchannel/backchannel-logout.service';
import { LogoutTokenVerifier } from './backchannel/logout-token.verifier';
import { GraphTokenController } from './graph/graph-token.controller';
import { GraphTokenService } from './graph/graph-token.service';
import { TokenEndpointClient } from './token-endpoint.client';
import { OpenIdReuseIdp } from './openid-reuse.idp';
import { UserinfoClient } from './userinfo.client';

/** Everything one OpenID provider needs; named providers get their own copy with their own config. */
export const OPENID_SERVICES = [
  OpenIdHttp,
  DiscoveryService,
  JwksKeysService,
  IdpJwtVerifier,
  IdTokenVerifier,
  TokenEndpointClient,
  UserinfoClient,
  OnBehalfOfService,
  GroupOverageResolver,
  AvatarImporter,
  RoleSync,
  RolePolicy,
  IdpRoleUpdater,
  OpenIdUserResolver,
  OpenIdLoginService,
  OpenIdLoginProvider,
  OpenIdReuseIdp,
  OpenIdLogoutService,
  OpenIdSessionHandler,
  LogoutTokenVerifier,
  BackchannelLogins,
  BackchannelLogoutService,
  GraphTokenService,
];

/**
 * OpenID Connect sign-in and token reuse. Registers `/oauth/openid` in the provider registry
 * and its session handling into the auth module's federation seam — only when OpenID is
 * configured and social login is allowed (LibreChat's rule, docs/librechat-differences.md#openid-sign-in-and-token-reuse).
 */
@Module({
  imports: [AuthModule, TemplatesModule, TokenReuseModule, OAuthStateModule],
  controllers: [BackchannelLogoutController, GraphTokenController],
  providers: [...OPENID_SERVICES, { provide: OPENID_PROVIDER_NAME, useValue: OPENID_PROVIDER }, { provide: OPENID_PROVIDER_DOMAINS, useValue: [] }],
  exports: [JwksKeysService, DiscoveryService],
})
export class OpenIdModule implements OnModuleInit {
  constructor(
    private readonly config: OpenIdConfig,
    private readonly registration: RegistrationConfig,
    private readonly registry: LoginProviderRegistry,
    private readonly federated: FederatedSessions,
    private readonly provider: OpenIdLoginProvider,
    private readonly sessions: OpenIdSessionHandler,
    private readonly reuse: ReuseProviders,
    private readonly reuseIdp: OpenIdReuseIdp,
    private readonly templateTokens: FederatedTokenHub,
    private readonly graphTokens: GraphTokenService,
  ) {}

  onModuleInit(): void {
    if (!isOpenIdActive(this.config, this.registration)) return;
    this.registry.register(this.provider);
    this.federated.register(this.sessions);
    // Token reuse (refresh, IdP bearer, template tokens) goes through the token-reuse module.
    if (this.config.reuseTokens) this.reuse.register(this.reuseIdp);
    // {{LIBRECHAT_GRAPH_ACCESS_TOKEN}}: on-behalf-of for GRAPH_API_SCOPES (the default provider's, as in LibreChat).
    if (this.config.reuseTokens) this.templateTokens.useGraph(this.graphTokens);
  }
}

export function isOpenIdActive(openid: OpenIdConfig, registration: RegistrationConfig): boolean {
  return registration.allowSocialLogin && openid.enabled;
}
