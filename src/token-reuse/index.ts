export { TokenReuseModule } from './token-reuse.module';
export { ReuseCookies } from './reuse-cookies';
export { OPENID_USER_COOKIE, DEFAULT_REUSE_PROVIDER, type OpenIdUserCookie } from './openid-user-cookie';
export { IdpTokenStore, vaultKey } from './idp-token.store';
export { OpenIdRefreshService } from './openid-refresh.service';
export { IdpBearerAuthenticator } from './idp-bearer.authenticator';
export { OpenIdFederatedTokens } from './openid-federated-tokens';
export { ReuseProviders, ReuseIdpUnavailableError, type ReuseIdentityProvider } from './reuse-identity-provider';
export { bearerCandidate } from './bearer-candidate';
