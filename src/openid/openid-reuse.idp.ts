import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AuthErrors } from '../auth';
import { DomainError } from '../common/errors';
import { OpenIdConfig } from '../config';
import type { IdpTokenSet, UserRecord } from '../storage';
import { bearerCandidate, ReuseIdpUnavailableError, type ReuseIdentityProvider } from '../token-reuse';
import { DiscoveryService } from './discovery.service';
import { IdTokenVerifier } from './id-token.verifier';
import { IdpJwtError, IdpJwtVerifier, looksLikeJwt, peekHeader } from './idp-jwt.verifier';
import { IdpRoleUpdater } from './idp-role-updater';
import { storedIssuerForm } from './issuer-url';
import { IdpProtocolError, IdpUnavailableError, OPAQUE_ACCESS_TOKEN_HINT, OpenIdFailure } from './openid-errors';
import { IDP_TIMEOUT_MS } from './openid-http';
import { OPENID_PROVIDER_NAME } from './openid-login.service';
import { OpenidErrors } from './openid.errors';
import { TokenEndpointClient } from './token-endpoint.client';

const OPAQUE_LOG_EVERY_MS = 60_000;
const VERIFIED_CACHE_MAX = 10_000;

/**
 * This OpenID provider as the token-reuse module sees it (`ReuseIdentityProvider`): the refresh
 * grant with the refreshed ID token checked, and verification of IdP tokens presented as bearer.
 * One per provider (default and each OPENID_PROVIDERS entry), with that provider's settings.
 */
@Injectable()
export class OpenIdReuseIdp implements ReuseIdentityProvider {
  private readonly logger = new Logger('OpenIdReuse');
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
    private readonly discovery: DiscoveryService,
    private readonly tokenEndpoint: TokenEndpointClient,
    private readonly idTokens: IdTokenVerifier,
    private readonly verifier: IdpJwtVerifier,
    private readonly roleUpdates: IdpRoleUpdater,
    @Inject(OPENID_PROVIDER_NAME) readonly name: string,
    private readonly clock: Clock,
  ) {}

  get reuseMaxSessionAgeMs(): number {
    return this.config.reuseMaxSessionAgeMs;
  }

  /** The token call, UserInfo and a JWKS fetch, each bounded by the IdP timeout. */
  get refreshLeaseMs(): number {
    return IDP_TIMEOUT_MS * 3;
  }

  async refreshAtIdp(userId: string, stored: IdpTokenSet): Promise<IdpTokenSet | null> {
    try {
      return await this.refreshGrant(userId, stored);
    } catch (error) {
      if (error instanceof IdpUnavailableError) throw new ReuseIdpUnavailableError(error.message);
      throw error;
    }
  }

  private async refreshGrant(userId: string, stored: IdpTokenSet): Promise<IdpTokenSet | null> {
    const metadata = await this.discovery.get();
    let next;
    try {
      next = await this.tokenEndpoint.refresh(metadata, stored.refreshToken ?? '');
    } catch (error) {
      if (error instanceof IdpProtocolError && error.status < 500) {
        this.logger.warn({ userId, error: error.error }, `IdP refused the refresh: ${error.message}`);
        return null;
      }
      throw error;
    }
    let idClaims: Record<string, unknown> | null = null;
    if (next.idToken) {
      try {
        const claims = await this.idTokens.verify(next.idToken, metadata, null);
        if (claims.sub !== stored.subject || claims.iss !== stored.issuer)
          throw new OpenIdFailure('rejected', 'the refreshed ID token names another issuer or subject (CS-14)');
        idClaims = claims;
      } catch (error) {
        if (error instanceof IdpUnavailableError) throw error;
        this.logger.warn({ userId }, `refreshed ID token refused: ${(error as Error).message}`);
        return null;
      }
    }
    const tokens: IdpTokenSet = {
      ...stored,
      accessToken: next.accessToken ?? stored.accessToken,
      idToken: next.idToken ?? stored.idToken,
      refreshToken: next.refreshToken ?? stored.refreshToken,
      previousRefreshToken: next.refreshToken && next.refreshToken !== stored.refreshToken ? stored.refreshToken : (stored.previousRefreshToken ?? null),
      expiresAt: next.expiresAt,
      scope: next.scope ?? stored.scope,
      refreshedAt: this.clock.now().toISOString(),
    };
    if (!bearerCandidate(tokens, this.clock.now().getTime(), true)) {
      this.logger.warn({ userId }, 'the IdP refresh returned no usable token');
      return null;
    }
    // Role sync, admin mapping and required role follow the IdP at every refresh (OR-01, OR-06).
    if (!(await this.roleUpdates.afterRefresh(userId, metadata, stored.subject ?? '', idClaims, next.accessToken ?? null))) return null;
    return tokens;
  }

  async verifyBearer(token: string, userId: string): Promise<{ payload: Record<string, unknown>; issuer: string } | undefined> {
    const header = peekHeader(token);
    if (header?.alg === 'HS256') return undefined;
    if (!looksLikeJwt(token)) {
      // JW-13: an opaque token cannot be validated here; say why instead of 401-looping silently.
      if (this.clock.now().getTime() - this.lastOpaqueLog > OPAQUE_LOG_EVERY_MS) {
        this.lastOpaqueLog = this.clock.now().getTime();
        this.logger.warn({ userId }, `bearer refused: ${OPAQUE_ACCESS_TOKEN_HINT}`);
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
    const cached = this.verified.get(token);
    try {
      if (cached && cached.until > this.clock.now().getTime() && cached.issuer === metadata.issuer) return { payload: cached.payload, issuer: metadata.issuer };
      const { payload } = await this.verifier.verify(token, { issuer: metadata.issuer, audiences, algorithms: metadata.idTokenAlgorithms });
      return { payload: this.remember(token, metadata.issuer, payload), issuer: metadata.issuer };
    } catch (error) {
      if (error instanceof IdpUnavailableError)
        throw new DomainError(OpenidErrors.IDP_UNAVAILABLE, { message: 'The identity provider keys are unavailable. Please try again shortly.' });
      const problem = error instanceof IdpJwtError ? error.problem : 'malformed';
      this.logger.debug({ problem }, `IdP bearer refused: ${(error as Error).message}`);
      if (problem === 'expired') throw new DomainError(AuthErrors.TOKEN_EXPIRED);
      throw new DomainError(AuthErrors.TOKEN_INVALID);
    }
  }

  storedIssuerOf(payload: Record<string, unknown>): string {
    return storedIssuerForm(String(payload.iss));
  }

  /** OPENID_ROLE_SYNC_API_ENABLED: the role follows the presented token's claims (OR-05). */
  onBearer(user: UserRecord, payload: Record<string, unknown>): Promise<UserRecord> {
    return this.roleUpdates.onBearer(user, payload);
  }

  private remember(token: string, issuer: string, payload: Record<string, unknown>): Record<string, unknown> {
    if (!this.config.jwksCacheEnabled || typeof payload.exp !== 'number') return payload;
    const until = Math.min((payload.exp + this.config.clockToleranceSec) * 1000, this.clock.now().getTime() + this.config.jwksCacheTimeMs);
    if (this.verified.size >= VERIFIED_CACHE_MAX) {
      const now = this.clock.now().getTime();
      for (const [key, entry] of this.verified) if (entry.until <= now) this.verified.delete(key);
      if (this.verified.size >= VERIFIED_CACHE_MAX) this.verified.delete(this.verified.keys().next().value as string);
    }
    this.verified.set(token, { payload, until, issuer });
    return payload;
  }
}
