import { createHash, createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Jwt } from 'jsonwebtoken';
import { RefreshJwtService, violatesIssuance } from '../common/jwt';
import { SecretsConfig } from '../config';

export const REFRESH_AUDIENCE = 'gatehouse:refresh';
const REFRESH_TYP = 'refresh+jwt';

export interface RefreshClaims {
  /** User id (LibreChat's claim name). */
  id: string;
  sessionId: string;
}

export interface VerifiedRefresh extends RefreshClaims {
  /** From `iat`; null when the token has none (LibreChat's always do). */
  issuedAt: Date | null;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Refresh tokens are HS256 JWTs `{ id, sessionId, jti }` signed with JWT_REFRESH_SECRET, the
 * shape LibreChat issues, so its existing sessions keep working. They carry their own `typ` and
 * audience and a secret no other token kind uses (JW-03). Only their SHA-256 is stored (SE-05).
 *
 * The token that replaces a given one is a pure function of (secret, session, replaced hash,
 * rotation time): two tabs refreshing with the same token inside the grace window compute the
 * identical successor without storing it anywhere (SE-03).
 */
@Injectable()
export class RefreshTokenCodec {
  constructor(
    private readonly secrets: SecretsConfig,
    private readonly jwt: RefreshJwtService,
  ) {}

  issue(claims: RefreshClaims, jti: string, issuedAt: Date, expiresAt: Date): string {
    const payload = { id: claims.id, sessionId: claims.sessionId, jti, aud: REFRESH_AUDIENCE, iat: seconds(issuedAt), exp: seconds(expiresAt) };
    return this.jwt.sign(payload, { header: { alg: 'HS256', typ: REFRESH_TYP } });
  }

  /** The successor of the token whose hash is `replacedHash`, rotated at `rotatedAt`. */
  successor(claims: RefreshClaims, replacedHash: string, rotatedAt: Date, expiresAt: Date): string {
    const jti = createHmac('sha256', this.secrets.jwtRefreshSecret).update(`${claims.sessionId}:${replacedHash}`).digest('base64url').slice(0, 22);
    return this.issue(claims, jti, rotatedAt, expiresAt);
  }

  /**
   * Verifies signature (HS256 only) and expiry. LibreChat's own refresh tokens have no audience;
   * they are accepted, but a token that names another audience is not.
   */
  verify(token: string, clockToleranceSec: number, now: Date): VerifiedRefresh | null {
    const nowSec = seconds(now);
    try {
      const decoded = this.jwt.verify<Jwt>(token, { clockTolerance: clockToleranceSec, clockTimestamp: nowSec, complete: true });
      if (typeof decoded.payload !== 'object' || decoded.payload === null) return null;
      const payload = decoded.payload as Record<string, unknown>;
      if (violatesIssuance(decoded.header as unknown as Record<string, unknown>, payload, nowSec, clockToleranceSec)) return null;
      const { id, sessionId, aud, iat } = payload;
      if (aud !== undefined && aud !== REFRESH_AUDIENCE) return null;
      if (typeof id !== 'string' || typeof sessionId !== 'string') return null;
      return { id, sessionId, issuedAt: typeof iat === 'number' ? new Date(iat * 1000) : null };
    } catch {
      return null;
    }
  }
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
