import { Injectable } from '@nestjs/common';
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

/**
 * Where `{{LIBRECHAT_OPENID_*}}` values come from. The OpenID module provides the real source
 * (the token vault, refreshing a token that is about to expire first); without it no user has
 * federated tokens.
 */
export abstract class FederatedTokenSource {
  /** Valid tokens for the user, or null (not an OpenID user, no tokens, or refresh failed). */
  abstract forUser(user: UserRecord): Promise<FederatedTokens | null>;
}

@Injectable()
export class NoFederatedTokens extends FederatedTokenSource {
  async forUser(): Promise<FederatedTokens | null> {
    return null;
  }
}
