import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AccessClaims, FederatedRefresh, FederatedSessionHandler } from '../auth';
import type { RefreshSessionRecord, UserRecord } from '../storage';
import { OpenIdLogoutService } from './openid-logout.service';
import { IdpBearerAuthenticator } from './token-reuse/idp-bearer.authenticator';
import { OpenIdRefreshService } from './token-reuse/openid-refresh.service';

/** OpenID's contribution to /api/auth/refresh, /api/auth/logout and the bearer guard. */
@Injectable()
export class OpenIdSessionHandler implements FederatedSessionHandler {
  constructor(
    private readonly refresher: OpenIdRefreshService,
    private readonly logouts: OpenIdLogoutService,
    private readonly bearer: IdpBearerAuthenticator,
  ) {}

  refresh(req: Request, res: Response): Promise<FederatedRefresh | undefined> {
    return this.refresher.refresh(req, res);
  }

  logout(req: Request, res: Response, session: RefreshSessionRecord | null): Promise<{ redirect?: string } | undefined> {
    return this.logouts.logout(req, res, session);
  }

  authenticateBearer(req: Request, token: string): Promise<{ user: UserRecord; claims: AccessClaims } | undefined> {
    return this.bearer.authenticate(req, token);
  }
}
