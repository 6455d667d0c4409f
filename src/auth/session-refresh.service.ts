import { Injectable } from '@nestjs/common';
import type { CookieInstructions } from '../common/http';
import { DomainError } from '../common/errors';
import { SecurityEvents } from '../common/security-events';
import { BansService, banTargetFor } from '../moderation';
import { RefreshSessionsService, SessionCookies, SessionsErrors } from '../sessions';
import { UserRepository, type RefreshSessionRecord, type UserRecord } from '../storage';
import { assertAccountEnabled } from '../users';
import { AccessTokenService } from './access-token.service';
import { AuthErrors } from './auth.errors';

/**
 * Refusals audited as `refresh.failed`, by code. A replayed token (REFRESH_TOKEN_REUSED) has its
 * own event, emitted where reuse is detected; an outage (503) is not the client's failure.
 */
const REFRESH_FAILURE: Record<string, string | undefined> = {
  INVALID_REFRESH_TOKEN: 'invalid',
  BANNED: 'banned',
  ACCOUNT_DISABLED: 'disabled',
};

export interface Refreshed {
  token: string;
  user: UserRecord;
}

/**
 * The local session use cases behind refresh, logout and session revocation, on plain inputs (the
 * presented refresh token, the client's address key) with cookie instructions as output: `out`
 * is filled even when a call throws (a refused refresh clears the cookies), so the controller
 * applies it whatever happens.
 */
@Injectable()
export class SessionRefreshService {
  constructor(
    private readonly sessions: RefreshSessionsService,
    private readonly users: UserRepository,
    private readonly cookies: SessionCookies,
    private readonly tokens: AccessTokenService,
    private readonly bans: BansService,
    private readonly events: SecurityEvents,
  ) {}

  /** Rotates the session of `presented`; null when no refresh token was presented ("not signed in"). */
  async refresh(presented: string | null, addressKey: string, out: CookieInstructions): Promise<Refreshed | null> {
    if (!presented) return null;
    let named: string | null = null;
    try {
      const { token, session } = await this.sessions.rotate(presented, (userId) => {
        named = userId;
        return this.refuseBanned(userId, addressKey, out);
      });
      named = session.userId;
      const user = await this.users.findById(session.userId);
      if (!user) {
        await this.sessions.revoke(session.id);
        throw new DomainError(SessionsErrors.INVALID_REFRESH_TOKEN);
      }
      if (user.disabled) {
        await this.sessions.revoke(session.id);
        this.refuseDisabled(user, out);
      }
      this.cookies.toSet(token, session.expiresAt, session.provider === 'openid' ? 'openid' : 'librechat', out);
      return { token: this.tokens.sign(user, session.id).token, user };
    } catch (error) {
      if (error instanceof DomainError && error.status === 401) this.cookies.toClear(out);
      const reason = REFRESH_FAILURE[error instanceof DomainError ? error.code : ''];
      if (reason) await this.events.emit({ type: 'refresh.failed', userId: named, method: 'refresh', reason });
      throw error;
    }
  }

  /** A disabled account's refresh is answered 403 ACCOUNT_DISABLED and the cookies are cleared (AD-01). */
  refuseDisabled(user: UserRecord, out: CookieInstructions): void {
    try {
      assertAccountEnabled(user);
    } catch (error) {
      this.cookies.toClear(out);
      throw error;
    }
  }

  /** A banned user's refresh is answered 403 BANNED and the cookies are cleared (MB-08). */
  async refuseBanned(userId: string, addressKey: string, out: CookieInstructions): Promise<void> {
    try {
      await this.bans.assertNotBanned(banTargetFor(addressKey, userId));
    } catch (error) {
      this.cookies.toClear(out);
      throw error;
    }
  }

  /** Ends the session of `presented` (only that one); the caller clears the cookies after the providers had their say. */
  async endPresented(presented: string | null): Promise<RefreshSessionRecord | null> {
    const session = presented ? await this.sessions.findByToken(presented) : null;
    if (session) await this.sessions.revoke(session.id);
    return session;
  }

  /** Revokes one of the user's own sessions; 404 for a session that is not theirs or already gone. */
  async revokeOwn(userId: string, sessionId: string): Promise<void> {
    const owned = (await this.sessions.list(userId)).some((s) => s.id === sessionId);
    if (!owned || !(await this.sessions.revoke(sessionId))) throw new DomainError(AuthErrors.SESSION_NOT_FOUND);
  }
}
