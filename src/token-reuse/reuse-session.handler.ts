import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AccessClaims, FederatedRefresh, FederatedSessionHandler } from '../auth';
import type { UserRecord } from '../storage';
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

  refresh(req: Request, res: Response): Promise<FederatedRefresh | undefined> {
    return this.refresher.refresh(req, res);
  }

  logout(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  authenticateBearer(req: Request, token: string): Promise<{ user: UserRecord; claims: AccessClaims } | undefined> {
    return this.bearer.authenticate(req, token);
  }
}
