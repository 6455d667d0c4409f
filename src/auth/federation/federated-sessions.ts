import { Injectable } from '@nestjs/common';
import { CookieInstructions, type RequestCookies } from '../../common/http';
import type { RefreshSessionRecord, UserRecord } from '../../storage';
import type { AccessClaims } from '../access-token.service';

/**
 * What a federated handler gets from the request, as plain values: the request's parsed cookies
 * and the client's address key (`sessionContextOf`). No Express objects cross this seam.
 */
export interface FederatedRequest {
  cookies: RequestCookies | undefined;
  addressKey: string;
}

/** A refresh answered by a handler, with the cookies it wants set or cleared (applied by AuthController). */
export type FederatedRefresh = ({ token: string; user: UserRecord } | { notSignedIn: true }) & { cookies: CookieInstructions };

/** A logout handled by a provider: its cookies to clear and, maybe, the IdP's logout URL. */
export interface FederatedLogout {
  redirect?: string;
  cookies: CookieInstructions;
}

/**
 * What a federated sign-in module (OpenID token reuse today) contributes to the generic auth
 * endpoints. Each method answers `undefined` when the request is not one of its sessions, so
 * the local path runs unchanged. The auth module owns this seam; provider modules register
 * themselves into it, which keeps the dependency one-way (providers → auth).
 */
export interface FederatedSessionHandler {
  /** POST /api/auth/refresh. */
  refresh(request: FederatedRequest): Promise<FederatedRefresh | undefined>;
  /** POST /api/auth/logout, after the local session (if any) was revoked. May add an IdP logout URL. */
  logout(request: FederatedRequest, session: RefreshSessionRecord | null): Promise<FederatedLogout | undefined>;
  /**
   * Bearer tokens that are not Gatehouse access tokens (never sets cookies: the guard has no answer to carry them).
   * A handler that can tell without I/O that the request is not one of its sessions (no cookie of its own)
   * should say so with a plain `undefined`, not a promise: the bearer path then stays synchronous.
   */
  authenticateBearer(request: FederatedRequest, token: string): Promise<FederatedBearer | undefined> | undefined;
}

/** A bearer token a federated handler claimed: whose it is, and the claims the guard puts on the request. */
export interface FederatedBearer {
  user: UserRecord;
  claims: AccessClaims;
}

@Injectable()
export class FederatedSessions {
  private readonly handlers: FederatedSessionHandler[] = [];

  register(handler: FederatedSessionHandler): void {
    this.handlers.push(handler);
  }

  async refresh(request: FederatedRequest): Promise<FederatedRefresh | undefined> {
    for (const handler of this.handlers) {
      const outcome = await handler.refresh(request);
      if (outcome) return outcome;
    }
    return undefined;
  }

  /** Every handler sees the logout; their cookie instructions are gathered in order, the last redirect wins. */
  async logout(request: FederatedRequest, session: RefreshSessionRecord | null): Promise<FederatedLogout> {
    const result: FederatedLogout = { cookies: new CookieInstructions() };
    for (const handler of this.handlers) {
      const outcome = await handler.logout(request, session);
      result.cookies.merge(outcome?.cookies);
      if (outcome?.redirect) result.redirect = outcome.redirect;
    }
    return result;
  }

  /** `undefined` at once when no handler claims the request without I/O, which is every Gatehouse token's case. */
  authenticateBearer(request: FederatedRequest, token: string, from = 0): Promise<FederatedBearer | undefined> | undefined {
    for (let i = from; i < this.handlers.length; i++) {
      const pending = this.handlers[i].authenticateBearer(request, token);
      if (pending) return pending.then((outcome) => outcome ?? this.authenticateBearer(request, token, i + 1));
    }
    return undefined;
  }
}
