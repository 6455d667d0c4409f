import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { FederatedSessionHandler } from '../auth';
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

  logout(req: Request, res: Response, session: RefreshSessionRecord | null): Promise<{ redirect?: string } | undefined> {
    return this.logouts.logout(req, res, session);
  }

  authenticateBearer(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
}
