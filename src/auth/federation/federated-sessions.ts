import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { RefreshSessionRecord, UserRecord } from '../../storage';
import type { AccessClaims } from '../access-token.service';

export type FederatedRefresh = { token: string; user: UserRecord } | { notSignedIn: true };

/**
 * What a federated sign-in module (OpenID token reuse today) contributes to the generic auth
 * endpoints. Each method answers `undefined` when the request is not one of its sessions, so
 * the local path runs unchanged. The auth module owns this seam; provider modules register
 * themselves into it, which keeps the dependency one-way (providers → auth).
 */
export interface FederatedSessionHandler {
  /** POST /api/auth/refresh. */
  refresh(req: Request, res: Response): Promise<FederatedRefresh | undefined>;
  /** POST /api/auth/logout, after the local session (if any) was revoked. May add an IdP logout URL. */
  logout(req: Request, res: Response, session: RefreshSessionRecord | null): Promise<{ redirect?: string } | undefined>;
  /** Bearer tokens that are not Gatehouse access tokens. */
  authenticateBearer(req: Request, token: string): Promise<{ user: UserRecord; claims: AccessClaims } | undefined>;
}

@Injectable()
export class FederatedSessions {
  private readonly handlers: FederatedSessionHandler[] = [];

  register(handler: FederatedSessionHandler): void {
    this.handlers.push(handler);
  }

  async refresh(req: Request, res: Response): Promise<FederatedRefresh | undefined> {
    for (const handler of this.handlers) {
      const outcome = await handler.refresh(req, res);
      if (outcome) return outcome;
    }
    return undefined;
  }

  async logout(req: Request, res: Response, session: RefreshSessionRecord | null): Promise<{ redirect?: string }> {
    let result: { redirect?: string } = {};
    for (const handler of this.handlers) {
      const outcome = await handler.logout(req, res, session);
      if (outcome?.redirect) result = outcome;
    }
    return result;
  }

  async authenticateBearer(req: Request, token: string): Promise<{ user: UserRecord; claims: AccessClaims } | undefined> {
    for (const handler of this.handlers) {
      const outcome = await handler.authenticateBearer(req, token);
      if (outcome) return outcome;
    }
    return undefined;
  }
}
