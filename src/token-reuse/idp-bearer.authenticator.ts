import { Injectable } from '@nestjs/common';
import { AuthErrors, RecentUsers, type FederatedBearer, type FederatedRequest } from '../auth';
import { DomainError } from '../common/errors';
import { IdpTokenStore } from './idp-token.store';
import { ReuseCookies } from './reuse-cookies';
import { ReuseProviders, type ReuseIdentityProvider } from './reuse-identity-provider';

type ReuseSession = NonNullable<ReturnType<ReuseCookies['read']>>;

/**
 * Bearer requests carrying the IdP's ID token or JWT access token (OPENID_REUSE_TOKENS,
 * docs/librechat-differences.md#openid-sign-in-and-token-reuse). Only claimed when the request
 * also carries a valid signed `openid_user_id` cookie (TR-01) of a provider with token reuse on,
 * and the token is not a Gatehouse HS256 token. The provider that opened the login verifies the
 * token against its JWKS; it must then belong to the cookie's user (same `sub` and issuer as the
 * stored OpenID identity) and the login must still be live. The user and login lookups follow the
 * bearer path's one staleness rule (RecentUsers, IdpTokenStore.isLive): this process's own changes
 * apply at once, other processes' within 1 s.
 */
@Injectable()
export class IdpBearerAuthenticator {
  constructor(
    private readonly providers: ReuseProviders,
    private readonly cookies: ReuseCookies,
    private readonly users: RecentUsers,
    private readonly store: IdpTokenStore,
  ) {}

  /** `undefined` at once (no promise) when the request carries no token-reuse login of a known provider. */
  authenticate(request: Pick<FederatedRequest, 'cookies'>, token: string): Promise<FederatedBearer | undefined> | undefined {
    const session = this.cookies.read(request.cookies);
    const idp = session ? this.providers.get(session.who.provider) : undefined;
    if (!session || !idp) return undefined;
    return this.verify(session, idp, token);
  }

  private async verify(session: ReuseSession, idp: ReuseIdentityProvider, token: string): Promise<FederatedBearer | undefined> {
    const verified = await idp.verifyBearer(token, session.who.id);
    if (!verified) return undefined;
    const { payload } = verified;
    let user = await this.users.findById(session.who.id);
    if (!user || user.openidId !== payload.sub || (user.openidIssuer !== null && user.openidIssuer !== idp.storedIssuerOf(payload))) {
      // TR-01: a valid IdP token of someone else, next to this user's cookie.
      throw new DomainError(AuthErrors.TOKEN_INVALID);
    }
    // The login must still be live: logout, an IdP invalid_grant or a back-channel logout (BL-06)
    // deleted its vault entry, and its still-unexpired IdP token must stop working with it.
    if (!(await this.store.isLive(user.id, session.who.sid, idp.name))) throw new DomainError(AuthErrors.TOKEN_INVALID);
    user = await idp.onBearer(user, payload);
    return { user, claims: { id: user.id, username: user.username, provider: user.provider, email: user.email, sid: null } };
  }
}
