import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { SecurityEvents } from '../common/security-events';
import { ModerationConfig } from '../config';
import { ModerationRepository } from '../storage';
import { BansService, ipSubject, userSubject, type BanTarget } from './bans.service';

/**
 * Violation scores, LibreChat's scheme (docs/moderation.md#violations) with two fixes (LibreChat defect D-18, docs/librechat-differences.md): scores are
 * kept for the IP on every route, not only for signed-in users, and they decay after a quiet
 * period (VIOLATION_SCORE_TTL). A ban triggers when a score crosses a multiple of BAN_INTERVAL.
 *
 * The user is scored only when the request proves who it is (a bearer token); an
 * unauthenticated request naming an account (a login with someone's email) scores only its IP,
 * so nobody can get a victim banned by failing on their behalf (MB-02).
 */
@Injectable()
export class ViolationsService {
  private readonly logger = new Logger('Violations');

  constructor(
    private readonly moderation: ModerationRepository,
    private readonly bans: BansService,
    private readonly config: ModerationConfig,
    private readonly clock: Clock,
    private readonly events: SecurityEvents,
  ) {}

  /** Never throws: a violation that cannot be stored is logged, the request goes on. */
  async record(type: string, score: number, target: BanTarget): Promise<void> {
    if (score <= 0) return;
    try {
      const subjects = [target.ip && ipSubject(target.ip), target.userId && userSubject(target.userId)].filter((s): s is string => !!s);
      let crossed = false;
      let highest = 0;
      for (const subject of subjects) {
        const total = await this.moderation.addViolation({ subject, type, score, ttlMs: this.config.violationScoreTtlMs, now: this.clock.now() });
        highest = Math.max(highest, total);
        if (Math.floor((total - score) / this.config.banInterval) < Math.floor(total / this.config.banInterval)) crossed = true;
      }
      this.logger.warn(`violation ${type} (+${score}) for ${subjects.join(', ')}; score ${highest}`);
      if (crossed && this.config.banViolations) await this.banFor(type, highest, target);
    } catch (error) {
      this.logger.error(`violation ${type} not recorded, the moderation store is unavailable: ${(error as Error).message}`);
    }
  }

  private async banFor(type: string, violationCount: number, target: BanTarget): Promise<void> {
    if (this.config.banDurationMs <= 0) {
      // LibreChat's "soft ban": sessions end, no ban is stored.
      if (target.userId) await this.bans.endSessions(target.userId);
      return;
    }
    const expiresAt = await this.bans.ban(target, { type, reason: `violation score ${violationCount} reached`, violationCount, durationMs: this.config.banDurationMs });
    // An automatic ban has no actor; manual bans are reported by the admin API that makes them.
    await this.events.emit({
      type: 'ban.added',
      userId: target.userId ?? null,
      reason: 'automatic',
      details: { violation: type, violationCount, expiresAt: expiresAt.toISOString(), subject: target.userId ? 'user' : 'ip' },
    });
  }
}
