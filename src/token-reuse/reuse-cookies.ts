import { Clock, SystemClock } from '../common/clock';
import { Injectable, Optional } from '@nestjs/common';
import type { Request, Response } from 'express';
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

  write(res: Response, refreshToken: string, who: OpenIdUserCookie): void {
    const expiresAt = new Date(this.clock.now().getTime() + this.session.refreshTokenTtlMs);
    this.cookies.write(res, refreshToken, expiresAt, 'openid');
    res.cookie(OPENID_USER_COOKIE, this.codec.sign(who, expiresAt), { httpOnly: true, secure: this.session.cookieSecure, sameSite: 'strict', path: '/', expires: expiresAt });
  }

  clear(res: Response): void {
    this.cookies.clear(res);
    res.clearCookie(OPENID_USER_COOKIE, { httpOnly: true, secure: this.session.cookieSecure, sameSite: 'strict', path: '/' });
  }

  /** The signed user cookie of a reuse session, or null (then the request is not one). */
  read(req: Request): { who: OpenIdUserCookie; refreshToken: string | null } | null {
    const cookies = (req.cookies ?? {}) as Record<string, unknown>;
    if (cookies[PROVIDER_COOKIE] !== 'openid') return null;
    const who = this.codec.verify(typeof cookies[OPENID_USER_COOKIE] === 'string' ? cookies[OPENID_USER_COOKIE] : null);
    if (!who) return null;
    const refresh = cookies[REFRESH_COOKIE];
    return { who, refreshToken: typeof refresh === 'string' && refresh !== '' ? refresh : null };
  }
}
