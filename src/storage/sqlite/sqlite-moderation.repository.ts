import { Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { BanRecord, ModerationRepository, ViolationInput } from '../ports';
import { Millis, fromMillis } from './row-mapping';
import { SqliteDatabase } from './sqlite-database';

interface BanRow {
  subject: string;
  type: string;
  reason: string | null;
  violation_count: number;
  created_at: Millis;
  expires_at: Millis;
  user_id: string | null;
}

function prepare(db: Database.Database) {
  return {
    // One statement, so the read-modify-write of the score cannot interleave with another
    // writer. SET expressions all see the old row, so both CASEs test the old expiry.
    addViolation: db.prepare<{ subject: string; type: string; score: number; expiresAt: Millis; now: Millis }, { score: number }>(`
      INSERT INTO violations (subject, type, score, expires_at) VALUES (@subject, @type, @score, @expiresAt)
      ON CONFLICT (subject, type) DO UPDATE SET
        score = CASE WHEN violations.expires_at <= @now THEN excluded.score ELSE violations.score + excluded.score END,
        expires_at = excluded.expires_at
      RETURNING score`),
    score: db.prepare<[string, string, Millis], { score: number }>('SELECT score FROM violations WHERE subject = ? AND type = ? AND expires_at > ?'),
    clearAll: db.prepare<[string]>('DELETE FROM violations WHERE subject = ?'),
    clearType: db.prepare<[string, string]>('DELETE FROM violations WHERE subject = ? AND type = ?'),
    putBan: db.prepare<BanRow>(`
      INSERT INTO bans (subject, type, reason, violation_count, created_at, expires_at, user_id)
      VALUES (@subject, @type, @reason, @violation_count, @created_at, @expires_at, @user_id)
      ON CONFLICT (subject) DO UPDATE SET
        type = excluded.type, reason = excluded.reason, violation_count = excluded.violation_count,
        created_at = excluded.created_at, expires_at = excluded.expires_at, user_id = excluded.user_id`),
    activeBan: db.prepare<[string, Millis], BanRow>('SELECT * FROM bans WHERE subject = ? AND expires_at > ?'),
    activeBans: db.prepare<[Millis], BanRow>('SELECT * FROM bans WHERE expires_at > ? ORDER BY created_at, subject'),
    liftBan: db.prepare<[string]>('DELETE FROM bans WHERE subject = ?'),
    deleteExpiredViolations: db.prepare<[Millis]>('DELETE FROM violations WHERE expires_at <= ?'),
    deleteExpiredBans: db.prepare<[Millis]>('DELETE FROM bans WHERE expires_at <= ?'),
  };
}

@Injectable()
export class SqliteModerationRepository extends ModerationRepository {
  private readonly stmt: ReturnType<typeof prepare>;

  constructor(sqlite: SqliteDatabase) {
    super();
    this.stmt = prepare(sqlite.db);
  }

  async addViolation(input: ViolationInput): Promise<number> {
    const now = input.now.getTime();
    const row = this.stmt.addViolation.get({
      subject: input.subject,
      type: input.type,
      score: input.score,
      expiresAt: now + input.ttlMs,
      now,
    });
    return row?.score ?? 0;
  }

  async getViolationScore(subject: string, type: string, now: Date): Promise<number> {
    return this.stmt.score.get(subject, type, now.getTime())?.score ?? 0;
  }

  async clearViolations(subject: string, type?: string): Promise<number> {
    const result = type === undefined ? this.stmt.clearAll.run(subject) : this.stmt.clearType.run(subject, type);
    return result.changes;
  }

  async putBan(ban: BanRecord): Promise<void> {
    this.stmt.putBan.run({
      subject: ban.subject,
      type: ban.type,
      reason: ban.reason,
      violation_count: ban.violationCount,
      created_at: ban.createdAt.getTime(),
      expires_at: ban.expiresAt.getTime(),
      user_id: ban.userId,
    });
  }

  async findActiveBan(subjects: string[], now: Date): Promise<BanRecord | null> {
    // Checked one by one so the caller's order decides which ban wins (e.g. user before IP).
    for (const subject of subjects) {
      const row = this.stmt.activeBan.get(subject, now.getTime());
      if (row) return banFromRow(row);
    }
    return null;
  }

  async listActiveBans(now: Date): Promise<BanRecord[]> {
    return this.stmt.activeBans.all(now.getTime()).map(banFromRow);
  }

  async liftBan(subject: string): Promise<boolean> {
    return this.stmt.liftBan.run(subject).changes > 0;
  }

  async deleteExpired(now: Date): Promise<number> {
    const at = now.getTime();
    return this.stmt.deleteExpiredViolations.run(at).changes + this.stmt.deleteExpiredBans.run(at).changes;
  }
}

function banFromRow(r: BanRow): BanRecord {
  return {
    subject: r.subject,
    type: r.type,
    reason: r.reason,
    violationCount: r.violation_count,
    createdAt: fromMillis(r.created_at),
    expiresAt: fromMillis(r.expires_at),
    userId: r.user_id,
  };
}
