import { Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import type { AccessClaims } from '../../auth';
import { DomainError } from '../../common/errors';
import { OpenIdConfig } from '../../config';
import { UserRepository, type UserRecord } from '../../storage';
import { DiscoveryService } from '../discovery.service';
import { IdpRoleUpdater } from '../idp-role-updater';
import { IdpTokenStore } from '../idp-token.store';
import { IdpJwtError, IdpJwtVerifier, looksLikeJwt, peekHeader } from '../idp-jwt.verifier';
import { storedIssuerForm } from '../issuer-url';
import { IdpUnavailableError, OPAQUE_ACCESS_TOKEN_HINT } from '../openid-errors';
import { ReuseCookies } from './reuse-cookies';
import { AuthErrors } from '../../auth';
import { OpenidErrors } from '../openid.errors';

const OPAQUE_LOG_EVERY_MS = 60_000;
const VERIFIED_CACHE_MAX = 10_000;

/**
 * Bearer requests carrying the IdP's ID token or JWT access token (OPENID_REUSE_TOKENS,
 * docs/librechat-differences.md#openid-sign-in-and-token-reuse). Only claimed when the request also carries a valid signed
 * `openid_user_id` cookie (TR-01) and the token is not a Gatehouse HS256 token. The token is
 * verified against the JWKS (iss exact, aud ∈ OPENID_CLIENT_ID + OPENID_AUDIENCE, exp with the
 * one leeway, algorithms from discovery) and must belong to the cookie's user: same `sub` and
 * issuer as the stored OpenID identity.
 */
@Injectable()
export class IdpBearerAuthenticator {
  private readonly logger = new Logger('OpenIdBearer');
  private lastOpaqueLog = 0;
  /**
   * Tokens whose signature and claims were verified, until they expire (never longer than the
   * JWKS cache time, so a key the provider withdraws stops being trusted on the same schedule).
   * The SPA sends the same token on every request until it refreshes; re-verifying identical
   * bytes would only repeat the RSA operation. Only with OPENID_JWKS_URL_CACHE_ENABLED.
   */
  private readonly verified = new Map<string, { payload: Record<string, unknown>; until: number; issuer: string }>();

  constructor(
    private readonly config: OpenIdConfig,
    private readonly cookies: ReuseCookies,
    private readonly discovery: DiscoveryService,
    private readonly verifier: IdpJwtVerifier,
    private readonly users: UserRepository,
    private readonly roleUpdates: IdpRoleUpdater,
    private readonly store: IdpTokenStore,
  ) {}

  async authenticate(req: Request, token: string): Promise<{ user: UserRecord; claims: AccessClaims } | undefined> {
    if (!this.config.reuseTokens) return undefined;
    const session = this.cookies.read(req);
    if (!session) return undefined;
    const header = peekHeader(token);
    if (header?.alg === 'HS256') return undefined;
    if (!looksLikeJwt(token)) {
      // JW-13: an opaque token cannot be validated here; say why instead of 401-looping silently.
      if (Date.now() - this.lastOpaqueLog > OPAQUE_LOG_EVERY_MS) {
        this.lastOpaqueLog = Date.now();
        this.logger.warn({ userId: session.who.id }, `bearer refused: ${OPAQUE_ACCESS_TOKEN_HINT}`);
      }
      throw new DomainError(OpenidErrors.OPENID_OPAQUE_TOKEN);
    }
    let metadata;
    try {
      metadata = await this.discovery.get();
    } catch {
      throw new DomainError(OpenidErrors.IDP_UNAVAILABLE);
    }
    const audiences = [...new Set([this.config.clientId ?? '', ...this.config.audiences].filter(Boolean))];
    let payload: Record<string, unknown>;
    const cached = this.verified.get(token);
    try {
      if (cached && cached.until > Date.now() && cached.issuer === metadata.issuer) payload = cached.payload;
      else payload = this.remember(token, metadata.issuer, (await this.verifier.verify(token, { issuer: metadata.issuer, audiences, algorithms: metadata.idTokenAlgorithms })).payload);
    } catch (error) {
      if (error instanceof IdpUnavailableError) throw new DomainError(OpenidErrors.IDP_UNAVAILABLE, { message: 'The identity provider keys are unavailable. Please try again shortly.' });
      const problem = error instanceof IdpJwtError ? error.problem : 'malformed';
      this.logger.debug({ problem }, `IdP bearer refused: ${(error as Error).message}`);
      if (problem === 'expired') throw new DomainError(AuthErrors.TOKEN_EXPIRED);
      throw new DomainError(AuthErrors.TOKEN_INVALID);
    }
    let user = await this.users.findById(session.who.id);
    const issuer = storedIssuerForm(String(payload.iss));
    if (!user || user.openidId !== payload.sub || (user.openidIssuer !== null && user.openidIssuer !== issuer)) {
      // TR-01: a valid IdP token of someone else, next to this user's cookie.
      throw new DomainError(AuthErrors.TOKEN_INVALID);
    }
    // The login must still be live: logout, an IdP invalid_grant or a back-channel logout (BL-06)
    // deleted its vault entry, and its still-unexpired IdP token must stop working with it.
    if (!(await this.store.load(user.id, session.who.sid))) throw new DomainError(AuthErrors.TOKEN_INVALID);
    // OPENID_ROLE_SYNC_API_ENABLED: the role follows the presented token's claims (OR-05).
    user = await this.roleUpdates.onBearer(user, payload);
    return { user, claims: { id: user.id, username: user.username, provider: user.provider, email: user.email, sid: null } };
  }

  private remember(token: string, issuer: string, payload: Record<string, unknown>): Record<string, unknown> {
    if (!this.config.jwksCacheEnabled || typeof payload.exp !== 'number') return payload;
    const until = Math.min((payload.exp + this.config.clockToleranceSec) * 1000, Date.now() + this.config.jwksCacheTimeMs);
    if (this.verified.size >= VERIFIED_CACHE_MAX) {
      const now = Date.now();
      for (const [key, entry] of this.verified) if (entry.until <= now) this.verified.delete(key);
      if (this.verified.size >= VERIFIED_CACHE_MAX) this.verified.delete(this.verified.keys().next().value as string);
    }
    this.verified.set(token, { payload, until, issuer });
    return payload;
  }
}
