import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CookieInstructions, applyCookies, type CookieOptions } from '../common/http';
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

  /** The session cookies as instructions, for use cases that answer with cookies instead of writing them. */
  toSet(refreshToken: string, expiresAt: Date, provider = 'librechat', out = new CookieInstructions()): CookieInstructions {
    return out
      .setCookie(REFRESH_COOKIE, refreshToken, { ...this.attributes(), expires: expiresAt })
      .setCookie(PROVIDER_COOKIE, provider, { ...this.attributes(), expires: expiresAt });
  }

  toClear(out = new CookieInstructions()): CookieInstructions {
    return out.clearCookie(REFRESH_COOKIE, this.attributes()).clearCookie(PROVIDER_COOKIE, this.attributes());
  }

  write(res: FastifyReply, refreshToken: string, expiresAt: Date, provider = 'librechat'): void {
    applyCookies(res, this.toSet(refreshToken, expiresAt, provider));
  }

  clear(res: FastifyReply): void {
    applyCookies(res, this.toClear());
  }
}
