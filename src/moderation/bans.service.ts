import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors';
import type { MaybePromise } from '../common/maybe-async';
import { RecentCache } from '../common/recent-cache';
import { SecurityEvents } from '../common/security-events';
import { RefreshSessionsService } from '../sessions';
import { BanRecord, ModerationRepository, StoreChangeFeed } from '../storage';
import { ModerationErrors } from './moderation.errors';

export const BANNED_MESSAGE = 'Your account has been temporarily banned due to violations of our service.';

export const userSubject = (userId: string) => `user:${userId}`;
export const ipSubject = (ip: string) => `ip:${ip}`;

export interface BanTarget {
  ip?: string | null;
  userId?: string | null;
}

/** A store read that failed: never kept as a verdict, so the next request asks the store again. */
const UNREADABLE = Symbol('ban store unreadable');

/** The subjects a target names, user first so a user's ban wins over the address's. */
function subjectsOf(target: BanTarget): string[] {
  const subjects: string[] = [];
  if (target.userId) subjects.push(userSubject(target.userId));
  if (target.ip) subjects.push(ipSubject(target.ip));
  return subjects;
}

/** The 403 every path answers for a ban: LibreChat's text plus a code and the expiry (MB-09). */
export function bannedError(ban: Pick<BanRecord, 'expiresAt'>): DomainError {
  return new DomainError(ModerationErrors.BANNED, { message: BANNED_MESSAGE, details: { expiresAt: ban.expiresAt.toISOString() } });
}

/**
 * Bans of users and IP addresses. Automatic bans come from ViolationsService; manual ones from
 * the CLI and the admin API. Every ban of a user ends all of that user's sessions at once.
 */
@Injectable()
export class BansService {
  private readonly logger = new Logger('Bans');
  /** Recent verdicts for the bearer path, per user and address (see assertNotBannedRecently). */
  private readonly verdicts: RecentCache<BanRecord | null>;

  constructor(
    private readonly moderation: ModerationRepository,
    private readonly sessions: RefreshSessionsService,
    private readonly clock: Clock,
    private readonly changes: StoreChangeFeed,
    private readonly events: SecurityEvents,
  ) {
    this.verdicts = new RecentCache(clock);
    changes.subscribe((change) => {
      if (change.kind === 'bans') this.verdicts.clear();
    });
  }

  /**
   * Throws 403 BANNED when the user or the address has an active ban. A ban store that cannot be
   * read fails open with an error log (MB-11): the login limiter, which fails closed, still
   * bounds guessing while the store is down.
   */
  async assertNotBanned(target: BanTarget): Promise<void> {
    const subjects = subjectsOf(target);
    if (subjects.length === 0) return;
    const ban = await this.findBan(subjects);
    if (ban) throw bannedError(ban);
  }

  /**
   * The same rule for the bearer path, which runs on every API call: a verdict looked up less than
   * RECENT_LOOKUP_MS (1 s) ago is reused. Bans and lifts made by this process clear the verdicts at
   * once; one made elsewhere (another instance, the CLI, LibreChat) applies within that second.
   * A ban that has run out meanwhile is not enforced (its expiry is checked against the clock).
   */
  assertNotBannedRecently(target: BanTarget): MaybePromise<void> {
    const subjects = subjectsOf(target);
    if (subjects.length === 0) return;
    // A recent verdict is judged at once, without a promise (common/maybe-async.ts).
    const verdict = this.verdicts.get(subjects.join(' '), async () => {
      const found = await this.findBan(subjects, true);
      return found === undefined ? Promise.reject(UNREADABLE) : found;
    });
    if (!(verdict instanceof Promise)) return this.judge(verdict);
    return verdict.then(
      (ban) => this.judge(ban),
      (error: unknown) => (error === UNREADABLE ? undefined : Promise.reject(error)),
    );
  }

