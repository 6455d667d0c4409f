import { Clock, SystemClock } from '../../common/clock';
import { Injectable, Optional } from '@nestjs/common';
import { BanRecord, ModerationRepository, ViolationInput } from '../ports';
import { RedisConnection } from './redis-connection';
import { gcTtlMs, isLive, sweep } from './redis-expiry';
import { ADD_VIOLATION, CLEAR_VIOLATIONS, SWEEP_EXPIRED_KEYS, SWEEP_EXPIRED_VIOLATIONS } from './redis-scripts';

/**
 * Violation scores and bans in Redis, so every app instance counts and enforces the same
 * ones. Same contract as the SQLite adapter; liveness is decided against the caller's `now`.
 */
@Injectable()
export class RedisModerationRepository extends ModerationRepository {
  constructor(
    private readonly redis: RedisConnection,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {
    super();
  }

  async addViolation(input: ViolationInput): Promise<number> {
    const expiresAt = input.now.getTime() + input.ttlMs;
    const total = await this.redis.eval(
      ADD_VIOLATION,
      [this.redis.keys.violations(input.subject)],
      [input.type, input.score, expiresAt, input.now.getTime(), gcTtlMs(expiresAt, input.now)],
    );
    return Number(total);
  }

  async getViolationScore(subject: string, type: string, now: Date): Promise<number> {
    const [score, expiresAt] = await this.redis.run((c) => c.hmget(this.redis.keys.violations(subject), `score:${type}`, `expiresAt:${type}`));
    return score !== null && isLive(expiresAt, now) ? Number(score) : 0;
  }

  /** How many types were removed, expired or not (as in SQLite). */
  async clearViolations(subject: string, type?: string): Promise<number> {
    const key = this.redis.keys.violations(subject);
    if (type === undefined) return Number(await this.redis.eval(CLEAR_VIOLATIONS, [key], []));
    // Both fields of a type are written together, so removing any means the type was there.
    const removed = await this.redis.run((c) => c.hdel(key, `score:${type}`, `expiresAt:${type}`));
    return removed > 0 ? 1 : 0;
  }

  async putBan(ban: BanRecord): Promise<void> {
    const key = this.redis.keys.ban(ban.subject);
    const fields: Record<string, string> = {
      type: ban.type,
      violationCount: String(ban.violationCount),
      createdAt: String(ban.createdAt.getTime()),
      expiresAt: String(ban.expiresAt.getTime()),
    };
    // Absent fields stand for null, so a replaced ban leaves no stale reason or user behind.
    if (ban.reason !== null) fields.reason = ban.reason;
    if (ban.userId !== null) fields.userId = ban.userId;
    // The port passes no `now` here: the injected clock only sizes the garbage-collection TTL.
    const ttl = gcTtlMs(ban.expiresAt.getTime(), this.clock.now());
    await this.redis.batch((c) => c.multi().del(key).hset(key, fields).pexpire(key, ttl));
  }

  async findActiveBan(subjects: string[], now: Date): Promise<BanRecord | null> {
    if (subjects.length === 0) return null;
    const bans = await this.readBans(subjects.map((s) => this.redis.keys.ban(s)));
    // The caller's order decides which ban wins (e.g. user before IP).
    return bans.find((ban) => ban !== null && ban.expiresAt.getTime() > now.getTime()) ?? null;
  }

  async listActiveBans(now: Date): Promise<BanRecord[]> {
    const active = new Map<string, BanRecord>();
    for await (const keys of this.redis.scan(this.redis.keys.banPattern())) {
      for (const ban of await this.readBans(keys)) {
        // SCAN may return a key twice; the map keeps one record per subject.
        if (ban && ban.expiresAt.getTime() > now.getTime()) active.set(ban.subject, ban);
      }
    }
    return [...active.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
  }

  async liftBan(subject: string): Promise<boolean> {
    return (await this.redis.run((c) => c.del(this.redis.keys.ban(subject)))) > 0;
  }

  async deleteExpired(now: Date): Promise<number> {
    const violations = await sweep(this.redis, this.redis.keys.violationsPattern(), SWEEP_EXPIRED_VIOLATIONS, now);
    const bans = await sweep(this.redis, this.redis.keys.banPattern(), SWEEP_EXPIRED_KEYS, now);
    return violations + bans;
  }

  /** One round trip for several bans; null where a key holds none. */
  private async readBans(keys: string[]): Promise<Array<BanRecord | null>> {
    const hashes = await this.redis.batch((c) => {
      const pipeline = c.pipeline();
      for (const key of keys) pipeline.hgetall(key);
      return pipeline;
    });
    return hashes.map((hash, i) => banFromHash(this.redis.keys.subjectOfBan(keys[i]), hash as Record<string, string>));
  }
}

function banFromHash(subject: string, h: Record<string, string>): BanRecord | null {
  if (h.expiresAt === undefined) return null;
  return {
    subject,
    type: h.type,
    reason: h.reason ?? null,
    violationCount: Number(h.violationCount),
    createdAt: new Date(Number(h.createdAt)),
    expiresAt: new Date(Number(h.expiresAt)),
    userId: h.userId ?? null,
  };
}
