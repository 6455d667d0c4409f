import { Injectable, Optional } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';
import { Clock, SystemClock } from '../common/clock';
import { OpenIdConfig } from '../config';
import { JwksKeysService } from './jwks-keys.service';
import { IdpUnavailableError, OpenIdFailure } from './openid-errors';
import { expectedIssuer, TENANT_PLACEHOLDER } from './provider-metadata';

export type IdpJwtProblem = 'malformed' | 'algorithm' | 'unknown_key' | 'signature' | 'issuer' | 'audience' | 'expired' | 'not_yet_valid' | 'claims';

/** A JWT from the identity provider was refused; `problem` is logged, never shown in detail. */
export class IdpJwtError extends OpenIdFailure {
  constructor(
    readonly problem: IdpJwtProblem,
    message: string,
  ) {
    super('rejected', message);
    this.name = 'IdpJwtError';
  }
}

export interface IdpJwtExpectations {
  /** The discovered issuer; an Entra `{tenantid}` template is filled from the token's `tid`. */
  issuer: string;
  /** Accepted audiences; the token's `aud` must contain at least one. */
  audiences: string[];
  /** Algorithms the provider advertises (asymmetric only). */
  algorithms: string[];
  /**
   * Logout tokens (Back-Channel Logout 1.0 §2.4) may carry `sid` instead of `sub` and need not
   * carry `exp`; their verifier checks what they must carry instead. Default: both required.
   */
  logoutToken?: boolean;
}

export interface VerifiedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function looksLikeJwt(token: string): boolean {
  return COMPACT_JWS.test(token);
}

/** Payload of a compact JWS without trusting it (only to pick the expected issuer), or null. */
function peekPayload(token: string): Record<string, unknown> | null {
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Header of a compact JWS without trusting it, or null when it is not one (JW-11). */
export function peekHeader(token: string): Record<string, unknown> | null {
  if (!looksLikeJwt(token)) return null;
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'));
    return header && typeof header === 'object' && !Array.isArray(header) ? (header as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Signature and registered-claim checks shared by ID tokens and reused IdP bearer tokens:
 * the algorithm comes from an explicit allow-list (never from the token alone: JW-01, JW-02,
 * JW-04), the key only from the JWKS by kid, issuer compared exactly (JW-09), one clock leeway
 * (OPENID_CLOCK_TOLERANCE) for exp, nbf and iat (JW-07), unknown `crit` refused (JW-11).
 */
@Injectable()
export class IdpJwtVerifier {
  constructor(
    private readonly keys: JwksKeysService,
    private readonly config: OpenIdConfig,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {}

  async verify(token: string, expect: IdpJwtExpectations): Promise<VerifiedJwt> {
    const header = peekHeader(token);
    if (!header) throw new IdpJwtError('malformed', 'not a compact JWS');
    const alg = header.alg;
    if (typeof alg !== 'string' || !expect.algorithms.includes(alg))
      throw new IdpJwtError('algorithm', `algorithm ${JSON.stringify(alg)} is not allowed (allowed: ${expect.algorithms.join(', ')})`);
    if (header.crit !== undefined) throw new IdpJwtError('malformed', 'the token names critical header extensions');
    const kid = typeof header.kid === 'string' ? header.kid : null;
    if (header.kid !== undefined && kid === null) throw new IdpJwtError('malformed', 'kid is not a string');
    let key;
    try {
      key = await this.keys.keyFor(kid);
    } catch (error) {
      if (error instanceof IdpUnavailableError) throw error;
      throw new IdpJwtError('unknown_key', (error as Error).message);
    }
    if (key.alg && key.alg !== alg) throw new IdpJwtError('algorithm', `the key ${JSON.stringify(kid)} is for ${key.alg}, the token says ${alg}`);
    const issuer = expect.issuer.includes(TENANT_PLACEHOLDER) ? expectedIssuer(expect.issuer, peekPayload(token)?.tid) : expect.issuer;
    if (!issuer) throw new IdpJwtError('issuer', 'the token has no usable tid for the tenant issuer template');
    const nowSec = Math.floor(this.clock.now().getTime() / 1000);
    const leeway = this.config.clockToleranceSec;
    let payload: Record<string, unknown>;
    try {
      const verified = jwt.verify(token, key.key, {
        algorithms: [alg as jwt.Algorithm],
        issuer,
        audience: expect.audiences as [string, ...string[]],
        clockTolerance: leeway,
        clockTimestamp: nowSec,
      });
      if (!verified || typeof verified !== 'object') throw new IdpJwtError('claims', 'the payload is not a JSON object');
      payload = verified as Record<string, unknown>;
    } catch (error) {
      if (error instanceof IdpJwtError) throw error;
      if (error instanceof jwt.TokenExpiredError) throw new IdpJwtError('expired', 'the token has expired');
      if (error instanceof jwt.NotBeforeError) throw new IdpJwtError('not_yet_valid', 'the token is not valid yet');
      const message = (error as Error).message;
      if (/issuer/.test(message)) throw new IdpJwtError('issuer', message);
      if (/audience/.test(message)) throw new IdpJwtError('audience', message);
      if (/signature/.test(message)) throw new IdpJwtError('signature', message);
      throw new IdpJwtError('malformed', message);
    }
    if (typeof payload.exp !== 'number' && !(expect.logoutToken && payload.exp === undefined)) throw new IdpJwtError('claims', 'exp is missing');
    if (payload.iat !== undefined && (typeof payload.iat !== 'number' || payload.iat > nowSec + leeway))
      throw new IdpJwtError('not_yet_valid', 'iat is in the future');
    if (expect.logoutToken) return { header, payload };
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new IdpJwtError('claims', 'sub is missing');
    return { header, payload };
  }
}