  /** A ban that has run out since it was looked up is not enforced. */
  private judge(ban: BanRecord | null): void {
    if (ban && ban.expiresAt.getTime() > this.clock.now().getTime()) throw bannedError(ban);
  }

  /** `undefined` (with `distinguish`) or null when the store cannot be read: MB-11, fail open with a log. */
  private async findBan(subjects: string[], distinguish = false): Promise<BanRecord | null | undefined> {
    try {
      return await this.moderation.findActiveBan(subjects, this.clock.now());
    } catch (error) {
      this.logger.error(`ban check skipped, the ban store is unavailable: ${(error as Error).message}`);
      return distinguish ? undefined : null;
    }
  }

  /**
   * Bans the user and/or the address until `now + durationMs`, ends the user's sessions and
   * reports `ban.added`: the one place every ban (automatic, admin API, CLI) is audited. `actorId`
   * is the admin's id, `cli`, or absent for an automatic ban.
   */
  async ban(target: BanTarget, details: { type: string; reason: string | null; violationCount: number; durationMs: number; actorId?: string }): Promise<Date> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + details.durationMs);
    const record = (subject: string): BanRecord => ({
      subject,
      type: details.type,
      reason: details.reason,
      violationCount: details.violationCount,
      createdAt: now,
      expiresAt,
      userId: target.userId ?? null,
    });
    try {
      if (target.userId) await this.moderation.putBan(record(userSubject(target.userId)));
      if (target.ip) await this.moderation.putBan(record(ipSubject(target.ip)));
    } finally {
      this.changes.publish({ kind: 'bans' });
    }
    if (target.userId) await this.endSessions(target.userId);
    this.logger.warn(
      `banned ${[target.userId && `user ${target.userId}`, target.ip && `ip ${target.ip}`].filter(Boolean).join(' and ')} until ${expiresAt.toISOString()} (${details.type})`,
    );
    await this.events.emit({
      type: 'ban.added',
      userId: target.userId ?? null,
      actorId: details.actorId ?? null,
      reason: details.actorId ? 'manual' : 'automatic',
      details: { violation: details.type, violationCount: details.violationCount, expiresAt: expiresAt.toISOString(), subject: target.userId ? 'user' : 'ip' },
    });
    return expiresAt;
  }

  /** Revokes every session of a user (also used for "soft bans" with BAN_DURATION ≤ 0). */
  async endSessions(userId: string): Promise<void> {
    await this.sessions.revokeAll(userId);
  }

  list(): Promise<BanRecord[]> {
    return this.moderation.listActiveBans(this.clock.now());
  }

  /**
   * Lifts the ban of a subject (`user:<id>` or `ip:<address>`) and forgets its scores so the next
   * violation does not ban again at once. Lifting a user also lifts the address bans recorded
   * with that user, which LibreChat's ban left behind. Takes effect on the next request (MB-07).
   */
  async lift(subject: string, actorId: string): Promise<boolean> {
    let lifted: boolean;
    try {
      lifted = await this.liftWithCompanions(subject);
    } finally {
      this.changes.publish({ kind: 'bans' });
    }
    const kind = subject.startsWith('user:') ? 'user' : 'ip';
    if (lifted)
      await this.events.emit({
        type: 'ban.lifted',
        userId: kind === 'user' ? subject.slice('user:'.length) : null,
        actorId,
        reason: 'manual',
        details: { subject: kind },
      });
    return lifted;
  }

  private async liftWithCompanions(subject: string): Promise<boolean> {
    let lifted = await this.moderation.liftBan(subject);
    await this.moderation.clearViolations(subject);
    if (subject.startsWith('user:')) {
      const userId = subject.slice('user:'.length);
      for (const ban of await this.list()) {
        if (ban.userId === userId && ban.subject !== subject) {
          lifted = (await this.moderation.liftBan(ban.subject)) || lifted;
          await this.moderation.clearViolations(ban.subject);
        }
      }
    }
    return lifted;
  }
}
