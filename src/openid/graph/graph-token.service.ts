import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors';
import { OpenIdConfig } from '../../config';
import type { UserRecord } from '../../storage';
import type { GraphTokenSource, HttpExchange } from '../../templates';
import { DiscoveryService } from '../discovery.service';
import { OnBehalfOfService } from '../on-behalf-of.service';
import { OpenIdFederatedTokens } from '../../token-reuse';
import { OpenidErrors } from '../openid.errors';

export interface GraphToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/**
 * GET /api/auth/graph-token (LibreChat's endpoint and answer shape): the signed-in OpenID user's
 * access token (from the token-reuse vault, refreshed first when about to expire) exchanged
 * on-behalf-of for the requested scopes. Cached per user and scopes until 30 s before expiry;
 * concurrent identical requests share one exchange (OnBehalfOfService).
 */
@Injectable()
export class GraphTokenService implements GraphTokenSource {
  private readonly logger = new Logger('GraphToken');

  constructor(
    private readonly config: OpenIdConfig,
    private readonly federated: OpenIdFederatedTokens,
    private readonly discovery: DiscoveryService,
    private readonly onBehalfOf: OnBehalfOfService,
    private readonly clock: Clock,
  ) {}

  /**
   * `{{LIBRECHAT_GRAPH_ACCESS_TOKEN}}`: the user's reused access token exchanged on-behalf-of for
   * GRAPH_API_SCOPES, through the same cache (until 30 s before expiry, then a new exchange) and
   * single-flight as /api/auth/graph-token. Null (the placeholder resolves to '') when the user
   * has no reuse login or the exchange fails; the failure is logged.
   */
  async graphAccessToken(user: UserRecord, http: HttpExchange | null): Promise<string | null> {
    if (!this.config.reuseTokens || !http || user.provider !== 'openid' || !user.openidId) return null;
    const tokens = await this.federated.forUser(user, http);
    if (!tokens?.accessToken) return null;
    const scope = this.config.graphApiScopes.join(' ');
    try {
      return (await this.onBehalfOf.exchangeWithExpiry(await this.discovery.get(), user.openidId, tokens.accessToken, scope))?.token ?? null;
    } catch (error) {
      this.logger.warn({ userId: user.id }, `Graph on-behalf-of exchange for a template failed: ${(error as Error).message}`);
      return null;
    }
  }

  async forUser(user: UserRecord, scopes: unknown, http: HttpExchange): Promise<GraphToken> {
    if (user.provider !== 'openid' || !user.openidId) throw new DomainError(OpenidErrors.GRAPH_REQUIRES_OPENID);
    if (!this.config.reuseTokens) throw new DomainError(OpenidErrors.GRAPH_REQUIRES_TOKEN_REUSE);
    const scope = typeof scopes === 'string' ? scopes.trim() : '';
    if (!scope) throw new DomainError(OpenidErrors.GRAPH_SCOPES_REQUIRED);
    const tokens = await this.federated.forUser(user, http);
    if (!tokens?.accessToken) throw new DomainError(OpenidErrors.NO_FEDERATED_TOKEN);
    let exchanged;
    try {
      exchanged = await this.onBehalfOf.exchangeWithExpiry(await this.discovery.get(), user.openidId, tokens.accessToken, scope);
    } catch (error) {
      this.logger.warn({ userId: user.id }, `Graph on-behalf-of exchange failed: ${(error as Error).message}`);
      exchanged = null;
    }
    if (!exchanged) throw new DomainError(OpenidErrors.GRAPH_TOKEN_FAILED);
    return {
      access_token: exchanged.token,
      token_type: 'Bearer',
      expires_in: Math.max(0, Math.floor((exchanged.expiresAt - this.clock.now().getTime()) / 1000)),
      scope,
    };
  }
}
