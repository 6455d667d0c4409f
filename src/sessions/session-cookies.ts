import { Injectable } from '@nestjs/common';
import type { CookieOptions, Response } from 'express';
import { SessionConfig } from '../config';

export const REFRESH_COOKIE = 'refreshToken';
export const PROVIDER_COOKIE = 'token_provider';

/**
 * Every session cookie is written and cleared here, with one set of attributes, so a clearing
 * Set-Cookie always matches the one that set it (SE-10). HttpOnly, SameSite=Strict, path `/`
 * and no Domain, as LibreChat's client expects; Secure per SESSION_COOKIE_SECURE or the
 * localhost heuristic (SE-08, SE-11).
 */
@Injectable()
export class SessionCookies {
  constructor(private readonly session: SessionConfig) {}

  private attributes(): CookieOptions {
    return { httpOnly: true, secure: this.session.cookieSecure, sameSite: 'strict', path: '/' };
  }

  write(res: Response, refreshToken: string, expiresAt: Date, provider = 'librechat'): void {
    res.cookie(REFRESH_COOKIE, refreshToken, { ...this.attributes(), expires: expiresAt });
    res.cookie(PROVIDER_COOKIE, provider, { ...this.attributes(), expires: expiresAt });
  }

  clear(res: Response): void {
    res.clearCookie(REFRESH_COOKIE, this.attributes());
    res.clearCookie(PROVIDER_COOKIE, this.attributes());
  }
}
