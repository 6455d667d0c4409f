import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { OpenIdConfig } from '../../config';
import { KeyValueStore } from '../../storage';
import { DiscoveryService } from '../discovery.service';
import { IdpJwtError, IdpJwtVerifier } from '../idp-jwt.verifier';
import { storedIssuerForm } from '../issuer-url';
import { IdpUnavailableError } from '../openid-errors';
import { createHash } from 'node:crypto';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** Logout tokens older than this are refused (the IdP sends them at once; a later one is a replay). */
const MAX_AGE_SEC = 5 * 60;

export interface LogoutToken {
  issuer: string;
  sub: string | null;
  sid: string | null;
}

/** Why a logout token was refused (logged; the IdP only sees 400). */
export class LogoutTokenError extends Error {}

/**
 * OpenID Connect Back-Channel Logout 1.0 §2.6: signature from the provider's JWKS with an
 * advertised asymmetric algorithm, `iss` exact, `aud` containing the client id, `iat` present and
 * recent, `jti` present and used once (key-value store, so across instances), `events` naming
 * the back-channel logout event with an object, `sid` and/or `sub`, and no `nonce` (so an ID
 * token can never pass as a logout token).
 */
@Injectable()
export class LogoutTokenVerifier {
  constructor(
    private readonly config: OpenIdConfig,
    private readonly discovery: DiscoveryService,
    private readonly verifier: IdpJwtVerifier,
    private readonly kv: KeyValueStore,
    private readonly clock: Clock,
  ) {}

  async verify(token: string): Promise<LogoutToken> {
    const metadata = await this.discovery.get();
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await this.verifier.verify(token, {
        issuer: metadata.issuer,
        audiences: [this.config.clientId ?? ''],
        algorithms: metadata.idTokenAlgorithms,
        logoutToken: true,
      }));
    } catch (error) {
      if (error instanceof IdpUnavailableError) throw error;
      throw new LogoutTokenError(error instanceof IdpJwtError ? `${error.problem}: ${error.message}` : (error as Error).message);
    }
    const nowSec = Math.floor(this.clock.now().getTime() / 1000);
    if (typeof payload.iat !== 'number') throw new LogoutTokenError('iat is missing');
    if (payload.iat < nowSec - MAX_AGE_SEC - this.config.clockToleranceSec) throw new LogoutTokenError('iat is too old');
    const events = payload.events;
    const event = events && typeof events === 'object' && !Array.isArray(events) ? (events as Record<string, unknown>)[BACKCHANNEL_LOGOUT_EVENT] : undefined;
    if (!event || typeof event !== 'object' || Array.isArray(event)) throw new LogoutTokenError('events does not name the back-channel logout event');
    if (payload.nonce !== undefined) throw new LogoutTokenError('a logout token must not carry a nonce');
    const sub = typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : null;
    const sid = typeof payload.sid === 'string' && payload.sid !== '' ? payload.sid : null;
    if (!sub && !sid) throw new LogoutTokenError('neither sid nor sub is present');
    if (typeof payload.jti !== 'string' || payload.jti === '') throw new LogoutTokenError('jti is missing');
    // Single use, across instances: kept for as long as the token could still pass the iat check.
    const jtiKey = `openid:bcl:jti:${createHash('sha256').update(`${metadata.issuer}\u0000${payload.jti}`).digest('base64url')}`;
    const ttlMs = (MAX_AGE_SEC + this.config.clockToleranceSec * 2 + 60) * 1000;
    if (!(await this.kv.setIfAbsent(jtiKey, '1', ttlMs, this.clock.now()))) throw new LogoutTokenError('jti was already used (replay)');
    return { issuer: storedIssuerForm(String(payload.iss)), sub, sid };
  }
}
