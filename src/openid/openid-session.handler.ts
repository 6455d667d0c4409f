import { Injectable } from '@nestjs/common';
import type { FederatedLogout, FederatedRequest, FederatedSessionHandler } from '../auth';
import type { RefreshSessionRecord } from '../storage';
import { OpenIdLogoutService } from './openid-logout.service';

/**
 * OpenID's contribution to /api/auth/logout (its end-session URL). Refresh and IdP bearer tokens
 * of token-reuse logins are answered by the token-reuse module's handler, for every provider.
 */
@Injectable()
export class OpenIdSessionHandler implements FederatedSessionHandler {
  constructor(private readonly logouts: OpenIdLogoutService) {}

  refresh(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  logout(request: FederatedRequest, session: RefreshSessionRecord | null): Promise<FederatedLogout | undefined> {
    return this.logouts.logout(request, session);
  }

  /** Not this module's: reused IdP tokens are the token-reuse handler's. Said without a promise (FederatedSessionHandler). */
  authenticateBearer(): undefined {
    return undefined;
  }
}
