import { Clock, SystemClock } from '../../common/clock';
import { Injectable, Logger, Optional } from '@nestjs/common';
import { DomainError } from '../../common/errors';
import { OpenIdConfig } from '../../config';
import type { UserRecord } from '../../storage';
import type { HttpExchange } from '../../templates';
import { DiscoveryService } from '../discovery.service';
import { OnBehalfOfService } from '../on-behalf-of.service';
import { OpenIdFederatedTokens } from '../token-reuse/openid-federated-tokens';

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
export class GraphTokenService {
  private readonly logger = new Logger('GraphToken');

  constructor(
    private readonly config: OpenIdConfig,
    private readonly federated: OpenIdFederatedTokens,
    private readonly discovery: DiscoveryService,
    private readonly onBehalfOf: OnBehalfOfService,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {}

  async forUser(user: UserRecord, scopes: unknown, http: HttpExchange): Promise<GraphToken> {
    if (user.provider !== 'openid' || !user.openidId) throw new DomainError(403, 'GRAPH_REQUIRES_OPENID', 'Microsoft Graph access requires Entra ID authentication');
    if (!this.config.reuseTokens) throw new DomainError(403, 'GRAPH_REQUIRES_TOKEN_REUSE', 'SharePoint integration requires OpenID token reuse to be enabled');
    const scope = typeof scopes === 'string' ? scopes.trim() : '';
    if (!scope) throw new DomainError(400, 'GRAPH_SCOPES_REQUIRED', 'Graph API scopes are required as query parameter');
    const tokens = await this.federated.forUser(user, http);
    if (!tokens?.accessToken) throw new DomainError(401, 'NO_FEDERATED_TOKEN', 'No federated access token available for token exchange');
    let exchanged;
    try {
      exchanged = await this.onBehalfOf.exchangeWithExpiry(await this.discovery.get(), user.openidId, tokens.accessToken, scope);
    } catch (error) {
      this.logger.warn({ userId: user.id }, `Graph on-behalf-of exchange failed: ${(error as Error).message}`);
      exchanged = null;
    }
    if (!exchanged) throw new DomainError(500, 'GRAPH_TOKEN_FAILED', 'Failed to obtain Microsoft Graph token');
    return { access_token: exchanged.token, token_type: 'Bearer', expires_in: Math.max(0, Math.floor((exchanged.expiresAt - this.clock.now().getTime()) / 1000)), scope };
  }
}
