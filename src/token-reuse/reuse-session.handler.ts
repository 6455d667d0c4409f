import { Injectable } from '@nestjs/common';
import type { FederatedBearer, FederatedRefresh, FederatedRequest, FederatedSessionHandler } from '../auth';
import { IdpBearerAuthenticator } from './idp-bearer.authenticator';
import { OpenIdRefreshService } from './openid-refresh.service';

/**
 * Token reuse's contribution to /api/auth/refresh and the bearer guard, for every provider with
 * token reuse on (the cookie names the provider). Logout stays with each OpenID provider, which
 * owns its end-session URL.
 */
@Injectable()
export class ReuseSessionHandler implements FederatedSessionHandler {
  constructor(
    private readonly refresher: OpenIdRefreshService,
    private readonly bearer: IdpBearerAuthenticator,
  ) {}

  refresh(request: FederatedRequest): Promise<FederatedRefresh | undefined> {
    return this.refresher.refresh(request);
  }

  logout(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  authenticateBearer(request: FederatedRequest, token: string): Promise<FederatedBearer | undefined> | undefined {
    return this.bearer.authenticate(request, token);
  }
}
