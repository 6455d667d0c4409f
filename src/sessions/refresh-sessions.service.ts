import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Clock } from '../common/clock';
import { SecurityEvents } from '../common/security-events';
import { DomainError } from '../common/errors';
import { OpenIdConfig, SessionConfig } from '../config';
import { RefreshSessionRecord, SessionRepository, UnitOfWork } from '../storage';
import { RefreshClaims, RefreshTokenCodec, VerifiedRefresh, sha256Hex } from './refresh-token.codec';
import { SessionsErrors } from './sessions.errors';

export interface SessionContext {
  userAgent: string | null;
  ip: string | null;
  /** What limits and bans key the client by (`clientAddress().key`); the IPv6 network, not the host. */
  addressKey?: string | null;
  provider?: string;
}

export interface IssuedRefresh {
  token: string;
  session: RefreshSessionRecord;
}

const invalid = () => new DomainError(SessionsErrors.INVALID_REFRESH_TOKEN);

/**
 * Refresh sessions: issue, rotate with reuse detection, revoke, list.
 * - Rotation is a compare-and-swap in the store; the old token stops working only once the new
 *   one is persisted (RL-09).
 * - Inside the grace window (REFRESH_TOKEN_REUSE_GRACE) a superseded token of the session's own
 *   chain gets the session's current token instead of a new one: the token replaced by the last
 *   rotation once it was replaced less than the window ago (SE-03), an older one when it was
 *   issued less than the window ago, e.g. a tab that slept through two refreshes of its
 *   siblings (RL-15). The current token is derived, never stored (see RefreshTokenCodec).
 * - Any other genuine but superseded token is a replay: the whole session is revoked (SE-02).
 * - The absolute end of a session never moves (SE-04).
 */
@Injectable()
export class RefreshSessionsService {
  private readonly logger = new Logger('RefreshSessions');

  constructor(
    private readonly sessions: SessionRepository,
    private readonly codec: RefreshTokenCodec,
    private readonly config: SessionConfig,
    private readonly openid: OpenIdConfig,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: SecurityEvents,
  ) {}

  /** Create and first swap commit as one unit: one durable commit (one fsync) per sign-in, not two (RL-17). */
  issue(userId: string, context: SessionContext): Promise<IssuedRefresh> {
    return this.unitOfWork.run(() => this.createSession(userId, context));
  }

