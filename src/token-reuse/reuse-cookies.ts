import { Clock, SystemClock } from '../common/clock';
import { Injectable, Optional } from '@nestjs/common';
import { CookieInstructions, type RequestCookies } from '../common/http';
import { SessionConfig } from '../config';
import { PROVIDER_COOKIE, REFRESH_COOKIE, SessionCookies } from '../sessions';
import { OPENID_USER_COOKIE, OpenIdUserCookieCodec, type OpenIdUserCookie } from './openid-user-cookie';

/**
 * LibreChat's reuse cookie contract (docs/librechat-differences.md#openid-sign-in-and-token-reuse): `refreshToken` = the IdP refresh
 * token, `token_provider=openid`, signed `openid_user_id`. All HttpOnly, SameSite=Strict, with
 * the attributes SessionCookies uses, so clearing always matches setting.
 */
@Injectable()
export class ReuseCookies {
  constructor(
    private readonly cookies: SessionCookies,
    private readonly codec: OpenIdUserCookieCodec,
    private readonly session: SessionConfig,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {}

  /** The three reuse cookies to set, appended to `out`. */
  toSet(refreshToken: string, who: OpenIdUserCookie, out = new CookieInstructions()): CookieInstructions {
    const expiresAt = new Date(this.clock.now().getTime() + this.session.refreshTokenTtlMs);
    this.cookies.toSet(refreshToken, expiresAt, 'openid', out);
    return out.setCookie(OPENID_USER_COOKIE, this.codec.sign(who, expiresAt), {
      httpOnly: true,
      secure: this.session.cookieSecure,
      sameSite: 'strict',
      path: '/',
      expires: expiresAt,
    });
  }

  /** The three reuse cookies to clear, appended to `out`. */
  toClear(out = new CookieInstructions()): CookieInstructions {
    this.cookies.toClear(out);
    return out.clearCookie(OPENID_USER_COOKIE, { httpOnly: true, secure: this.session.cookieSecure, sameSite: 'strict', path: '/' });
  }

  /** The signed user cookie of a reuse session among the request's cookies, or null (then the request is not one). */
  read(requestCookies: RequestCookies | undefined): { who: OpenIdUserCookie; refreshToken: string | null } | null {
    const cookies = requestCookies ?? {};
    if (cookies[PROVIDER_COOKIE] !== 'openid') return null;
    const who = this.codec.verify(typeof cookies[OPENID_USER_COOKIE] === 'string' ? cookies[OPENID_USER_COOKIE] : null);
    if (!who) return null;
    const refresh = cookies[REFRESH_COOKIE];
    return { who, refreshToken: typeof refresh === 'string' && refresh !== '' ? refresh : null };
  }
}
