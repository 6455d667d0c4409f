import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FederatedLogout, FederatedRequest } from '../auth';
import { CookieInstructions } from '../common/http';
import { OpenIdConfig, ServerConfig } from '../config';
import { UserRepository, type RefreshSessionRecord } from '../storage';
import { DiscoveryService } from './discovery.service';
import { locateIssuer, storedIssuerForm } from './issuer-url';
import { OPENID_PROVIDER, OPENID_PROVIDER_NAME } from './openid-login.service';
import { TokenEndpointClient } from './token-endpoint.client';
import { IdpTokenStore, ReuseCookies } from '../token-reuse';

/**
 * Logout of an OpenID session (docs/librechat-differences.md#openid-sign-in-and-token-reuse): the local side — vault entry, reuse cookies, the
 * refresh session (revoked by the caller) — is always undone, even when the IdP is down
 * (LO-02). With OPENID_USE_END_SESSION_ENDPOINT the browser is then sent to the IdP's
 * end_session_endpoint with `id_token_hint` (kept server-side), `client_id` and
 * `post_logout_redirect_uri`; over OPENID_MAX_LOGOUT_URL_LENGTH, `logout_hint` replaces the
 * ID token (LO-01).
 */
@Injectable()
export class OpenIdLogoutService {
  private readonly logger = new Logger('OpenIdLogout');

  constructor(
    private readonly config: OpenIdConfig,
    private readonly server: ServerConfig,
    private readonly cookies: ReuseCookies,
    private readonly store: IdpTokenStore,
    private readonly discovery: DiscoveryService,
    private readonly users: UserRepository,
    private readonly tokenEndpoint: TokenEndpointClient,
    @Inject(OPENID_PROVIDER_NAME) private readonly providerName: string,
  ) {}

  /** Plain inputs (the request's cookies, the revoked local session); the answer carries the reuse cookies to clear. */
  async logout(request: Pick<FederatedRequest, 'cookies'>, session: RefreshSessionRecord | null): Promise<FederatedLogout | undefined> {
    // A token-reuse login is this provider's when its signed cookie names it (each provider with
    // token reuse on sees every logout; only the one that opened the login acts on it).
    const cookie = this.config.reuseTokens ? this.cookies.read(request.cookies) : null;
    const reuse = cookie?.who.provider === this.providerName ? cookie : null;
    const cookies = new CookieInstructions();
    let userId: string;
    let loginId: string;
    if (reuse) {
      ({ id: userId, sid: loginId } = reuse.who);
      this.cookies.toClear(cookies);
    } else if (session?.provider === 'openid') {
      ({ userId, id: loginId } = session);
    } else {
      return undefined;
    }
    // A named provider's logins made before its vault entries were keyed per provider sit under
    // the default key; the stored issuer says whose they are.
    let key = this.providerName;
    let tokens = await this.store.load(userId, loginId, key).catch(() => null);
    if (!tokens && !reuse && this.providerName !== OPENID_PROVIDER) {
      key = OPENID_PROVIDER;
      tokens = await this.store.load(userId, loginId, key).catch(() => null);
    }
    // Every OpenID provider (default and OPENID_PROVIDERS) sees each OpenID logout; the issuer
    // stored with the login says whose it is, so its own end-session URL is the one returned.
    if (!reuse && !this.owns(tokens?.issuer ?? null)) return undefined;
    await this.store
      .delete(userId, loginId, key)
      .catch((error: unknown) => this.logger.warn({ userId }, `could not delete stored IdP tokens: ${String(error)}`));
    // The IdP refresh token dies with the session (RFC 7009), in the background: logout never waits on the IdP.
    const metadata = this.discovery.known();
    if (tokens?.refreshToken && metadata) {
      void this.tokenEndpoint
        .revoke(metadata, tokens.refreshToken, 'refresh_token')
        .catch((error: unknown) => this.logger.warn({ userId }, `IdP refresh token not revoked: ${(error as Error).message}`));
    }
    if (!this.config.useEndSessionEndpoint) return { cookies };
    // Known metadata only: logout never waits on an IdP that is down.
    const endpoint = this.discovery.known()?.endSessionEndpoint;
    if (!endpoint) return { cookies };
    const url = new URL(endpoint);
    url.searchParams.set('client_id', this.config.clientId ?? '');
    url.searchParams.set('post_logout_redirect_uri', this.config.postLogoutRedirectUri ?? new URL('/login', this.server.domainClient).href);
    const idToken = tokens?.idToken;
    if (idToken && url.href.length + '&id_token_hint='.length + idToken.length <= this.config.maxLogoutUrlLength) {
      url.searchParams.set('id_token_hint', idToken);
    } else if (idToken) {
      const user = await this.users.findById(userId).catch(() => null);
      const hint = user?.email || user?.username || user?.openidId;
      if (hint) url.searchParams.set('logout_hint', hint);
    }
    return { redirect: url.href, cookies };
  }

  /** A login whose stored issuer is this provider's; one with none left is the default provider's (as before named providers logged out). */
  private owns(issuer: string | null): boolean {
    if (!issuer) return this.providerName === OPENID_PROVIDER;
    const mine = [this.discovery.known()?.issuer, ...locateIssuer(this.config.issuer ?? '').acceptedIssuers]
      .filter((i): i is string => !!i)
      .map(storedIssuerForm);
    return mine.includes(storedIssuerForm(issuer));
  }
}