  private async createSession(userId: string, context: SessionContext): Promise<IssuedRefresh> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.refreshTokenTtlMs);
    // The id must exist before the token that names it: create with a throwaway hash, then swap.
    const placeholder = sha256Hex(randomBytes(32).toString('hex'));
    const created = await this.sessions.create({
      userId,
      tokenHash: placeholder,
      expiresAt,
      createdAt: now,
      userAgent: context.userAgent,
      ip: context.ip,
      provider: context.provider ?? 'local',
    });
    const token = this.codec.issue({ id: userId, sessionId: created.id }, randomBytes(16).toString('base64url'), now, expiresAt);
    const session = await this.sessions.rotate({ id: created.id, expectedTokenHash: placeholder, newTokenHash: sha256Hex(token), now });
    if (!session) throw new Error('a new session could not be stored');
    return { token, session: { ...session, previousTokenHash: null, rotatedAt: null } };
  }

  /**
   * `admit` runs once the token's signature and expiry check out and before any store work, with
   * the user it names: the caller's chance to refuse (a ban) without verifying the token twice.
   */
  async rotate(token: string, admit?: (userId: string) => Promise<void>): Promise<IssuedRefresh> {
    const now = this.clock.now();
    const claims = this.codec.verify(token, this.openid.clockToleranceSec, now);
    if (!claims) throw invalid();
    if (admit) await admit(claims.id);
    const hash = sha256Hex(token);
    let match = await this.sessions.findByTokenHash(hash, now);
    if (match?.matched === 'current') {
      if (match.session.userId !== claims.id) throw invalid();
      const successor = this.codec.successor(claims, hash, now, match.session.expiresAt);
      const rotated = await this.sessions.rotate({ id: match.session.id, expectedTokenHash: hash, newTokenHash: sha256Hex(successor), now });
      if (rotated) {
        await this.events.emit({ type: 'refresh.rotated', userId: rotated.userId, method: 'refresh', provider: rotated.provider ?? null });
        return { token: successor, session: rotated };
      }
      // Another request rotated this token between our read and our swap.
      match = await this.sessions.findByTokenHash(hash, now);
    }
    if (match?.matched === 'previous' && match.session.userId === claims.id) {
      const rotatedAt = match.session.rotatedAt ?? now;
      return this.superseded(
        match.session,
        claims,
        now.getTime() - rotatedAt.getTime() <= this.config.reuseGraceMs,
        'previous token replayed after the grace window',
      );
    }
    if (!match) {
      // Signed by us and naming a live session, yet neither its current nor previous token: an
      // older generation of the same chain presented again.
      const session = await this.sessions.findById(claims.sessionId);
      if (session && session.userId === claims.id && session.expiresAt > now) {
        const fresh = claims.issuedAt !== null && now.getTime() - claims.issuedAt.getTime() <= this.config.reuseGraceMs;
        return this.superseded(session, claims, fresh, 'superseded token replayed');
      }
    }
    throw invalid();
  }

  /** The session a presented refresh token belongs to (current or just-rotated), if any. */
  async findByToken(token: string): Promise<RefreshSessionRecord | null> {
    const match = await this.sessions.findByTokenHash(sha256Hex(token), this.clock.now());
    return match?.session ?? null;
  }

  async revoke(sessionId: string): Promise<boolean> {
    return this.sessions.delete(sessionId);
  }

  async revokeAll(userId: string): Promise<number> {
    return this.sessions.deleteByUser(userId);
  }

  /** Ends every session of the user except `keepSessionId` (after a security change made from that session). */
  async revokeOthers(userId: string, keepSessionId: string | null): Promise<number> {
    let ended = 0;
    for (const session of await this.list(userId)) {
      if (session.id !== keepSessionId && (await this.revoke(session.id))) ended++;
    }
    return ended;
  }

  async list(userId: string): Promise<RefreshSessionRecord[]> {
    return this.sessions.listByUser(userId, this.clock.now());
  }

  /** A superseded token of the session's chain: inside the window the current token, else the end of the session. */
  private async superseded(session: RefreshSessionRecord, claims: VerifiedRefresh, insideGrace: boolean, reason: string): Promise<IssuedRefresh> {
    const current = insideGrace ? this.currentToken(session, claims) : null;
    if (current) {
      await this.events.emit({ type: 'refresh.reused_within_grace', userId: session.userId, method: 'refresh', provider: session.provider ?? null });
      return { token: current, session };
    }
    await this.revokeFamily(session, reason);
    await this.events.emit({
      type: 'refresh.reuse_detected',
      userId: session.userId,
      method: 'refresh',
      provider: session.provider ?? null,
      reason: 'superseded_token',
      details: { sessionId: session.id },
    });
    throw reused();
  }

  /** Re-derives the live token from the last rotation; null when the session was never rotated. */
  private currentToken(session: RefreshSessionRecord, claims: RefreshClaims): string | null {
    if (!session.previousTokenHash || !session.rotatedAt) return null;
    const token = this.codec.successor({ id: claims.id, sessionId: claims.sessionId }, session.previousTokenHash, session.rotatedAt, session.expiresAt);
    return sha256Hex(token) === session.tokenHash ? token : null;
  }

  private async revokeFamily(session: RefreshSessionRecord, reason: string): Promise<void> {
    await this.sessions.delete(session.id);
    this.logger.warn({ userId: session.userId, sessionId: session.id, event: 'refresh_token_reuse' }, `session revoked: ${reason}`);
  }
}

function reused(): DomainError {
  return new DomainError(SessionsErrors.REFRESH_TOKEN_REUSED);
}
