import { Injectable } from '@nestjs/common';
import type { FastifyRequest, FastifyReply } from 'fastify';
import type { UserRecord } from '../storage';

/** The IdP tokens of a signed-in OpenID user, as the template variables need them. */
export interface FederatedTokens {
  accessToken: string;
  idToken: string | null;
  /** Expiry of the access token (not of the ID token: TR-10). */
  expiresAt: Date | null;
  /** Claims of the ID token, when there is one. */
  claims: { sub?: string; email?: string; name?: string; exp?: number };
}

/** The request being served: its cookies say which login's tokens to use, its response may carry a rotated cookie. */
export interface HttpExchange {
  req: FastifyRequest;
  res: FastifyReply;
}

/** Where `{{LIBRECHAT_OPENID_*}}` values come from (the OpenID module provides one). */
export interface FederatedTokenSource {
  /** Valid tokens for the user (refreshed first when about to expire), or null. */
  forUser(user: UserRecord, http: HttpExchange | null): Promise<FederatedTokens | null>;
}

/** Where `{{LIBRECHAT_GRAPH_ACCESS_TOKEN}}` comes from (the OpenID module provides one with Graph on-behalf-of). */
export interface GraphTokenSource {
  /** A Microsoft Graph access token for the user (GRAPH_API_SCOPES), or null when there is none to be had. */
  graphAccessToken(user: UserRecord, http: HttpExchange | null): Promise<string | null>;
}

/**
 * The seam between templates and the provider that holds IdP tokens: the OpenID module plugs
 * its source in at start-up; without one, no user has federated tokens and the OpenID
 * placeholders resolve to ''.
 */
@Injectable()
export class FederatedTokenHub {
  private source: FederatedTokenSource | null = null;
  private graph: GraphTokenSource | null = null;

  use(source: FederatedTokenSource): void {
    this.source = source;
  }

  useGraph(source: GraphTokenSource): void {
    this.graph = source;
  }

  async graphAccessToken(user: UserRecord, http: HttpExchange | null): Promise<string | null> {
    return this.graph ? this.graph.graphAccessToken(user, http) : null;
  }

  async forUser(user: UserRecord, http: HttpExchange | null): Promise<FederatedTokens | null> {
    return this.source ? this.source.forUser(user, http) : null;
  }
}
