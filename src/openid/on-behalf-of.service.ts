import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { SingleFlight } from '../common/single-flight';
import { OpenIdConfig } from '../config';
import { OpenIdFailure } from './openid-errors';
import type { ProviderMetadata } from './provider-metadata';
import { TokenEndpointClient } from './token-endpoint.client';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Refresh a cached token this long before it expires. */
const EARLY_MS = 30_000;

/**
 * On-behalf-of exchange (Entra's jwt-bearer grant with `requested_token_use=on_behalf_of`,
 * docs/librechat-differences.md#openid-sign-in-and-token-reuse) of the user's access token for one usable at UserInfo
 * (OPENID_ON_BEHALF_FLOW_FOR_USERINFO_REQUIRED, scope OPENID_ON_BEHALF_FLOW_USERINFO_SCOPE).
 * Cached per user and scope for the token's lifetime; concurrent identical exchanges share one
 * IdP call. A failed exchange falls back to the original token, as LibreChat does.
 */
@Injectable()
export class OnBehalfOfService {
  private readonly logger = new Logger('OpenIdOnBehalfOf');
  private readonly cache = new Map<string, { token: string; until: number; expiresAt: number }>();
  private readonly flights = new SingleFlight<{ token: string; expiresAt: number } | null>();

  constructor(
    private readonly config: OpenIdConfig,
    private readonly tokens: TokenEndpointClient,
    private readonly clock: Clock,
  ) {}

  async userinfoToken(metadata: ProviderMetadata, sub: string, accessToken: string | null): Promise<string | null> {
    if (!accessToken) return null;
    const scope = this.config.onBehalfFlowUserinfoScope;
    const exchanged = await this.exchange(metadata, sub, accessToken, scope).catch((error: unknown) => {
      this.logger.warn(
        { scope },
        `on-behalf-of exchange failed, using the original access token: ${error instanceof OpenIdFailure ? error.message : String(error)}`,
      );
      return null;
    });
    return exchanged ?? accessToken;
  }

  async exchange(metadata: ProviderMetadata, sub: string, assertion: string, scope: string): Promise<string | null> {
    return (await this.exchangeWithExpiry(metadata, sub, assertion, scope))?.token ?? null;
  }

  /** The exchanged token and when it expires (ms since the epoch); cached until 30 s before that. */
  exchangeWithExpiry(metadata: ProviderMetadata, sub: string, assertion: string, scope: string): Promise<{ token: string; expiresAt: number } | null> {
    const key = `${sub}\u0000${scope}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > this.clock.now().getTime()) return Promise.resolve({ token: cached.token, expiresAt: cached.expiresAt });
    return this.flights.run(key, async () => {
      const body = await this.tokens.grant(metadata, 'on-behalf-of', { grant_type: JWT_BEARER, assertion, requested_token_use: 'on_behalf_of', scope });
      const token = typeof body.access_token === 'string' ? body.access_token : null;
      if (!token) return null;
      const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
      const expiresAt = this.clock.now().getTime() + expiresIn * 1000;
      this.cache.set(key, { token, until: expiresAt - EARLY_MS, expiresAt });
      if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value as string);
      return { token, expiresAt };
    });
  }
}
