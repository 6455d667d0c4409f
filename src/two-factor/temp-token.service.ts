import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Jwt } from 'jsonwebtoken';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors';
import { AccessJwtService, violatesIssuance } from '../common/jwt';
import { KeyValueStore } from '../storage';
import { TwoFactorErrors } from './two-factor.errors';

export const TEMP_TOKEN_AUDIENCE = 'gatehouse:2fa-pending';
const TEMP_TOKEN_TYP = '2fa+jwt';
/** LibreChat's lifetime for the step between password and code. */
export const TEMP_TOKEN_TTL_MS = 5 * 60_000;

export interface TempClaims {
  userId: string;
  jti: string;
  expiresAt: Date;
}

export const invalidTempToken = () => new DomainError(TwoFactorErrors.INVALID_TEMP_TOKEN);

/**
 * The token a password sign-in of a 2FA account gets instead of a session. LibreChat's payload
 * (`{userId, twoFAPending: true}`, HS256 with JWT_SECRET, 5 minutes), plus an audience and `typ`
 * of its own so it is never accepted as an access or refresh token (and no other JWT as this),
 * and a `jti` that a successful verification spends, so it finishes one sign-in only.
 */
@Injectable()
export class TempTokenService {
  constructor(
    private readonly jwt: AccessJwtService,
    private readonly kv: KeyValueStore,
    private readonly clock: Clock,
  ) {}

  issue(userId: string): string {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const payload = { userId, twoFAPending: true, jti: randomUUID(), aud: TEMP_TOKEN_AUDIENCE, iat, exp: iat + TEMP_TOKEN_TTL_MS / 1000 };
    return this.jwt.sign(payload, { header: { alg: 'HS256', typ: TEMP_TOKEN_TYP } });
  }

  /** The claims of a genuine, unexpired, unspent temp token; null otherwise. Pure: spends nothing. */
  async read(token: string): Promise<TempClaims | null> {
    const nowSec = Math.floor(this.clock.now().getTime() / 1000);
    let decoded: Jwt;
    try {
      decoded = this.jwt.verify<Jwt>(token, { audience: TEMP_TOKEN_AUDIENCE, clockTimestamp: nowSec, complete: true });
    } catch {
      return null;
    }
    const payload = decoded.payload as Record<string, unknown>;
    const header = decoded.header as unknown as Record<string, unknown>;
    if (header.typ !== TEMP_TOKEN_TYP || violatesIssuance(header, payload, nowSec, 0)) return null;
    if (typeof payload.userId !== 'string' || payload.twoFAPending !== true || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') return null;
    if (await this.kv.get(spentKey(payload.jti), this.clock.now())) return null;
    return { userId: payload.userId, jti: payload.jti, expiresAt: new Date(payload.exp * 1000) };
  }

  /** Marks the token used; true for exactly one caller. */
  async spend(claims: TempClaims): Promise<boolean> {
    const now = this.clock.now();
    const ttl = Math.max(1000, claims.expiresAt.getTime() - now.getTime() + 60_000);
    return this.kv.setIfAbsent(spentKey(claims.jti), '1', ttl, now);
  }
}

function spentKey(jti: string): string {
  return `2fa-temp-spent:${jti}`;
}

/** The limiter key of a token that did not verify: its hash, never the token itself. */
export function tempTokenFingerprint(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
