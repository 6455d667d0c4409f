import { Injectable } from '@nestjs/common';
import type { Jwt } from 'jsonwebtoken';
import { Clock } from '../common/clock';
import { RefreshJwtService } from '../common/jwt';

export const OPENID_USER_COOKIE = 'openid_user_id';
const AUDIENCE = 'gatehouse:openid-user';
const TYP = 'openid-user+jwt';

export interface OpenIdUserCookie {
  /** Gatehouse user id. */
  id: string;
  /** This login's key in the token vault: several devices of one user keep their own IdP tokens. */
  sid: string;
  /** The provider that opened the login: `openid` (default) or `openid-<name>` (OPENID_PROVIDERS). */
  provider: string;
}

/** The default provider's route name; its cookie carries no provider field, exactly as before named providers had token reuse. */
export const DEFAULT_REUSE_PROVIDER = 'openid';

/**
 * LibreChat's signed `openid_user_id` cookie (HS256 with JWT_REFRESH_SECRET, payload `{id}`),
 * plus a `sid` and an audience and `typ` of its own so a refresh token can never pass for it
 * and vice versa (LibreChat defect D-8 in docs/librechat-differences.md; JW-03).
 */
@Injectable()
export class OpenIdUserCookieCodec {
  constructor(
    private readonly jwt: RefreshJwtService,
    private readonly clock: Clock,
  ) {}

  sign(value: OpenIdUserCookie, expiresAt: Date): string {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const provider = value.provider === DEFAULT_REUSE_PROVIDER ? {} : { p: value.provider };
    return this.jwt.sign(
      { id: value.id, sid: value.sid, ...provider, aud: AUDIENCE, iat, exp: Math.floor(expiresAt.getTime() / 1000) },
      { header: { alg: 'HS256', typ: TYP } },
    );
  }

  verify(token: string | undefined | null): OpenIdUserCookie | null {
    if (!token) return null;
    try {
      const decoded = this.jwt.verify<Jwt>(token, { audience: AUDIENCE, complete: true });
      const payload = decoded.payload as Record<string, unknown>;
      if (decoded.header.typ !== TYP || typeof payload.id !== 'string' || typeof payload.sid !== 'string') return null;
      if (payload.p !== undefined && typeof payload.p !== 'string') return null;
      return { id: payload.id, sid: payload.sid, provider: typeof payload.p === 'string' ? payload.p : DEFAULT_REUSE_PROVIDER };
    } catch {
      return null;
    }
  }
}
