import { Clock, SystemClock } from '../common/clock';
import { Injectable, Optional } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';
import { CookieInstructions, applyCookies, type RequestCookies } from '../common/http';
import type { UserRecord } from '../storage';
import type { FederatedTokens, FederatedTokenSource, HttpExchange } from '../templates';
import { OpenIdRefreshService } from './openid-refresh.service';
import { ReuseCookies } from './reuse-cookies';

/**
 * `{{LIBRECHAT_OPENID_*}}` values for the signed-in OpenID user: the tokens of the login named by
 * the request's signed `openid_user_id` cookie, only for that very user, refreshed first when
 * about to expire. The ID token's claims were verified when it was stored, so they are read
 * here without verifying again.
 */
@Injectable()
export class OpenIdFederatedTokens implements FederatedTokenSource {
  constructor(
    private readonly cookies: ReuseCookies,
    private readonly refresher: OpenIdRefreshService,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {}

  async forUser(user: UserRecord, http: HttpExchange | null): Promise<FederatedTokens | null> {
    if (!http) return null;
    const session = this.cookies.read(http.req.cookies as RequestCookies | undefined);
    if (!session || session.who.id !== user.id) return null;
    const cookies = new CookieInstructions();
    const tokens = await this.refresher.currentTokens(session.who, session.refreshToken, cookies);
    // This source is the template path's HTTP adapter: a rotated refresh cookie goes out with the
    // forwarded answer when its headers are still open.
    if (!http.res.raw.headersSent) applyCookies(http.res, cookies);
    if (!tokens?.accessToken) return null;
    if (tokens.expiresAt && tokens.expiresAt.getTime() <= this.clock.now().getTime()) return null;
    const decoded = tokens.idToken ? jwt.decode(tokens.idToken) : null;
    const claims = decoded && typeof decoded === 'object' ? decoded : {};
    return {
      accessToken: tokens.accessToken,
      idToken: tokens.idToken,
      expiresAt: tokens.expiresAt,
      claims: {
        sub: typeof claims.sub === 'string' ? claims.sub : undefined,
        email: typeof claims.email === 'string' ? claims.email : undefined,
        name: typeof claims.name === 'string' ? claims.name : undefined,
        exp: typeof claims.exp === 'number' ? claims.exp : undefined,
      },
    };
  }
}
