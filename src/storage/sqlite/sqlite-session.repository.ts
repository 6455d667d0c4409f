import { Clock, SystemClock } from '../../common/clock';
import { randomUUID } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { NewRefreshSession, RefreshSessionRecord, RotateSessionInput, SessionMatch, SessionRepository } from '../ports';
import { Millis, fromMillis, fromMillisOrNull } from './row-mapping';
import { SqliteDatabase } from './sqlite-database';

interface SessionRow {
  id: string;
  user_id: string;
  token_hash: string;
  previous_token_hash: string | null;
  rotated_at: Millis | null;
  expires_at: Millis;
  created_at: Millis;
  last_used_at: Millis;
  user_agent: string | null;
  ip: string | null;
  provider: string | null;
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare<SessionRow>(`INSERT INTO sessions
      (id, user_id, token_hash, previous_token_hash, rotated_at, expires_at, created_at, last_used_at, user_agent, ip, provider)
      VALUES (@id, @user_id, @token_hash, @previous_token_hash, @rotated_at, @expires_at, @created_at, @last_used_at, @user_agent, @ip, @provider)`),
    byId: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    byCurrent: db.prepare<[string, Millis], SessionRow>('SELECT * FROM sessions WHERE token_hash = ? AND expires_at > ? LIMIT 1'),
    byPrevious: db.prepare<[string, Millis], SessionRow>('SELECT * FROM sessions WHERE previous_token_hash = ? AND expires_at > ? LIMIT 1'),
    // The WHERE clause is the compare-and-swap: of two concurrent rotations presenting the same
    // token, only the first still finds it live.
    rotate: db.prepare<{ id: string; expected: string; next: string; now: Millis }, SessionRow>(`UPDATE sessions
      SET previous_token_hash = token_hash, token_hash = @next, rotated_at = @now, last_used_at = @now
      WHERE id = @id AND token_hash = @expected AND expires_at > @now
      RETURNING *`),
    touch: db.prepare<[Millis, string]>('UPDATE sessions SET last_used_at = ? WHERE id = ?'),
    listByUser: db.prepare<[string, Millis], SessionRow>('SELECT * FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY created_at, id'),
    delete: db.prepare<[string]>('DELETE FROM sessions WHERE id = ?'),
    deleteByUser: db.prepare<[string]>('DELETE FROM sessions WHERE user_id = ?'),
    deleteExpired: db.prepare<[Millis]>('DELETE FROM sessions WHERE expires_at <= ?'),
  };
}

@Injectable()
export class SqliteSessionRepository extends SessionRepository {
  private readonly stmt: ReturnType<typeof prepare>;

  constructor(
    sqlite: SqliteDatabase,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {
    super();
    this.stmt = prepare(sqlite.db);
  }

  async create(input: NewRefreshSession): Promise<RefreshSessionRecord> {
    const createdAt = (input.createdAt ?? this.clock.now()).getTime();
    const row: SessionRow = {
      id: randomUUID(),
      user_id: input.userId,
      token_hash: input.tokenHash,
      previous_token_hash: null,
      rotated_at: null,
      expires_at: input.expiresAt.getTime(),
      created_at: createdAt,
      last_used_at: createdAt,
      user_agent: input.userAgent ?? null,
      ip: input.ip ?? null,
      provider: input.provider ?? null,
    };
    this.stmt.insert.run(row);
    return sessionFromRow(row);
  }

  async findById(id: string): Promise<RefreshSessionRecord | null> {
    const row = this.stmt.byId.get(id);
    return row ? sessionFromRow(row) : null;
  }

  async findByTokenHash(tokenHash: string, now: Date): Promise<SessionMatch | null> {
    const current = this.stmt.byCurrent.get(tokenHash, now.getTime());
    if (current) return { session: sessionFromRow(current), matched: 'current' };
    const previous = this.stmt.byPrevious.get(tokenHash, now.getTime());
    return previous ? { session: sessionFromRow(previous), matched: 'previous' } : null;
  }

  async rotate(input: RotateSessionInput): Promise<RefreshSessionRecord | null> {
    const row = this.stmt.rotate.get({
      id: input.id,
      expected: input.expectedTokenHash,
      next: input.newTokenHash,
      now: input.now.getTime(),
    });
    return row ? sessionFromRow(row) : null;
  }

  async touch(id: string, now: Date): Promise<void> {
    this.stmt.touch.run(now.getTime(), id);
  }

  async listByUser(userId: string, now: Date): Promise<RefreshSessionRecord[]> {
    return this.stmt.listByUser.all(userId, now.getTime()).map(sessionFromRow);
  }

  async delete(id: string): Promise<boolean> {
    return this.stmt.delete.run(id).changes > 0;
  }

  async deleteByUser(userId: string): Promise<number> {
    return this.stmt.deleteByUser.run(userId).changes;
  }

  async deleteExpired(now: Date): Promise<number> {
    return this.stmt.deleteExpired.run(now.getTime()).changes;
  }
}

function sessionFromRow(r: SessionRow): RefreshSessionRecord {
  return {
    id: r.id,
    userId: r.user_id,
    tokenHash: r.token_hash,
    previousTokenHash: r.previous_token_hash,
    rotatedAt: fromMillisOrNull(r.rotated_at),
    expiresAt: fromMillis(r.expires_at),
    createdAt: fromMillis(r.created_at),
    lastUsedAt: fromMillis(r.last_used_at),
    userAgent: r.user_agent,
    ip: r.ip,
    provider: r.provider,
  };
}
