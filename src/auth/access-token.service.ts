import { Injectable } from '@nestjs/common';
import type { Jwt } from 'jsonwebtoken';
import { Clock } from '../common/clock';
import { AccessJwtService, TokenExpiredError, violatesIssuance } from '../common/jwt';
import { DomainError } from '../common/errors';
import { OpenIdConfig, SessionConfig } from '../config';
import type { UserRecord } from '../storage';
import { AuthErrors } from './auth.errors';

export const ACCESS_AUDIENCE = 'gatehouse:access';
const ACCESS_TYP = 'at+jwt';

export interface AccessClaims {
  id: string;
  username: string | null;
  provider: string;
  email: string;
  /** The refresh session this token was minted from. */
  sid: string | null;
}

/**
 * Short-lived HS256 access tokens with JWT_SECRET, carrying LibreChat's claims
 * `{ id, username, provider, email }`. A `typ` header and audience of their own mean a refresh
 * token, an ID token or any other JWT can never pass as one (JW-03); `alg` is pinned (JW-01);
 * `exp` is required and the audience must be exactly ours (JW-14).
 */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly jwt: AccessJwtService,
    private readonly session: SessionConfig,
    private readonly openid: OpenIdConfig,
    private readonly clock: Clock,
  ) {}

  sign(user: UserRecord, sessionId: string | null): { token: string; expiresAt: Date } {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const exp = iat + Math.floor(this.session.accessTokenTtlMs / 1000);
    const payload = { id: user.id, username: user.username, provider: user.provider, email: user.email, sid: sessionId, aud: ACCESS_AUDIENCE, iat, exp };
    const token = this.jwt.sign(payload, { header: { alg: 'HS256', typ: ACCESS_TYP } });
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** Throws a 401 DomainError with a stable code; never anything that becomes a 500 (JW-11). */
  verify(token: string): AccessClaims {
    let decoded: Jwt;
    const nowSec = Math.floor(this.clock.now().getTime() / 1000);
    try {
      decoded = this.jwt.verify<Jwt>(token, {
        audience: ACCESS_AUDIENCE,
        clockTolerance: this.openid.clockToleranceSec,
        clockTimestamp: nowSec,
        complete: true,
      });
    } catch (error) {
      if (error instanceof TokenExpiredError) throw new DomainError(AuthErrors.TOKEN_EXPIRED);
      throw new DomainError(AuthErrors.TOKEN_INVALID);
    }
    const payload = decoded.payload as Record<string, unknown>;
    const header = decoded.header as unknown as Record<string, unknown>;
    if (violatesIssuance(header, payload, nowSec, this.openid.clockToleranceSec)) throw new DomainError(AuthErrors.TOKEN_INVALID);
    // jsonwebtoken accepts a token without `exp` (it would never expire) and an audience array
    // that merely contains ours (a token minted for several services): both are refused (JW-14).
    if (typeof payload.exp !== 'number' || payload.aud !== ACCESS_AUDIENCE) throw new DomainError(AuthErrors.TOKEN_INVALID);
    if (decoded.header.typ !== ACCESS_TYP || typeof payload.id !== 'string' || typeof payload.email !== 'string') {
      throw new DomainError(AuthErrors.TOKEN_INVALID);
    }
    return {
      id: payload.id,
      username: typeof payload.username === 'string' ? payload.username : null,
      provider: typeof payload.provider === 'string' ? payload.provider : 'local',
      email: payload.email,
      sid: typeof payload.sid === 'string' ? payload.sid : null,
    };
  }
}
