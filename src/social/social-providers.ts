import { Injectable, Optional } from '@nestjs/common';
import { OutboundCalls } from '../common/outbound-calls';
import { measureOAuth2Calls } from './oauth2/measured-oauth2';
import { OpenIdConfig, RegistrationConfig, ServerConfig } from '../config';
import { outboundProxy } from '../common/outbound-proxy';
import { OAuthStateStore } from '../oauth-state';
import { LoginProviderRegistry } from './login-provider.registry';
import { OAuth2LoginProvider, type OAuthProviderDefinition } from './oauth2/oauth2-login.provider';
import { SocialStateStore } from './oauth2/social-state.store';
import { SocialLoginService } from './social-login.service';

/**
 * The extension API (docs/providers.md): a provider module builds its passport strategy with
 * `stateStore(name)` and the `callbackUrl(...)` of its config, then calls `register(...)` from
 * `onModuleInit` when `isEnabled(...)`. Routes, `/api/config`, state, PKCE, account linking and
 * the session come from here.
 */
@Injectable()
export class SocialProviders {
  constructor(
    private readonly registry: LoginProviderRegistry,
    private readonly useCase: SocialLoginService,
    private readonly transactions: OAuthStateStore,
    private readonly server: ServerConfig,
    private readonly registration: RegistrationConfig,
    // PROXY/NO_PROXY are shared settings validated in the openid namespace (LibreChat's names).
    private readonly openid: OpenIdConfig,
    @Optional() private readonly calls?: OutboundCalls,
  ) {}

  /** A provider is on only with ALLOW_SOCIAL_LOGIN=true and its credentials (checked in pairs by the config). */
  isEnabled(credentials: object | null | undefined): boolean {
    return this.registration.allowSocialLogin && !!credentials;
  }

  /** DOMAIN_SERVER + a path, or an absolute URL as given. */
  callbackUrl(pathOrUrl: string): string {
    return /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : `${this.server.domainServer.replace(/\/+$/, '')}${pathOrUrl}`;
  }

  /** passport-oauth2 `store` option: sealed-cookie state (and PKCE verifier) bound to this provider. */
  stateStore(name: string): SocialStateStore {
    return new SocialStateStore(this.transactions, name);
  }

  /**
   * The passport-oauth2 options every provider shares: credentials, the callback under
   * DOMAIN_SERVER, scopes, and `state` (plus PKCE where the provider supports it) kept in the
   * sealed transaction cookie. Providers spread their endpoints and extras next to it.
   */
  strategyOptions(
    name: string,
    credentials: { clientId: string; clientSecret: string; callbackUrl: string },
    scope: readonly string[],
    { pkce }: { pkce: boolean },
  ) {
    return {
      clientID: credentials.clientId,
      clientSecret: credentials.clientSecret,
      callbackURL: this.callbackUrl(credentials.callbackUrl),
      scope: [...scope],
      state: true,
      ...(pkce ? { pkce: true } : {}),
      store: this.stateStore(name),
    };
  }

  register(definition: OAuthProviderDefinition): OAuth2LoginProvider {
    // Token exchange and profile calls of passport-oauth2 strategies run on the `oauth` library's
    // http.request: its agent carries PROXY/NO_PROXY (PX-04).
    const agent = outboundProxy(this.openid.proxy, this.openid.noProxy).nodeAgent();
    const oauth2 = (definition.strategy as { _oauth2?: { setAgent?: (agent: unknown) => void } })._oauth2;
    if (agent && !oauth2?.setAgent) throw new Error(`PROXY is set but the ${definition.name} strategy has no oauth2 client to route through it`);
    if (agent) oauth2!.setAgent!(agent);
    if (this.calls) measureOAuth2Calls(definition.strategy, definition.name, this.calls);
    const provider = new OAuth2LoginProvider(definition, this.useCase, this.server);
    this.registry.register(provider);
    return provider;
  }
}
